#pragma once
#include <cstdint>
#include <functional>

#include "orrery/core/device.hpp"
#include "orrery/platforms/char_backend.hpp"

namespace orrery {

// NS16550A UART with byte-wide registers at consecutive offsets (reg-shift
// 0), as on QEMU's virt machine. Transmission is instantaneous, so the
// transmitter is always empty. The interrupt output is a level: high while
// IIR reports a pending source (received data or THR empty, each when
// enabled in IER), so it follows every register access and new input.
class Uart16550 final : public Device {
 public:
  explicit Uart16550(CharBackend& backend) : backend_(backend) {}
  std::string_view name() const override { return "ns16550a"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  // The INTR output (on virt: PLIC source 10).
  void set_irq(std::function<void(bool)> irq);
  // Look for received input in the backend (the machine calls this
  // periodically) and update the interrupt output.
  void poll();

  // Register offsets and bits (PC16550D data sheet).
  enum : unsigned { kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };
  static constexpr std::uint8_t kLcrDlab = 0x80;
  static constexpr std::uint8_t kLsrDataReady = 0x01, kLsrThrEmpty = 0x20, kLsrTxEmpty = 0x40;
  static constexpr std::uint8_t kIerRxData = 0x01, kIerThrEmpty = 0x02;

 private:
  std::uint8_t iir() const;
  bool rx_ready();
  void update_irq();
  bool access_read(Addr offset, unsigned size, std::uint64_t& value);
  bool access_write(Addr offset, unsigned size, std::uint64_t value);
  template <class Ar>
  void checkpoint_state(Ar& ar) {
    ar(ier_, lcr_, mcr_, scr_, fcr_, dll_, dlm_, thr_empty_pending_, has_rx_, rx_, irq_level_);
  }

  CharBackend& backend_;
  std::uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
  std::uint8_t dll_ = 0, dlm_ = 0;
  bool thr_empty_pending_ = false;  // THRE interrupt condition, cleared by reading IIR or writing THR
  bool has_rx_ = false;
  std::uint8_t rx_ = 0;
  std::function<void(bool)> irq_;
  bool irq_level_ = false;
};

}  // namespace orrery
