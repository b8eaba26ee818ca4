#pragma once
#include <cstdint>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/irqchip/irq_line.hpp"

namespace orrery {

// The RISC-V Platform-Level Interrupt Controller (RISC-V PLIC specification
// 1.0.0), with the register map SiFive defined and QEMU's virt uses:
//   0x000000 + 4*id            source priority (0 = never interrupts)
//   0x001000 + 4*(id/32)       pending bits (read-only)
//   0x002000 + 0x80*ctx        enable bits of context ctx
//   0x200000 + 0x1000*ctx      priority threshold of ctx
//   0x200004 + 0x1000*ctx      claim (read) / complete (write) of ctx
// Source 0 does not exist: its priority, pending and enable bits read zero.
// Sources are level-triggered: a device calls set_source with its line's
// level, and the gateway turns a high level into one request at a time
// (spec chapter "Interrupt Gateways"). All registers are 32 bits wide; other
// access sizes are bus errors.
class Plic final : public Device {
 public:
  // `sources` counts source 0, so IDs 1..sources-1 are usable.
  // `priority_bits` sets the width of the priority and threshold fields.
  Plic(unsigned sources, unsigned contexts, unsigned priority_bits);

  // The interrupt-pending output of context ctx (e.g. a hart's MEIP).
  void connect(unsigned context, IrqLine line);
  // A device's interrupt output; ids outside 1..sources-1 are ignored.
  void set_source(unsigned id, bool level);

  std::string_view name() const override { return "riscv.sifive.plic"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  // Register-level operations, also used by the MMIO path.
  std::uint32_t claim(unsigned context);
  void complete(unsigned context, std::uint32_t id);
  bool context_pending(unsigned context) const;

  unsigned sources() const { return sources_; }
  unsigned contexts() const { return static_cast<unsigned>(contexts_.size()); }

  static constexpr Addr kPriorityBase = 0x0, kPendingBase = 0x1000, kEnableBase = 0x2000, kEnableStride = 0x80;
  static constexpr Addr kContextBase = 0x200000, kContextStride = 0x1000;

 private:
  struct Context {
    std::vector<std::uint32_t> enable;  // one bit per source
    std::uint32_t threshold = 0;
    IrqLine line;
    bool level = false;
    template <class Ar>
    void state(Ar& ar) {
      ar(enable, threshold, level);
    }
  };
  template <class Ar>
  void checkpoint_state(Ar& ar) {
    ar(priority_, pending_, level_, in_flight_, contexts_);
  }
  bool enabled(const Context& c, unsigned id) const { return (c.enable[id / 32] >> (id % 32)) & 1; }
  bool pending(unsigned id) const { return (pending_[id / 32] >> (id % 32)) & 1; }
  void set_pending(unsigned id, bool on);
  // Highest-priority pending source enabled for ctx above its threshold; 0 if none.
  unsigned best(const Context& c) const;
  void update();

  unsigned sources_;
  std::uint32_t priority_mask_;
  std::vector<std::uint32_t> priority_;
  std::vector<std::uint32_t> pending_;
  std::vector<bool> level_;      // current input level of each source
  std::vector<bool> in_flight_;  // claimed, completion not yet seen
  std::vector<Context> contexts_;
};

}  // namespace orrery
