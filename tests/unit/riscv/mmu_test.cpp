// Virtual memory, from the privileged spec 1.12 ("Supervisor Address
// Translation and Protection (satp)", "Sv39", "Sv48", "Sv57", "Virtual
// Address Translation Process", "Memory Privilege in mstatus"):
//   * the walk: LEVELS = 3/4/5, PTE at a + vpn[i] * 8; V = 0, or W without
//     R, or any reserved bit (63:54 without Svpbmt/Svnapot; D, A, U in a
//     non-leaf PTE) -> page fault; a leaf's low PPN fields must be zero
//     (misaligned superpage -> page fault); running out of levels -> page
//     fault; a PTE access that violates PMA/PMP -> access fault;
//   * va bits above the address width must equal its top bit, else page
//     fault; xtval of a page fault is the faulting virtual address;
//   * U pages: U-mode only, S with SUM for loads/stores, never S fetches;
//     MXR makes X pages readable;
//   * hardware A/D updating (this hart's choice): A on any access, D on a
//     store, only for accesses that are permitted;
//   * satp: an unsupported MODE makes the whole write have no effect;
//   * SFENCE.VMA orders PTE writes before later translations;
//   * MPRV: M-mode loads and stores translate and check as MPP.
// Tables are built in RAM by the test (priv_fixture.hpp); the S and U code
// areas and the S trap vector are identity-mapped so that code placed at pc
// runs at the same physical address.
#include <gtest/gtest.h>

#include "priv_fixture.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

constexpr u64 kVa = 0x4000'0000;      // data pages
constexpr u64 kVaCode = 0x5000'0000;  // code at a non-identity address
constexpr Addr kCodePa = kRamBase + 0x20000;

unsigned va_bits(SatpMode m) { return m == kSv39 ? 39 : m == kSv48 ? 48 : 57; }
const char* mode_name(SatpMode m) { return m == kSv39 ? "Sv39" : m == kSv48 ? "Sv48" : "Sv57"; }

class MmuTest : public PrivTest {
 protected:
  // From M: enter S (or U) at a fresh place in its code area.
  void in(Priv p) {
    next_code_ = next_code_ + 0x40 >= 0x3F00 ? 0x40 : next_code_ + 0x40;
    enter(p, (p == kPrivU ? kUCode : kSCode) + next_code_);
  }
  // Jump to va (the JALR retires) and execute there.
  void fetch_at(u64 va) {
    set_x(t6, va);
    EXPECT_TRUE(step(jalr(zero, t6, 0)));
    EXPECT_EQ(pc(), va);
    hart_->interpret(1);
  }
  // The fetch at va (from `from`) raised `cause` to M with tval, epc = va.
  void expect_fetch_trap(u64 va, u64 cause, u64 tval, Priv from) {
    fetch_at(va);
    EXPECT_EQ(priv(), kPrivM) << "fetch at " << hex(va);
    EXPECT_EQ(hart_->mcause_, cause) << "fetch at " << hex(va);
    EXPECT_EQ(hart_->mtval_, tval) << "fetch at " << hex(va);
    EXPECT_EQ(hart_->mepc_, va) << "fetch at " << hex(va);
    EXPECT_EQ((hart_->mstatus_ & st::MPP) >> 11, u64{from});
  }
  // Load, store and fetch at va from `p` all page-fault (to M) with tval.
  void expect_page_faults(u64 va, Priv p = kPrivS) {
    SCOPED_TRACE("va " + hex(va));
    in(p);
    set_x(a1, va);
    set_x(a0, 0x5555);
    expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, va, p);
    EXPECT_EQ(x(a0), 0x5555u);
    if (priv() != kPrivM) back_to_m();  // it did not fault: keep going
    in(p);
    set_x(a1, va);
    expect_m_trap(sd(a0, a1, 0), kCauseStorePage, va, p);
    if (priv() != kPrivM) back_to_m();
    in(p);
    expect_fetch_trap(va, kCauseInsnPage, va, p);
  }
  u64 load64(u64 va) {
    set_x(a1, va);
    set_x(a0, 0xBAD);
    run(ld(a0, a1, 0));
    return x(a0);
  }
  void store64(u64 va, u64 v) {
    set_x(a1, va);
    set_x(a2, v);
    run(sd(a2, a1, 0));
  }
  void put64(Addr pa, u64 v) { put_data(pa, &v, 8); }

  u64 next_code_ = 0;
};

