#pragma once
// Shared fixture for the privileged-architecture tests (priv_test.cpp,
// interrupt_test.cpp, sstc_test.cpp, mmu_test.cpp, pmp_test.cpp): privilege
// changes through MRET, trap checks for M and S, and a page-table builder
// that writes Sv39/Sv48/Sv57 tables into RAM. Every constant below is
// written from the privileged specification (version 1.12), not taken from
// the emulator's headers.
#include <gtest/gtest.h>

#include <cstdint>

#include "rv_test.hpp"

namespace orrery::riscv::test {

// mstatus / sstatus fields ("Machine Status Register").
namespace st {
constexpr u64 SIE = 1ull << 1, MIE = 1ull << 3, SPIE = 1ull << 5, MPIE = 1ull << 7, SPP = 1ull << 8;
constexpr u64 MPP = 3ull << 11, MPP_U = 0, MPP_S = 1ull << 11, MPP_M = 3ull << 11;
constexpr u64 FS = 3ull << 13, MPRV = 1ull << 17, SUM = 1ull << 18, MXR = 1ull << 19;
constexpr u64 TVM = 1ull << 20, TW = 1ull << 21, TSR = 1ull << 22;
constexpr u64 UXL = 3ull << 32, SXL = 3ull << 34, SD = 1ull << 63;
}  // namespace st

// Exception codes not already in rv_test.hpp ("Machine Cause Register").
enum : u64 {
  kCauseEcallU = 8,
  kCauseEcallS = 9,
  kCauseInsnPage = 12,
  kCauseLoadPage = 13,
  kCauseStorePage = 15,
};
constexpr u64 kInterrupt = 1ull << 63;

// Interrupt numbers: the bit in mip/mie and the interrupt cause code.
enum Irq : unsigned { SSI = 1, MSI = 3, STI = 5, MTI = 7, SEI = 9, MEI = 11 };
constexpr u64 bit(unsigned n) { return 1ull << n; }

// menvcfg fields.
constexpr u64 kFiom = 1, kStce = 1ull << 63;

// Page-table entry bits ("Sv32"/"Sv39" PTE formats).
namespace pte {
constexpr u64 V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;
constexpr u64 RW = V | R | W | A | D, RX = V | R | X | A, RWX = V | R | W | X | A | D;
}  // namespace pte

// satp MODE values.
enum SatpMode : unsigned { kBare = 0, kSv39 = 8, kSv48 = 9, kSv57 = 10 };

// PMP configuration bits ("Physical Memory Protection CSRs").
namespace pmp {
constexpr std::uint8_t R = 1, W = 2, X = 4, OFF = 0, TOR = 1 << 3, NA4 = 2 << 3, NAPOT = 3 << 3, L = 0x80;
// pmpaddr for a naturally aligned power-of-two region of size >= 8.
constexpr u64 napot(Addr base, u64 size) { return (base | (size / 2 - 1)) >> 2; }
constexpr u64 kAll = (1ull << 54) - 1;  // NAPOT: all 2^56 bytes of physical address space
}  // namespace pmp

// Memory layout on top of rv_test.hpp's (code at kRamBase, kData, the M
// trap vector at kTrapVector): code run in S and U, the S trap vector, and a
// pool of page-table pages at the top of RAM.
constexpr Addr kSCode = kRamBase + 0x8000;         // 16 KiB
constexpr Addr kUCode = kRamBase + 0x10000;        // 16 KiB
constexpr Addr kSTrapVector = kRamBase + 0x90000;  // 16 KiB
constexpr Addr kPageTables = kRamBase + 0xC0000;   // 256 KiB: 64 table pages
constexpr Addr kPageTablesEnd = kRamBase + 0x100000;

class PrivTest : public RvTest {
 protected:
  void SetUp() override {
    open_pmp();
    set_csr(csrn::stvec, kSTrapVector);
  }

  Priv priv() const { return hart_->priv(); }

  // PMP entry 15 grants RWX on all of memory, as firmware does before it
  // runs S-mode: with PMP implemented, S and U accesses that match no entry
  // fail. Tests that need other entries use 0..14, which take precedence.
  void open_pmp() {
    set_csr(csrn::pmpaddr0 + 15, pmp::kAll);
    set_csr(csrn::pmpcfg2, u64{pmp::NAPOT | pmp::R | pmp::W | pmp::X} << 56);
  }

  void set_mstatus(u64 set, u64 clear = 0) {
    if (clear) {
      set_x(enc::t6, clear);
      ASSERT_TRUE(step(enc::csrrc(enc::zero, csrn::mstatus, enc::t6)));
    }
    if (set) {
      set_x(enc::t6, set);
      ASSERT_TRUE(step(enc::csrrs(enc::zero, csrn::mstatus, enc::t6)));
    }
  }

  // From M-mode: MRET into `mode` at `target`.
  void enter(Priv mode, Addr target) {
    ASSERT_EQ(priv(), kPrivM) << "enter() starts from M-mode";
    set_csr(csrn::mepc, target);
    set_mstatus(u64{mode} << 11, st::MPP);
    run_jump(enc::mret(), target);
    ASSERT_EQ(priv(), mode);
  }

