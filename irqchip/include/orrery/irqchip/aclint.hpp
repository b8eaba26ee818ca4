#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/core/event_queue.hpp"
#include "orrery/irqchip/irq_line.hpp"

namespace orrery {

class Machine;

// SiFive CLINT, i.e. the RISC-V ACLINT's MSWI and MTIMER devices at the
// offsets QEMU's virt uses in one 64 KiB window:
//   0x0000 + 4*h   msip[h]      (MSWI; bit 0 drives hart h's MSIP)
//   0x4000 + 8*h   mtimecmp[h]  (MTIMER; MTIP = mtime >= mtimecmp)
//   0xBFF8         mtime
// mtime counts at timebase_hz in guest time: mtime = now * hz / 1 s + offset,
// where the offset comes from software writes to mtime. Registers take 32-
// and 64-bit accesses (RISC-V ACLINT spec 1.0, sections 2 and 3); other sizes
// are bus errors.
class Aclint final : public Device {
 public:
  Aclint(Machine& machine, unsigned harts, std::uint64_t timebase_hz);
  ~Aclint() override;

  // Wire hart h's MSIP (mip bit 3) and MTIP (mip bit 7) inputs.
  void connect(unsigned hart, IrqLine msip, IrqLine mtip);

  std::string_view name() const override { return "riscv.aclint"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  // Called after software changes mtime, so timers derived from it (Sstc's
  // stimecmp in the harts) can re-evaluate.
  void on_mtime_written(std::function<void()> callback) { mtime_written_ = std::move(callback); }

  // The current mtime (what the harts' time CSR reads).
  std::uint64_t mtime() const;
  std::uint64_t mtimecmp(unsigned hart) const { return harts_.at(hart).mtimecmp; }
  unsigned harts() const { return static_cast<unsigned>(harts_.size()); }

  static constexpr Addr kMsipBase = 0x0000, kMtimecmpBase = 0x4000, kMtime = 0xBFF8, kSize = 0x10000;

 private:
  struct PerHart {
    bool msip = false;
    std::uint64_t mtimecmp = ~std::uint64_t{0};
    bool mtip = false;
    IrqLine msip_line, mtip_line;
    std::unique_ptr<OwnedEvent> timer;  // when MTIP next becomes true
  };
  std::uint64_t ticks_to_mtime(Tick t) const;
  // Guest time at which mtime first reaches `value`, or kNever.
  Tick mtime_to_tick(std::uint64_t value) const;
  void set_mtime(std::uint64_t value);
  void set_mtimecmp(unsigned hart, std::uint64_t value);
  // Recompute MTIP for a hart and (re)schedule the event at the tick its
  // comparison will next become true.
  void update_timer(unsigned hart);
  bool read32(Addr offset, std::uint32_t& value);
  bool write32(Addr offset, std::uint32_t value);

  Machine& machine_;
  std::uint64_t hz_;
  std::uint64_t offset_ = 0;  // mtime minus the free-running count (mod 2^64)
  std::vector<PerHart> harts_;
  std::function<void()> mtime_written_;
};

}  // namespace orrery