class MmuModeTest : public MmuTest, public ::testing::WithParamInterface<SatpMode> {};

// ---------------------------------------------------------------------------
// Translation in each mode
// ---------------------------------------------------------------------------
TEST_P(MmuModeTest, LoadsStoresAndFetchesThroughFourKiBPages) {
  const SatpMode mode = GetParam();
  const unsigned vb = va_bits(mode);
  paging(mode);
  // Pages at the bottom, the top of the positive half and both ends of the
  // negative half of the address space, each onto its own physical page.
  const u64 top = (1ull << (vb - 1)) - 0x1000, neg = ~0ull << (vb - 1), last = ~u64{0xFFF};
  const struct {
    u64 va;
    Addr pa;
  } pages[] = {{kVa, kData}, {kVa + 0x1000, kData + 0x3000}, {top, kData + 0x5000}, {neg, kData + 0x6000},
               {last, kData + 0x7000}};
  u64 value = 0x1111'0000'0000'0000ull;
  for (const auto& pg : pages) {
    map(pg.va, pg.pa, pte::RW);
    put64(pg.pa + 0x18, value++);
  }
  map(kVaCode, kCodePa, pte::RX);
  put(kCodePa, addi(a3, zero, 42));
  in(kPrivS);
  value = 0x1111'0000'0000'0000ull;
  for (const auto& pg : pages) {
    SCOPED_TRACE("va " + hex(pg.va));
    EXPECT_EQ(load64(pg.va + 0x18), value++);
    store64(pg.va + 0x20, pg.va ^ 0x5A5A);
    EXPECT_EQ(read_data<u64>(pg.pa + 0x20), pg.va ^ 0x5A5A);
  }
  fetch_at(kVaCode);
  EXPECT_EQ(x(a3), 42u);
  EXPECT_EQ(pc(), kVaCode + 4);
  EXPECT_EQ(priv(), kPrivS);
}

TEST_P(MmuModeTest, UserModeThroughUserPages) {
  paging(GetParam());
  map(kVa, kData, pte::RW | pte::U);
  map(kVaCode, kCodePa, pte::RX | pte::U);
  put64(kData + 8, 0xABCD);
  put(kCodePa, addi(a3, zero, 7));
  in(kPrivU);
  EXPECT_EQ(load64(kVa + 8), 0xABCDu);
  store64(kVa + 16, 0x1234);
  EXPECT_EQ(read_data<u64>(kData + 16), 0x1234u);
  fetch_at(kVaCode);
  EXPECT_EQ(x(a3), 7u);
  EXPECT_EQ(priv(), kPrivU);
}

