// Zihpm counters and Sscofpmf through real CSR instructions: event
// selection, inhibit, mode filtering, overflow, scountovf, LCOFI and its
// delegation, and mcycle under a timing model (docs/pmu.md).
#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

constexpr u64 kOf = 1ull << 63, kMinh = 1ull << 62, kSinh = 1ull << 61, kUinh = 1ull << 60;
constexpr u64 kInstructions = 0x02, kCycles = 0x01, kLoads = 0x12, kBranches = 0x03;
constexpr u32 kScountovf = 0xDA0;
constexpr u64 kLcofBit = 1ull << 13;

class PmuTest : public RvTest {
 protected:
  PmuTest() {
    // One NAPOT PMP entry over everything, so S and U may run.
    hart_->pmpaddr_[0] = ~u64{0} >> 10;
    hart_->pmpcfg_[0] = 0x1f;
    hart_->pmp_changed();
  }
  void nops(unsigned n) {
    for (unsigned i = 0; i < n; ++i) run(addi(zero, zero, 0));
  }
  // From M: MRET into priv at the current pc + 4 (one retired instruction).
  void enter(Priv priv) {
    hart_->mepc_ = pc() + 4;
    hart_->mstatus_ = (hart_->mstatus_ & ~ms::MPP) | (u64{priv} << 11);
    ASSERT_TRUE(step(mret()));
    ASSERT_EQ(hart_->priv(), priv);
  }
};

TEST_F(PmuTest, ASelectedEventCountsFromTheNextInstruction) {
  set_csr(csrn::mhpmevent3, kInstructions);
  EXPECT_TRUE(hart_->observed());
  set_csr(csrn::mhpmcounter3, 100);  // its own retirement does not count
  nops(10);
  EXPECT_EQ(csr(csrn::mhpmcounter3), 110u);  // the reading instruction is not counted yet
  EXPECT_EQ(csr(csrn::mhpmcounter3), 111u);
  EXPECT_EQ(csr(csrn::mhpmevent3), kInstructions);
}

TEST_F(PmuTest, EventsFromTheInstructionStreamWithoutAModel) {
  set_csr(csrn::mhpmevent3, kLoads);
  set_csr(csrn::mhpmevent3 + 1, kBranches);
  set_csr(csrn::mhpmevent3 + 2, kCycles);
  set_csr(csrn::mhpmcounter3, 0);
  set_csr(csrn::mhpmcounter3 + 1, 0);
  set_csr(csrn::mhpmcounter3 + 2, 0);
  set_x(a1, kData);
  for (int i = 0; i < 3; ++i) run(ld(a2, a1, 0));
  run(beq(zero, a1, 64));  // not taken
  run_jump(jal(zero, 8), pc() + 8);
  EXPECT_EQ(csr(csrn::mhpmcounter3), 3u);
  EXPECT_EQ(csr(csrn::mhpmcounter3 + 1), 2u);
  // Without a model a cycle is an executed instruction: the 5 above and
  // the two reads.
  EXPECT_EQ(csr(csrn::mhpmcounter3 + 2), 7u);
}

