// Privilege modes, trap delegation and the privileged instructions, from the
// privileged spec 1.12 ("Machine Trap Delegation Registers", "Machine Status
// Registers", "Supervisor Trap Handling", "Trap-Return Instructions", "Wait
// for Interrupt", "Virtualization Support in mstatus", "Supervisor
// Memory-Management Fence Instruction"):
//   * traps from S or U whose medeleg bit is set go to S: sepc, scause,
//     stval, SPP = previous privilege, SPIE = SIE, SIE = 0, pc = stvec BASE;
//     traps taken in M are never delegated; medeleg[11] is read-only 0;
//   * ECALL's cause is 8, 9 or 11 for U, S, M;
//   * MRET/SRET: privilege = MPP/SPP, xIE = xPIE, xPIE = 1, xPP = U, and
//     MPRV = 0 when the new privilege is not M;
//   * SRET is illegal in U, and in S when TSR = 1; WFI is illegal in U (S is
//     implemented) and below M when TW = 1 (it would never complete here);
//     SFENCE.VMA and satp are illegal in S when TVM = 1;
//   * CSRs need the privilege in number bits [9:8].
#include <gtest/gtest.h>

#include "priv_fixture.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

// ---------------------------------------------------------------------------
// ECALL and the delegation register
// ---------------------------------------------------------------------------
TEST_F(PrivTest, EcallCauseEncodesThePrivilege) {
  expect_m_trap(ecall(), kCauseEcallM, 0, kPrivM);
  enter(kPrivS, kSCode);
  expect_m_trap(ecall(), kCauseEcallS, 0, kPrivS);
  enter(kPrivU, kUCode);
  expect_m_trap(ecall(), kCauseEcallU, 0, kPrivU);
}

TEST_F(PrivTest, MedelegCannotDelegateEcallFromM) {
  set_csr(csrn::medeleg, ~0ull);
  EXPECT_EQ(csr(csrn::medeleg) & bit(11), 0u) << "medeleg[11] is read-only zero";
  set_csr(csrn::medeleg, bit(11));
  EXPECT_EQ(csr(csrn::medeleg), 0u);
  // The exceptions an S-mode kernel handles can be delegated.
  const u64 wanted = bit(0) | bit(2) | bit(3) | bit(8) | bit(12) | bit(13) | bit(15);
  set_csr(csrn::medeleg, wanted);
  EXPECT_EQ(csr(csrn::medeleg), wanted);
  set_csr(csrn::medeleg, 0);
  EXPECT_EQ(csr(csrn::medeleg), 0u);
}

// ---------------------------------------------------------------------------
// Delegated exceptions
// ---------------------------------------------------------------------------
TEST_F(PrivTest, ExceptionFromUDelegatedToS) {
  set_csr(csrn::medeleg, bit(kCauseEcallU) | bit(kCauseIllegal));
  set_csr(csrn::mcause, 0x55);
  set_csr(csrn::mtval, 0x66);
  set_mstatus(st::SIE);
  enter(kPrivU, kUCode);  // mepc = kUCode
  expect_s_trap(ecall(), kCauseEcallU, 0);
  u64 s = hart_->mstatus_;
  EXPECT_EQ(s & st::SPP, 0u) << "from U";
  EXPECT_EQ(s & st::SPIE, st::SPIE) << "SPIE = the SIE before the trap (1)";
  EXPECT_EQ(s & st::SIE, 0u);
  // The M-level trap registers are untouched.
  EXPECT_EQ(hart_->mcause_, 0x55u);
  EXPECT_EQ(hart_->mepc_, kUCode);
  EXPECT_EQ(hart_->mtval_, 0x66u);
  // Back to U with SRET (SIE is 0 now) and take an illegal instruction:
  // stval holds its bits, SPIE becomes 0.
  set_csr(csrn::sepc, kUCode + 0x100);
  set_x(t6, st::SPIE);
  run(csrrc(zero, csrn::sstatus, t6));
  run_jump(sret(), kUCode + 0x100);
  ASSERT_EQ(priv(), kPrivU);
  const u32 bad = csrrs(a0, csrn::sstatus, zero);
  expect_s_trap(bad, kCauseIllegal, bad);
  s = hart_->mstatus_;
  EXPECT_EQ(s & (st::SPP | st::SPIE | st::SIE), 0u);
  EXPECT_EQ(hart_->mcause_, 0x55u);
}

