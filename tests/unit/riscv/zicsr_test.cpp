// Zicsr instructions and every CSR this M-mode-only RV64IMAFDC hart
// implements. Rules from the unprivileged spec ("Zicsr") and the privileged
// spec ("CSR Field Specifications", "Machine-Level CSRs", counters):
//   * CSRRW/CSRRWI with rd = x0 do not read; CSRRS/CSRRC with rs1 = x0 and
//     CSRRSI/CSRRCI with uimm = 0 do not write (so they can read read-only
//     CSRs), while a non-x0 rs1 holding zero still writes;
//   * CSR numbers with bits [11:10] = 11 are read-only: writing traps;
//   * CSRs that do not exist raise illegal instruction;
//   * WARL fields return legal values (mstatus, misa, mtvec, mepc, mie...);
//   * a CSR write to instret "is done instead of the increment", so the
//     value written is the value the next instruction reads.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

class ZicsrTest : public RvTest {};

// ---------------------------------------------------------------------------
// The six instructions
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, CsrrwReturnsOldValueAndWrites) {
  set_csr(csrn::mscratch, 0x1234);
  set_x(a1, 0xFEDC'BA98'7654'3210ull);
  run(csrrw(a0, csrn::mscratch, a1));
  EXPECT_EQ(x(a0), 0x1234u);
  EXPECT_EQ(csr(csrn::mscratch), 0xFEDC'BA98'7654'3210ull);
  // rd == rs1: swap.
  set_x(t0, 77);
  run(csrrw(t0, csrn::mscratch, t0));
  EXPECT_EQ(x(t0), 0xFEDC'BA98'7654'3210ull);
  EXPECT_EQ(csr(csrn::mscratch), 77u);
  // rd = x0 still writes.
  set_x(a2, 99);
  run(csrrw(zero, csrn::mscratch, a2));
  EXPECT_EQ(csr(csrn::mscratch), 99u);
  EXPECT_EQ(x(zero), 0u);
}

TEST_F(ZicsrTest, CsrrsAndCsrrcSetAndClearBits) {
  set_csr(csrn::mscratch, 0xF0F0);
  set_x(a1, 0x0FF0);
  run(csrrs(a0, csrn::mscratch, a1));
  EXPECT_EQ(x(a0), 0xF0F0u);
  EXPECT_EQ(csr(csrn::mscratch), 0xFFF0u);
  set_x(a1, 0x00FF);
  run(csrrc(a0, csrn::mscratch, a1));
  EXPECT_EQ(x(a0), 0xFFF0u);
  EXPECT_EQ(csr(csrn::mscratch), 0xFF00u);
  // rs1 = x0: read only.
  run(csrrs(a0, csrn::mscratch, zero));
  EXPECT_EQ(x(a0), 0xFF00u);
  run(csrrc(a0, csrn::mscratch, zero));
  EXPECT_EQ(x(a0), 0xFF00u);
  EXPECT_EQ(csr(csrn::mscratch), 0xFF00u);
  // rd == rs1: the old value is read before rd is written.
  set_x(a3, 0x000F);
  run(csrrs(a3, csrn::mscratch, a3));
  EXPECT_EQ(x(a3), 0xFF00u);
  EXPECT_EQ(csr(csrn::mscratch), 0xFF0Fu);
  set_x(a3, ~0ull);
  run(csrrc(a3, csrn::mscratch, a3));
  EXPECT_EQ(x(a3), 0xFF0Fu);
  EXPECT_EQ(csr(csrn::mscratch), 0u);
}

TEST_F(ZicsrTest, ImmediateFormsUseAZeroExtendedFiveBitValue) {
  set_csr(csrn::mscratch, ~0ull);
  run(csrrwi(a0, csrn::mscratch, 31));
  EXPECT_EQ(x(a0), ~0ull);
  EXPECT_EQ(csr(csrn::mscratch), 31u);  // not sign-extended
  run(csrrci(a0, csrn::mscratch, 0b10101));
  EXPECT_EQ(x(a0), 31u);
  EXPECT_EQ(csr(csrn::mscratch), 0b01010u);
  run(csrrsi(a0, csrn::mscratch, 0b10001));
  EXPECT_EQ(x(a0), 0b01010u);
  EXPECT_EQ(csr(csrn::mscratch), 0b11011u);
  run(csrrsi(a0, csrn::mscratch, 0));
  run(csrrci(a1, csrn::mscratch, 0));
  EXPECT_EQ(x(a0), 0b11011u);
  EXPECT_EQ(x(a1), 0b11011u);
  run(csrrwi(zero, csrn::mscratch, 0));  // CSRRWI always writes, even zero
  EXPECT_EQ(csr(csrn::mscratch), 0u);
}

TEST_F(ZicsrTest, WhetherAnInstructionWritesIsObservableOnMinstret) {
  // A write to minstret replaces that instruction's increment; no write
  // means the instruction counts. Use that to observe which forms write.
  run(csrrs(a0, csrn::minstret, zero));  // no write
  EXPECT_EQ(csr(csrn::minstret), x(a0) + 1);
  set_x(a1, 0);
  run(csrrs(a0, csrn::minstret, a1));  // rs1 != x0 holding 0: writes the old value back
  EXPECT_EQ(csr(csrn::minstret), x(a0));
  run(csrrc(a0, csrn::minstret, zero));  // no write
  EXPECT_EQ(csr(csrn::minstret), x(a0) + 1);
  run(csrrc(a0, csrn::minstret, a1));  // writes
  EXPECT_EQ(csr(csrn::minstret), x(a0));
  run(csrrsi(a0, csrn::minstret, 0));  // no write
  EXPECT_EQ(csr(csrn::minstret), x(a0) + 1);
  run(csrrci(a0, csrn::minstret, 0));  // no write
  EXPECT_EQ(csr(csrn::minstret), x(a0) + 1);
  run(csrrsi(a0, csrn::minstret, 0));  // no write
  run(csrrwi(a2, csrn::minstret, 0));  // writes 0
  EXPECT_EQ(x(a2), x(a0) + 1);
  EXPECT_EQ(csr(csrn::minstret), 0u);
}

TEST_F(ZicsrTest, TrappingCsrInstructionDoesNotWriteRd) {
  set_x(a0, 0xABCD);
  expect_illegal(csrrs(a0, csrn::satp, zero));
  EXPECT_EQ(x(a0), 0xABCDu);
  set_x(a1, 5);
  expect_illegal(csrrw(a0, csrn::mvendorid, a1));
  EXPECT_EQ(x(a0), 0xABCDu);
}

// ---------------------------------------------------------------------------
// Read-only and nonexistent CSRs
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, ReadOnlyCsrsCanBeReadButNotWritten) {
  const u32 read_only[] = {csrn::cycle,   csrn::instret,  csrn::hpmcounter3, 0xC1F /* hpmcounter31 */,
                           csrn::mvendorid, csrn::marchid, csrn::mimpid,      csrn::mhartid,
                           csrn::mconfigptr};
  for (u32 n : read_only) {
    SCOPED_TRACE("CSR " + hex(n));
    // Reads: forms that do not write.
    run(csrrs(a0, n, zero));
    run(csrrc(a0, n, zero));
    run(csrrsi(a0, n, 0));
    run(csrrci(a0, n, 0));
    // Writes, whatever the value, trap.
    set_x(a1, 0);
    expect_illegal(csrrw(zero, n, a1));
    expect_illegal(csrrw(a0, n, a1));
    expect_illegal(csrrwi(zero, n, 0));
    expect_illegal(csrrs(a0, n, a1));  // a1 holds zero but is not x0
    expect_illegal(csrrc(a0, n, a1));
    expect_illegal(csrrsi(a0, n, 1));
    expect_illegal(csrrci(a0, n, 1));
  }
}

TEST_F(ZicsrTest, UnimplementedCsrsAreIllegal) {
  const u32 missing[] = {
      0x000,          // ustatus (N extension, not implemented)
      csrn::sstatus,  // no S-mode
      0x104, 0x105, 0x140, 0x141, 0x142, 0x143, 0x144,  // sie stvec sscratch sepc scause stval sip
      csrn::satp,
      0x600,           // hstatus: no H
      csrn::medeleg, csrn::mideleg,  // no S-mode, so no delegation registers
      csrn::menvcfg,   // exists only with U-mode
      0x310,           // mstatush: RV32 only
      csrn::cycleh,    // RV32 only
      0xC82,           // instreth: RV32 only
      0xB80,           // mcycleh: RV32 only
      csrn::time,      // time is not implemented by this hart
      csrn::dcsr, 0x7B1, 0x7B2,  // debug-mode CSRs: illegal outside debug mode
      0x7C0, 0x800, 0x5C0, 0xFFF,  // unused/custom numbers
  };
  for (u32 n : missing) {
    SCOPED_TRACE("CSR " + hex(n));
    set_x(a0, 0x1111);
    expect_illegal(csrrs(a0, n, zero));
    EXPECT_EQ(x(a0), 0x1111u);
    set_x(a1, 0);
    expect_illegal(csrrw(zero, n, a1));
    expect_illegal(csrrwi(a0, n, 3));
    expect_illegal(csrrci(a0, n, 0));
  }
}

// The implemented set, pinned: an M-mode-only RV64IMAFDC hart with Zicntr
// (minus time) and Zihpm. Every other number of the 4096 must trap.
TEST_F(ZicsrTest, ExactlyTheExpectedCsrsExist) {
  auto expected = [](u32 n) {
    if (n >= 0x001 && n <= 0x003) return true;                  // fflags, frm, fcsr
    if (n == 0x300 || n == 0x301 || n == 0x304 || n == 0x305) return true;  // mstatus misa mie mtvec
    if (n == 0x320) return true;                                // mcountinhibit
    if (n >= 0x323 && n <= 0x33F) return true;                  // mhpmevent3..31
    if (n >= 0x340 && n <= 0x344) return true;                  // mscratch mepc mcause mtval mip
    if (n == 0xB00 || (n >= 0xB02 && n <= 0xB1F)) return true;  // mcycle minstret mhpmcounter3..31
    if (n == 0xC00 || (n >= 0xC02 && n <= 0xC1F)) return true;  // cycle instret hpmcounter3..31
    if (n >= 0xF11 && n <= 0xF15) return true;                  // mvendorid..mconfigptr
    return false;
  };
  enable_fp();
  for (u32 n = 0; n < 4096; ++n) {
    const bool exists = step(csrrs(a0, n, zero));
    EXPECT_EQ(exists, expected(n)) << "CSR " << hex(n);
    if (!exists) {
      EXPECT_EQ(hart_->mcause_, kCauseIllegal) << "CSR " << hex(n);
    }
  }
}

// ---------------------------------------------------------------------------
// mstatus
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MstatusResetValue) {
  const u64 s = csr(csrn::mstatus);
  EXPECT_EQ(s & ms::MIE, 0u) << "MIE resets to 0";
  EXPECT_EQ(s & ms::MPP, ms::MPP) << "MPP holds M, the only mode";
  EXPECT_EQ(s & ~(ms::MPP | ms::FS | ms::SD | ms::MPIE), 0u);
}

TEST_F(ZicsrTest, MstatusWritableFields) {
  // Only MIE, MPIE and FS are writable on an M-only hart with F/D; MPP is
  // hardwired to M; SD is read-only and reads 1 exactly when FS is Dirty;
  // SIE, SPIE, UBE, SPP, VS, XS, MPRV, SUM, MXR, TVM, TW, TSR, UXL, SXL,
  // SBE, MBE are read-only zero without S/U-mode and those extensions.
  set_csr(csrn::mstatus, ~0ull);
  EXPECT_EQ(csr(csrn::mstatus), ms::SD | ms::FS | ms::MPP | ms::MPIE | ms::MIE);
  set_csr(csrn::mstatus, 0);
  EXPECT_EQ(csr(csrn::mstatus), ms::MPP);
  set_csr(csrn::mstatus, ms::SD);  // SD cannot be written
  EXPECT_EQ(csr(csrn::mstatus), ms::MPP);
  for (u64 fs : {ms::FS_INITIAL, ms::FS_CLEAN, ms::FS_DIRTY, ms::FS_OFF}) {
    set_csr(csrn::mstatus, fs);
    EXPECT_EQ(csr(csrn::mstatus), fs | ms::MPP | (fs == ms::FS_DIRTY ? ms::SD : 0)) << "FS " << (fs >> 13);
  }
  set_csr(csrn::mstatus, ms::MIE);
  EXPECT_EQ(csr(csrn::mstatus), ms::MIE | ms::MPP);
  set_csr(csrn::mstatus, ms::MPIE);
  EXPECT_EQ(csr(csrn::mstatus), ms::MPIE | ms::MPP);
  // Set/clear forms act on the read value.
  set_x(a1, ms::MIE | ms::FS_INITIAL);
  run(csrrs(a0, csrn::mstatus, a1));
  EXPECT_EQ(x(a0), ms::MPIE | ms::MPP);
  EXPECT_EQ(csr(csrn::mstatus), ms::MPIE | ms::MIE | ms::FS_INITIAL | ms::MPP);
  set_x(a1, ms::MPP | ms::MPIE);
  run(csrrc(a0, csrn::mstatus, a1));  // clearing MPP has no effect
  EXPECT_EQ(csr(csrn::mstatus), ms::MIE | ms::FS_INITIAL | ms::MPP);
}

// ---------------------------------------------------------------------------
// misa
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MisaReportsRv64Imafdc) {
  // MXL = 2 (64-bit) in bits 63:62; extension bits A(0) C(2) D(3) F(5) I(8) M(12).
  const u64 expect = (2ull << 62) | (1u << 0) | (1u << 2) | (1u << 3) | (1u << 5) | (1u << 8) | (1u << 12);
  EXPECT_EQ(csr(csrn::misa), expect);
  // misa is WARL and this hart's extensions cannot be turned off: writes are
  // accepted (no trap) and ignored.
  set_csr(csrn::misa, 0);
  EXPECT_EQ(csr(csrn::misa), expect);
  set_csr(csrn::misa, expect & ~(1ull << 2));  // try to disable C
  EXPECT_EQ(csr(csrn::misa), expect);
  set_csr(csrn::misa, ~0ull);
  EXPECT_EQ(csr(csrn::misa), expect);
}

