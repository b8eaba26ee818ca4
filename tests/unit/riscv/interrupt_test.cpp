// Interrupts, from the privileged spec 1.12 ("Machine Interrupt Registers
// (mip and mie)", "Machine Trap Delegation Registers", "Supervisor Interrupt
// Registers (sip and sie)", "Wait for Interrupt"):
//   * an interrupt i traps to M if mip[i] & mie[i], it is not delegated, and
//     the hart is below M or in M with MIE = 1; a delegated one traps to S
//     if the hart is in U, or in S with SIE = 1 - never while in M;
//   * simultaneous interrupts: higher destination privilege first, then
//     MEI > MSI > MTI > SEI > SSI > STI;
//   * MEIP/MTIP/MSIP are read-only in mip; SSIP, STIP and SEIP are writable
//     by M-mode; a CSRRS/CSRRC of mip uses only the software-written SEIP,
//     while a read returns it ORed with the external signal;
//   * sip/sie show only delegated interrupts; only SSIP is writable in sip;
//   * interrupt traps: xcause has bit 63 set, xepc = the next unexecuted
//     instruction, xtval = 0, vectored mode jumps to BASE + 4 * cause;
//   * WFI waits until an interrupt is pending and enabled in mie, whatever
//     MIE/SIE and mideleg say.
// A test "polls" by letting the hart run one instruction: when an interrupt
// is taken, the handler's first instruction (a marker: addi a0, zero, N at
// every vector slot) runs instead.
#include <gtest/gtest.h>

#include "priv_fixture.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

constexpr int kNoInterrupt = -1;
constexpr int kMMarker = 100, kSMarker = 200;  // + the vector slot

class InterruptTest : public PrivTest {
 protected:
  void place_markers() {
    for (u32 i = 0; i < 16; ++i) {
      put(kTrapVector + 4 * i, addi(a0, zero, i32(kMMarker + i)));
      put(kSTrapVector + 4 * i, addi(a0, zero, i32(kSMarker + i)));
    }
  }
  // Run one instruction at pc. Returns kNoInterrupt if it was that
  // instruction that ran, else the marker of the vector slot that ran.
  int poll() {
    const Addr p = pc();
    EXPECT_FALSE((p >= kTrapVector && p < kTrapVector + 64) || (p >= kSTrapVector && p < kSTrapVector + 64))
        << "poll() from inside the vector table";
    put(p, addi(a0, zero, 1));
    place_markers();
    set_x(a0, 0);
    hart_->interpret(1);
    if (x(a0) == 1) {
      EXPECT_EQ(pc(), p + 4);
      return kNoInterrupt;
    }
    return static_cast<int>(x(a0));
  }
  // After an interrupt: leave the vector table for a fresh stretch of code.
  void leave(Addr where) { jump_to(where); }

  // Expect an interrupt to M, from `from`, at the instruction at pc.
  void expect_m_interrupt(unsigned irq, Priv from, int marker = kMMarker) {
    const Addr p = pc();
    EXPECT_EQ(poll(), marker) << "irq " << irq;
    EXPECT_EQ(priv(), kPrivM) << "irq " << irq;
    EXPECT_EQ(hart_->mcause_, kInterrupt | irq);
    EXPECT_EQ(hart_->mepc_, p) << "mepc is the interrupted instruction";
    EXPECT_EQ(hart_->mtval_, 0u);
    EXPECT_EQ((hart_->mstatus_ & st::MPP) >> 11, u64{from});
    EXPECT_EQ(hart_->mstatus_ & st::MIE, 0u);
  }
  void expect_s_interrupt(unsigned irq, Priv from, int marker = kSMarker) {
    const Addr p = pc();
    EXPECT_EQ(poll(), marker) << "irq " << irq;
    EXPECT_EQ(priv(), kPrivS) << "irq " << irq;
    EXPECT_EQ(hart_->scause_, kInterrupt | irq);
    EXPECT_EQ(hart_->sepc_, p);
    EXPECT_EQ(hart_->stval_, 0u);
    EXPECT_EQ((hart_->mstatus_ & st::SPP) != 0, from == kPrivS);
    EXPECT_EQ(hart_->mstatus_ & st::SIE, 0u);
  }
};

