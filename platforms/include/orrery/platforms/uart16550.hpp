#pragma once
#include <cstdint>

#include "orrery/core/device.hpp"
#include "orrery/platforms/char_backend.hpp"

namespace orrery {

// NS16550A UART with byte-wide registers at consecutive offsets (reg-shift
// 0), as on QEMU's virt machine. Transmission is instantaneous, so the
// transmitter is always empty. The interrupt line is not connected until an
// interrupt controller exists; IIR still reports the pending source.
class Uart16550 final : public Device {
 public:
  explicit Uart16550(CharBackend& backend) : backend_(backend) {}
  std::string_view name() const override { return "ns16550a"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;

  // Register offsets and bits (PC16550D data sheet).
  enum : unsigned { kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };
  static constexpr std::uint8_t kLcrDlab = 0x80;
  static constexpr std::uint8_t kLsrDataReady = 0x01, kLsrThrEmpty = 0x20, kLsrTxEmpty = 0x40;
  static constexpr std::uint8_t kIerRxData = 0x01, kIerThrEmpty = 0x02;

 private:
  std::uint8_t iir() const;
  bool rx_ready();

  CharBackend& backend_;
  std::uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
  std::uint8_t dll_ = 0, dlm_ = 0;
  bool thr_empty_pending_ = false;  // THRE interrupt condition, cleared by reading IIR or writing THR
  bool has_rx_ = false;
  std::uint8_t rx_ = 0;
};

}  // namespace orrery