// ---------------------------------------------------------------------------
// mtvec, mepc, mscratch, mcause, mtval
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MtvecModes) {
  set_csr(csrn::mtvec, kRamBase + 0x100);  // direct
  EXPECT_EQ(csr(csrn::mtvec), kRamBase + 0x100);
  set_csr(csrn::mtvec, kRamBase + 0x200 + 1);  // vectored
  EXPECT_EQ(csr(csrn::mtvec), kRamBase + 0x201);
  // MODE values >= 2 are reserved; the WARL field must read a legal mode.
  for (u64 mode : {2u, 3u}) {
    set_csr(csrn::mtvec, kRamBase + 0x300 + mode);
    EXPECT_LE(csr(csrn::mtvec) & 3, 1u) << "mode " << mode;
  }
}

TEST_F(ZicsrTest, MepcClearsBitZeroOnly) {
  // IALIGN = 16 with C: only mepc[0] is always zero.
  set_csr(csrn::mepc, kRamBase + 0x1235);
  EXPECT_EQ(csr(csrn::mepc), kRamBase + 0x1234);
  set_csr(csrn::mepc, kRamBase + 0x1236);
  EXPECT_EQ(csr(csrn::mepc), kRamBase + 0x1236);
  set_csr(csrn::mepc, 0x1234'5679);
  EXPECT_EQ(csr(csrn::mepc), 0x1234'5678u);
}

TEST_F(ZicsrTest, MscratchHoldsAnyValue) {
  for (u64 v : {0ull, ~0ull, 0x8000'0000'0000'0001ull, 0x0123'4567'89AB'CDEFull}) {
    set_csr(csrn::mscratch, v);
    EXPECT_EQ(csr(csrn::mscratch), v);
  }
}

TEST_F(ZicsrTest, McauseAndMtvalHoldLegalValues) {
  for (u64 v : {2ull, 11ull, 0x8000'0000'0000'0007ull, 0x8000'0000'0000'000Bull}) {
    set_csr(csrn::mcause, v);
    EXPECT_EQ(csr(csrn::mcause), v);
  }
  for (u64 v : {u64{0}, u64{kRamBase + 0x1234}, u64{0xFFFF'FFFF}, u64{0x8000'0003}}) {
    set_csr(csrn::mtval, v);
    EXPECT_EQ(csr(csrn::mtval), v);
  }
}

// ---------------------------------------------------------------------------
// mie, mip
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MieHasOnlyMachineLevelEnables) {
  EXPECT_EQ(csr(csrn::mie), 0u);
  set_csr(csrn::mie, ~0ull);
  // MSIE (3), MTIE (7), MEIE (11) are writable; the S-level bits (1, 5, 9),
  // the removed U-level bits (0, 4, 8), SGEIE (12, H) and LCOFIE (13,
  // Sscofpmf) are read-only zero on this hart.
  EXPECT_EQ(csr(csrn::mie) & 0xFFFF, 0x888u);
  set_csr(csrn::mie, 0x80);
  EXPECT_EQ(csr(csrn::mie), 0x80u);
  set_csr(csrn::mie, 0);
  EXPECT_EQ(csr(csrn::mie), 0u);
}

TEST_F(ZicsrTest, MipIsReadOnlyHere) {
  // MSIP/MTIP/MEIP are read-only in mip (driven by the interrupt
  // controllers); there are no S-level bits. Writing is not an error.
  EXPECT_EQ(csr(csrn::mip), 0u);
  set_csr(csrn::mip, ~0ull);
  EXPECT_EQ(csr(csrn::mip), 0u);
  set_x(a1, 0x888);
  run(csrrs(a0, csrn::mip, a1));
  EXPECT_EQ(csr(csrn::mip), 0u);
}

// ---------------------------------------------------------------------------
// Machine information registers
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MachineInformationRegistersDefaultToZero) {
  EXPECT_EQ(csr(csrn::mvendorid), 0u);  // non-commercial implementation
  EXPECT_EQ(csr(csrn::marchid), 0u);
  EXPECT_EQ(csr(csrn::mimpid), 0u);
  EXPECT_EQ(csr(csrn::mhartid), 0u);
  EXPECT_EQ(csr(csrn::mconfigptr), 0u);
}

