// Smstateen/Ssstateen and the hstateen lazy-enable flow KVM uses (RISC-V
// Smstateen spec; privileged spec, "Hypervisor Extension"), on a hart with
// the H extension.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "encode.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv::test {
namespace {

namespace e = enc;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
constexpr Addr kBase = 0x8000'0000;
constexpr u64 kSE0 = 1ull << 63, kENVCFG = 1ull << 62;
constexpr u32 kMstateen0 = 0x30C, kHstateen0 = 0x60C, kSstateen0 = 0x10C, kSenvcfg = 0x10A, kHenvcfg = 0x60A;
constexpr u64 kVirtualInsn = 22, kIllegalInsn = 2;

class StateenTest : public ::testing::Test {
 protected:
  StateenTest() {
    ram_ = machine_.bus().add_ram("ram", kBase, 1 << 20);
    HartConfig config;
    config.has_h = true;
    hart_ = static_cast<RiscvHart*>(&machine_.add_hart(std::make_unique<RiscvHart>(0, machine_, config)));
    hart_->reset(kBase);
    // Open PMP for S/U as firmware does, and route every exception to M
    // unless a test delegates it.
    hart_->pmpaddr_[15] = (1ull << 54) - 1;
    hart_->pmpcfg_[15] = 0x1f;  // NAPOT RWX
    hart_->pmp_changed();
    hart_->mtvec_ = kBase + 0x80000;
    hart_->stvec_ = kBase + 0x90000;
  }

  // Execute insn at the current pc; true if it retired.
  bool step(u32 insn) {
    std::memcpy(ram_ + (hart_->pc() - kBase), &insn, 4);
    const u64 before = hart_->retired();
    hart_->interpret(1);
    return hart_->retired() != before;
  }
  u64 csr_read(u32 n) {
    EXPECT_TRUE(step(e::csrrs(e::a0, n, e::zero))) << "reading CSR " << n;
    return hart_->x(e::a0);
  }
  void csr_write(u32 n, u64 v) {
    hart_->set_x(e::a1, v);
    EXPECT_TRUE(step(e::csrrw(e::zero, n, e::a1))) << "writing CSR " << n;
  }
  // From M: MRET into priv (virtualised when virt) at a fresh code address.
  void enter(Priv priv, bool virt) {
    hart_->mepc_ = kBase + 0x10000;
    hart_->mstatus_ = (hart_->mstatus_ & ~((3ull << 11) | (1ull << 39))) | (u64{priv} << 11) |
                      (virt ? (1ull << 39) : 0);
    ASSERT_TRUE(step(e::mret()));
    ASSERT_EQ(hart_->priv(), priv);
    ASSERT_EQ(hart_->virt(), virt);
  }