// ---------------------------------------------------------------------------
// Priority
// ---------------------------------------------------------------------------
TEST_F(InterruptTest, MachineInterruptPriorityOrder) {
  set_csr(csrn::mie, 0xAAA);
  set_csr(csrn::mip, bit(SSI) | bit(STI) | bit(SEI));
  for (unsigned line : {MSI, MTI, MEI}) hart_->set_interrupt_line(line, true);
  EXPECT_EQ(csr(csrn::mip), 0xAAAu);
  jump_to(kRamBase + 0x1000);
  EXPECT_EQ(poll(), kNoInterrupt) << "MIE = 0 in M";
  Addr where = kRamBase + 0x1100;
  for (unsigned irq : {MEI, MSI, MTI, SEI, SSI, STI}) {
    SCOPED_TRACE("irq " + std::to_string(irq));
    set_mstatus(st::MIE);
    expect_m_interrupt(irq, kPrivM);
    // Clear the source in the handler.
    if (irq == MEI || irq == MSI || irq == MTI) {
      hart_->set_interrupt_line(irq, false);
    } else {
      set_x(t5, bit(irq));
      run(csrrc(zero, csrn::mip, t5));
    }
    leave(where += 0x100);
  }
  set_mstatus(st::MIE);
  EXPECT_EQ(poll(), kNoInterrupt);
}

TEST_F(InterruptTest, HigherDestinationPrivilegeGoesFirst) {
  // In S with SIE = 1: SEI is delegated (to S), STI is not (to M). STI goes
  // first although SEI ranks above it within one privilege.
  set_csr(csrn::mideleg, bit(SEI));
  set_csr(csrn::mie, bit(SEI) | bit(STI));
  set_csr(csrn::mip, bit(SEI) | bit(STI));
  set_mstatus(st::SIE);
  enter(kPrivS, kSCode);
  expect_m_interrupt(STI, kPrivS);
  // M handles it, clears it and returns to S (MPP = S); SEI follows.
  set_x(t5, bit(STI));
  run(csrrc(zero, csrn::mip, t5));
  leave(kRamBase + 0x1000);
  set_csr(csrn::mepc, kSCode + 0x100);
  run_jump(mret(), kSCode + 0x100);
  ASSERT_EQ(priv(), kPrivS);
  expect_s_interrupt(SEI, kPrivS);
}

TEST_F(InterruptTest, SupervisorInterruptPriorityOrder) {
  set_csr(csrn::mideleg, bit(SSI) | bit(STI) | bit(SEI));
  set_csr(csrn::mie, bit(SSI) | bit(STI) | bit(SEI));
  set_csr(csrn::mip, bit(SSI) | bit(STI) | bit(SEI));
  enter(kPrivU, kUCode);
  Addr where = kUCode + 0x100;
  for (unsigned irq : {SEI, SSI, STI}) {
    SCOPED_TRACE("irq " + std::to_string(irq));
    expect_s_interrupt(irq, kPrivU);
    // The S handler masks it in sie (STIP and SEIP cannot be cleared from S).
    set_x(t5, bit(irq));
    run(csrrc(zero, csrn::sie, t5));
    leave(kSTrapVector + 0x200);
    set_csr(csrn::sepc, where += 0x100);
    run_jump(sret(), where);
    ASSERT_EQ(priv(), kPrivU);
  }
  EXPECT_EQ(poll(), kNoInterrupt);
}

