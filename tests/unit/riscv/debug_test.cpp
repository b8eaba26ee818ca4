// The hart as a debugger sees it (core/debug.hpp, isa/riscv/src/debug.cpp).
#include <gtest/gtest.h>

#include "hart_fixture.hpp"
#include "orrery/core/engine.hpp"
#include "orrery/riscv/csr.hpp"

namespace orrery::riscv::test {
namespace {

class DebugTest : public HartTest {
 protected:
  DebugTarget& dbg() { return *hart_->debug_target(); }
  std::uint64_t reg(unsigned n) {
    std::uint64_t v = 0;
    EXPECT_TRUE(dbg().read_register(n, v)) << n;
    return v;
  }
};

TEST_F(DebugTest, GeneralRegistersPcAndFloatingPointByGdbNumber) {
  hart_->set_x(5, 0x1234);
  hart_->set_f64(3, 0x4000000000000000);
  EXPECT_EQ(reg(5), 0x1234u);
  EXPECT_EQ(reg(RiscvHart::kGdbPc), kRamBase);
  EXPECT_EQ(reg(RiscvHart::kGdbF0 + 3), 0x4000000000000000u);
  EXPECT_EQ(dbg().g_packet_registers(), 33u);

  ASSERT_TRUE(dbg().write_register(0, 99));
  EXPECT_EQ(reg(0), 0u) << "x0 stays zero";
  ASSERT_TRUE(dbg().write_register(7, 77));
  EXPECT_EQ(hart_->x(7), 77u);
  ASSERT_TRUE(dbg().write_register(RiscvHart::kGdbPc, kRamBase + 0x100));
  EXPECT_EQ(hart_->pc(), kRamBase + 0x100);
  // The next instruction executes at the new pc: addi a0, zero, 5.
  put(kRamBase + 0x100, 0x00500513);
  hart_->clear_yield();
  hart_->interpret(1);
  EXPECT_EQ(hart_->x(10), 5u);
}

TEST_F(DebugTest, CsrsAndThePrivilegeRegister) {
  const unsigned mscratch = RiscvHart::kGdbCsr0 + csr::mscratch;
  ASSERT_TRUE(dbg().write_register(mscratch, 0xabcd));
  EXPECT_EQ(reg(mscratch), 0xabcdu);
  // fflags reads while mstatus.FS = Off: a debugger is not an instruction.
  hart_->mstatus_ &= ~mstatus::FS;
  EXPECT_EQ(dbg().register_bytes(RiscvHart::kGdbCsr0 + csr::fflags), 8u);
  EXPECT_EQ(reg(RiscvHart::kGdbCsr0 + csr::fflags), 0u);
  // No hypervisor CSRs on a hart without H, and no unknown numbers.
  EXPECT_EQ(dbg().register_bytes(RiscvHart::kGdbCsr0 + 0x600), 0u);
  std::uint64_t v;
  EXPECT_FALSE(dbg().read_register(RiscvHart::kGdbCsr0 + 0x7ff, v));
  EXPECT_FALSE(dbg().read_register(5000, v));
  // priv: M = 3; writing 1 drops to S (the reserved 2 is refused).
  EXPECT_EQ(reg(RiscvHart::kGdbPriv), 3u);
  EXPECT_FALSE(dbg().write_register(RiscvHart::kGdbPriv, 2));
  EXPECT_FALSE(dbg().write_register(RiscvHart::kGdbPriv, 4 | 1)) << "V needs H";
  ASSERT_TRUE(dbg().write_register(RiscvHart::kGdbPriv, 1));
  EXPECT_EQ(hart_->priv(), kPrivS);
}

TEST_F(DebugTest, TranslationWalksWithoutSideEffects) {
  EXPECT_EQ(dbg().debug_translate(0x8000'0010), Addr{0x8000'0010}) << "M-mode: physical";
  // Sv39: the root at RAM + 0x10000 maps the 1 GiB page at VA 0x4000_0000
  // onto RAM (V R W X, A and D clear).
  const Addr root = kRamBase + 0x10000;
  const std::uint64_t pte = (kRamBase >> 12) << 10 | 0xf;
  put_data(root + 8 * 1, &pte, 8);
  ASSERT_TRUE(dbg().write_register(RiscvHart::kGdbCsr0 + 0x180, std::uint64_t{8} << 60 | (root >> 12)));
  ASSERT_TRUE(dbg().write_register(RiscvHart::kGdbPriv, 1));
  EXPECT_EQ(dbg().debug_translate(0x4000'1234), Addr{kRamBase + 0x1234});
  EXPECT_EQ(read_data<std::uint64_t>(root + 8), pte) << "no accessed/dirty update";
  EXPECT_EQ(dbg().debug_translate(0x8000'0000), std::nullopt) << "unmapped";
  EXPECT_EQ(dbg().debug_translate(0x0000'0080'4000'0000), std::nullopt) << "not canonical for Sv39";
}

TEST_F(DebugTest, TargetDescription) {
  const auto xml = dbg().target_xml("target.xml");
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->find("<architecture>riscv:rv64</architecture>"), std::string::npos);
  EXPECT_NE(xml->find("<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\" regnum=\"2\"/>"), std::string::npos);
  EXPECT_NE(xml->find("<reg name=\"mstatus\" bitsize=\"64\" type=\"int\" regnum=\"833\"/>"), std::string::npos);
  EXPECT_NE(xml->find("<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\"/>"), std::string::npos);
  EXPECT_NE(xml->find("regnum=\"4161\""), std::string::npos);
  EXPECT_EQ(xml->find("hstatus"), std::string::npos) << "no H";
  EXPECT_FALSE(dbg().target_xml("other.xml"));
}

}  // namespace
}  // namespace orrery::riscv::test

namespace orrery::riscv::test {
namespace {

// addi a0, a0, 1 at every word of the first 64 bytes, then j . (0x6f).
class DebugRunTest : public HartTest, public ::testing::WithParamInterface<const char*> {
 protected:
  DebugRunTest() {
    for (unsigned i = 0; i < 16; ++i) put(kRamBase + 4 * i, 0x00150513);
    put(kRamBase + 64, 0x0000006f);
    machine_.set_engine(make_engine(GetParam()));
    machine_.set_debug(&debug_);
    machine_.start_run(0);
  }
  // Run slices until the run stops; the reason.
  StopReason run() {
    RunOutcome out;
    while (machine_.run_slice(out)) {
    }
    return out.reason;
  }
  DebugControl debug_;
};

TEST_P(DebugRunTest, ABreakpointStopsBeforeItsInstructionAndAStepRunsOne) {
  debug_.add_breakpoint(kRamBase + 8);
  ASSERT_EQ(run(), StopReason::DebugStop);
  EXPECT_EQ(hart_->pc(), kRamBase + 8);
  EXPECT_EQ(hart_->x(10), 2u) << "the two instructions before it ran, not it";
  auto stop = debug_.take_stop();
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->kind, DebugControl::StopKind::Breakpoint);
  EXPECT_EQ(stop->hart, 0u);

  // Still on the breakpoint: as gdb does, take it out, step, put it back.
  debug_.remove_breakpoint(kRamBase + 8);
  debug_.set_stepping(0);
  ASSERT_EQ(run(), StopReason::DebugStop);
  EXPECT_EQ(hart_->pc(), kRamBase + 12);
  EXPECT_EQ(hart_->x(10), 3u);
  stop = debug_.take_stop();
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->kind, DebugControl::StopKind::Step);

  debug_.add_breakpoint(kRamBase + 8);
  debug_.add_breakpoint(kRamBase + 40);
  ASSERT_EQ(run(), StopReason::DebugStop);
  EXPECT_EQ(hart_->pc(), kRamBase + 40);
  EXPECT_EQ(hart_->x(10), 10u);
  EXPECT_EQ(machine_.retired(), 10u) << "instruction counts stay exact across stops";
}

TEST_P(DebugRunTest, AStopRecordedBetweenSlicesEndsTheRunAtOnce) {
  debug_.note_stop(0, DebugControl::StopKind::Interrupt);  // the debugger's Ctrl-C
  ASSERT_EQ(run(), StopReason::DebugStop);
  EXPECT_EQ(hart_->pc(), kRamBase);
  debug_.take_stop();
  debug_.add_breakpoint(kRamBase + 64);
  ASSERT_EQ(run(), StopReason::DebugStop);
  EXPECT_EQ(hart_->x(10), 16u);
}

INSTANTIATE_TEST_SUITE_P(Engines, DebugRunTest, ::testing::Values("interp", "threaded"));

}  // namespace
}  // namespace orrery::riscv::test