TEST_P(MmuModeTest, Superpages) {
  const SatpMode mode = GetParam();
  paging(mode);
  const unsigned levels = this->levels();
  for (unsigned level = 1; level < levels; ++level) {
    SCOPED_TRACE("level " + std::to_string(level));
    const unsigned shift = 12 + 9 * level;
    const u64 va = 3ull << shift;
    // 2 MiB and 1 GiB pages map RAM's base; larger ones physical address 0.
    const Addr base = shift <= 30 ? kRamBase : 0;
    map(va, base, pte::RW, level);
    const u64 off = kData + 0x100 * level - base;
    put64(kData + 0x100 * level, 0xC0DE'0000 + level);
    const u64 end = kRamEnd - 8 - base;  // the last doubleword of RAM
    in(kPrivS);
    EXPECT_EQ(load64(va + off), 0xC0DE'0000u + level);
    store64(va + off + 8, level);
    EXPECT_EQ(read_data<u64>(kData + 0x100 * level + 8), level);
    store64(va + end, 0xE0D);
    EXPECT_EQ(read_data<u64>(kRamEnd - 8), 0xE0Du);
    back_to_m();
  }
  // A superpage of code.
  map(kVaCode, kRamBase, pte::RX, 1);  // kVaCode is 2 MiB-aligned
  put(kRamBase + 0x1F000, addi(a3, zero, 9));
  in(kPrivS);
  fetch_at(kVaCode + 0x1F000);
  EXPECT_EQ(x(a3), 9u);
}

TEST_P(MmuModeTest, MisalignedSuperpagesPageFault) {
  paging(GetParam());
  const unsigned levels = this->levels();
  for (unsigned level = 1; level < levels; ++level) {
    const unsigned shift = 12 + 9 * level;
    // A PPN that is not a multiple of the page size: one 4 KiB page off, and
    // (from 1 GiB up) one 2 MiB page off.
    const Addr aligned = shift <= 30 ? kRamBase : 0;
    const Addr wrong[] = {aligned + 0x1000, aligned + (1ull << 21)};
    for (unsigned k = 0; k < (level >= 2 ? 2u : 1u); ++k) {
      SCOPED_TRACE("level " + std::to_string(level) + " pa " + hex(wrong[k]));
      const u64 va = (3ull + k) << shift;
      map(va, wrong[k], pte::RWX, level);
      expect_page_faults(va + 0x2468);
    }
  }
}

TEST_P(MmuModeTest, NonCanonicalAddressesPageFault) {
  const SatpMode mode = GetParam();
  const unsigned vb = va_bits(mode);
  paging(mode);
  // Map what a hart that ignored the upper bits would reach.
  map(0, kData, pte::RWX);
  map(kVa, kData, pte::RWX);
  map(~0ull << (vb - 1), kData, pte::RWX);
  const u64 bad[] = {
      1ull << (vb - 1),                   // just past the positive half
      ~0ull << vb,                        // upper bits set, top va bit clear
      (1ull << vb) | kVa,                 // one bit above the width
      (1ull << 63) | kVa,                 // the sign bit alone
      ~((1ull << (vb - 1)) - 1) ^ (1ull << 62),  // negative half with a hole
  };
  for (u64 va : bad) expect_page_faults(va);
}

TEST_P(MmuModeTest, PteOutsideMemoryIsAnAccessFault) {
  paging(GetParam());
  // A region with its own root-table entry (the code's is entry 0).
  const u64 va = 1ull << (va_bits(GetParam()) - 2);
  map(va, kData, pte::RWX);
  // The root table's pointer for it leads to where nothing is mapped.
  const Addr root_slot = root() + ((va >> (12 + 9 * (levels() - 1))) & 511) * 8;
  const u64 pointer = (kUnmapped >> 12) << 10 | pte::V;
  put_data(root_slot, &pointer, 8);
  in(kPrivS);
  set_x(a1, va + 0x10);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadAccess, va + 0x10, kPrivS);
  in(kPrivS);
  set_x(a1, va + 0x10);
  expect_m_trap(sd(a0, a1, 0), kCauseStoreAccess, va + 0x10, kPrivS);
  in(kPrivS);
  expect_fetch_trap(va + 0x10, kCauseInsnAccess, va + 0x10, kPrivS);
  // A leaf whose physical address is not memory: the access, not the walk,
  // faults.
  map(kVa, kUnmapped, pte::RWX);
  in(kPrivS);
  set_x(a1, kVa + 0x20);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadAccess, kVa + 0x20, kPrivS);
  // satp itself pointing outside memory.
  set_csr(csrn::satp, u64{GetParam()} << 60 | kUnmapped >> 12);
  in(kPrivS);  // MRET retires; the fetch that follows faults
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mepc_, hart_->mtval_);
}