TEST_F(ZicsrTest, MachineInformationRegistersReportTheConfiguration) {
  Machine m;
  m.bus().add_ram("ram", kRamBase, kRamSize);
  HartConfig cfg;
  cfg.mvendorid = 0x489;
  cfg.marchid = 0x8000'0000'0000'0007ull;
  cfg.mimpid = 0x2018'1004;
  auto* h = static_cast<RiscvHart*>(&m.add_hart(std::make_unique<RiscvHart>(5, m, cfg)));
  h->reset(kRamBase);
  const u32 numbers[] = {csrn::mvendorid, csrn::marchid, csrn::mimpid, csrn::mhartid, csrn::mconfigptr};
  const u64 expect[] = {0x489, 0x8000'0000'0000'0007ull, 0x2018'1004, 5, 0};
  for (int i = 0; i < 5; ++i) {
    const u32 insn = csrr(a0 + i, numbers[i]);
    m.bus().write(h->pc(), 4, insn);
    h->interpret(1);
    EXPECT_EQ(h->x(a0 + i), expect[i]) << "CSR " << hex(numbers[i]);
  }
  EXPECT_EQ(h->retired(), 5u);
}

// ---------------------------------------------------------------------------
// fflags, frm, fcsr
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, FpCsrsAreIllegalWhileFsIsOff) {
  set_fs(ms::FS_OFF);
  for (u32 n : {csrn::fflags, csrn::frm, csrn::fcsr}) {
    SCOPED_TRACE("CSR " + hex(n));
    expect_illegal(csrrs(a0, n, zero));
    expect_illegal(csrrwi(zero, n, 1));
  }
}