TEST_F(PrivTest, ExceptionFromSDelegatedToS) {
  set_csr(csrn::medeleg, bit(kCauseEcallS) | bit(kCauseIllegal));
  enter(kPrivS, kSCode);
  expect_s_trap(ecall(), kCauseEcallS, 0);
  EXPECT_EQ(hart_->mstatus_ & (st::SPP | st::SPIE | st::SIE), st::SPP) << "SPP = S, SIE was 0";
  // With SIE = 1: SPIE = 1, SIE = 0.
  set_x(t6, st::SIE);
  run(csrrs(zero, csrn::sstatus, t6));
  const u32 bad = csrrs(a0, csrn::mstatus, zero);  // M-level CSR from S
  expect_s_trap(bad, kCauseIllegal, bad);
  EXPECT_EQ(hart_->mstatus_ & (st::SPP | st::SPIE | st::SIE), st::SPP | st::SPIE);
}

TEST_F(PrivTest, UndelegatedExceptionFromSGoesToM) {
  set_csr(csrn::medeleg, ~bit(kCauseIllegal));  // everything else is delegated
  set_csr(csrn::scause, 0x77);
  set_mstatus(st::MPIE);  // MRET will set MIE = 1
  enter(kPrivS, kSCode);
  const u32 bad = csrrs(a0, csrn::mscratch, zero);
  expect_m_trap(bad, kCauseIllegal, bad, kPrivS);
  const u64 s = hart_->mstatus_;
  EXPECT_EQ(s & st::MPIE, st::MPIE) << "MPIE = the MIE before the trap (1)";
  EXPECT_EQ(s & st::MIE, 0u);
  EXPECT_EQ(hart_->scause_, 0x77u) << "S-level trap registers are untouched";
}

TEST_F(PrivTest, ExceptionsTakenInMachineModeAreNeverDelegated) {
  set_csr(csrn::medeleg, ~0ull);
  set_csr(csrn::mideleg, ~0ull);
  set_csr(csrn::scause, 0x77);
  expect_m_trap(ecall(), kCauseEcallM, 0, kPrivM);
  const u32 bad = csrrs(a0, 0x600, zero);  // hstatus: no H
  expect_m_trap(bad, kCauseIllegal, bad, kPrivM);
  set_x(a1, kUnmapped);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadAccess, kUnmapped, kPrivM);
  expect_m_trap(sd(a0, a1, 8), kCauseStoreAccess, kUnmapped + 8, kPrivM);
  EXPECT_EQ(hart_->scause_, 0x77u);
}

TEST_F(PrivTest, SupervisorTrapsUseStvecBaseForExceptionsInBothModes) {
  set_csr(csrn::medeleg, bit(kCauseEcallU) | bit(kCauseIllegal));
  set_csr(csrn::stvec, kSTrapVector + 0x100 + 1);  // vectored
  EXPECT_EQ(csr(csrn::stvec), kSTrapVector + 0x101);
  enter(kPrivU, kUCode);
  expect_s_trap(ecall(), kCauseEcallU, 0);
  EXPECT_EQ(pc(), kSTrapVector + 0x100);
  // stvec MODE >= 2 is reserved: the WARL field reads a legal mode.
  for (u64 mode : {2u, 3u}) {
    set_csr(csrn::stvec, kSTrapVector + mode);
    EXPECT_LE(csr(csrn::stvec) & 3, 1u) << "mode " << mode;
  }
}

// ---------------------------------------------------------------------------
// SRET and MRET
// ---------------------------------------------------------------------------
TEST_F(PrivTest, SretReturnsToSppAndRestoresSie) {
  set_csr(csrn::medeleg, bit(kCauseEcallU));
  enter(kPrivS, kSCode);
  // SPP = U, SPIE = 1, SIE = 0 -> U with SIE = 1.
  set_csr(csrn::sepc, kUCode);
  set_csr(csrn::sstatus, st::SPIE);
  const u64 before = hart_->retired();
  run_jump(sret(), kUCode);
  EXPECT_EQ(hart_->retired(), before + 1) << "SRET retires";
  EXPECT_EQ(priv(), kPrivU);
  EXPECT_EQ(hart_->mstatus_ & (st::SPP | st::SPIE | st::SIE), st::SPIE | st::SIE);
  expect_s_trap(ecall(), kCauseEcallU, 0);
  EXPECT_EQ(hart_->mstatus_ & (st::SPP | st::SPIE | st::SIE), st::SPIE);
  // SPP = S, SPIE = 0 -> S with SIE = 0, SPIE = 1, SPP = U.
  set_csr(csrn::sepc, kSCode + 0x200);
  set_csr(csrn::sstatus, st::SPP | st::SIE);
  run_jump(sret(), kSCode + 0x200);
  EXPECT_EQ(priv(), kPrivS);
  EXPECT_EQ(hart_->mstatus_ & (st::SPP | st::SPIE | st::SIE), st::SPIE);
  EXPECT_EQ(csr(csrn::sepc), kSCode + 0x200) << "SRET leaves sepc alone";
}