INSTANTIATE_TEST_SUITE_P(Modes, MmuModeTest, ::testing::Values(kSv39, kSv48, kSv57),
                         [](const ::testing::TestParamInfo<SatpMode>& i) { return std::string(mode_name(i.param)); });

// Sv48 and Sv57 addresses are not canonical in the smaller modes.
TEST_F(MmuTest, WiderAddressesFaultInNarrowerModes) {
  paging(kSv39);
  map(kVa, kData, pte::RWX);
  expect_page_faults((1ull << 47) - 0x1000);  // Sv48's top page
  expect_page_faults(~0ull << 47);            // Sv48's lowest negative page
  back_to_m();
  paging(kSv48);
  map(kVa, kData, pte::RWX);
  expect_page_faults((1ull << 56) - 0x1000);  // Sv57's top page
  expect_page_faults(~0ull << 56);
}

// ---------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------
TEST_F(MmuTest, UserModeCannotTouchSupervisorPages) {
  paging(kSv39);
  map(kVa, kData, pte::RWX);  // no U
  map(kVa + 0x1000, kData + 0x1000, pte::RW | pte::U);
  in(kPrivU);
  EXPECT_EQ(load64(kVa + 0x1000), read_data<u64>(kData + 0x1000));
  back_to_m();
  expect_page_faults(kVa + 8, kPrivU);
  // The identity-mapped S code pages are not U either.
  in(kPrivU);
  expect_fetch_trap(kSCode + 0x800, kCauseInsnPage, kSCode + 0x800, kPrivU);
}

TEST_F(MmuTest, SupervisorAccessToUserPagesNeedsSum) {
  paging(kSv39);
  map(kVa, kData, pte::RWX | pte::U);
  put64(kData, 0x5E5E);
  expect_page_faults(kVa);
  // With SUM: loads and stores, but still no fetches.
  set_mstatus(st::SUM);
  in(kPrivS);
  EXPECT_EQ(load64(kVa), 0x5E5Eu);
  store64(kVa + 8, 0x77);
  EXPECT_EQ(read_data<u64>(kData + 8), 0x77u);
  expect_fetch_trap(kVa, kCauseInsnPage, kVa, kPrivS);
  // Clearing SUM from S takes effect for the next access, though the page
  // was just used.
  in(kPrivS);
  EXPECT_EQ(load64(kVa), 0x5E5Eu);
  set_x(t6, st::SUM);
  run(csrrc(zero, csrn::sstatus, t6));
  set_x(a1, kVa);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, kVa, kPrivS);
}

TEST_F(MmuTest, MxrMakesExecuteOnlyPagesReadable) {
  paging(kSv39);
  map(kVa, kData, pte::V | pte::X | pte::A);
  map(kVa + 0x1000, kData + 0x1000, pte::V | pte::X | pte::A | pte::U);
  put64(kData, 0x3131);
  put64(kData + 0x1000, 0x4141);
  in(kPrivS);
  set_x(a1, kVa);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, kVa, kPrivS);
  in(kPrivS);
  set_x(t6, st::MXR);
  run(csrrs(zero, csrn::sstatus, t6));
  EXPECT_EQ(load64(kVa), 0x3131u);
  set_x(a1, kVa);
  expect_m_trap(sd(a0, a1, 0), kCauseStorePage, kVa, kPrivS);  // still not writable
  // From U, MXR applies to U pages.
  in(kPrivU);
  EXPECT_EQ(load64(kVa + 0x1000), 0x4141u);
  // Clearing MXR takes effect at once.
  back_to_m();
  set_mstatus(0, st::MXR);
  in(kPrivU);
  set_x(a1, kVa + 0x1000);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, kVa + 0x1000, kPrivU);
}

