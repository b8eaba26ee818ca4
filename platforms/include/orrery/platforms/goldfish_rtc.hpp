#pragma once
#include <cstdint>
#include <functional>

#include "orrery/core/device.hpp"
#include "orrery/core/event_queue.hpp"

namespace orrery {

class Machine;

// Google's goldfish RTC (compatible "google,goldfish-rtc"), as on QEMU's
// virt: a 64-bit count of nanoseconds since the Unix epoch, taken from the
// host's wall clock plus an offset that guest writes set, and a one-shot
// alarm with an interrupt. Registers (32-bit, as Linux's rtc-goldfish uses
// them):
//   0x00 TIME_LOW   reading it latches the whole count; TIME_HIGH (0x04)
//                   then returns the latched upper half, so a reader sees a
//                   consistent 64-bit value when it reads LOW first
//   0x08 ALARM_LOW  writing it arms the alarm at ALARM_HIGH:ALARM_LOW (write
//   0x0c ALARM_HIGH HIGH first)
//   0x10 IRQ_ENABLED  bit 0
//   0x14 CLEAR_ALARM  any write disarms the alarm
//   0x18 ALARM_STATUS 1 while an alarm is armed
//   0x1c CLEAR_INTERRUPT any write acknowledges the interrupt
// The alarm's distance is converted to guest time one to one (1 ns of RTC
// time = 1 ns of guest time).
class GoldfishRtc final : public Device {
 public:
  using Clock = std::function<std::uint64_t()>;  // nanoseconds since the epoch
  // clock: defaults to the host's CLOCK_REALTIME.
  explicit GoldfishRtc(Machine& machine, Clock clock = {});
  ~GoldfishRtc() override;

  void set_irq(std::function<void(bool)> irq);
  std::string_view name() const override { return "google,goldfish-rtc"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  std::uint64_t now_ns() const { return clock_() + offset_; }

  enum : Addr {
    kTimeLow = 0x00, kTimeHigh = 0x04, kAlarmLow = 0x08, kAlarmHigh = 0x0c, kIrqEnabled = 0x10,
    kClearAlarm = 0x14, kAlarmStatus = 0x18, kClearInterrupt = 0x1c
  };

 private:
  void arm_alarm();
  void disarm_alarm();
  void update_irq();
  void alarm_fired();

  Machine& machine_;
  Clock clock_;
  std::uint64_t offset_ = 0;  // guest time minus host time (mod 2^64)
  std::uint32_t time_high_latch_ = 0;
  std::uint64_t alarm_ = 0;
  bool alarm_armed_ = false;
  bool irq_enabled_ = false, irq_pending_ = false;
  OwnedEvent alarm_event_;
  std::function<void(bool)> irq_;
};

}  // namespace orrery