TEST_F(PmuTest, InhibitAndUnknownSelectorsStopCounting) {
  set_csr(csrn::mhpmevent3, kInstructions);
  set_csr(csrn::mhpmcounter3, 0);
  set_csr(csrn::mcountinhibit, 1u << 3);
  EXPECT_FALSE(hart_->observed());
  nops(5);
  EXPECT_EQ(csr(csrn::mhpmcounter3), 1u);  // the inhibiting write counted, nothing after
  EXPECT_EQ(csr(csrn::mcountinhibit), 1u << 3);
  set_csr(csrn::mcountinhibit, 0);
  // A selector Orrery does not define counts nothing and reads back.
  set_csr(csrn::mhpmevent3, 0x1234'5600);
  EXPECT_EQ(csr(csrn::mhpmevent3), 0x1234'5600u);
  const u64 before = csr(csrn::mhpmcounter3);
  nops(5);
  EXPECT_EQ(csr(csrn::mhpmcounter3), before);
  // Bits 57:56 are reserved (read zero); the rest of the selector is kept.
  set_csr(csrn::mhpmevent3, (3ull << 56) | 0xff'ffff'ffff'ffffull);
  EXPECT_EQ(csr(csrn::mhpmevent3), 0xff'ffff'ffff'ffffull);
}

TEST_F(PmuTest, ModeFilteringCountsOnlyUnfilteredModes) {
  hart_->mcounteren_ = ~0u;
  set_csr(csrn::mhpmevent3, kInstructions | kMinh);  // counts S and U only
  set_csr(csrn::mhpmevent3 + 1, kInstructions | kSinh | kUinh);  // counts M only
  set_csr(csrn::mhpmcounter3, 0);
  set_csr(csrn::mhpmcounter3 + 1, 0);
  nops(4);                  // M: counter 4 only
  enter(kPrivS);            // the MRET executes in M
  nops(3);                  // S: counter 3 only
  EXPECT_EQ(csr(csrn::hpmcounter3), 3u);
  EXPECT_EQ(csr(csrn::hpmcounter3 + 1), 5u);  // 4 nops and the MRET; nothing in S
}

TEST_F(PmuTest, OverflowSetsOfAndRaisesLcofiOnce) {
  set_csr(csrn::mhpmevent3, kInstructions);
  set_csr(csrn::mie, kLcofBit);
  set_csr(csrn::mhpmcounter3, ~u64{0} - 1);
  nops(1);                                          // all-ones: not wrapped yet
  EXPECT_EQ(csr(csrn::mhpmevent3) & kOf, 0u);       // this read wraps it
  EXPECT_EQ(csr(csrn::mhpmevent3) & kOf, kOf);
  EXPECT_EQ(csr(csrn::mhpmcounter3), 1u);
  EXPECT_EQ(csr(csrn::mip) & kLcofBit, kLcofBit);
  EXPECT_EQ(csr(kScountovf), 1u << 3);
  // Taken in M once MIE is set: cause 13, an interrupt.
  put(kTrapVector, addi(zero, zero, 0));
  hart_->mstatus_ |= ms::MIE;
  EXPECT_TRUE(step(addi(zero, zero, 0)));  // runs the handler's first instruction
  EXPECT_EQ(hart_->mcause_, (1ull << 63) | 13);
  EXPECT_EQ(pc(), kTrapVector + 4);
  // Software clears LCOFIP; with OF still set a second wrap stays silent.
  set_csr(csrn::mip, 0);
  set_csr(csrn::mhpmcounter3, ~u64{0});
  nops(3);
  EXPECT_EQ(csr(csrn::mip) & kLcofBit, 0u);
  // Clearing OF arms it again.
  set_csr(csrn::mhpmevent3, kInstructions);
  set_csr(csrn::mhpmcounter3, ~u64{0});
  nops(1);
  EXPECT_EQ(csr(csrn::mip) & kLcofBit, kLcofBit);
}

TEST_F(PmuTest, ScountovfFollowsMcounterenBelowM) {
  set_csr(csrn::mhpmevent3, kInstructions | kOf);
  set_csr(csrn::mhpmevent3 + 2, kOf);
  EXPECT_EQ(csr(kScountovf), (1u << 3) | (1u << 5));
  hart_->mcounteren_ = 1u << 5;
  enter(kPrivS);
  EXPECT_EQ(csr(kScountovf), 1u << 5);
}

TEST_F(PmuTest, LcofiDelegatesToSAndSipBitIsWritable) {
  set_csr(csrn::mideleg, kLcofBit);
  EXPECT_EQ(csr(csrn::mideleg) & kLcofBit, kLcofBit);
  set_csr(csrn::mie, 0);
  set_csr(csrn::sie, kLcofBit);
  EXPECT_EQ(csr(csrn::mie) & kLcofBit, kLcofBit);
  set_csr(csrn::sip, kLcofBit);
  EXPECT_EQ(csr(csrn::mip) & kLcofBit, kLcofBit);
  set_csr(csrn::sip, 0);
  EXPECT_EQ(csr(csrn::mip) & kLcofBit, 0u);
  // An overflow then traps to S with scause 13.
  hart_->stvec_ = kTrapVector + 0x100;
  put(hart_->stvec_, addi(zero, zero, 0));
  set_csr(csrn::mhpmevent3, kInstructions);
  hart_->mcounteren_ = ~0u;
  set_csr(csrn::mhpmcounter3, ~u64{0} - 1);  // the MRET makes it all-ones
  enter(kPrivU);  // S-level interrupts are always enabled in U
  const Addr user_pc = pc();
  run(addi(zero, zero, 0));  // wraps the counter
  EXPECT_TRUE(step(addi(zero, zero, 0)));  // the interrupt, then the handler's first instruction
  EXPECT_EQ(hart_->priv(), kPrivS);
  EXPECT_EQ(hart_->scause_, (1ull << 63) | 13);
  EXPECT_EQ(hart_->sepc_, user_pc + 4);
}

// mcountinhibit takes effect after its writing instruction, for the hpm
// counters as for minstret: the inhibiting write is counted, the resuming
// one is not.
TEST_F(PmuTest, InhibitWritesCountLikeMinstret) {
  set_csr(csrn::mhpmevent3, kInstructions);
  set_csr(csrn::mhpmcounter3, 0);
  set_csr(csrn::minstret, 0);
  nops(3);
  set_csr(csrn::mcountinhibit, (1u << 3) | (1u << 2));  // counted by both
  nops(4);
  set_csr(csrn::mcountinhibit, 0);  // counted by neither
  EXPECT_EQ(csr(csrn::mhpmcounter3), 5u);  // the minstret write, 3 nops, the inhibiting write
  EXPECT_EQ(csr(csrn::minstret), 5u);      // 3 nops, the inhibiting write, the mhpmcounter3 read
}

// A counter written while nothing counts keeps its value exactly, and the
// first instruction after it is selected is counted.
TEST_F(PmuTest, WritesWhileUnobservedLoseNothing) {
  EXPECT_FALSE(hart_->observed());
  set_csr(csrn::mhpmcounter3, 10);
  nops(2);
  set_csr(csrn::mhpmevent3, kInstructions);  // not counted: the selecting write
  run(addi(zero, zero, 0));
  EXPECT_EQ(csr(csrn::mhpmcounter3), 11u);
}

TEST_F(PmuTest, HpmcountersBelowMFollowTheEnables) {
  set_csr(csrn::mhpmevent3, kInstructions);
  hart_->mcounteren_ = 0;
  enter(kPrivS);
  expect_illegal(csrr(a0, csrn::hpmcounter3));
}

TEST_F(PmuTest, TimingModelDrivesMcycleAndCacheEvents) {
  timing::Config cfg = timing::load_config("small");
  timing::Memory memory(cfg);
  hart_->attach_timing(memory, cfg);
  EXPECT_TRUE(hart_->observed());
  set_csr(csrn::mhpmevent3, 0x09);  // l1d-misses
  set_csr(csrn::mhpmcounter3, 0);
  const u64 c0 = csr(csrn::mcycle);
  set_x(a1, kData);
  for (int i = 0; i < 4; ++i) {
    run(ld(a2, a1, 0));
    run(addi(a3, a2, 1));  // uses the load: the first waits for memory
    set_x(a1, x(a1) + 4096);
  }
  const u64 c1 = csr(csrn::mcycle);
  EXPECT_EQ(csr(csrn::mhpmcounter3), 4u);
  // Four misses to memory (2 + 12 + 80 cycles each) dominate.
  EXPECT_GT(c1 - c0, 4u * 90u);
  EXPECT_EQ(hart_->timing_core()->count(timing::Event::L1DMisses), 4u);
}

}  // namespace
}  // namespace orrery::riscv::test