// ---------------------------------------------------------------------------
// Enable rules
// ---------------------------------------------------------------------------
TEST_F(InterruptTest, MachineInterruptInMNeedsMie) {
  set_csr(csrn::mie, bit(MTI));
  hart_->set_interrupt_line(MTI, true);
  jump_to(kRamBase + 0x1000);
  EXPECT_EQ(poll(), kNoInterrupt);
  set_mstatus(st::MIE);
  expect_m_interrupt(MTI, kPrivM);
  EXPECT_EQ(hart_->mstatus_ & st::MPIE, st::MPIE);
}

TEST_F(InterruptTest, MachineInterruptsAreAlwaysTakenBelowM) {
  set_csr(csrn::mie, bit(MTI));
  hart_->set_interrupt_line(MTI, true);
  for (Priv p : {kPrivS, kPrivU}) {
    SCOPED_TRACE(p == kPrivS ? "S" : "U");
    set_mstatus(0, st::MIE | st::MPIE);  // MIE stays 0 after MRET
    enter(p, p == kPrivS ? kSCode : kUCode);
    EXPECT_EQ(hart_->mstatus_ & st::MIE, 0u);
    expect_m_interrupt(MTI, p);
    leave(kRamBase + 0x1000);
  }
  // ...but not when its mie bit is clear.
  set_csr(csrn::mie, 0);
  enter(kPrivS, kSCode + 0x200);
  EXPECT_EQ(poll(), kNoInterrupt);
}

TEST_F(InterruptTest, DelegatedInterruptsAreNeverTakenInM) {
  set_csr(csrn::mideleg, bit(SSI) | bit(STI) | bit(SEI));
  set_csr(csrn::mie, bit(SSI) | bit(STI) | bit(SEI));
  set_csr(csrn::mip, bit(SSI) | bit(STI) | bit(SEI));
  set_mstatus(st::MIE | st::SIE);
  jump_to(kRamBase + 0x1000);
  EXPECT_EQ(poll(), kNoInterrupt);
  EXPECT_EQ(poll(), kNoInterrupt);
  // In S with SIE = 1 they are taken, SEI first.
  set_mstatus(st::MPIE);
  enter(kPrivS, kSCode);
  expect_s_interrupt(SEI, kPrivS);
  EXPECT_EQ(hart_->mstatus_ & st::SPIE, st::SPIE);
}

TEST_F(InterruptTest, DelegatedInterruptInSNeedsSie) {
  set_csr(csrn::mideleg, bit(SSI));
  set_csr(csrn::mie, bit(SSI));
  set_csr(csrn::mip, bit(SSI));
  enter(kPrivS, kSCode);
  EXPECT_EQ(poll(), kNoInterrupt) << "S with SIE = 0";
  set_x(t6, st::SIE);
  run(csrrs(zero, csrn::sstatus, t6));
  expect_s_interrupt(SSI, kPrivS);
  EXPECT_EQ(hart_->mstatus_ & st::SPIE, st::SPIE);
}

TEST_F(InterruptTest, DelegatedInterruptFromUIgnoresSie) {
  set_csr(csrn::mideleg, bit(STI));
  set_csr(csrn::mie, bit(STI));
  set_csr(csrn::mip, bit(STI));
  set_mstatus(0, st::SIE);
  enter(kPrivU, kUCode);
  expect_s_interrupt(STI, kPrivU);
  EXPECT_EQ(hart_->mstatus_ & st::SPIE, 0u);
}

TEST_F(InterruptTest, SupervisorInterruptNotDelegatedGoesToM) {
  // SEI without delegation is an M-level trap, taken in S whatever MIE.
  set_csr(csrn::mie, bit(SEI));
  hart_->set_interrupt_line(SEI, true);
  enter(kPrivS, kSCode);
  expect_m_interrupt(SEI, kPrivS);
}