TEST_F(PrivTest, SretInMachineModeGoesToSppAndClearsMprv) {
  set_mstatus(st::SPP | st::SPIE | st::MPRV | st::MPP_M);
  set_csr(csrn::sepc, kSCode);
  run_jump(sret(), kSCode);
  EXPECT_EQ(priv(), kPrivS);
  const u64 s = hart_->mstatus_;
  EXPECT_EQ(s & st::MPRV, 0u) << "an xRET to a privilege below M clears MPRV";
  EXPECT_EQ(s & (st::SPP | st::SPIE | st::SIE), st::SPIE | st::SIE);
  EXPECT_EQ(s & st::MPP, st::MPP_M) << "SRET does not touch MPP";
}

TEST_F(PrivTest, MretGoesToMppAndClearsMprvBelowM) {
  for (Priv target : {kPrivS, kPrivU}) {
    SCOPED_TRACE(target == kPrivS ? "to S" : "to U");
    set_mstatus(st::MPRV);
    const Addr where = target == kPrivS ? kSCode : kUCode;
    enter(target, where);
    EXPECT_EQ(hart_->mstatus_ & st::MPRV, 0u);
    EXPECT_EQ(hart_->mstatus_ & st::MPP, st::MPP_U) << "MPP becomes U";
    back_to_m();
  }
  // MRET to M keeps MPRV.
  set_mstatus(st::MPRV);
  enter(kPrivM, kRamBase + 0x300);
  EXPECT_EQ(hart_->mstatus_ & st::MPRV, st::MPRV);
  EXPECT_EQ(hart_->mstatus_ & st::MPP, st::MPP_U);
}

TEST_F(PrivTest, MretIsIllegalBelowM) {
  enter(kPrivS, kSCode);
  expect_m_trap(mret(), kCauseIllegal, mret(), kPrivS);
  enter(kPrivU, kUCode);
  expect_m_trap(mret(), kCauseIllegal, mret(), kPrivU);
}

TEST_F(PrivTest, SretIsIllegalInUAndInSWithTsr) {
  enter(kPrivU, kUCode);
  expect_m_trap(sret(), kCauseIllegal, sret(), kPrivU);
  set_mstatus(st::TSR);
  enter(kPrivS, kSCode);
  expect_m_trap(sret(), kCauseIllegal, sret(), kPrivS);
  // TSR does not affect M-mode.
  set_mstatus(st::SPP | st::TSR);
  set_csr(csrn::sepc, kSCode + 0x100);
  run_jump(sret(), kSCode + 0x100);
  EXPECT_EQ(priv(), kPrivS);
  // Without TSR, S may SRET.
  back_to_m();
  set_mstatus(0, st::TSR);
  enter(kPrivS, kSCode + 0x200);
  set_csr(csrn::sepc, kUCode);
  set_csr(csrn::sstatus, 0);  // SPP = U
  run_jump(sret(), kUCode);
  EXPECT_EQ(priv(), kPrivU);
}

// ---------------------------------------------------------------------------
// WFI, SFENCE.VMA, satp: TW, TVM
// ---------------------------------------------------------------------------
TEST_F(PrivTest, WfiIsIllegalInUMode) {
  // No interrupt can arrive, so WFI in U cannot complete: with S-mode
  // implemented it raises illegal instruction even with TW = 0. (The spec
  // lets the trap wait for an implementation-specific bounded time; this
  // hart's bound is zero, which the test pins.)
  enter(kPrivU, kUCode);
  expect_m_trap(wfi(), kCauseIllegal, wfi(), kPrivU);
  EXPECT_FALSE(hart_->idle());
}

