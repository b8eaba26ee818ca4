// Physical memory protection, from the privileged spec 1.12 ("Physical
// Memory Protection", "PMP CSRs", "Address Matching", "Locking and Privilege
// Mode", "Priority and Matching Logic", "PMP and Paging"):
//   * on RV64 pmpcfg0 and pmpcfg2 hold entries 0..15 (the odd pmpcfg
//     numbers are illegal); pmpaddr holds address bits 55:2;
//   * A = TOR: [pmpaddr[i-1]*4, pmpaddr[i]*4) (0 below entry 0), NA4: four
//     bytes, NAPOT: trailing ones encode the size;
//   * the lowest-numbered entry matching any byte decides; if it does not
//     match every byte the access fails; S/U accesses that match nothing
//     fail (entries are implemented); M succeeds unless the entry is locked;
//   * L: writes to the entry's pmpcfg and pmpaddr are ignored, and to
//     pmpaddr[i-1] when the entry is TOR; R = 0 with W = 1 is reserved (WARL);
//   * page-table walks are checked with the effective privilege S;
//   * a PMP CSR write takes effect for the next access (caching hardware
//     must not keep stale permissions - this hart promises it without an
//     SFENCE.VMA, which is the simplest legal behaviour to test).
// "All PMP CSR fields are WARL and may be read-only zero": the tests that
// write a field and read it back pin this hart's configuration (16 fully
// implemented entries, granularity G = 0, i.e. 4 bytes).
// Entry 15 is kept for the code: NAPOT over the first 64 KiB of RAM, X only;
// S and U code runs at kSCode..kSCode + 0x8000 inside it.
#include <gtest/gtest.h>

#include "priv_fixture.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

using namespace pmp;

class PmpTest : public PrivTest {
 protected:
  void SetUp() override {
    PrivTest::SetUp();
    set_pmp(15, napot(kRamBase, 0x10000), NAPOT | X);
  }
  // Entry i: address, then configuration (which may lock it).
  void set_pmp(unsigned i, u64 addr, std::uint8_t cfg) {
    set_csr(csrn::pmpaddr0 + i, addr);
    set_cfg(i, cfg);
  }
  void set_cfg(unsigned i, std::uint8_t cfg) {
    const u32 reg = i < 8 ? csrn::pmpcfg0 : csrn::pmpcfg2;
    const unsigned sh = 8 * (i % 8);
    const u64 v = csr(reg);
    set_csr(reg, (v & ~(0xFFull << sh)) | u64{cfg} << sh);
  }
  std::uint8_t cfg(unsigned i) {
    return static_cast<std::uint8_t>(csr(i < 8 ? csrn::pmpcfg0 : csrn::pmpcfg2) >> (8 * (i % 8)));
  }
  // Run insn once in privilege p (M: where we are) and come back to M.
  // Returns whether it retired; if not, it must have trapped to M with
  // `fault` (checked when nonzero).
  bool attempt(Priv p, u32 insn, u64 fault = 0) {
    if (p != kPrivM) {
      code_ = code_ + 0x40 >= 0x7F00 ? 0x40 : code_ + 0x40;
      enter(p, kSCode + code_);
    }
    const bool ok = step(insn);
    if (ok) {
      if (p != kPrivM) back_to_m();
    } else {
      EXPECT_EQ(priv(), kPrivM);
      if (fault) {
        EXPECT_EQ(hart_->mcause_, fault) << "insn " << hex(insn);
      }
    }
    return ok;
  }
  bool can_load(Priv p, Addr a, unsigned size = 4) {
    set_x(a1, a);
    const u32 insn = size == 1 ? lb(a0, a1, 0) : size == 2 ? lh(a0, a1, 0) : size == 4 ? lw(a0, a1, 0) : ld(a0, a1, 0);
    return attempt(p, insn, kCauseLoadAccess);
  }
  bool can_store(Priv p, Addr a, unsigned size = 4) {
    set_x(a1, a);
    const u32 insn = size == 1 ? sb(a0, a1, 0) : size == 2 ? sh(a0, a1, 0) : size == 4 ? sw(a0, a1, 0) : sd(a0, a1, 0);
    return attempt(p, insn, kCauseStoreAccess);
  }
  unsigned code_ = 0;
};

