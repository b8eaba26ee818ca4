// Zicsr instructions and every CSR this RV64IMAFDC hart with M, S and U
// modes implements (the S-level and delegation registers' behaviour is in
// priv_test.cpp, interrupt_test.cpp, sstc_test.cpp and pmp_test.cpp). Rules from the unprivileged spec ("Zicsr") and the privileged
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
  expect_illegal(csrrs(a0, 0x600 /* hstatus: no H extension */, zero));
  EXPECT_EQ(x(a0), 0xABCDu);
  set_x(a1, 5);
  expect_illegal(csrrw(a0, csrn::mvendorid, a1));  // write to a read-only number
  EXPECT_EQ(x(a0), 0xABCDu);
  // Insufficient privilege: from S-mode, mscratch (an M-level CSR) traps to
  // M (nothing is delegated) and rd keeps its value. S-mode needs a PMP
  // entry to fetch at all: one NAPOT entry covering everything, RWX.
  set_csr(csrn::pmpaddr0, (1ull << 54) - 1);
  set_csr(csrn::pmpcfg0, 0x1F);
  set_csr(csrn::mepc, kRamBase + 0x200);
  set_x(t6, ms::MPP);
  run(csrrc(zero, csrn::mstatus, t6));
  set_x(t6, 1ull << 11);  // MPP = S
  run(csrrs(zero, csrn::mstatus, t6));
  run_jump(mret(), kRamBase + 0x200);
  ASSERT_EQ(hart_->priv(), kPrivS);
  expect_illegal(csrrs(a0, csrn::mscratch, zero));
  EXPECT_EQ(x(a0), 0xABCDu);
  EXPECT_EQ(hart_->priv(), kPrivM);
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
      0x000,                                      // ustatus (N extension, removed)
      0x004, 0x005, 0x040, 0x041, 0x042, 0x043, 0x044,  // uie utvec uscratch uepc ucause utval uip (N)
      0x008,                                      // vstart: no V
      0x015,                                      // seed: no Zkr
      0x600, 0x200, 0x680,                        // hstatus vsstatus hgatp: no H
      0x34A, 0x34B,                               // mtinst mtval2: H only
      0x310,                                      // mstatush: RV32 only
      0x31A,                                      // menvcfgh: RV32 only
      0x15D,                                      // stimecmph: RV32 only
      0x3A1, 0x3A3,                               // pmpcfg1, pmpcfg3: RV32 only
      0x747,                                      // mseccfg: no Smepmp
      0x60C,                                      // hstateen0: no H
      csrn::cycleh, 0xC81, 0xC82, 0xB80, 0xB82,   // cycleh timeh instreth mcycleh minstreth: RV32 only
      csrn::dcsr, 0x7B1, 0x7B2,                   // debug-mode CSRs: illegal outside debug mode
      0x7C0, 0x800, 0x5C0, 0xFFF,                 // unused/custom numbers
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

// The implemented set, pinned: an RV64IMAFDC hart with M, S and U modes,
// Zicntr (with time), Zihpm, Sstc and 16 PMP entries (privileged spec 1.12,
// "CSR Listing"). Every other number of the 4096 must trap.
//
// PMP: "implementations may implement zero, 16, or 64 PMP entries". With 16,
// the registers of entries 16..63 (pmpcfg4..14, pmpaddr16..63) may either
// all trap or all exist as read-only zero, but must all behave alike
// (riscv-isa-manual issue #1011); the odd pmpcfg numbers never exist on RV64.
TEST_F(ZicsrTest, ExactlyTheExpectedCsrsExist) {
  auto upper_pmp = [](u32 n) {
    return (n >= 0x3A4 && n <= 0x3AE && n % 2 == 0) || (n >= 0x3C0 && n <= 0x3EF);
  };
  auto expected = [](u32 n) {
    if (n >= 0x001 && n <= 0x003) return true;                   // fflags, frm, fcsr
    if (n == 0x100 || n == 0x104 || n == 0x105 || n == 0x106) return true;  // sstatus sie stvec scounteren
    if (n == 0x10A) return true;                                 // senvcfg
    if (n >= 0x140 && n <= 0x144) return true;                   // sscratch sepc scause stval sip
    if (n == 0x14D) return true;                                 // stimecmp (Sstc)
    if (n == 0x180) return true;                                 // satp
    if (n == 0xDA0) return true;                                 // scountovf (Sscofpmf)
    if (n >= 0x300 && n <= 0x306) return true;  // mstatus misa medeleg mideleg mie mtvec mcounteren
    if (n == 0x30A) return true;                                 // menvcfg
    if (n >= 0x30C && n <= 0x30F) return true;                   // mstateen0..3 (Smstateen)
    if (n >= 0x10C && n <= 0x10F) return true;                   // sstateen0..3 (Ssstateen; M reads them)
    if (n == 0x320) return true;                                 // mcountinhibit
    if (n >= 0x323 && n <= 0x33F) return true;                   // mhpmevent3..31
    if (n >= 0x340 && n <= 0x344) return true;                   // mscratch mepc mcause mtval mip
    if (n == 0x3A0 || n == 0x3A2) return true;                   // pmpcfg0, pmpcfg2
    if (n >= 0x3B0 && n <= 0x3BF) return true;                   // pmpaddr0..15
    if (n == 0xB00 || (n >= 0xB02 && n <= 0xB1F)) return true;   // mcycle minstret mhpmcounter3..31
    if (n >= 0xC00 && n <= 0xC1F) return true;                   // cycle time instret hpmcounter3..31
    if (n >= 0xF11 && n <= 0xF15) return true;                   // mvendorid..mconfigptr
    return false;
  };
  enable_fp();
  int upper_present = 0, upper_total = 0;
  for (u32 n = 0; n < 4096; ++n) {
    set_x(a0, 0x5A5A);
    const bool exists = step(csrrs(a0, n, zero));
    if (upper_pmp(n)) {
      ++upper_total;
      if (exists) {
        ++upper_present;
        EXPECT_EQ(x(a0), 0u) << "CSR " << hex(n) << " of an unimplemented PMP entry must read zero";
      }
    } else {
      EXPECT_EQ(exists, expected(n)) << "CSR " << hex(n);
    }
    if (!exists) {
      EXPECT_EQ(hart_->mcause_, kCauseIllegal) << "CSR " << hex(n);
    }
  }
  EXPECT_TRUE(upper_present == 0 || upper_present == upper_total)
      << upper_present << " of the " << upper_total << " CSRs of PMP entries 16..63 exist";
}

