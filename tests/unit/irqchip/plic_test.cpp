#include <gtest/gtest.h>

#include "orrery/irqchip/plic.hpp"

namespace orrery {
namespace {

// QEMU virt's shape: 96 sources, 3 priority bits, contexts M and S per hart.
struct PlicFixture : ::testing::Test {
  PlicFixture() {
    for (unsigned c = 0; c < 4; ++c) plic.connect(c, [this, c](bool l) { out[c] = l; });
  }
  std::uint32_t rd(Addr off) {
    std::uint64_t v = 0;
    EXPECT_TRUE(plic.read(off, 4, v));
    return static_cast<std::uint32_t>(v);
  }
  void wr(Addr off, std::uint32_t v) { EXPECT_TRUE(plic.write(off, 4, v)); }
  void priority(unsigned id, std::uint32_t p) { wr(4 * id, p); }
  void enable(unsigned ctx, unsigned id) {
    const Addr a = Plic::kEnableBase + ctx * Plic::kEnableStride + id / 32 * 4;
    wr(a, rd(a) | 1u << (id % 32));
  }
  void threshold(unsigned ctx, std::uint32_t t) { wr(Plic::kContextBase + ctx * Plic::kContextStride, t); }
  std::uint32_t claim(unsigned ctx) { return rd(Plic::kContextBase + ctx * Plic::kContextStride + 4); }
  void complete(unsigned ctx, std::uint32_t id) { wr(Plic::kContextBase + ctx * Plic::kContextStride + 4, id); }

  Plic plic{96, 4, 3};
  bool out[4] = {};
};

TEST_F(PlicFixture, PriorityIsWarlAndSourceZeroIsHardwired) {
  priority(5, 0xffffffff);
  EXPECT_EQ(rd(4 * 5), 7u) << "3 priority bits";
  priority(0, 7);
  EXPECT_EQ(rd(0), 0u);
  wr(Plic::kEnableBase, 0xffffffff);
  EXPECT_EQ(rd(Plic::kEnableBase), 0xfffffffeu) << "source 0 cannot be enabled";
  wr(Plic::kEnableBase + 8, 0xffffffff);
  EXPECT_EQ(rd(Plic::kEnableBase + 8), 0xffffffffu) << "sources 64..95 exist";
  wr(Plic::kEnableBase + 12, 0xffffffff);
  EXPECT_EQ(rd(Plic::kEnableBase + 12), 0u) << "sources 96.. do not";
  threshold(1, 0xff);
  EXPECT_EQ(rd(Plic::kContextBase + Plic::kContextStride), 7u);
  std::uint64_t v;
  EXPECT_FALSE(plic.read(0, 8, v)) << "32-bit registers only";
  EXPECT_FALSE(plic.write(0, 1, 0));
}

TEST_F(PlicFixture, PendingEnabledSourceAboveThresholdNotifiesItsContexts) {
  plic.set_source(10, true);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 10);
  EXPECT_FALSE(out[0]) << "priority 0 never interrupts";
  priority(10, 1);
  EXPECT_FALSE(out[0]) << "not enabled";
  enable(0, 10);
  EXPECT_TRUE(out[0]);
  EXPECT_FALSE(out[1]) << "S context not enabled";
  threshold(0, 1);
  EXPECT_FALSE(out[0]) << "priority must exceed the threshold";
  threshold(0, 0);
  EXPECT_TRUE(out[0]);
  wr(Plic::kPendingBase, 0);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 10) << "pending bits are read-only";
}

TEST_F(PlicFixture, ClaimTakesHighestPriorityThenLowestId) {
  for (unsigned id : {3u, 7u, 40u, 41u}) {
    enable(1, id);
    plic.set_source(id, true);
  }
  priority(3, 2);
  priority(7, 5);
  priority(40, 5);
  priority(41, 6);
  EXPECT_TRUE(out[1]);
  EXPECT_EQ(claim(1), 41u);
  EXPECT_EQ(claim(1), 7u) << "tie between 7 and 40: lowest ID";
  EXPECT_EQ(claim(1), 40u);
  EXPECT_EQ(claim(1), 3u);
  EXPECT_FALSE(out[1]);
  EXPECT_EQ(claim(1), 0u) << "nothing pending: claim returns 0";
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  EXPECT_EQ(rd(Plic::kPendingBase + 4), 0u);
}

TEST_F(PlicFixture, LevelSourceRequestsAgainOnlyAfterCompletion) {
  priority(10, 1);
  enable(0, 10);
  plic.set_source(10, true);
  EXPECT_EQ(claim(0), 10u);
  EXPECT_FALSE(out[0]);
  plic.set_source(10, true);
  EXPECT_FALSE(out[0]) << "the gateway holds requests until completion";
  complete(0, 10);
  EXPECT_TRUE(out[0]) << "still asserted at completion: pending again";
  EXPECT_EQ(claim(0), 10u);
  plic.set_source(10, false);
  complete(0, 10);
  EXPECT_FALSE(out[0]) << "deasserted: no new request";
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
}

TEST_F(PlicFixture, CompletionForASourceNotEnabledIsIgnored) {
  priority(9, 1);
  enable(0, 9);
  plic.set_source(9, true);
  EXPECT_EQ(claim(0), 9u);
  complete(2, 9);  // context 2 has not enabled source 9
  EXPECT_FALSE(out[0]);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u) << "still in flight";
  complete(0, 9);
  EXPECT_TRUE(out[0]);
}

TEST_F(PlicFixture, PendingBitSurvivesDeassertionUntilClaimed) {
  priority(4, 1);
  enable(0, 4);
  enable(2, 4);
  plic.set_source(4, true);
  plic.set_source(4, false);
  EXPECT_TRUE(out[0]);
  EXPECT_TRUE(out[2]);
  EXPECT_EQ(claim(2), 4u);
  EXPECT_FALSE(out[0]) << "a claim by one context clears the request for all";
  EXPECT_EQ(claim(0), 0u);
}

TEST_F(PlicFixture, ResetForgetsConfigurationButNotAssertedLines) {
  priority(6, 3);
  enable(0, 6);
  plic.set_source(6, true);
  EXPECT_TRUE(out[0]);
  plic.reset();
  EXPECT_FALSE(out[0]);
  EXPECT_EQ(rd(4 * 6), 0u);
  EXPECT_EQ(rd(Plic::kPendingBase), 1u << 6) << "the line is still high";
}

TEST_F(PlicFixture, OutOfRangeIdsAndContextsAreHarmless) {
  plic.set_source(0, true);
  plic.set_source(96, true);
  plic.set_source(1000, true);
  EXPECT_EQ(rd(Plic::kPendingBase), 0u);
  EXPECT_EQ(rd(Plic::kContextBase + 10 * Plic::kContextStride + 4), 0u) << "no context 10";
  wr(Plic::kContextBase + 10 * Plic::kContextStride, 1);
  complete(0, 500);
}

}  // namespace
}  // namespace orrery
