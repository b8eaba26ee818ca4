// The software TLB's watched write entries (pages holding decoded code:
// writes must leave the fast path so the bus can invalidate that code).
#include <gtest/gtest.h>

#include <cstdint>

#include "orrery/mmu/soft_tlb.hpp"

namespace orrery::mmu {
namespace {

using Tlb = SoftTlb<>;
constexpr std::uint64_t kPage = Tlb::kPageSize;

// Host pages standing in for guest RAM.
alignas(4096) std::uint8_t host_memory[4 * kPage];
std::uint8_t* host_page(unsigned i) { return host_memory + i * kPage; }

// Virtual pages in distinct TLB slots (the index is the low bits of the
// page number).
constexpr std::uint64_t kVa = 0x40001000;
constexpr std::uint64_t kVa2 = 0x40002000;
constexpr std::uint64_t kVaAlias = 0x7fff3000;  // maps the same host page as kVa

TEST(SoftTlb, NormalWriteEntryHitsTheFastPathOnly) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, true, true);
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 8, 8), host_page(0) + 8);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + 8, 8), nullptr);
}

TEST(SoftTlb, WatchWritesMovesWritesToTheWatchedLookup) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, true, true);
  tlb.watch_writes(host_page(0));
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 8, 8), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + 8, 8), host_page(0) + 8);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + kPage - 1, 1), host_page(0) + kPage - 1);
  EXPECT_EQ(tlb.lookup<Access::Read>(kVa + 8, 8), host_page(0) + 8);
  EXPECT_EQ(tlb.lookup<Access::Execute>(kVa + 8, 4), host_page(0) + 8);
  // Watching again changes nothing.
  tlb.watch_writes(host_page(0));
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 8, 8), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + 8, 8), host_page(0) + 8);
}

TEST(SoftTlb, WatchWritesLeavesEntriesOfOtherHostPagesAlone) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, true, true);
  tlb.fill(kVa2, host_page(1), true, true, true);
  tlb.watch_writes(host_page(1));
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 16, 4), host_page(0) + 16);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + 16, 4), nullptr);
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa2 + 16, 4), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa2 + 16, 4), host_page(1) + 16);
  // A page start one page off is another page (an entry is not watched for
  // its neighbour).
  tlb.watch_writes(host_page(2));
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 16, 4), host_page(0) + 16);
}

TEST(SoftTlb, WatchWritesCatchesEveryVirtualAlias) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, true, false);
  tlb.fill(kVaAlias, host_page(0), true, true, false);
  tlb.watch_writes(host_page(0));
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa, 4), nullptr);
  EXPECT_EQ(tlb.lookup<Access::Write>(kVaAlias, 4), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa, 4), host_page(0));
  EXPECT_EQ(tlb.lookup_watched_write(kVaAlias + 4, 4), host_page(0) + 4);
}

TEST(SoftTlb, WatchingNeverGrantsWriteAccess) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, false, true);  // read-only code page
  tlb.watch_writes(host_page(0));
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa, 4), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa, 4), nullptr);
  EXPECT_EQ(tlb.lookup<Access::Read>(kVa, 4), host_page(0));
  EXPECT_EQ(tlb.lookup<Access::Execute>(kVa, 4), host_page(0));
}

TEST(SoftTlb, FillWatchedBehavesLikeAWatchedEntry) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, true, true, true);
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 8, 8), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + 8, 8), host_page(0) + 8);
  EXPECT_EQ(tlb.lookup<Access::Read>(kVa + 8, 8), host_page(0) + 8);
  EXPECT_EQ(tlb.lookup<Access::Execute>(kVa + 8, 4), host_page(0) + 8);
  // watched without write permission is still no write at all.
  tlb.fill(kVa2, host_page(1), true, false, true, true);
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa2, 4), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa2, 4), nullptr);
  EXPECT_EQ(tlb.lookup<Access::Read>(kVa2, 4), host_page(1));
  // Refilling a slot replaces its watched state.
  tlb.fill(kVa, host_page(0), true, true, true, false);
  EXPECT_EQ(tlb.lookup<Access::Write>(kVa + 8, 8), host_page(0) + 8);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + 8, 8), nullptr);
}

TEST(SoftTlb, WatchedWriteChecksTheTagAndThePageEnd) {
  Tlb tlb;
  tlb.fill(kVa, host_page(0), true, true, true, true);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + kPage - 4, 4), host_page(0) + kPage - 4);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + kPage - 4, 8), nullptr) << "crosses into the next page";
  EXPECT_EQ(tlb.lookup_watched_write(kVa + kPage - 1, 2), nullptr) << "crosses into the next page";
  // Same slot (page number + 1024 pages), another page.
  EXPECT_EQ(tlb.lookup_watched_write(kVa + (kPage << 10), 4), nullptr);
  EXPECT_EQ(tlb.lookup_watched_write(kVa + kPage, 4), nullptr) << "the next page is not entered";
  tlb.flush();
  EXPECT_EQ(tlb.lookup_watched_write(kVa, 4), nullptr);
  EXPECT_EQ(tlb.lookup<Access::Read>(kVa, 4), nullptr);
}

// A flush clears a few recent fills one by one and a well-used TLB whole;
// either way nothing stays entered, also entries filled twice.
TEST(SoftTlb, FlushForgetsFewAndManyFills) {
  for (unsigned fills : {1u, 5u, 32u, 33u, 700u, 3000u}) {
    Tlb tlb;
    for (unsigned i = 0; i < fills; ++i) tlb.fill(kVa + i * kPage, host_page(i % 4), true, true, true);
    tlb.flush();
    for (unsigned i = 0; i < fills; ++i) {
      EXPECT_EQ(tlb.lookup<Access::Read>(kVa + i * kPage, 8), nullptr) << fills << " fills, page " << i;
      EXPECT_EQ(tlb.lookup<Access::Write>(kVa + i * kPage, 8), nullptr);
      EXPECT_EQ(tlb.lookup<Access::Execute>(kVa + i * kPage, 4), nullptr);
    }
    // And it keeps working: a fill after the flush is found, the next flush forgets it.
    tlb.fill(kVa2, host_page(1), true, false, false);
    EXPECT_EQ(tlb.lookup<Access::Read>(kVa2, 8), host_page(1));
    tlb.flush();
    EXPECT_EQ(tlb.lookup<Access::Read>(kVa2, 8), nullptr);
  }
}

}  // namespace
}  // namespace orrery::mmu