  Machine machine_;
  RiscvHart* hart_ = nullptr;
  std::uint8_t* ram_ = nullptr;
};

TEST_F(StateenTest, MstateenHasTheImplementedBitsOnly) {
  csr_write(kMstateen0, ~0ull);
  EXPECT_EQ(csr_read(kMstateen0), kSE0 | kENVCFG)
      << "C, FCSR, JVT, CONTEXT and (until the AIA CSRs exist) CSRIND, AIA, IMSIC gate state this hart lacks";
  for (u32 n = 1; n < 4; ++n) {
    csr_write(kMstateen0 + n, ~0ull);
    EXPECT_EQ(csr_read(kMstateen0 + n), kSE0) << "mstateen" << n;
  }
}

TEST_F(StateenTest, HstateenBitsClearInMstateenAreReadOnlyZero) {
  csr_write(kMstateen0, kSE0 | kENVCFG);
  csr_write(kHstateen0, ~0ull);
  EXPECT_EQ(csr_read(kHstateen0), kSE0 | kENVCFG);
  csr_write(kMstateen0, kSE0);
  EXPECT_EQ(csr_read(kHstateen0), kSE0) << "ENVCFG now reads zero in hstateen0";
}

TEST_F(StateenTest, SE0ClearMakesLowerStateenRegistersIllegalBelowM) {
  csr_write(kMstateen0, 0);
  enter(kPrivS, false);
  EXPECT_FALSE(step(e::csrrs(e::a0, kHstateen0, e::zero)));
  EXPECT_EQ(hart_->mcause_, kIllegalInsn);
  enter(kPrivS, false);
  EXPECT_FALSE(step(e::csrrs(e::a0, kSstateen0, e::zero)));
  EXPECT_EQ(hart_->mcause_, kIllegalInsn);
  // With SE0 set, HS reaches both.
  csr_write(kMstateen0, kSE0);
  enter(kPrivS, false);
  EXPECT_TRUE(step(e::csrrs(e::a0, kHstateen0, e::zero)));
  EXPECT_TRUE(step(e::csrrs(e::a0, kSstateen0, e::zero)));
}

TEST_F(StateenTest, EnvcfgBitGatesSenvcfgAndHenvcfg) {
  csr_write(kMstateen0, kSE0);
  enter(kPrivS, false);
  EXPECT_FALSE(step(e::csrrs(e::a0, kSenvcfg, e::zero)));
  EXPECT_EQ(hart_->mcause_, kIllegalInsn) << "senvcfg from HS without mstateen0.ENVCFG";
  enter(kPrivS, false);
  EXPECT_FALSE(step(e::csrrs(e::a0, kHenvcfg, e::zero)));
  EXPECT_EQ(hart_->mcause_, kIllegalInsn) << "henvcfg from HS without mstateen0.ENVCFG";
  csr_write(kMstateen0, kSE0 | kENVCFG);
  enter(kPrivS, false);
  EXPECT_TRUE(step(e::csrrs(e::a0, kSenvcfg, e::zero)));
  EXPECT_TRUE(step(e::csrrs(e::a0, kHenvcfg, e::zero)));
}

// The flow of KVM's lazy hstateen enabling: VS touches senvcfg with
// hstateen0.ENVCFG clear and traps to HS with a virtual-instruction
// exception; HS sets the bit and SRETs; the retried access succeeds. With
// the bit clear in mstateen0 instead, the access is an illegal instruction
// taken to M.
TEST_F(StateenTest, LazyEnableOfHstateenEnvcfgFromVS) {
  csr_write(kMstateen0, kSE0 | kENVCFG);
  csr_write(0x302, (1ull << kVirtualInsn));  // medeleg: virtual-instruction to HS
  csr_write(kHstateen0, kSE0);               // ENVCFG not yet enabled for the guest
  enter(kPrivS, true);
  const Addr faulting = hart_->pc();
  const u32 read_senvcfg = e::csrrs(e::a0, kSenvcfg, e::zero);
  EXPECT_FALSE(step(read_senvcfg));
  ASSERT_EQ(hart_->priv(), kPrivS);
  ASSERT_FALSE(hart_->virt()) << "the trap goes to HS";
  EXPECT_EQ(hart_->scause_, kVirtualInsn);
  EXPECT_EQ(hart_->stval_, read_senvcfg) << "stval holds the instruction";
  EXPECT_EQ(hart_->sepc_, faulting);
  EXPECT_TRUE(hart_->hstatus_ & (1ull << 7)) << "hstatus.SPV: the trap came from V=1";
  // HS: hstateen0 |= ENVCFG, then SRET back to the faulting instruction.
  hart_->set_x(e::a1, kENVCFG);
  ASSERT_TRUE(step(e::csrrs(e::zero, kHstateen0, e::a1)));
  ASSERT_TRUE(step(e::sret()));
  ASSERT_TRUE(hart_->virt());
  ASSERT_EQ(hart_->pc(), faulting);
  EXPECT_TRUE(step(read_senvcfg)) << "the retried access succeeds";
}

TEST_F(StateenTest, BitClearInMstateenIsIllegalFromVSNotVirtual) {
  csr_write(kMstateen0, kSE0);  // ENVCFG clear at M level
  csr_write(0x302, (1ull << kVirtualInsn) | (1ull << kIllegalInsn));
  csr_write(kHstateen0, kSE0);
  enter(kPrivS, true);
  EXPECT_FALSE(step(e::csrrs(e::a0, kSenvcfg, e::zero)));
  EXPECT_EQ(hart_->priv(), kPrivS);
  EXPECT_FALSE(hart_->virt());
  EXPECT_EQ(hart_->scause_, kIllegalInsn) << "mstateen0 wins: illegal, not virtual";
}

TEST_F(StateenTest, SstateenFromVSNeedsHstateenSE0) {
  csr_write(kMstateen0, kSE0);
  csr_write(0x302, 1ull << kVirtualInsn);
  csr_write(kHstateen0, 0);
  enter(kPrivS, true);
  const Addr faulting = hart_->pc();
  EXPECT_FALSE(step(e::csrrs(e::a0, kSstateen0, e::zero)));
  EXPECT_EQ(hart_->scause_, kVirtualInsn);
  // HS enables SE0 for the guest and returns to the same instruction.
  csr_write(kHstateen0, kSE0);
  ASSERT_TRUE(step(e::sret()));
  ASSERT_EQ(hart_->pc(), faulting);
  EXPECT_TRUE(step(e::csrrs(e::a0, kSstateen0, e::zero)));
}

}  // namespace
}  // namespace orrery::riscv::test