TEST_F(MmuTest, ReadOnlyAndNoExecutePages) {
  paging(kSv39);
  map(kVa, kData, pte::V | pte::R | pte::A);
  map(kVaCode, kCodePa, pte::RW);  // no X
  put64(kData, 0x9999);
  in(kPrivS);
  EXPECT_EQ(load64(kVa), 0x9999u);
  set_x(a1, kVa);
  expect_m_trap(sd(a0, a1, 0), kCauseStorePage, kVa, kPrivS);
  in(kPrivS);
  set_x(a1, kVa);
  expect_m_trap(amoadd_d(a0, a0, a1), kCauseStorePage, kVa, kPrivS);
  EXPECT_EQ(read_data<u64>(kData), 0x9999u);
  in(kPrivS);
  expect_fetch_trap(kVaCode, kCauseInsnPage, kVaCode, kPrivS);
}

// ---------------------------------------------------------------------------
// Accessed and dirty bits
// ---------------------------------------------------------------------------
TEST_F(MmuTest, HardwareSetsAccessedAndDirtyBits) {
  paging(kSv39);
  const u64 rw = pte::V | pte::R | pte::W;
  map(kVa, kData, rw);
  map(kVa + 0x1000, kData + 0x1000, rw);
  map(kVaCode, kCodePa, pte::V | pte::R | pte::X);
  put(kCodePa, addi(a3, zero, 1));
  const u64 pte0 = get_pte(kVa), pte1 = get_pte(kVa + 0x1000), pte_code = get_pte(kVaCode);
  in(kPrivS);
  load64(kVa);
  EXPECT_EQ(get_pte(kVa), pte0 | pte::A) << "a load sets A only";
  store64(kVa + 8, 1);
  EXPECT_EQ(get_pte(kVa), pte0 | pte::A | pte::D) << "a store sets D";
  store64(kVa + 0x1000, 2);
  EXPECT_EQ(get_pte(kVa + 0x1000), pte1 | pte::A | pte::D) << "a first store sets A and D";
  fetch_at(kVaCode);
  EXPECT_EQ(x(a3), 1u);
  EXPECT_EQ(get_pte(kVaCode), pte_code | pte::A) << "a fetch sets A";
}

TEST_F(MmuTest, FaultingAccessesLeaveAccessedAndDirtyAlone) {
  paging(kSv39);
  map(kVa, kData, pte::V | pte::R | pte::W | pte::U);  // U page: S may not touch it
  map(kVa + 0x1000, kData + 0x1000, pte::V | pte::R);  // read-only
  const u64 pte0 = get_pte(kVa), pte1 = get_pte(kVa + 0x1000);
  expect_page_faults(kVa);
  EXPECT_EQ(get_pte(kVa), pte0);
  in(kPrivS);
  set_x(a1, kVa + 0x1000);
  expect_m_trap(sd(a0, a1, 0), kCauseStorePage, kVa + 0x1000, kPrivS);
  EXPECT_EQ(get_pte(kVa + 0x1000), pte1) << "no A and no D for a store that faulted";
}

// ---------------------------------------------------------------------------
// Invalid and reserved PTEs
// ---------------------------------------------------------------------------
TEST_F(MmuTest, InvalidLeafPtesPageFault) {
  paging(kSv39);
  const u64 flags[] = {
      pte::RWX & ~pte::V,                     // not valid
      pte::V | pte::W | pte::A | pte::D,      // W without R
      pte::V | pte::W | pte::X | pte::A | pte::D,  // W and X without R
  };
  u64 va = kVa;
  for (u64 f : flags) {
    SCOPED_TRACE("flags " + hex(f));
    map(va, kData, f);
    expect_page_faults(va + 0x28);
    va += 0x1000;
  }
  // Bits 63:54 are reserved (no Svpbmt, no Svnapot).
  for (unsigned b = 54; b < 64; ++b) {
    SCOPED_TRACE("bit " + std::to_string(b));
    set_pte(va, (kData >> 12) << 10 | pte::RWX | 1ull << b);
    expect_page_faults(va + 0x30);
    va += 0x1000;
  }
}