// ---------------------------------------------------------------------------
// CSRs
// ---------------------------------------------------------------------------
TEST_F(PmpTest, OddPmpcfgRegistersAreIllegalOnRv64) {
  for (u32 n : {csrn::pmpcfg1, csrn::pmpcfg3}) {
    expect_illegal(csrrs(a0, n, zero));
    expect_illegal(csrrw(zero, n, a1));
  }
}

TEST_F(PmpTest, PmpCsrsAreMachineOnly) {
  for (u32 n : {csrn::pmpcfg0, csrn::pmpcfg2, csrn::pmpaddr0, csrn::pmpaddr0 + 15}) {
    SCOPED_TRACE("CSR " + hex(n));
    enter(kPrivS, kSCode + 0x100);
    expect_m_trap(csrrs(a0, n, zero), kCauseIllegal, csrrs(a0, n, zero), kPrivS);
  }
}

TEST_F(PmpTest, AddressRegistersHoldBits55To2) {
  set_csr(csrn::pmpaddr0 + 3, ~0ull);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 3), (1ull << 54) - 1) << "bits 63:54 are zero";
  set_csr(csrn::pmpaddr0 + 3, 0x1234'5678);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 3), 0x1234'5678u) << "G = 0: every address bit is kept";
}

TEST_F(PmpTest, ConfigurationFieldsAreWarl) {
  // Bits 6:5 are reserved and read zero.
  set_cfg(2, 0x60 | TOR | R);
  EXPECT_EQ(cfg(2), TOR | R);
  // R = 0, W = 1 is reserved: whatever is kept must not be that combination.
  for (std::uint8_t v : {std::uint8_t(NAPOT | W), std::uint8_t(NAPOT | W | X), std::uint8_t(TOR | W)}) {
    set_cfg(3, v);
    const std::uint8_t got = cfg(3);
    EXPECT_FALSE((got & (R | W)) == W) << "wrote " << hex(v) << ", read " << hex(got);
  }
  // Every legal combination is kept.
  for (std::uint8_t a : {OFF, TOR, NA4, NAPOT}) {
    for (std::uint8_t perm : {0, 1, 3, 4, 5, 7}) {
      set_cfg(4, a | perm);
      EXPECT_EQ(cfg(4), a | perm);
    }
  }
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------
TEST_F(PmpTest, AccessesMatchingNoEntryFailBelowMOnly) {
  for (Priv p : {kPrivS, kPrivU}) {
    EXPECT_FALSE(can_load(p, kData));
    EXPECT_FALSE(can_store(p, kData));
  }
  EXPECT_TRUE(can_load(kPrivM, kData));
  EXPECT_TRUE(can_store(kPrivM, kData));
  // Without entry 15, S cannot even fetch.
  set_cfg(15, OFF);
  enter(kPrivS, kSCode + 0x100);
  hart_->interpret(1);
  EXPECT_EQ(priv(), kPrivM);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mtval_, kSCode + 0x100);
  EXPECT_EQ(hart_->mepc_, kSCode + 0x100);
}

TEST_F(PmpTest, TorMatchesFromThePreviousAddressUpToItsOwn) {
  set_pmp(1, kData >> 2, OFF);
  set_pmp(2, (kData + 0x100) >> 2, TOR | R | W);
  EXPECT_TRUE(can_load(kPrivS, kData));
  EXPECT_TRUE(can_load(kPrivS, kData + 0xFC));
  EXPECT_TRUE(can_store(kPrivU, kData + 0x80, 8));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x100)) << "the top is exclusive";
  EXPECT_FALSE(can_load(kPrivS, kData - 4));
  EXPECT_FALSE(can_load(kPrivS, kData + 0xFC, 8)) << "partly outside";
  // An empty range (pmpaddr[i-1] >= pmpaddr[i]) matches nothing.
  set_pmp(1, (kData + 0x100) >> 2, OFF);
  EXPECT_FALSE(can_load(kPrivS, kData));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x80));
}