// ---------------------------------------------------------------------------
// mstatus
// ---------------------------------------------------------------------------
// Privileged spec "Reset": MIE and MPRV reset to 0 (and MBE, with only
// little-endian accesses, is read-only 0). The other fields are unspecified
// at reset but must hold legal values: UXL and SXL are read-only 2 on a
// hart that only runs at XLEN 64, VS and XS are read-only 0 without V or
// custom state, UBE/SBE are 0, MPP names an implemented mode, and SD
// summarises FS. WPRI fields read 0.
TEST_F(ZicsrTest, MstatusResetValue) {
  const u64 s = csr(csrn::mstatus);
  EXPECT_EQ(s & ms::MIE, 0u) << "MIE resets to 0";
  EXPECT_EQ(s & (1ull << 17), 0u) << "MPRV resets to 0";
  EXPECT_EQ((s >> 32) & 3, 2u) << "UXL: U-mode XLEN is 64";
  EXPECT_EQ((s >> 34) & 3, 2u) << "SXL: S-mode XLEN is 64";
  EXPECT_EQ(s & (3ull << 9), 0u) << "VS: no vector unit";
  EXPECT_EQ(s & (3ull << 15), 0u) << "XS: no additional user state";
  EXPECT_EQ(s & ((1ull << 6) | (1ull << 36) | (1ull << 37)), 0u) << "UBE, SBE, MBE: little-endian only";
  EXPECT_NE(s & ms::MPP, 2ull << 11) << "MPP = 2 is reserved";
  EXPECT_EQ((s & ms::SD) != 0, (s & ms::FS) == ms::FS_DIRTY);
  // WPRI: bits 0, 2, 4, 23..31, 38..62.
  const u64 wpri = 1ull | (1ull << 2) | (1ull << 4) | (0x1FFull << 23) | (((1ull << 25) - 1) << 38);
  EXPECT_EQ(s & wpri, 0u) << hex(s);
}

