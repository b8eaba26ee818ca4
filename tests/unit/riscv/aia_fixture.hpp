#pragma once
// Shared fixture for the AIA hart-CSR tests (aia_csr_test.cpp,
// aia_virtual_test.cpp): a hart with H and Smstateen whose AIA CSRs reach
// fake interrupt files standing in for the IMSIC model.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <utility>

#include "encode.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv::test {

using u32 = std::uint32_t;
using u64 = std::uint64_t;
constexpr Addr kBase = 0x8000'0000;

class FakeFile final : public InterruptFile {
 public:
  bool read_indirect(unsigned sel, u64& v) const override {
    if (sel < 0x70 || sel > 0xff) return false;
    auto it = regs.find(sel);
    v = it == regs.end() ? 0 : it->second;
    return true;
  }
  bool write_indirect(unsigned sel, u64 v) override {
    if (sel < 0x70 || sel > 0xff) return false;
    regs[sel] = v;
    return true;
  }
  std::uint32_t topei() const override { return top; }
  std::uint32_t claim() override {
    const std::uint32_t before = top;
    ++claims;
    top = 0;
    return before;
  }
  std::map<unsigned, u64> regs;
  std::uint32_t top = (5u << 16) | 5u;
  int claims = 0;
};

class AiaCsrTest : public ::testing::Test {
 protected:
  explicit AiaCsrTest(bool attach = true) {
    ram_ = machine_.bus().add_ram("ram", kBase, 1 << 20);
    HartConfig config;
    config.has_h = true;
    config.geilen = 1;
    hart_ = static_cast<RiscvHart*>(&machine_.add_hart(std::make_unique<RiscvHart>(0, machine_, config)));
    if (attach) hart_->attach_interrupt_files(&m_, &s_, {&g_});
    hart_->reset(kBase);
    hart_->pmpaddr_[15] = (1ull << 54) - 1;
    hart_->pmpcfg_[15] = 0x1f;
    hart_->pmp_changed();
    hart_->mtvec_ = kBase + 0x80000;
  }
  bool step(u32 insn) {
    std::memcpy(ram_ + (hart_->pc() - kBase), &insn, 4);
    const u64 before = hart_->retired();
    hart_->interpret(1);
    return hart_->retired() != before;
  }
  bool write(u32 csr, u64 v) {
    hart_->set_x(enc::a1, v);
    return step(enc::csrrw(enc::zero, csr, enc::a1));
  }
  bool read(u32 csr, u64& v) {
    const bool ok = step(enc::csrrs(enc::a0, csr, enc::zero));
    v = hart_->x(enc::a0);
    return ok;
  }

  // From M: MRET into priv (virtualised when virt) at a fresh code address.
  void enter(Priv priv, bool virt) {
    hart_->mepc_ = kBase + 0x10000;
    hart_->mstatus_ = (hart_->mstatus_ & ~((3ull << 11) | (1ull << 39))) | (u64{priv} << 11) |
                      (virt ? (1ull << 39) : 0);
    ASSERT_TRUE(step(enc::mret()));
    ASSERT_EQ(hart_->priv(), priv);
    ASSERT_EQ(hart_->virt(), virt);
  }

  // Trap vectors (direct mode) whose first instruction is a marker.
  static constexpr Addr kMVector = kBase + 0x80000, kSVector = kBase + 0x90000, kVsVector = kBase + 0xA0000;
  static constexpr int kNoTrap = 1, kMMarker = 100, kSMarker = 200, kVsMarker = 300;
  // Run one instruction at pc: kNoTrap if it ran, else the marker of the
  // trap vector an interrupt sent the hart to.
  int poll() {
    hart_->mtvec_ = kMVector;
    hart_->stvec_ = kSVector;
    hart_->vstvec_ = kVsVector;
    const std::pair<Addr, int> vectors[] = {{kMVector, kMMarker}, {kSVector, kSMarker}, {kVsVector, kVsMarker}};
    for (const auto& [where, marker] : vectors) {
      const u32 insn = enc::addi(enc::a0, enc::zero, marker);
      std::memcpy(ram_ + (where - kBase), &insn, 4);
    }
    const u32 probe = enc::addi(enc::a0, enc::zero, kNoTrap);
    std::memcpy(ram_ + (hart_->pc() - kBase), &probe, 4);
    hart_->set_x(enc::a0, 0);
    hart_->interpret(1);
    return static_cast<int>(hart_->x(enc::a0));
  }

  Machine machine_;
  RiscvHart* hart_ = nullptr;
  std::uint8_t* ram_ = nullptr;
  FakeFile m_, s_, g_;
};

}  // namespace orrery::riscv::test
