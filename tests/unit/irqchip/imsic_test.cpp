#include <gtest/gtest.h>

#include "orrery/core/types.hpp"
#include "orrery/irqchip/imsic.hpp"

namespace orrery {
namespace {

// An interrupt file of QEMU virt's size (255 identities) with its output.
struct FileFixture : ::testing::Test {
  FileFixture() {
    file.connect([this](bool l) {
      out = l;
      ++edges;
    });
  }
  std::uint64_t rd(unsigned iselect) {
    std::uint64_t v = 0xdead;
    EXPECT_TRUE(file.read_indirect(iselect, v)) << std::hex << iselect;
    return v;
  }
  void wr(unsigned iselect, std::uint64_t v) { EXPECT_TRUE(file.write_indirect(iselect, v)) << std::hex << iselect; }
  void enable(unsigned id) {
    const unsigned eie = ImsicFile::kEie0 + 2 * (id / 64);
    wr(eie, rd(eie) | 1ull << (id % 64));
  }

  ImsicFile file{255};
  bool out = false;
  int edges = 0;
};

TEST_F(FileFixture, EideliveryIsZeroOrOne) {
  EXPECT_EQ(rd(ImsicFile::kEidelivery), 0u) << "reset";
  wr(ImsicFile::kEidelivery, 1);
  EXPECT_EQ(rd(ImsicFile::kEidelivery), 1u);
  wr(ImsicFile::kEidelivery, 0x40000000);
  EXPECT_EQ(rd(ImsicFile::kEidelivery), 0u) << "PLIC/APLIC delivery is not supported";
  wr(ImsicFile::kEidelivery, 0xffffffff);
  EXPECT_EQ(rd(ImsicFile::kEidelivery), 1u) << "WARL";
}

TEST_F(FileFixture, EithresholdHoldsZeroThroughN) {
  wr(ImsicFile::kEithreshold, 255);
  EXPECT_EQ(rd(ImsicFile::kEithreshold), 255u);
  wr(ImsicFile::kEithreshold, 17);
  EXPECT_EQ(rd(ImsicFile::kEithreshold), 17u);
  wr(ImsicFile::kEithreshold, 0x1ff);
  EXPECT_EQ(rd(ImsicFile::kEithreshold), 0xffu) << "8 bits for N = 255";
  ImsicFile big(2047);
  big.write_indirect(ImsicFile::kEithreshold, 0xffff);
  std::uint64_t v = 0;
  big.read_indirect(ImsicFile::kEithreshold, v);
  EXPECT_EQ(v, 2047u);
}

TEST_F(FileFixture, ReservedSelectsReadZeroAndOthersAreIllegal) {
  for (unsigned s : {0x71u, 0x73u, 0x7fu}) {
    wr(s, ~0ull);
    EXPECT_EQ(rd(s), 0u) << std::hex << s;
  }
  std::uint64_t v = 0;
  for (unsigned s : {0x81u, 0x83u, 0xbfu, 0xc1u, 0xffu}) {
    EXPECT_FALSE(file.read_indirect(s, v)) << "odd eip/eie do not exist on RV64: " << std::hex << s;
    EXPECT_FALSE(file.write_indirect(s, 1)) << std::hex << s;
  }
  for (unsigned s : {0x00u, 0x30u, 0x6fu, 0x100u, 0x1ffu}) {
    EXPECT_FALSE(file.read_indirect(s, v)) << "not an interrupt-file register: " << std::hex << s;
    EXPECT_FALSE(file.write_indirect(s, 1)) << std::hex << s;
  }
}

TEST_F(FileFixture, EipAndEieCoverIdentitiesOneThroughN) {
  for (unsigned base : {ImsicFile::kEip0, ImsicFile::kEie0}) {
    wr(base, ~0ull);
    EXPECT_EQ(rd(base), ~1ull) << "identity 0 is read-only zero";
    wr(base + 2, ~0ull);
    EXPECT_EQ(rd(base + 2), ~0ull) << "64..127";
    wr(base + 6, ~0ull);
    EXPECT_EQ(rd(base + 6), ~0ull) << "192..255: 255 is the last";
    wr(base + 8, ~0ull);
    EXPECT_EQ(rd(base + 8), 0u) << "256.. are not implemented";
    wr(base + 62, ~0ull);
    EXPECT_EQ(rd(base + 62), 0u);
  }
  EXPECT_TRUE(file.pending(1));
  EXPECT_TRUE(file.pending(255));
  EXPECT_TRUE(file.enabled(100));
  EXPECT_FALSE(file.enabled(130)) << "eie4 was not written";
  EXPECT_FALSE(file.pending(0));
  EXPECT_FALSE(file.pending(256));
  ImsicFile small(63);
  small.write_indirect(ImsicFile::kEie0, ~0ull);
  std::uint64_t v = 0;
  small.read_indirect(ImsicFile::kEie0, v);
  EXPECT_EQ(v, 0xfffffffffffffffeull) << "63 identities: 1..63";
  EXPECT_THROW(ImsicFile(100), Error);
  EXPECT_THROW(ImsicFile(4095), Error);
}

TEST_F(FileFixture, TopeiIsTheLowestPendingEnabledIdentityBelowTheThreshold) {
  EXPECT_EQ(file.topei(), 0u);
  file.set_pending(70);
  file.set_pending(9);
  EXPECT_EQ(file.topei(), 0u) << "not enabled";
  enable(70);
  EXPECT_EQ(file.topei(), 70u << 16 | 70u) << "identity in 26:16 and 10:0";
  enable(9);
  EXPECT_EQ(file.topei(), 9u << 16 | 9u);
  wr(ImsicFile::kEithreshold, 9);
  EXPECT_EQ(file.topei(), 0u) << "identities >= the threshold do not count";
  wr(ImsicFile::kEithreshold, 10);
  EXPECT_EQ(file.topei(), 9u << 16 | 9u);
  EXPECT_EQ(rd(ImsicFile::kEip0), 1ull << 9);
  EXPECT_EQ(rd(ImsicFile::kEip0 + 2), 1ull << 6);
}

TEST_F(FileFixture, ClaimClearsTheReportedIdentity) {
  for (unsigned id : {3u, 200u, 64u}) {
    enable(id);
    file.set_pending(id);
  }
  EXPECT_EQ(file.claim(), 3u << 16 | 3u);
  EXPECT_FALSE(file.pending(3));
  EXPECT_EQ(file.claim(), 64u << 16 | 64u);
  EXPECT_EQ(file.claim(), 200u << 16 | 200u);
  EXPECT_EQ(file.claim(), 0u) << "nothing left: the write has no effect";
  file.set_pending(5);  // pending, not enabled: a claim must not touch it
  EXPECT_EQ(file.claim(), 0u);
  EXPECT_TRUE(file.pending(5));
}

TEST_F(FileFixture, OutputNeedsDeliveryAndAnEligibleIdentity) {
  enable(40);
  file.set_pending(40);
  EXPECT_FALSE(out) << "eidelivery = 0";
  EXPECT_NE(file.topei(), 0u) << "topei does not depend on eidelivery";
  wr(ImsicFile::kEidelivery, 1);
  EXPECT_TRUE(out);
  EXPECT_TRUE(file.interrupt());
  wr(ImsicFile::kEithreshold, 40);
  EXPECT_FALSE(out);
  wr(ImsicFile::kEithreshold, 0);
  EXPECT_TRUE(out);
  wr(ImsicFile::kEie0, 0);
  EXPECT_FALSE(out) << "disabled";
  enable(40);
  EXPECT_TRUE(out);
  wr(ImsicFile::kEip0, 0);
  EXPECT_FALSE(out) << "software cleared the pending bit";
  wr(ImsicFile::kEip0, 1ull << 40);
  EXPECT_TRUE(out) << "software can set pending bits too";
  file.claim();
  EXPECT_FALSE(out);
  const int before = edges;
  file.set_pending(0);
  file.set_pending(256);
  file.set_pending(100000);
  EXPECT_EQ(edges, before);
  EXPECT_EQ(file.topei(), 0u) << "identities outside 1..N are ignored";
}

TEST_F(FileFixture, ResetClearsEverything) {
  wr(ImsicFile::kEidelivery, 1);
  enable(2);
  file.set_pending(2);
  EXPECT_TRUE(out);
  file.reset();
  EXPECT_FALSE(out);
  EXPECT_EQ(rd(ImsicFile::kEidelivery), 0u);
  EXPECT_EQ(rd(ImsicFile::kEie0), 0u);
  EXPECT_EQ(rd(ImsicFile::kEip0), 0u);
}

// ---- the memory-mapped pages ----

TEST(Imsic, GuestIndexBitsRoundUpToAPowerOfTwo) {
  EXPECT_EQ(Imsic::guest_index_bits(0), 0u);
  EXPECT_EQ(Imsic::guest_index_bits(1), 1u);
  EXPECT_EQ(Imsic::guest_index_bits(2), 2u);
  EXPECT_EQ(Imsic::guest_index_bits(3), 2u);
  EXPECT_EQ(Imsic::guest_index_bits(4), 3u);
  EXPECT_EQ(Imsic::guest_index_bits(7), 3u);
  Imsic m(2, 0), s(3, 2), s7(1, 7);
  EXPECT_EQ(m.hart_stride(), 0x1000u);
  EXPECT_EQ(m.size(), 0x2000u) << "QEMU virt, -smp 2: imsics@24000000 reg size 0x2000";
  EXPECT_EQ(s.hart_stride(), 0x4000u) << "S + 2 guests = 3 pages, rounded up to 4";
  EXPECT_EQ(s.size(), 0xc000u) << "QEMU virt, -smp 3, aia-guests=2: imsics@28000000 reg size 0xc000";
  EXPECT_EQ(s7.size(), 0x8000u);
  EXPECT_THROW(Imsic(0, 0), Error);
}

TEST(Imsic, SeteipnumLittleAndBigEndian) {
  Imsic imsic(2, 2);
  // Hart 1's S file, guest 1, guest 2.
  EXPECT_TRUE(imsic.write(0x4000, 4, 7));
  EXPECT_TRUE(imsic.file(1, 0).pending(7));
  EXPECT_TRUE(imsic.write(0x5000 + Imsic::kSeteipnumLe, 4, 200));
  EXPECT_TRUE(imsic.file(1, 1).pending(200));
  // Identity 0x12 written big-endian: bytes 00 00 00 12, which a
  // little-endian bus delivers as the value 0x12000000.
  EXPECT_TRUE(imsic.write(0x6000 + Imsic::kSeteipnumBe, 4, 0x12000000));
  EXPECT_TRUE(imsic.file(1, 2).pending(0x12));
  EXPECT_FALSE(imsic.file(1, 2).pending(0));
  EXPECT_TRUE(imsic.write(0x0000 + Imsic::kSeteipnumBe, 4, 0x12));  // 0x12000000 big-endian: not implemented
  EXPECT_EQ(imsic.file(0, 0).topei(), 0u);
  std::uint64_t v = 1;
  EXPECT_TRUE(imsic.read(0x4000, 4, v));
  EXPECT_EQ(v, 0u) << "seteipnum reads zero";
  EXPECT_TRUE(imsic.read(0x6004, 4, v));
  EXPECT_EQ(v, 0u);
}

TEST(Imsic, OtherAccessesAreIgnored) {
  Imsic imsic(2, 2);
  const auto nothing = [&] {
    for (unsigned h = 0; h < 2; ++h)
      for (unsigned g = 0; g <= 2; ++g)
        for (unsigned k = 0; k < 8; k += 2) {
          std::uint64_t v = 1;
          EXPECT_TRUE(imsic.file(h, g).read_indirect(ImsicFile::kEip0 + k, v));
          EXPECT_EQ(v, 0u) << "hart " << h << " file " << g << " eip" << k;
        }
  };
  EXPECT_TRUE(imsic.write(0, 1, 5)) << "byte";
  EXPECT_TRUE(imsic.write(0, 2, 5)) << "halfword";
  EXPECT_TRUE(imsic.write(0, 8, 5)) << "doubleword";
  EXPECT_TRUE(imsic.write(2, 4, 5)) << "misaligned";
  EXPECT_TRUE(imsic.write(1, 1, 5));
  EXPECT_TRUE(imsic.write(8, 4, 5)) << "reserved word";
  EXPECT_TRUE(imsic.write(0xffc, 4, 5));
  EXPECT_TRUE(imsic.write(0, 4, 0)) << "identity 0";
  EXPECT_TRUE(imsic.write(0, 4, 256)) << "identity past N";
  EXPECT_TRUE(imsic.write(0x3000, 4, 5)) << "the fourth page of a hart is padding";
  EXPECT_TRUE(imsic.write(0x8000, 4, 5)) << "past the last hart";
  nothing();
  std::uint64_t v = 1;
  EXPECT_TRUE(imsic.read(0x8, 4, v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(imsic.read(0x0, 8, v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(imsic.write(0, 4, 5));
  EXPECT_TRUE(imsic.file(0, 0).pending(5)) << "the one access that counts";
}

TEST(Imsic, ResetResetsEveryFile) {
  Imsic imsic(1, 1);
  bool out = false;
  imsic.file(0, 1).connect([&](bool l) { out = l; });
  imsic.file(0, 1).write_indirect(ImsicFile::kEidelivery, 1);
  imsic.file(0, 1).write_indirect(ImsicFile::kEie0, 2);
  imsic.write(0x1000, 4, 1);
  EXPECT_TRUE(out);
  imsic.reset();
  EXPECT_FALSE(out);
  EXPECT_FALSE(imsic.file(0, 1).pending(1));
}

}  // namespace
}  // namespace orrery