TEST_F(ZicsrTest, FflagsFrmFcsrAlias) {
  set_fs(ms::FS_INITIAL);
  set_csr(csrn::fflags, 0xFF);
  EXPECT_EQ(csr(csrn::fflags), 0x1Fu);
  EXPECT_EQ(csr(csrn::fcsr), 0x1Fu);
  EXPECT_EQ(csr(csrn::frm), 0u);
  set_csr(csrn::frm, 0xFF);
  EXPECT_EQ(csr(csrn::frm), 7u);
  EXPECT_EQ(csr(csrn::fcsr), 0xFFu);
  EXPECT_EQ(csr(csrn::fflags), 0x1Fu);
  set_csr(csrn::fcsr, 0b011'00101);
  EXPECT_EQ(csr(csrn::frm), 3u);
  EXPECT_EQ(csr(csrn::fflags), 0b00101u);
  set_csr(csrn::fcsr, ~0ull);  // bits 63:8 are reserved and read zero
  EXPECT_EQ(csr(csrn::fcsr), 0xFFu);
  run(csrrci(a0, csrn::fflags, 0b10001));
  EXPECT_EQ(x(a0), 0x1Fu);
  EXPECT_EQ(csr(csrn::fcsr), 0xEEu);
  run(csrrwi(a0, csrn::frm, 2));
  EXPECT_EQ(x(a0), 7u);
  EXPECT_EQ(csr(csrn::fcsr), (2u << 5) | 0x0Eu);
}

TEST_F(ZicsrTest, WritingFpCsrsMakesFsDirty) {
  for (u32 n : {csrn::fflags, csrn::frm, csrn::fcsr}) {
    SCOPED_TRACE("CSR " + hex(n));
    set_fs(ms::FS_INITIAL);
    EXPECT_EQ(csr(csrn::mstatus) & (ms::FS | ms::SD), ms::FS_INITIAL);
    run(csrrwi(zero, n, 1));
    EXPECT_EQ(csr(csrn::mstatus) & (ms::FS | ms::SD), ms::FS_DIRTY | ms::SD);
  }
}

// ---------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MinstretCountsRetiredInstructions) {
  // Nothing has executed yet: the first read sees 0.
  EXPECT_EQ(csr(csrn::minstret), 0u);
  for (int i = 0; i < 5; ++i) run(addi(zero, zero, 0));
  EXPECT_EQ(csr(csrn::minstret), 6u);  // 1 csrr + 5 nops before this read
  EXPECT_EQ(csr(csrn::instret), 7u);   // the user-level shadow
  EXPECT_EQ(csr(csrn::minstret), 8u);
}