// ---------------------------------------------------------------------------
// mip, sip, sie
// ---------------------------------------------------------------------------
TEST_F(InterruptTest, InterruptLinesDriveTheMachinePendingBits) {
  for (unsigned line : {MSI, MTI, SEI, MEI}) {
    SCOPED_TRACE("line " + std::to_string(line));
    hart_->set_interrupt_line(line, true);
    EXPECT_EQ(csr(csrn::mip), bit(line));
    if (line != SEI) {
      set_csr(csrn::mip, 0);  // read-only in mip: software cannot clear them
      EXPECT_EQ(csr(csrn::mip), bit(line));
    }
    hart_->set_interrupt_line(line, false);
    EXPECT_EQ(csr(csrn::mip), 0u);
  }
  // Each line raises its own interrupt.
  set_csr(csrn::mie, 0xAAA);
  Addr where = kRamBase + 0x1000;
  for (unsigned line : {MSI, MTI, SEI, MEI}) {
    SCOPED_TRACE("line " + std::to_string(line));
    leave(where += 0x100);
    hart_->set_interrupt_line(line, true);
    set_mstatus(st::MIE);
    expect_m_interrupt(line, kPrivM);
    hart_->set_interrupt_line(line, false);
  }
}

TEST_F(InterruptTest, SeipReadsTheOrButReadModifyWriteUsesOnlyTheSoftwareBit) {
  // Software SEIP alone.
  set_csr(csrn::mip, bit(SEI));
  EXPECT_EQ(csr(csrn::mip), bit(SEI));
  set_csr(csrn::mip, 0);
  // External signal alone: a plain read shows it.
  hart_->set_interrupt_line(SEI, true);
  EXPECT_EQ(csr(csrn::mip), bit(SEI));
  // CSRRS of mip (setting SSIP) while the signal is high must not latch
  // the signal into the software-writable SEIP bit.
  set_x(a1, bit(SSI));
  run(csrrs(a0, csrn::mip, a1));
  EXPECT_EQ(x(a0), bit(SEI)) << "the read part returns the OR";
  hart_->set_interrupt_line(SEI, false);
  EXPECT_EQ(csr(csrn::mip), bit(SSI)) << "SEIP stays clear once the signal drops";
  // Likewise CSRRC.
  hart_->set_interrupt_line(SEI, true);
  run(csrrc(a0, csrn::mip, a1));
  hart_->set_interrupt_line(SEI, false);
  EXPECT_EQ(csr(csrn::mip), 0u);
  // And the software bit keeps SEIP pending after the signal drops.
  set_csr(csrn::mip, bit(SEI));
  hart_->set_interrupt_line(SEI, true);
  hart_->set_interrupt_line(SEI, false);
  EXPECT_EQ(csr(csrn::mip), bit(SEI));
}