TEST_F(ZicsrTest, MstatusWritableFields) {
  // With S and U modes and F/D: SIE, MIE, SPIE, MPIE, SPP, MPP, FS, MPRV,
  // SUM, MXR, TVM, TW and TSR are writable. UXL and SXL are read-only 2
  // (XLEN is always 64); UBE, SBE, MBE (little-endian only), VS (no V) and
  // XS (no extra user state) are read-only zero; SD is read-only and reads 1
  // exactly when FS is Dirty. WPRI fields read zero.
  constexpr u64 SIE = 1ull << 1, SPIE = 1ull << 5, SPP = 1ull << 8, MPRV = 1ull << 17, SUM = 1ull << 18,
                MXR = 1ull << 19, TVM = 1ull << 20, TW = 1ull << 21, TSR = 1ull << 22;
  constexpr u64 XL = (2ull << 32) | (2ull << 34);  // UXL = SXL = 2
  constexpr u64 MPP_U = 0, MPP_S = 1ull << 11, MPP_M = 3ull << 11;
  set_csr(csrn::mstatus, ~0ull);
  EXPECT_EQ(csr(csrn::mstatus), ms::SD | XL | TSR | TW | TVM | MXR | SUM | MPRV | ms::FS | MPP_M | SPP | ms::MPIE |
                                    SPIE | ms::MIE | SIE);
  set_csr(csrn::mstatus, 0);
  EXPECT_EQ(csr(csrn::mstatus), XL);
  set_csr(csrn::mstatus, ms::SD);  // SD cannot be written
  EXPECT_EQ(csr(csrn::mstatus), XL);
  set_csr(csrn::mstatus, 0);  // nor UXL/SXL cleared
  EXPECT_EQ(csr(csrn::mstatus), XL);
  for (u64 fs : {ms::FS_INITIAL, ms::FS_CLEAN, ms::FS_DIRTY, ms::FS_OFF}) {
    set_csr(csrn::mstatus, fs);
    EXPECT_EQ(csr(csrn::mstatus), fs | XL | (fs == ms::FS_DIRTY ? ms::SD : 0)) << "FS " << (fs >> 13);
  }
  // Each single-bit field on its own.
  for (u64 bit : {SIE, ms::MIE, SPIE, ms::MPIE, SPP, MPRV, SUM, MXR, TVM, TW, TSR}) {
    set_csr(csrn::mstatus, bit);
    EXPECT_EQ(csr(csrn::mstatus), bit | XL) << "field " << hex(bit);
  }
  // MPP is WARL over the implemented modes U (0), S (1), M (3); the
  // reserved value 2 must read back as a legal mode.
  for (u64 mpp : {MPP_U, MPP_S, MPP_M}) {
    set_csr(csrn::mstatus, mpp);
    EXPECT_EQ(csr(csrn::mstatus), mpp | XL) << "MPP " << (mpp >> 11);
  }
  set_csr(csrn::mstatus, 2ull << 11);
  EXPECT_NE(csr(csrn::mstatus) & ms::MPP, 2ull << 11) << "MPP = 2 is not a mode";
  // Set/clear forms act on the read value.
  set_csr(csrn::mstatus, ms::MPIE | MPP_M);
  set_x(a1, ms::MIE | ms::FS_INITIAL);
  run(csrrs(a0, csrn::mstatus, a1));
  EXPECT_EQ(x(a0), XL | ms::MPIE | MPP_M);
  EXPECT_EQ(csr(csrn::mstatus), XL | ms::MPIE | ms::MIE | ms::FS_INITIAL | MPP_M);
  set_x(a1, ms::MPP | ms::MPIE);
  run(csrrc(a0, csrn::mstatus, a1));  // MPP cleared to U
  EXPECT_EQ(csr(csrn::mstatus), XL | ms::MIE | ms::FS_INITIAL | MPP_U);
}

// ---------------------------------------------------------------------------
// misa
// ---------------------------------------------------------------------------
TEST_F(ZicsrTest, MisaReportsRv64Imafdc) {
  // MXL = 2 (64-bit) in bits 63:62; extension bits A(0) C(2) D(3) F(5) I(8)
  // M(12), and the privilege modes S(18) and U(20).
  const u64 expect = (2ull << 62) | (1u << 0) | (1u << 2) | (1u << 3) | (1u << 5) | (1u << 8) | (1u << 12) |
                     (1u << 18) | (1u << 20);
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
TEST_F(ZicsrTest, MieHasMachineAndSupervisorEnables) {
  EXPECT_EQ(csr(csrn::mie), 0u);
  set_csr(csrn::mie, ~0ull);
  // SSIE (1), MSIE (3), STIE (5), MTIE (7), SEIE (9), MEIE (11) and
  // Sscofpmf's LCOFIE (13) are writable; the removed U-level bits (0, 4, 8)
  // and the H bits (2, 6, 10, 12) are read-only zero on this hart.
  EXPECT_EQ(csr(csrn::mie), 0x2AAAu);
  for (u64 bit = 1; bit <= 13; bit += 2) {
    set_csr(csrn::mie, 1ull << bit);
    EXPECT_EQ(csr(csrn::mie), 1ull << bit) << "bit " << bit;
  }
  set_csr(csrn::mie, 0);
  EXPECT_EQ(csr(csrn::mie), 0u);
}

TEST_F(ZicsrTest, MipWritableBitsAreTheSupervisorOnes) {
  // MSIP/MTIP/MEIP are read-only in mip (driven by the interrupt
  // controllers); SSIP, STIP and SEIP are writable by M-mode while
  // menvcfg.STCE is 0 ("Machine Interrupt Registers"; Sstc), and so is
  // Sscofpmf's LCOFIP (bit 13). Writing the read-only bits is not an error.
  set_csr(csrn::menvcfg, 0);
  EXPECT_EQ(csr(csrn::mip), 0u);
  set_csr(csrn::mip, ~0ull);
  EXPECT_EQ(csr(csrn::mip), 0x2222u);
  set_csr(csrn::mip, 0);
  EXPECT_EQ(csr(csrn::mip), 0u);
  set_x(a1, 0x888);
  run(csrrs(a0, csrn::mip, a1));
  EXPECT_EQ(csr(csrn::mip), 0u);
  for (u64 bit : {1u, 5u, 9u, 13u}) {
    set_csr(csrn::mip, 1ull << bit);
    EXPECT_EQ(csr(csrn::mip), 1ull << bit) << "bit " << bit;
  }
  set_csr(csrn::mip, 0);
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

}  // namespace
}  // namespace orrery::riscv::test