TEST_F(ZicsrTest, MinstretWriteIsWhatTheNextInstructionReads) {
  for (int i = 0; i < 3; ++i) run(addi(zero, zero, 0));
  set_csr(csrn::minstret, 1000);
  EXPECT_EQ(csr(csrn::minstret), 1000u);
  EXPECT_EQ(csr(csrn::minstret), 1001u);
  EXPECT_EQ(csr(csrn::instret), 1002u);
  set_x(a1, 0x5000);
  run(csrrw(a0, csrn::minstret, a1));
  EXPECT_EQ(x(a0), 1003u);  // the value before the instruction
  EXPECT_EQ(csr(csrn::instret), 0x5000u);
  set_csr(csrn::minstret, ~0ull);
  EXPECT_EQ(csr(csrn::minstret), ~0ull);
  EXPECT_EQ(csr(csrn::minstret), 0u);  // 64-bit wrap
}

TEST_F(ZicsrTest, McycleWriteIsWhatTheNextInstructionReads) {
  const u64 c0 = csr(csrn::mcycle);
  const u64 c1 = csr(csrn::mcycle);
  EXPECT_GT(c1, c0) << "mcycle counts";
  set_csr(csrn::mcycle, 1'000'000);
  EXPECT_EQ(csr(csrn::mcycle), 1'000'000u);
  set_csr(csrn::mcycle, 5'000);
  EXPECT_EQ(csr(csrn::cycle), 5'000u);  // cycle shadows mcycle
  const u64 c2 = csr(csrn::cycle);
  const u64 c3 = csr(csrn::mcycle);
  EXPECT_GT(c2, 5'000u);
  EXPECT_GT(c3, c2);
}

TEST_F(ZicsrTest, McountinhibitFields) {
  // CY (bit 0) and IR (bit 2) are implemented; TM (bit 1) is read-only zero.
  set_csr(csrn::mcountinhibit, ~0ull);
  EXPECT_EQ(csr(csrn::mcountinhibit) & 7, 5u);
  set_csr(csrn::mcountinhibit, 0);
  EXPECT_EQ(csr(csrn::mcountinhibit), 0u);
  set_csr(csrn::mcountinhibit, 4);
  EXPECT_EQ(csr(csrn::mcountinhibit) & 7, 4u);
}

TEST_F(ZicsrTest, McountinhibitFreezesMinstret) {
  set_csr(csrn::minstret, 100);  // the next instruction reads 100
  // Setting IR takes effect after the writing instruction, which still
  // counts (100 -> 101); from then on minstret is frozen.
  set_csr(csrn::mcountinhibit, 4);
  const u64 frozen = csr(csrn::minstret);
  EXPECT_EQ(frozen, 101u);
  for (int i = 0; i < 4; ++i) run(addi(zero, zero, 0));
  EXPECT_EQ(csr(csrn::minstret), frozen);
  EXPECT_EQ(csr(csrn::instret), frozen);
  // Writes while inhibited take effect and stay.
  set_csr(csrn::minstret, 50);
  EXPECT_EQ(csr(csrn::minstret), 50u);
  EXPECT_EQ(csr(csrn::minstret), 50u);
  // Uninhibit: counting resumes after the writing instruction (which, being
  // executed while IR was still set, is not counted).
  set_csr(csrn::mcountinhibit, 0);
  EXPECT_EQ(csr(csrn::minstret), 50u);
  EXPECT_EQ(csr(csrn::minstret), 51u);
  EXPECT_EQ(csr(csrn::minstret), 52u);
}

TEST_F(ZicsrTest, McountinhibitFreezesMcycle) {
  set_csr(csrn::mcountinhibit, 1);  // CY
  const u64 frozen = csr(csrn::mcycle);
  for (int i = 0; i < 4; ++i) run(addi(zero, zero, 0));
  EXPECT_EQ(csr(csrn::mcycle), frozen);
  EXPECT_EQ(csr(csrn::cycle), frozen);
  // minstret is not inhibited by CY.
  const u64 i0 = csr(csrn::minstret);
  EXPECT_EQ(csr(csrn::minstret), i0 + 1);
  set_csr(csrn::mcycle, 77);
  EXPECT_EQ(csr(csrn::mcycle), 77u);
  EXPECT_EQ(csr(csrn::mcycle), 77u);
  set_csr(csrn::mcountinhibit, 0);
  EXPECT_EQ(csr(csrn::mcycle), 77u);
  EXPECT_GT(csr(csrn::mcycle), 77u);
}

TEST_F(ZicsrTest, HpmCountersAndEventsReadZero) {
  for (u32 i = 3; i <= 31; ++i) {
    SCOPED_TRACE("index " + std::to_string(i));
    EXPECT_EQ(csr(csrn::mcycle + i), 0u);     // mhpmcounter3..31
    EXPECT_EQ(csr(csrn::mcountinhibit + i), 0u);  // mhpmevent3..31
    EXPECT_EQ(csr(csrn::cycle + i), 0u);      // hpmcounter3..31
    // The M-level ones are writable numbers; writes are accepted and the
    // registers stay zero (read-only-zero WARL counters).
    set_csr(csrn::mcycle + i, 123);
    set_csr(csrn::mcountinhibit + i, 45);
    EXPECT_EQ(csr(csrn::mcycle + i), 0u);
    EXPECT_EQ(csr(csrn::mcountinhibit + i), 0u);
    set_x(a1, 1);
    expect_illegal(csrrw(zero, csrn::cycle + i, a1));  // user-level shadows are read-only
  }
}

}  // namespace
}  // namespace orrery::riscv::test