TEST_F(PmpTest, TorInEntryZeroStartsAtAddressZero) {
  set_pmp(0, (kRamBase + 0x10) >> 2, TOR | R);
  EXPECT_TRUE(can_load(kPrivS, kRamBase));
  EXPECT_TRUE(can_load(kPrivS, kRamBase + 0xC));
  EXPECT_FALSE(can_load(kPrivS, kRamBase + 0x10));
  EXPECT_FALSE(can_store(kPrivS, kRamBase)) << "R only";
}

TEST_F(PmpTest, Na4MatchesFourBytes) {
  set_pmp(3, (kData + 0x20) >> 2, NA4 | R);
  EXPECT_TRUE(can_load(kPrivS, kData + 0x20));
  EXPECT_TRUE(can_load(kPrivS, kData + 0x23, 1));
  EXPECT_TRUE(can_load(kPrivS, kData + 0x22, 2));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x24, 1));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x1F, 1));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x20, 8)) << "eight bytes: partial match";
}

TEST_F(PmpTest, NapotMatchesNaturallyAlignedPowersOfTwo) {
  set_pmp(4, napot(kData + 0x40, 8), NAPOT | R | W);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 4), (kData + 0x40) >> 2) << "8 bytes: no trailing ones";
  EXPECT_TRUE(can_load(kPrivS, kData + 0x40, 8));
  EXPECT_TRUE(can_store(kPrivS, kData + 0x44));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x48, 1));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x3F, 1));
  set_pmp(5, napot(kData + 0x1000, 0x1000), NAPOT | R);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 5), ((kData + 0x1000) >> 2) | 0x1FF);
  EXPECT_TRUE(can_load(kPrivS, kData + 0x1000, 1));
  EXPECT_TRUE(can_load(kPrivS, kData + 0x1FF8, 8));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x2000, 1));
  EXPECT_FALSE(can_load(kPrivS, kData + 0xFFF, 1));
  // All of memory (X too: it now covers the code before entry 15 does).
  set_pmp(6, kAll, NAPOT | R | X);
  EXPECT_TRUE(can_load(kPrivU, kRamEnd - 8, 8));
  EXPECT_TRUE(can_load(kPrivU, kRamBase, 8));
}

TEST_F(PmpTest, LowestNumberedMatchingEntryWins) {
  set_pmp(4, (kData + 0x80) >> 2, NA4);                       // no permissions
  set_pmp(5, napot(kData, 0x1000), NAPOT | R | W);            // the page around it
  EXPECT_FALSE(can_load(kPrivS, kData + 0x80));
  EXPECT_FALSE(can_store(kPrivS, kData + 0x80));
  EXPECT_TRUE(can_load(kPrivS, kData + 0x84));
  // Swap the roles: the higher-numbered entry cannot take permission away.
  set_pmp(4, (kData + 0x80) >> 2, NA4 | R | W);
  set_pmp(5, napot(kData, 0x1000), NAPOT);
  EXPECT_TRUE(can_load(kPrivS, kData + 0x80));
  EXPECT_FALSE(can_load(kPrivS, kData + 0x84));
}

TEST_F(PmpTest, PartialMatchFailsEvenWhenBothEntriesAllow) {
  set_pmp(0, (kData + 0xC0) >> 2, NA4 | R | W);
  set_pmp(1, napot(kData, 0x1000), NAPOT | R | W);
  EXPECT_TRUE(can_load(kPrivS, kData + 0xC0, 4));
  EXPECT_TRUE(can_load(kPrivS, kData + 0xC4, 4));
  EXPECT_FALSE(can_load(kPrivS, kData + 0xC0, 8)) << "entry 0 matches only half";
  EXPECT_FALSE(can_store(kPrivS, kData + 0xBC, 8)) << "entry 0 matches only half";
  // "...the access fails, regardless of the L, R, W, and X bits": M too.
  EXPECT_FALSE(can_load(kPrivM, kData + 0xC0, 8));
  const u64 tval = hart_->mtval_;
  EXPECT_TRUE(tval >= kData + 0xC0 && tval < kData + 0xC8) << hex(tval);
  EXPECT_FALSE(can_store(kPrivM, kData + 0xBE, 4));
  EXPECT_TRUE(can_load(kPrivM, kData + 0xC0, 4));
}