TEST_F(MmuTest, InvalidNonLeafPtesPageFault) {
  paging(kSv39);
  // Each case gets its own 2 MiB region, so its own level-1 pointer.
  u64 va = kVa;
  auto next = [&] { return va += 1ull << 21; };
  // A pointer that is not valid.
  map(next(), kData, pte::RWX);
  set_pte(va, get_pte(va, 1) & ~pte::V, 1);
  expect_page_faults(va);
  // Reserved bits 63:54 in a pointer.
  for (unsigned b : {54u, 60u, 63u}) {
    SCOPED_TRACE("bit " + std::to_string(b));
    map(next(), kData, pte::RWX);
    set_pte(va, get_pte(va, 1) | 1ull << b, 1);
    expect_page_faults(va);
  }
  // A level-0 entry that is a pointer: there is no level below.
  set_pte(next(), (kPageTables >> 12) << 10 | pte::V, 0);
  expect_page_faults(va);
}

// Privileged spec 1.12, Sv32 PTE format: "For non-leaf PTEs, the D, A, and U
// bits are reserved for future standard use", and the translation process
// raises a page fault "if any bits or encodings that are reserved for future
// standard use are set within pte".
TEST_F(MmuTest, NonLeafPteWithDAOrUSetPageFaults) {
  paging(kSv39);
  u64 va = kVa;
  for (u64 b : {pte::D, pte::A, pte::U}) {
    SCOPED_TRACE("bit " + hex(b));
    va += 1ull << 21;
    map(va, kData, pte::RWX);
    set_pte(va, get_pte(va, 1) | b, 1);
    expect_page_faults(va);
  }
}

// ---------------------------------------------------------------------------
// satp and SFENCE.VMA
// ---------------------------------------------------------------------------
TEST_F(MmuTest, SatpWriteWithAnUnsupportedModeHasNoEffect) {
  new_tables(kSv39);
  const u64 good = satp_value(5);
  set_csr(csrn::satp, 0);
  for (u64 mode : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 11u, 12u, 13u, 14u, 15u}) {
    SCOPED_TRACE("mode " + std::to_string(mode));
    set_csr(csrn::satp, mode << 60 | (kPageTables >> 12));
    EXPECT_EQ(csr(csrn::satp), 0u);
  }
  set_csr(csrn::satp, good);
  EXPECT_EQ(csr(csrn::satp) & ~(0xFFFFull << 44), good & ~(0xFFFFull << 44)) << "MODE and PPN stick";
  const u64 with_asid = csr(csrn::satp);
  for (u64 mode : {1u, 7u, 11u, 15u}) {
    set_csr(csrn::satp, mode << 60 | 0x123);
    EXPECT_EQ(csr(csrn::satp), with_asid) << "mode " << mode;
  }
  // Sv48 and Sv57 are supported.
  for (u64 mode : {9u, 10u, 8u}) {
    set_csr(csrn::satp, mode << 60 | (kPageTables >> 12));
    EXPECT_EQ(csr(csrn::satp) >> 60, mode);
  }
}

TEST_F(MmuTest, SfenceVmaMakesAChangedPteVisible) {
  paging(kSv39);
  map(kVa, kData, pte::RW);
  for (u64 i = 0; i < 4; ++i) put64(kData + 0x1000 * i, 0xA0 + i);
  in(kPrivS);
  EXPECT_EQ(load64(kVa), 0xA0u);
  // Remap; before the fence either translation may be used.
  set_pte(kVa, (kData + 0x1000) >> 12 << 10 | pte::RW);
  run(sfence_vma(zero, zero));
  EXPECT_EQ(load64(kVa), 0xA1u);
  store64(kVa + 8, 0x55);
  EXPECT_EQ(read_data<u64>(kData + 0x1008), 0x55u);
  // Address-specific fence.
  set_pte(kVa, (kData + 0x2000) >> 12 << 10 | pte::RW);
  set_x(a4, kVa + 0x10);
  run(sfence_vma(a4, zero));
  EXPECT_EQ(load64(kVa), 0xA2u);
  // Address- and ASID-specific fence (ASID 0).
  set_pte(kVa, (kData + 0x3000) >> 12 << 10 | pte::RW);
  run(sfence_vma(a4, zero));
  EXPECT_EQ(load64(kVa), 0xA3u);
  // Invalidated: page fault.
  set_pte(kVa, 0);
  run(sfence_vma(zero, zero));
  set_x(a1, kVa);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, kVa, kPrivS);
}