TEST_F(PrivTest, WfiWithTwIsIllegalInSButNotInM) {
  // As above, the bounded time before the trap is zero here.
  set_mstatus(st::TW);
  enter(kPrivS, kSCode);
  expect_m_trap(wfi(), kCauseIllegal, wfi(), kPrivS);
  EXPECT_FALSE(hart_->idle());
  // M-mode ignores TW.
  jump_to(kRamBase + 0x400);
  EXPECT_TRUE(step_wfi());
  EXPECT_EQ(pc(), kRamBase + 0x404);
}

TEST_F(PrivTest, WfiWithoutTwIsLegalInS) {
  enter(kPrivS, kSCode);
  const Addr p = pc();
  EXPECT_TRUE(step_wfi());
  EXPECT_EQ(priv(), kPrivS);
  EXPECT_EQ(pc(), p + 4);
}

TEST_F(PrivTest, SfenceVmaIsIllegalInU) {
  enter(kPrivU, kUCode);
  expect_m_trap(sfence_vma(zero, zero), kCauseIllegal, sfence_vma(zero, zero), kPrivU);
}

TEST_F(PrivTest, SfenceVmaAndSatpAreLegalInSWithoutTvm) {
  enter(kPrivS, kSCode);
  run(sfence_vma(zero, zero));
  set_x(a1, kData);
  run(sfence_vma(a1, zero));
  EXPECT_EQ(csr(csrn::satp), 0u);
  set_csr(csrn::satp, 0);
}

TEST_F(PrivTest, TvmMakesSfenceVmaAndSatpIllegalInS) {
  set_mstatus(st::TVM);
  enter(kPrivS, kSCode);
  expect_m_trap(sfence_vma(zero, zero), kCauseIllegal, sfence_vma(zero, zero), kPrivS);
  enter(kPrivS, kSCode + 0x100);
  expect_m_trap(sfence_vma(a0, a1), kCauseIllegal, sfence_vma(a0, a1), kPrivS);
  enter(kPrivS, kSCode + 0x200);
  expect_m_trap(csrrs(a0, csrn::satp, zero), kCauseIllegal, csrrs(a0, csrn::satp, zero), kPrivS);
  enter(kPrivS, kSCode + 0x300);
  expect_m_trap(csrrw(zero, csrn::satp, a1), kCauseIllegal, csrrw(zero, csrn::satp, a1), kPrivS);
  // M-mode is not affected.
  run(sfence_vma(zero, zero));
  EXPECT_EQ(csr(csrn::satp), 0u);
}

// ---------------------------------------------------------------------------
// CSR privilege
// ---------------------------------------------------------------------------
TEST_F(PrivTest, SupervisorCsrsAreIllegalFromU) {
  const u32 s_csrs[] = {csrn::sstatus, csrn::sie,  csrn::stvec, csrn::scounteren, csrn::senvcfg, csrn::sscratch,
                        csrn::sepc,    csrn::scause, csrn::stval, csrn::sip,       csrn::satp,    csrn::stimecmp};
  for (u32 n : s_csrs) {
    SCOPED_TRACE("CSR " + hex(n));
    enter(kPrivU, kUCode);
    set_x(a0, 0x1234);
    expect_m_trap(csrrs(a0, n, zero), kCauseIllegal, csrrs(a0, n, zero), kPrivU);
    EXPECT_EQ(x(a0), 0x1234u);
  }
}

TEST_F(PrivTest, MachineCsrsAreIllegalFromS) {
  const u32 m_csrs[] = {csrn::mstatus, csrn::misa,     csrn::medeleg, csrn::mideleg,  csrn::mie,   csrn::mtvec,
                        csrn::mcounteren, csrn::menvcfg, csrn::mscratch, csrn::mepc,  csrn::mcause, csrn::mtval,
                        csrn::mip,     csrn::pmpcfg0,  csrn::pmpaddr0, csrn::mcycle, csrn::minstret,
                        csrn::mcountinhibit, csrn::mhartid};
  for (u32 n : m_csrs) {
    SCOPED_TRACE("CSR " + hex(n));
    enter(kPrivS, kSCode);
    expect_m_trap(csrrs(a0, n, zero), kCauseIllegal, csrrs(a0, n, zero), kPrivS);
  }
}