  // Back to M-mode with an ECALL (which must not be delegated).
  void back_to_m() {
    if (priv() == kPrivM) return;
    const Priv from = priv();
    ASSERT_FALSE(step(enc::ecall()));
    ASSERT_EQ(priv(), kPrivM) << "the ECALL was delegated";
    ASSERT_EQ(hart_->mcause_, from == kPrivS ? kCauseEcallS : kCauseEcallU);
  }

  // insn traps to M with this cause and tval, from privilege `from`.
  void expect_m_trap(u32 insn, u64 cause, u64 tval, Priv from) {
    const Addr p = pc();
    ASSERT_EQ(priv(), from);
    EXPECT_FALSE(step(insn)) << "instruction " << hex(insn) << " retired";
    EXPECT_EQ(priv(), kPrivM) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->mcause_, cause) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->mtval_, tval) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->mepc_, p) << "instruction " << hex(insn);
    EXPECT_EQ(pc(), hart_->mtvec_ & ~u64{3}) << "instruction " << hex(insn);
    EXPECT_EQ((hart_->mstatus_ & st::MPP) >> 11, u64{from}) << "MPP holds the previous privilege";
  }

  // insn traps to S with this cause and tval ("Supervisor Trap Handling").
  void expect_s_trap(u32 insn, u64 cause, u64 tval) {
    const Addr p = pc();
    const Priv from = priv();
    ASSERT_NE(from, kPrivM);
    EXPECT_FALSE(step(insn)) << "instruction " << hex(insn) << " retired";
    EXPECT_EQ(priv(), kPrivS) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->scause_, cause) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->stval_, tval) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->sepc_, p) << "instruction " << hex(insn);
    EXPECT_EQ(pc(), hart_->stvec_ & ~u64{3}) << "instruction " << hex(insn);
    EXPECT_EQ((hart_->mstatus_ & st::SPP) != 0, from == kPrivS) << "SPP holds the previous privilege";
  }

  // WFI leaves the interpreter loop (and may idle the hart); let the next
  // step run.
  bool step_wfi() {
    const bool ok = step(enc::wfi());
    hart_->clear_yield();
    return ok;
  }

  // ---- page tables ----
  // Tables for `mode` (Sv39/48/57) with an empty root in the pool.
  void new_tables(SatpMode mode) {
    mode_ = mode;
    levels_ = mode - 5;  // Sv39: 3, Sv48: 4, Sv57: 5
    next_table_ = kPageTables;
    root_ = alloc_table();
  }
  Addr alloc_table() {
    EXPECT_LT(next_table_, kPageTablesEnd) << "page-table pool exhausted";
    const Addr t = next_table_;
    next_table_ += 4096;
    std::memset(ram_ + (t - kRamBase), 0, 4096);
    return t;
  }
  u64 satp_value(u64 asid = 0) const { return u64{mode_} << 60 | asid << 44 | root_ >> 12; }
  Addr root() const { return root_; }
  unsigned levels() const { return levels_; }

  // Address of the PTE that translates va at `level` (0: 4 KiB pages, 1:
  // 2 MiB, 2: 1 GiB, ...), creating the intermediate tables.
  Addr pte_slot(u64 va, unsigned level) {
    Addr table = root_;
    for (unsigned l = levels_ - 1; l > level; --l) {
      const Addr slot = table + ((va >> (12 + 9 * l)) & 511) * 8;
      u64 e = read_data<u64>(slot);
      if (!(e & pte::V)) {
        e = (alloc_table() >> 12) << 10 | pte::V;
        put_data(slot, &e, 8);
      }
      EXPECT_EQ(e & (pte::R | pte::X), 0u) << "a leaf is in the way at level " << l;
      table = ((e >> 10) & ((1ull << 44) - 1)) << 12;
    }
    return table + ((va >> (12 + 9 * level)) & 511) * 8;
  }
  // A leaf mapping va -> pa at `level` with these PTE flags.
  void map(u64 va, Addr pa, u64 flags, unsigned level = 0) { set_pte(va, (pa >> 12) << 10 | flags, level); }
  void set_pte(u64 va, u64 value, unsigned level = 0) { put_data(pte_slot(va, level), &value, 8); }
  u64 get_pte(u64 va, unsigned level = 0) { return read_data<u64>(pte_slot(va, level)); }

  // Identity-map the S code, U code and S trap-vector areas, and turn
  // translation on (from M-mode).
  void paging(SatpMode mode) {
    new_tables(mode);
    for (Addr off = 0; off < 0x4000; off += 0x1000) {
      map(kSCode + off, kSCode + off, pte::RX);
      map(kUCode + off, kUCode + off, pte::RX | pte::U);
      map(kSTrapVector + off, kSTrapVector + off, pte::RX);
    }
    set_csr(csrn::satp, satp_value());
    ASSERT_EQ(csr(csrn::satp), satp_value());
  }

 private:
  SatpMode mode_ = kSv39;
  unsigned levels_ = 3;
  Addr root_ = 0, next_table_ = kPageTables;
};

}  // namespace orrery::riscv::test