TEST_F(MmuTest, SfenceVmaMakesAGrantedPermissionVisible) {
  paging(kSv39);
  map(kVa, kData, pte::V | pte::R | pte::A);
  in(kPrivS);
  load64(kVa);
  set_pte(kVa, (kData >> 12) << 10 | pte::RW);
  run(sfence_vma(zero, zero));
  store64(kVa, 0x4242);
  EXPECT_EQ(read_data<u64>(kData), 0x4242u);
}

// ---------------------------------------------------------------------------
// Misaligned accesses and fetches across a page boundary
// ---------------------------------------------------------------------------
TEST_F(MmuTest, MisalignedAccessIntoAFaultingSecondPage) {
  paging(kSv39);
  map(kVa, kData, pte::RW);  // kVa + 0x1000 is not mapped
  const u64 guard = 0x0102'0304'0506'0708ull;
  put64(kData + 0xFF8, guard);
  // The privileged spec lets the hart raise address-misaligned (tval = the
  // address) instead; if it performs the access, the fault names the part
  // that faulted: the second page.
  auto check = [&](u32 insn, u64 va, u64 misaligned, u64 page_fault) {
    SCOPED_TRACE("insn " + hex(insn) + " at " + hex(va));
    in(kPrivS);
    set_x(a0, 0x77);
    set_x(a1, va);
    EXPECT_FALSE(step(insn));
    EXPECT_EQ(priv(), kPrivM);
    if (hart_->mcause_ == misaligned) {
      EXPECT_EQ(hart_->mtval_, va);
    } else {
      EXPECT_EQ(hart_->mcause_, page_fault);
      EXPECT_EQ(hart_->mtval_, kVa + 0x1000) << "tval must be the second page's address";
    }
    EXPECT_EQ(x(a0), 0x77u);
    EXPECT_EQ(read_data<u64>(kData + 0xFF8), guard) << "nothing written";
  };
  check(ld(a0, a1, 0), kVa + 0xFFC, kCauseLoadMisaligned, kCauseLoadPage);
  check(lw(a0, a1, 0), kVa + 0xFFE, kCauseLoadMisaligned, kCauseLoadPage);
  check(sd(a0, a1, 0), kVa + 0xFFC, kCauseStoreMisaligned, kCauseStorePage);
  check(sw(a0, a1, 0), kVa + 0xFFE, kCauseStoreMisaligned, kCauseStorePage);
  // Second page read-only: the store faults on it and writes nothing.
  map(kVa + 0x1000, kData + 0x1000, pte::V | pte::R | pte::A);
  check(sd(a0, a1, 0), kVa + 0xFFC, kCauseStoreMisaligned, kCauseStorePage);
}

TEST_F(MmuTest, FetchStraddlingIntoAFaultingPage) {
  paging(kSv39);
  map(kVaCode, kCodePa, pte::RX);  // kVaCode + 0x1000 is not mapped
  put(kCodePa + 0xFFE, addi(a3, zero, 1) & 0xFFFF, 2);
  in(kPrivS);
  set_x(a3, 0);
  expect_fetch_trap(kVaCode + 0xFFE, kCauseInsnPage, kVaCode + 0x1000, kPrivS);
  EXPECT_EQ(x(a3), 0u);
  // A compressed instruction in the last halfword runs.
  put(kCodePa + 0xFFE, c_addi(a3, 5), 2);
  in(kPrivS);
  fetch_at(kVaCode + 0xFFE);
  EXPECT_EQ(x(a3), 5u);
  EXPECT_EQ(priv(), kPrivS);
}