TEST_F(PmpTest, FetchNeedsExecutePermission) {
  set_pmp(0, napot(kSCode + 0x1000, 0x1000), NAPOT | R | W);  // inside the code area, no X
  enter(kPrivS, kSCode + 0x1000);
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mtval_, kSCode + 0x1000);
  EXPECT_EQ(hart_->mepc_, kSCode + 0x1000);
  EXPECT_EQ((hart_->mstatus_ & st::MPP) >> 11, u64{kPrivS});
}

// ---------------------------------------------------------------------------
// Machine mode and locking
// ---------------------------------------------------------------------------
TEST_F(PmpTest, MachineModeIgnoresUnlockedEntries) {
  set_pmp(0, napot(kData, 0x1000), NAPOT);  // no permissions
  EXPECT_TRUE(can_load(kPrivM, kData));
  EXPECT_TRUE(can_store(kPrivM, kData));
  EXPECT_FALSE(can_load(kPrivS, kData));
}

TEST_F(PmpTest, LockedEntriesBindMachineMode) {
  set_pmp(0, napot(kData, 0x1000), NAPOT | R | L);
  EXPECT_TRUE(can_load(kPrivM, kData));
  EXPECT_FALSE(can_store(kPrivM, kData + 8));
  EXPECT_EQ(hart_->mtval_, kData + 8);
  EXPECT_TRUE(can_store(kPrivM, kData + 0x1000)) << "outside the entry";
  // M-mode fetches from a locked entry without X fail.
  set_pmp(1, napot(kRamBase + 0x2000, 0x1000), NAPOT | R | W | L);
  set_x(t6, kRamBase + 0x2000);
  EXPECT_TRUE(step(jalr(zero, t6, 0)));
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mepc_, kRamBase + 0x2000);
  EXPECT_EQ(hart_->mtval_, kRamBase + 0x2000);
}

TEST_F(PmpTest, LockedEntriesIgnoreWrites) {
  set_pmp(1, kData >> 2, OFF);
  set_pmp(2, (kData + 0x100) >> 2, TOR | R | L);
  set_pmp(4, napot(kData + 0x1000, 0x1000), NAPOT | L);
  set_pmp(3, 0x1111, OFF);
  // Configuration: the locked bytes keep their values, the others change.
  set_csr(csrn::pmpcfg0, 0);
  EXPECT_EQ(cfg(2), TOR | R | L);
  EXPECT_EQ(cfg(4), NAPOT | L);
  set_csr(csrn::pmpcfg0, 0x0707'0707'0707'0707ull);
  EXPECT_EQ(csr(csrn::pmpcfg0), 0x0707'0700'0700'0707ull | u64{NAPOT | L} << 32 | u64{TOR | R | L} << 16);
  // Addresses: the locked entries', and the one below a locked TOR entry.
  set_csr(csrn::pmpaddr0 + 2, 0);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 2), (kData + 0x100) >> 2);
  set_csr(csrn::pmpaddr0 + 1, 0);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 1), kData >> 2) << "the bottom of a locked TOR range";
  set_csr(csrn::pmpaddr0 + 4, 0);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 4), napot(kData + 0x1000, 0x1000));
  set_csr(csrn::pmpaddr0 + 3, 0x2222);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 3), 0x2222u) << "below a locked NAPOT entry: writable";
  set_csr(csrn::pmpaddr0 + 5, 0x3333);
  EXPECT_EQ(csr(csrn::pmpaddr0 + 5), 0x3333u);
  // The locked ranges still apply.
  EXPECT_FALSE(can_store(kPrivM, kData));
  EXPECT_TRUE(can_load(kPrivM, kData));
  EXPECT_FALSE(can_load(kPrivM, kData + 0x1000));
}