TEST_F(PrivTest, SupervisorCsrsAreUsableFromS) {
  enter(kPrivS, kSCode);
  // sscratch holds any value; stval any valid virtual address (and 0);
  // scause (WLRL) any legal cause.
  for (u64 v : {0ull, ~0ull, 0x0123'4567'89AB'CDEFull}) {
    set_csr(csrn::sscratch, v);
    EXPECT_EQ(csr(csrn::sscratch), v);
  }
  for (u64 v : {u64{0}, u64{0x3F'FFFF'F123}, u64{0xFFFF'FFC0'0000'0010}, u64{kSCode}}) {
    set_csr(csrn::stval, v);
    EXPECT_EQ(csr(csrn::stval), v);
  }
  for (u64 v : {u64{kCauseIllegal}, u64{kCauseStorePage}, kInterrupt | STI, kInterrupt | SEI}) {
    set_csr(csrn::scause, v);
    EXPECT_EQ(csr(csrn::scause), v);
  }
  // sepc: with IALIGN = 16 only bit 0 is zero.
  set_csr(csrn::sepc, kSCode + 0x123);
  EXPECT_EQ(csr(csrn::sepc), kSCode + 0x122);
  set_csr(csrn::stvec, kSTrapVector + 0x40);
  EXPECT_EQ(csr(csrn::stvec), kSTrapVector + 0x40);
}

// ---------------------------------------------------------------------------
// sstatus, menvcfg, senvcfg
// ---------------------------------------------------------------------------
TEST_F(PrivTest, SstatusIsARestrictedViewOfMstatus) {
  // sstatus shows SIE, SPIE, UBE, SPP, VS, FS, XS, SUM, MXR, UXL and SD.
  constexpr u64 view = st::SIE | st::SPIE | st::SPP | st::FS | st::SUM | st::MXR | st::UXL | st::SD;
  set_csr(csrn::mstatus, ~0ull);
  const u64 m = csr(csrn::mstatus);
  EXPECT_EQ(csr(csrn::sstatus), m & (view | (1ull << 6) | (3ull << 9) | (3ull << 15)));
  EXPECT_EQ(csr(csrn::sstatus) & st::UXL, 2ull << 32);
  // Writing sstatus leaves the M-only fields alone...
  set_csr(csrn::sstatus, 0);
  EXPECT_EQ(csr(csrn::mstatus), m & ~(st::SIE | st::SPIE | st::SPP | st::FS | st::SUM | st::MXR | st::SD));
  // ...and cannot set them.
  set_csr(csrn::mstatus, 0);
  set_csr(csrn::sstatus, ~0ull);
  EXPECT_EQ(csr(csrn::mstatus), (2ull << 32) | (2ull << 34) | st::SD | st::SIE | st::SPIE | st::SPP | st::FS |
                                    st::SUM | st::MXR);
  // sstatus is writable from S.
  set_csr(csrn::mstatus, 0);
  enter(kPrivS, kSCode);
  set_csr(csrn::sstatus, st::SUM | st::SPP);
  EXPECT_EQ(csr(csrn::sstatus), (2ull << 32) | st::SUM | st::SPP);
  EXPECT_EQ(hart_->mstatus_ & (st::SUM | st::SPP), st::SUM | st::SPP);
}

TEST_F(PrivTest, EnvironmentConfigurationFields) {
  // menvcfg: FIOM (bit 0) and Sstc's STCE (bit 63); CBIE, CBCFE, CBZE
  // (Zicbo*), PBMTE (Svpbmt) and the rest are read-only zero here.
  set_csr(csrn::menvcfg, ~0ull);
  EXPECT_EQ(csr(csrn::menvcfg), kFiom | kStce);
  set_csr(csrn::menvcfg, 0);
  EXPECT_EQ(csr(csrn::menvcfg), 0u);
  // senvcfg: FIOM only. Below M it is reachable only with
  // mstateen0.ENVCFG (bit 62) set (Smstateen).
  set_csr(csrn::senvcfg, ~0ull);
  EXPECT_EQ(csr(csrn::senvcfg), kFiom);
  set_csr(0x30C, 1ull << 62);
  enter(kPrivS, kSCode);
  set_csr(csrn::senvcfg, 0);
  EXPECT_EQ(csr(csrn::senvcfg), 0u);
}

}  // namespace
}  // namespace orrery::riscv::test