// ---------------------------------------------------------------------------
// MPRV and delegation of page faults
// ---------------------------------------------------------------------------
TEST_F(MmuTest, MprvTranslatesMachineModeLoadsAndStores) {
  paging(kSv39);
  map(kVa, kData, pte::RW);
  map(kVa + 0x1000, kData + 0x1000, pte::RW | pte::U);
  put64(kData, 0x50);
  put64(kData + 0x1000, 0x51);
  // Without MPRV, M-mode does not translate: kVa is unmapped physically.
  set_x(a1, kVa);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadAccess, kVa, kPrivM);
  // MPRV with MPP = S.
  set_csr(csrn::medeleg, bit(kCauseLoadPage));  // M-mode faults still stay in M
  set_mstatus(st::MPRV | st::MPP_S, st::MPP);
  EXPECT_EQ(load64(kVa), 0x50u);
  store64(kVa + 8, 0x60);
  EXPECT_EQ(read_data<u64>(kData + 8), 0x60u);
  set_x(a1, kVa + 0x1000);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, kVa + 0x1000, kPrivM);  // U page, SUM = 0
  EXPECT_EQ(hart_->scause_, 0u);
  set_mstatus(st::MPRV | st::MPP_S | st::SUM, st::MPP);  // the trap set MPP = M
  EXPECT_EQ(load64(kVa + 0x1000), 0x51u);
  // MPP = U.
  set_mstatus(st::MPRV | st::MPP_U, st::MPP | st::SUM);
  EXPECT_EQ(load64(kVa + 0x1000), 0x51u);
  set_x(a1, kVa);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadPage, kVa, kPrivM);
  // Fetches are not affected: this M-mode code is not in the page tables.
  EXPECT_EQ(priv(), kPrivM);
  run(addi(a0, zero, 3));
  // MPP = M: no translation again.
  set_mstatus(st::MPRV | st::MPP_M);
  set_x(a1, kData);
  run(ld(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x50u);
}

TEST_F(MmuTest, PageFaultsDelegatedToS) {
  paging(kSv39);
  set_csr(csrn::medeleg, bit(kCauseInsnPage) | bit(kCauseLoadPage) | bit(kCauseStorePage));
  for (Priv p : {kPrivS, kPrivU}) {
    SCOPED_TRACE(p == kPrivS ? "from S" : "from U");
    in(p);
    set_x(a1, kVa + 0x123);
    expect_s_trap(ld(a0, a1, 0), kCauseLoadPage, kVa + 0x123);
    set_csr(csrn::sepc, (p == kPrivU ? kUCode : kSCode) + 0x3F00);
    set_csr(csrn::sstatus, p == kPrivS ? st::SPP : 0);
    run_jump(sret(), (p == kPrivU ? kUCode : kSCode) + 0x3F00);
    set_x(a1, kVa + 0x456);
    expect_s_trap(sw(a0, a1, 0), kCauseStorePage, kVa + 0x456);
    set_csr(csrn::sepc, (p == kPrivU ? kUCode : kSCode) + 0x3F80);
    set_csr(csrn::sstatus, p == kPrivS ? st::SPP : 0);
    run_jump(sret(), (p == kPrivU ? kUCode : kSCode) + 0x3F80);
    set_x(t6, kVa + 0x800);
    EXPECT_TRUE(step(jalr(zero, t6, 0)));
    hart_->interpret(1);
    EXPECT_EQ(priv(), kPrivS);
    EXPECT_EQ(hart_->scause_, kCauseInsnPage);
    EXPECT_EQ(hart_->stval_, kVa + 0x800);
    EXPECT_EQ(hart_->sepc_, kVa + 0x800);
    back_to_m();
  }
}

}  // namespace
}  // namespace orrery::riscv::test