TEST_F(InterruptTest, SipAndSieShowOnlyDelegatedInterrupts) {
  set_csr(csrn::mie, 0xAAA);
  set_csr(csrn::mip, bit(SSI) | bit(STI) | bit(SEI));
  hart_->set_interrupt_line(MTI, true);
  EXPECT_EQ(csr(csrn::sip), 0u) << "nothing delegated";
  EXPECT_EQ(csr(csrn::sie), 0u);
  set_csr(csrn::sip, 0);  // not delegated: SSIP is read-only zero in sip
  EXPECT_EQ(csr(csrn::mip), bit(SSI) | bit(STI) | bit(SEI) | bit(MTI));
  set_csr(csrn::sie, 0);
  EXPECT_EQ(csr(csrn::mie), 0xAAAu);

  set_csr(csrn::mideleg, bit(SSI) | bit(STI) | bit(SEI));
  EXPECT_EQ(csr(csrn::sip), bit(SSI) | bit(STI) | bit(SEI));
  EXPECT_EQ(csr(csrn::sie), bit(SSI) | bit(STI) | bit(SEI));
  // Only SSIP is writable through sip.
  set_csr(csrn::sip, 0);
  EXPECT_EQ(csr(csrn::mip), bit(STI) | bit(SEI) | bit(MTI));
  set_csr(csrn::mip, 0);
  set_csr(csrn::sip, ~0ull);
  EXPECT_EQ(csr(csrn::mip), bit(SSI) | bit(MTI));
  // sie writes reach only the delegated enables.
  set_csr(csrn::sie, 0);
  EXPECT_EQ(csr(csrn::mie), bit(MSI) | bit(MTI) | bit(MEI));
  set_csr(csrn::sie, ~0ull);
  EXPECT_EQ(csr(csrn::mie), 0xAAAu);
  // From S, with only SSI delegated (and only SSI enabled, so that the
  // pending M-level interrupts are not taken in S).
  set_csr(csrn::mideleg, bit(SSI));
  set_csr(csrn::mie, bit(SSI));
  set_csr(csrn::mip, bit(STI) | bit(SEI));
  enter(kPrivS, kSCode);
  EXPECT_EQ(csr(csrn::sip), 0u);
  EXPECT_EQ(csr(csrn::sie), bit(SSI));
  set_csr(csrn::sip, bit(SSI));
  EXPECT_EQ(csr(csrn::sip), bit(SSI));
  set_csr(csrn::sie, 0);
  EXPECT_EQ(csr(csrn::sie), 0u);
  back_to_m();
  EXPECT_EQ(csr(csrn::mie), 0u);
  EXPECT_EQ(csr(csrn::mip), bit(SSI) | bit(STI) | bit(SEI) | bit(MTI));
}

// ---------------------------------------------------------------------------
// Trap vectors
// ---------------------------------------------------------------------------
TEST_F(InterruptTest, VectoredMtvecJumpsToBasePlusFourTimesCause) {
  set_csr(csrn::mtvec, kTrapVector | 1);
  set_csr(csrn::mie, 0xAAA);
  Addr where = kRamBase + 0x1000;
  for (unsigned irq : {SSI, MSI, STI, MTI, SEI, MEI}) {
    SCOPED_TRACE("irq " + std::to_string(irq));
    leave(where += 0x100);
    if (irq == MSI || irq == MTI || irq == MEI) {
      hart_->set_interrupt_line(irq, true);
    } else {
      set_csr(csrn::mip, bit(irq));
    }
    set_mstatus(st::MIE);
    expect_m_interrupt(irq, kPrivM, kMMarker + int(irq));
    EXPECT_EQ(pc(), kTrapVector + 4 * irq + 4);
    hart_->set_interrupt_line(irq, false);
    set_csr(csrn::mip, 0);
  }
  // Exceptions still go to BASE.
  leave(kRamBase + 0x2000);
  EXPECT_FALSE(step(ecall()));
  EXPECT_EQ(pc(), kTrapVector);
}

TEST_F(InterruptTest, VectoredStvecJumpsToBasePlusFourTimesCause) {
  set_csr(csrn::stvec, kSTrapVector | 1);
  set_csr(csrn::mideleg, bit(SSI) | bit(STI) | bit(SEI));
  set_csr(csrn::mie, bit(SSI) | bit(STI) | bit(SEI));
  for (unsigned irq : {SSI, STI, SEI}) {
    SCOPED_TRACE("irq " + std::to_string(irq));
    set_csr(csrn::mip, bit(irq));
    enter(kPrivU, kUCode + 0x40 * irq);
    expect_s_interrupt(irq, kPrivU, kSMarker + int(irq));
    EXPECT_EQ(pc(), kSTrapVector + 4 * irq + 4);
    leave(kSTrapVector + 0x200 + 0x40 * irq);
    back_to_m();
    set_csr(csrn::mip, 0);
  }
}

TEST_F(InterruptTest, MretReturnsToTheInterruptedInstruction) {
  set_csr(csrn::mie, bit(MSI));
  hart_->set_interrupt_line(MSI, true);
  enter(kPrivU, kUCode + 0x80);
  expect_m_interrupt(MSI, kPrivU);
  hart_->set_interrupt_line(MSI, false);
  leave(kRamBase + 0x1000);
  run_jump(mret(), kUCode + 0x80);
  EXPECT_EQ(priv(), kPrivU);
  EXPECT_EQ(poll(), kNoInterrupt);
}

