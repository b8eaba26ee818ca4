#include "orrery/platforms/goldfish_rtc.hpp"

#include "orrery/core/checkpoint.hpp"

#include <ctime>

#include "orrery/core/machine.hpp"

namespace orrery {
namespace {

std::uint64_t host_realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint64_t deposit(std::uint64_t word, unsigned shift, std::uint32_t half) {
  return (word & ~(0xffffffffull << shift)) | (std::uint64_t{half} << shift);
}

}  // namespace

GoldfishRtc::GoldfishRtc(Machine& machine, Clock clock)
    : machine_(machine),
      clock_(clock ? std::move(clock) : Clock(host_realtime_ns)),
      alarm_event_(machine.events(), [this](Tick) { alarm_fired(); }) {}

GoldfishRtc::~GoldfishRtc() { disarm_alarm(); }

void GoldfishRtc::set_irq(std::function<void(bool)> irq) {
  irq_ = std::move(irq);
  update_irq();
}

void GoldfishRtc::reset() {
  // The clock keeps running across a machine reset (it is battery-backed);
  // the alarm and interrupt state do not survive.
  disarm_alarm();
  alarm_ = 0;
  irq_enabled_ = irq_pending_ = false;
  update_irq();
}

void GoldfishRtc::update_irq() {
  if (irq_) irq_(irq_enabled_ && irq_pending_);
}

void GoldfishRtc::disarm_alarm() {
  alarm_event_.cancel();
  alarm_armed_ = false;
}

// The time the guest reads is saved, not the offset: a restored clock that
// follows guest time reads on exactly where it was (a host clock continues
// from the saved time, like a paused machine), and the alarm keeps its
// deadline.
void GoldfishRtc::save_state(StateWriter& out) const {
  out(now_ns(), time_high_latch_, alarm_, alarm_armed_, irq_enabled_, irq_pending_, alarm_event_.deadline());
}

void GoldfishRtc::load_state(StateReader& in) {
  std::uint64_t now = 0;
  Tick deadline = EventQueue::kNever;
  in(now, time_high_latch_, alarm_, alarm_armed_, irq_enabled_, irq_pending_, deadline);
  offset_ = now - clock_();
  alarm_event_.restore(deadline);
  update_irq();
}

void GoldfishRtc::arm_alarm() {
  disarm_alarm();
  const std::uint64_t now = now_ns();
  if (alarm_ <= now) {  // already due: fire at once
    irq_pending_ = true;
    update_irq();
    return;
  }
  alarm_armed_ = true;
  const std::uint64_t delay_ns = alarm_ - now;
  const Tick delay = delay_ns > EventQueue::kNever / 1000 ? EventQueue::kNever : delay_ns * 1000;
  const Tick when = delay > EventQueue::kNever - machine_.now() ? EventQueue::kNever : machine_.now() + delay;
  if (when == EventQueue::kNever) return;  // centuries away: armed, never fires
  alarm_event_.arm(when);
}

void GoldfishRtc::alarm_fired() {
  alarm_armed_ = false;
  irq_pending_ = true;
  update_irq();
}

bool GoldfishRtc::read(Addr offset, unsigned size, std::uint64_t& value) {
  if (size != 4) return false;
  switch (offset) {
    case kTimeLow: {
      const std::uint64_t t = now_ns();
      time_high_latch_ = static_cast<std::uint32_t>(t >> 32);
      value = static_cast<std::uint32_t>(t);
      return true;
    }
    case kTimeHigh: value = time_high_latch_; return true;
    case kAlarmLow: value = static_cast<std::uint32_t>(alarm_); return true;
    case kAlarmHigh: value = static_cast<std::uint32_t>(alarm_ >> 32); return true;
    case kIrqEnabled: value = irq_enabled_; return true;
    case kAlarmStatus: value = alarm_armed_; return true;
    default: value = 0; return true;
  }
}

bool GoldfishRtc::write(Addr offset, unsigned size, std::uint64_t value) {
  if (size != 4) return false;
  const std::uint32_t v = static_cast<std::uint32_t>(value);
  switch (offset) {
    case kTimeLow:
    case kTimeHigh: {
      const std::uint64_t now = now_ns();
      const std::uint64_t want = deposit(now, offset == kTimeLow ? 0 : 32, v);
      offset_ += want - now;
      return true;
    }
    case kAlarmLow:
      alarm_ = deposit(alarm_, 0, v);
      arm_alarm();
      return true;
    case kAlarmHigh: alarm_ = deposit(alarm_, 32, v); return true;
    case kIrqEnabled:
      irq_enabled_ = v & 1;
      update_irq();
      return true;
    case kClearAlarm: disarm_alarm(); return true;
    case kClearInterrupt:
      irq_pending_ = false;
      update_irq();
      return true;
    default: return true;
  }
}

}  // namespace orrery