// ---------------------------------------------------------------------------
// PMP and paging; PMP changes
// ---------------------------------------------------------------------------
TEST_F(PmpTest, PageTableWalksAreCheckedAsSupervisorAccesses) {
  set_pmp(14, kAll, NAPOT | R | W | X);                          // everything else
  set_pmp(0, napot(kPageTables, 0x40000), NAPOT);                // the tables: nothing
  paging(kSv39);
  map(0x4000'0000, kData, pte::RWX);
  put(kData, addi(a3, zero, 1));
  // The code is identity-mapped through the same tables, so S cannot even
  // fetch: an instruction access fault (not a page fault), tval = va.
  enter(kPrivS, kSCode + 0x100);
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mtval_, kSCode + 0x100);
  // M-mode with MPRV (MPP = S) walks as S too: load and store access faults.
  set_mstatus(st::MPRV | st::MPP_S, st::MPP);
  set_x(a1, 0x4000'0010);
  expect_m_trap(ld(a0, a1, 0), kCauseLoadAccess, 0x4000'0010, kPrivM);
  set_mstatus(st::MPRV | st::MPP_S, st::MPP);
  expect_m_trap(sd(a0, a1, 0), kCauseStoreAccess, 0x4000'0010, kPrivM);
  set_mstatus(0, st::MPRV);
  // Readable tables: the walk works (the PTEs' A and D are already set).
  set_cfg(0, NAPOT | R);
  enter(kPrivS, kSCode + 0x200);
  set_x(a1, 0x4000'0000);
  run(lw(a0, a1, 0));
  EXPECT_EQ(x(a0), addi(a3, zero, 1));
  back_to_m();
  // A walk that must set A needs to write the PTE: without W it faults.
  set_pte(0x4000'1000, (kData >> 12) << 10 | pte::V | pte::R | pte::W);
  enter(kPrivS, kSCode + 0x300);
  set_x(a1, 0x4000'1000);
  expect_m_trap(lw(a0, a1, 0), kCauseLoadAccess, 0x4000'1000, kPrivS);
  EXPECT_EQ(get_pte(0x4000'1000) & pte::A, 0u);
}

TEST_F(PmpTest, ChangesApplyToPagesAlreadyInUse) {
  set_pmp(14, kAll, NAPOT | R | W | X);
  put_data(kData, "\x11\x22\x33\x44", 4);
  // S loads from the page, then M takes read permission away.
  enter(kPrivS, kSCode + 0x100);
  set_x(a1, kData);
  run(lw(a0, a1, 0));
  run(lw(a0, a1, 4));
  back_to_m();
  set_pmp(0, napot(kData, 0x1000), NAPOT);
  enter(kPrivS, kSCode + 0x200);
  set_x(a1, kData);
  expect_m_trap(lw(a0, a1, 0), kCauseLoadAccess, kData, kPrivS);
  // Moving the entry elsewhere (an address write only) gives it back.
  set_csr(csrn::pmpaddr0, napot(kData + 0x2000, 0x1000));
  enter(kPrivS, kSCode + 0x300);
  set_x(a1, kData);
  run(lw(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x44332211u);
  run(sw(a0, a1, 8));
  back_to_m();
  // Write permission taken away after a store.
  set_pmp(0, napot(kData, 0x1000), NAPOT | R);
  EXPECT_FALSE(can_store(kPrivS, kData + 8));
  EXPECT_TRUE(can_load(kPrivS, kData + 8));
  // Through a virtual mapping too.
  paging(kSv39);
  map(0x4000'0000, kData, pte::RWX);
  set_cfg(0, NAPOT | R | W);
  enter(kPrivS, kSCode + 0x400);
  set_x(a1, 0x4000'0000);
  run(lw(a0, a1, 0));
  run(sw(a0, a1, 0));
  back_to_m();
  set_cfg(0, NAPOT);
  enter(kPrivS, kSCode + 0x500);
  set_x(a1, 0x4000'0000);
  expect_m_trap(lw(a0, a1, 0), kCauseLoadAccess, 0x4000'0000, kPrivS);
  enter(kPrivS, kSCode + 0x600);
  set_x(a1, 0x4000'0000);
  expect_m_trap(sw(a0, a1, 0), kCauseStoreAccess, 0x4000'0000, kPrivS);
  // And for M-mode, when an entry gets locked.
  set_x(a1, kData + 0x3000);
  run(lw(a0, a1, 0));
  set_pmp(1, napot(kData + 0x3000, 0x1000), NAPOT | L);
  set_x(a1, kData + 0x3000);
  expect_m_trap(lw(a0, a1, 0), kCauseLoadAccess, kData + 0x3000, kPrivM);
}

}  // namespace
}  // namespace orrery::riscv::test