// ---------------------------------------------------------------------------
// WFI
// ---------------------------------------------------------------------------
TEST_F(InterruptTest, WfiIdlesUntilAnEnabledInterruptIsPending) {
  set_csr(csrn::mie, bit(MTI));
  jump_to(kRamBase + 0x1000);
  EXPECT_TRUE(step_wfi());
  EXPECT_TRUE(hart_->idle());
  EXPECT_EQ(pc(), kRamBase + 0x1004);
  // A pending interrupt that mie does not enable does not wake the hart.
  hart_->set_interrupt_line(MEI, true);
  EXPECT_TRUE(hart_->idle());
  // An enabled one does, even with MIE = 0; execution resumes after WFI.
  hart_->set_interrupt_line(MTI, true);
  EXPECT_FALSE(hart_->idle());
  EXPECT_EQ(poll(), kNoInterrupt);
  EXPECT_EQ(priv(), kPrivM);
}

TEST_F(InterruptTest, WfiWakesIntoTheInterruptWhenEnabled) {
  set_csr(csrn::mie, bit(MEI));
  set_mstatus(st::MIE);
  jump_to(kRamBase + 0x1000);
  EXPECT_TRUE(step_wfi());
  EXPECT_TRUE(hart_->idle());
  hart_->set_interrupt_line(MEI, true);
  EXPECT_FALSE(hart_->idle());
  expect_m_interrupt(MEI, kPrivM);
  EXPECT_EQ(hart_->mepc_, kRamBase + 0x1004) << "mepc is the instruction after WFI";
}

TEST_F(InterruptTest, WfiWithAnInterruptAlreadyPendingDoesNotIdle) {
  set_csr(csrn::mie, bit(SSI));
  set_csr(csrn::mip, bit(SSI));
  jump_to(kRamBase + 0x1000);
  EXPECT_TRUE(step_wfi());
  EXPECT_FALSE(hart_->idle());
  EXPECT_EQ(poll(), kNoInterrupt);  // MIE = 0: execution simply goes on
}

TEST_F(InterruptTest, WfiWakeIgnoresDelegationAndGlobalEnables) {
  // SEI delegated to S: it is never taken in M, but it wakes WFI in M.
  set_csr(csrn::mideleg, bit(SEI));
  set_csr(csrn::mie, bit(SEI));
  set_mstatus(st::MIE);
  jump_to(kRamBase + 0x1000);
  EXPECT_TRUE(step_wfi());
  EXPECT_TRUE(hart_->idle());
  hart_->set_interrupt_line(SEI, true);
  EXPECT_FALSE(hart_->idle());
  EXPECT_EQ(poll(), kNoInterrupt);
  // In S with SIE = 0 the same.
  hart_->set_interrupt_line(SEI, false);
  enter(kPrivS, kSCode);
  EXPECT_TRUE(step_wfi());
  EXPECT_TRUE(hart_->idle());
  hart_->set_interrupt_line(SEI, true);
  EXPECT_FALSE(hart_->idle());
  EXPECT_EQ(poll(), kNoInterrupt);
  EXPECT_EQ(priv(), kPrivS);
}

TEST_F(InterruptTest, WfiInSIsWokenByAMachineInterruptAndTrapsToM) {
  set_csr(csrn::mie, bit(MSI));
  enter(kPrivS, kSCode);
  EXPECT_TRUE(step_wfi());
  EXPECT_TRUE(hart_->idle());
  hart_->set_interrupt_line(MSI, true);
  EXPECT_FALSE(hart_->idle());
  expect_m_interrupt(MSI, kPrivS);
}

}  // namespace
}  // namespace orrery::riscv::test
