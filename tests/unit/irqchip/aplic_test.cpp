#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "orrery/core/bus.hpp"
#include "orrery/core/types.hpp"
#include "orrery/irqchip/aplic.hpp"
#include "orrery/irqchip/imsic.hpp"

namespace orrery {
namespace {

std::uint32_t rd(Aplic& a, Addr off) {
  std::uint64_t v = 0xdeadbeef;
  EXPECT_TRUE(a.read(off, 4, v));
  return static_cast<std::uint32_t>(v);
}
void wr(Aplic& a, Addr off, std::uint32_t v) { EXPECT_TRUE(a.write(off, 4, v)); }
Addr sourcecfg(unsigned id) { return Aplic::kSourcecfg + 4 * (id - 1); }
Addr target(unsigned id) { return Aplic::kTarget + 4 * (id - 1); }
Addr idc(unsigned hart, Addr reg) { return Aplic::kIdc + hart * Aplic::kIdcSize + reg; }
constexpr std::uint32_t kIe = Aplic::kDomaincfgIe;
constexpr std::uint32_t kMsiLock = Aplic::kMsiaddrcfgL;

AplicConfig direct_config(bool machine_level = true) {
  AplicConfig c;
  c.sources = 96;
  c.harts = 2;
  c.machine_level = machine_level;
  c.direct = true;
  c.msi = false;
  c.priority_bits = 3;
  return c;
}

AplicConfig msi_config(bool machine_level, unsigned guests = 0) {
  AplicConfig c = direct_config(machine_level);
  c.direct = false;
  c.msi = true;
  c.guests = guests;
  return c;
}

// QEMU virt's aia=aplic shape: a machine-level root in direct mode with a
// supervisor-level child, two harts; lines[domain][hart].
struct DirectFixture : ::testing::Test {
  DirectFixture() {
    m.add_child(s);
    for (unsigned h = 0; h < 2; ++h) {
      m.connect(h, [this, h](bool l) { lines[0][h] = l; });
      s.connect(h, [this, h](bool l) { lines[1][h] = l; });
    }
  }
  // Source id active in domain d with mode sm, enabled, to hart h at priority p.
  void route(Aplic& d, unsigned id, std::uint32_t sm, unsigned h = 0, unsigned p = 1) {
    wr(d, sourcecfg(id), sm);
    wr(d, target(id), h << 18 | p);
    wr(d, Aplic::kSetienum, id);
  }
  void deliver(Aplic& d, unsigned h) {
    wr(d, Aplic::kDomaincfg, kIe);
    wr(d, idc(h, Aplic::kIdelivery), 1);
  }
  Aplic m{direct_config(true)};
  Aplic s{direct_config(false)};
  bool lines[2][2] = {};
};

TEST_F(DirectFixture, DomaincfgReadsTheFixedByteIeAndDm) {
  EXPECT_EQ(rd(m, Aplic::kDomaincfg), 0x80000000u) << "reset: IE = 0, direct, little-endian";
  wr(m, Aplic::kDomaincfg, 0xffffffff);
  EXPECT_EQ(rd(m, Aplic::kDomaincfg), 0x80000100u) << "IE only: DM and BE are read-only 0 here";
  wr(m, Aplic::kDomaincfg, 0);
  EXPECT_EQ(rd(m, Aplic::kDomaincfg), 0x80000000u);

  Aplic msi_only(msi_config(true));
  EXPECT_EQ(rd(msi_only, Aplic::kDomaincfg), 0x80000004u) << "DM read-only 1";
  wr(msi_only, Aplic::kDomaincfg, 0x101);
  EXPECT_EQ(rd(msi_only, Aplic::kDomaincfg), 0x80000104u);

  AplicConfig both = direct_config();
  both.msi = true;
  Aplic either(both);
  wr(either, Aplic::kDomaincfg, 0x104);
  EXPECT_EQ(rd(either, Aplic::kDomaincfg), 0x80000104u) << "DM writable when both modes exist";
  EXPECT_TRUE(either.msi_mode());
  wr(either, Aplic::kDomaincfg, 0);
  EXPECT_FALSE(either.msi_mode());
}

TEST_F(DirectFixture, SourcecfgModesAndReservedValues) {
  for (std::uint32_t sm : {0u, 1u, 4u, 5u, 6u, 7u}) {
    wr(m, sourcecfg(9), sm);
    EXPECT_EQ(rd(m, sourcecfg(9)), sm);
  }
  wr(m, sourcecfg(9), 2);
  EXPECT_EQ(rd(m, sourcecfg(9)), 0u) << "reserved mode: inactive";
  wr(m, sourcecfg(9), 3);
  EXPECT_EQ(rd(m, sourcecfg(9)), 0u);
  wr(m, sourcecfg(9), 0xfffffbf6);
  EXPECT_EQ(rd(m, sourcecfg(9)), 6u) << "only SM when D = 0";
  wr(m, sourcecfg(96), 4);
  EXPECT_EQ(rd(m, sourcecfg(96)), 4u) << "96 sources: 1..96";
  wr(m, sourcecfg(97), 4);
  EXPECT_EQ(rd(m, sourcecfg(97)), 0u) << "source 97 does not exist";
  wr(m, sourcecfg(1023), 4);
  EXPECT_EQ(rd(m, sourcecfg(1023)), 0u);
  // A leaf domain cannot delegate: the whole register becomes zero.
  wr(m, sourcecfg(9), 0x400);
  wr(s, sourcecfg(9), 6);
  EXPECT_EQ(rd(s, sourcecfg(9)), 6u);
  wr(s, sourcecfg(9), 0x406);
  EXPECT_EQ(rd(s, sourcecfg(9)), 0u);
  EXPECT_FALSE(s.active(9));
}

TEST_F(DirectFixture, DelegationGivesTheSourceToTheChild) {
  EXPECT_EQ(m.children().size(), 1u);
  wr(s, sourcecfg(10), 6);
  EXPECT_EQ(rd(s, sourcecfg(10)), 0u) << "not delegated: read-only zero in the child";
  route(m, 10, Aplic::kLevel1);
  m.set_source(10, true);
  EXPECT_TRUE(m.pending(10));
  wr(m, sourcecfg(10), 0x400);  // D = 1, child 0
  EXPECT_EQ(rd(m, sourcecfg(10)), 0x400u);
  EXPECT_FALSE(m.active(10));
  EXPECT_EQ(rd(m, Aplic::kSetip), 0u) << "inactive in the parent: pending reads zero";
  EXPECT_EQ(rd(m, Aplic::kSetie), 0u);
  EXPECT_EQ(rd(m, target(10)), 0u);
  EXPECT_EQ(rd(s, sourcecfg(10)), 0u) << "delegated: zero until written";
  route(s, 10, Aplic::kLevel1, 1, 2);
  EXPECT_EQ(rd(s, sourcecfg(10)), 6u);
  EXPECT_TRUE(s.pending(10)) << "the wire is high and now reaches the child";
  deliver(s, 1);
  deliver(m, 1);
  EXPECT_TRUE(lines[1][1]) << "S domain -> hart 1's SEIP";
  EXPECT_FALSE(lines[0][1]);
  EXPECT_EQ(rd(s, idc(1, Aplic::kTopi)), 10u << 16 | 2u);
  m.set_source(10, false);
  EXPECT_FALSE(lines[1][1]);
  m.set_source(10, true);
  EXPECT_TRUE(lines[1][1]);
  // Taking the source back makes it inactive (and zero) in the child.
  wr(m, sourcecfg(10), 0);
  EXPECT_EQ(rd(s, sourcecfg(10)), 0u);
  EXPECT_FALSE(lines[1][1]);
  wr(s, sourcecfg(10), 6);
  EXPECT_EQ(rd(s, sourcecfg(10)), 0u);
  // A child index with no child is treated as a leaf's D: zero.
  wr(m, sourcecfg(11), 0x401);
  EXPECT_EQ(rd(m, sourcecfg(11)), 0u);
}

TEST_F(DirectFixture, DetachedSourcesIgnoreTheWire) {
  route(m, 3, Aplic::kDetached);
  m.set_source(3, true);
  EXPECT_FALSE(m.pending(3));
  EXPECT_EQ(rd(m, Aplic::kInClrip), 0u) << "rectified input of a detached source is 0";
  wr(m, Aplic::kSetipnum, 3);
  EXPECT_TRUE(m.pending(3));
  wr(m, Aplic::kInClrip, 1u << 3);
  EXPECT_FALSE(m.pending(3));
  wr(m, Aplic::kSetip, 1u << 3);
  EXPECT_EQ(rd(m, Aplic::kSetip), 1u << 3);
  EXPECT_EQ(m.claimi(0), 3u << 16 | 1u);
  EXPECT_FALSE(m.pending(3)) << "a claim clears it";
}

TEST_F(DirectFixture, EdgeSourcesLatchTransitions) {
  route(m, 4, Aplic::kEdge1);
  route(m, 5, Aplic::kEdge0);
  m.set_source(4, true);
  EXPECT_TRUE(m.pending(4)) << "rising edge";
  EXPECT_EQ(rd(m, Aplic::kInClrip), 1u << 4 | 1u << 5) << "rectified: 4 high, 5 (inverted, wire low) high";
  wr(m, Aplic::kClripnum, 4);
  EXPECT_FALSE(m.pending(4));
  m.set_source(4, false);
  EXPECT_FALSE(m.pending(4)) << "falling edge on Edge1";
  m.set_source(5, true);
  EXPECT_FALSE(m.pending(5));
  m.set_source(5, false);
  EXPECT_TRUE(m.pending(5)) << "falling edge on Edge0";
  wr(m, Aplic::kSetipnum, 4);
  EXPECT_TRUE(m.pending(4)) << "software can set an edge source";
  wr(m, Aplic::kInClrip, 1u << 4 | 1u << 5);
  EXPECT_EQ(rd(m, Aplic::kSetip), 0u);
  m.set_source(4, true);
  EXPECT_EQ(m.claimi(0), 4u << 16 | 1u);
  EXPECT_FALSE(m.pending(4)) << "claimed";
}

TEST_F(DirectFixture, LevelSourcesInDirectModeFollowTheWire) {
  route(m, 6, Aplic::kLevel1);
  route(m, 7, Aplic::kLevel0);
  EXPECT_FALSE(m.pending(6));
  EXPECT_TRUE(m.pending(7)) << "Level0 with the wire low is asserted";
  m.set_source(6, true);
  m.set_source(7, true);
  EXPECT_TRUE(m.pending(6));
  EXPECT_FALSE(m.pending(7));
  EXPECT_EQ(rd(m, Aplic::kInClrip), 1u << 6);
  wr(m, Aplic::kClripnum, 6);
  wr(m, Aplic::kInClrip, 1u << 6);
  EXPECT_TRUE(m.pending(6)) << "software cannot clear it";
  wr(m, Aplic::kSetipnum, 7);
  wr(m, Aplic::kSetip, 1u << 7);
  EXPECT_FALSE(m.pending(7)) << "nor set it";
  EXPECT_EQ(m.claimi(0), 6u << 16 | 1u);
  EXPECT_TRUE(m.pending(6)) << "nor does a claim";
  m.set_source(6, false);
  EXPECT_FALSE(m.pending(6));
}

TEST_F(DirectFixture, EnableRegisters) {
  wr(m, sourcecfg(33), Aplic::kDetached);
  wr(m, sourcecfg(40), Aplic::kDetached);
  wr(m, Aplic::kSetie + 4, 0xffffffff);
  EXPECT_EQ(rd(m, Aplic::kSetie + 4), 1u << 1 | 1u << 8) << "only active sources can be enabled";
  wr(m, Aplic::kClrie + 4, 1u << 1);
  EXPECT_EQ(rd(m, Aplic::kSetie + 4), 1u << 8);
  EXPECT_EQ(rd(m, Aplic::kClrie + 4), 0u) << "clrie reads zero";
  wr(m, Aplic::kClrienum, 40);
  EXPECT_FALSE(m.enabled(40));
  wr(m, Aplic::kSetienum, 33);
  EXPECT_TRUE(m.enabled(33));
  wr(m, Aplic::kSetienum, 34);
  EXPECT_FALSE(m.enabled(34)) << "inactive";
  wr(m, Aplic::kSetienum, 5000);
  for (Addr a : {Aplic::kSetipnum, Aplic::kClripnum, Aplic::kSetienum, Aplic::kClrienum, Aplic::kSetipnumLe,
                 Aplic::kSetipnumBe})
    EXPECT_EQ(rd(m, a), 0u) << std::hex << a;
  wr(m, sourcecfg(33), 0);
  wr(m, sourcecfg(33), Aplic::kDetached);
  EXPECT_FALSE(m.enabled(33)) << "becoming inactive clears the enable bit";
}

TEST_F(DirectFixture, SetipnumLittleAndBigEndian) {
  wr(m, sourcecfg(0x21), Aplic::kDetached);
  wr(m, Aplic::kSetipnumLe, 0x21);
  EXPECT_TRUE(m.pending(0x21));
  wr(m, Aplic::kClripnum, 0x21);
  wr(m, Aplic::kSetipnumBe, 0x21);
  EXPECT_FALSE(m.pending(0x21)) << "0x21 big-endian is 0x21000000";
  wr(m, Aplic::kSetipnumBe, 0x21000000);
  EXPECT_TRUE(m.pending(0x21));
}

TEST_F(DirectFixture, TargetInDirectMode) {
  EXPECT_EQ(rd(m, target(12)), 0u);
  wr(m, target(12), 0xffffffff);
  EXPECT_EQ(rd(m, target(12)), 0u) << "inactive: read-only zero";
  wr(m, sourcecfg(12), Aplic::kEdge1);
  EXPECT_EQ(rd(m, target(12)) & 0xff, 1u) << "IPRIO is never 0";
  wr(m, target(12), 0xffffffff);
  EXPECT_EQ(rd(m, target(12)), 0xfffc0007u) << "hart index 31:18, 3 priority bits";
  wr(m, target(12), 1u << 18 | 0x08);
  EXPECT_EQ(rd(m, target(12)), 1u << 18 | 1u) << "IPRIO bits all zero: priority 1";
  wr(m, target(12), 5);
  EXPECT_EQ(rd(m, target(12)), 5u);
}

TEST_F(DirectFixture, IdcRegistersAndTopi) {
  EXPECT_EQ(rd(m, idc(0, Aplic::kIdelivery)), 0u);
  wr(m, idc(0, Aplic::kIdelivery), 0xff);
  EXPECT_EQ(rd(m, idc(0, Aplic::kIdelivery)), 1u);
  wr(m, idc(0, Aplic::kIforce), 0xff);
  EXPECT_EQ(rd(m, idc(0, Aplic::kIforce)), 1u);
  wr(m, idc(0, Aplic::kIforce), 0);
  wr(m, idc(0, Aplic::kIthreshold), 0xff);
  EXPECT_EQ(rd(m, idc(0, Aplic::kIthreshold)), 7u) << "IPRIOLEN bits";
  wr(m, idc(0, Aplic::kIthreshold), 0);
  EXPECT_EQ(rd(m, idc(2, Aplic::kIdelivery)), 0u) << "no third hart";
  wr(m, idc(2, Aplic::kIdelivery), 1);
  EXPECT_EQ(rd(m, idc(2, Aplic::kIdelivery)), 0u);

  route(m, 20, Aplic::kEdge1, 0, 5);
  route(m, 21, Aplic::kEdge1, 0, 3);
  route(m, 22, Aplic::kEdge1, 0, 3);
  route(m, 23, Aplic::kEdge1, 1, 1);
  for (unsigned id = 20; id <= 23; ++id) m.set_source(id, true);
  EXPECT_EQ(rd(m, idc(0, Aplic::kTopi)), 21u << 16 | 3u) << "lowest priority number, then lowest identity";
  EXPECT_EQ(rd(m, idc(1, Aplic::kTopi)), 23u << 16 | 1u);
  wr(m, idc(0, Aplic::kTopi), 0);
  wr(m, idc(0, Aplic::kClaimi), 0);
  EXPECT_EQ(rd(m, idc(0, Aplic::kTopi)), 21u << 16 | 3u) << "writes to topi and claimi are ignored";
  wr(m, idc(0, Aplic::kIthreshold), 3);
  EXPECT_EQ(rd(m, idc(0, Aplic::kTopi)), 0u) << "priorities >= the threshold do not count";
  wr(m, idc(0, Aplic::kIthreshold), 4);
  EXPECT_EQ(rd(m, idc(0, Aplic::kClaimi)), 21u << 16 | 3u);
  EXPECT_EQ(rd(m, idc(0, Aplic::kClaimi)), 22u << 16 | 3u);
  EXPECT_EQ(rd(m, idc(0, Aplic::kClaimi)), 0u) << "20 has priority 5, above the threshold 4";
  wr(m, idc(0, Aplic::kIthreshold), 0);
  EXPECT_EQ(rd(m, idc(0, Aplic::kClaimi)), 20u << 16 | 5u);
}

TEST_F(DirectFixture, OutputNeedsIeIdeliveryAndTopiOrIforce) {
  route(m, 30, Aplic::kLevel1, 1);
  m.set_source(30, true);
  EXPECT_FALSE(lines[0][1]) << "IE = 0, idelivery = 0";
  wr(m, Aplic::kDomaincfg, kIe);
  EXPECT_FALSE(lines[0][1]) << "idelivery = 0";
  wr(m, idc(1, Aplic::kIdelivery), 1);
  EXPECT_TRUE(lines[0][1]);
  EXPECT_FALSE(lines[0][0]) << "hart 0 is not the target";
  wr(m, Aplic::kDomaincfg, 0);
  EXPECT_FALSE(lines[0][1]);
  wr(m, Aplic::kDomaincfg, kIe);
  wr(m, Aplic::kClrienum, 30);
  EXPECT_FALSE(lines[0][1]);
  // iforce: a spurious interrupt, cleared by the claim that returns 0.
  deliver(m, 0);
  wr(m, idc(0, Aplic::kIforce), 1);
  EXPECT_TRUE(lines[0][0]);
  EXPECT_EQ(rd(m, idc(0, Aplic::kClaimi)), 0u);
  EXPECT_EQ(rd(m, idc(0, Aplic::kIforce)), 0u);
  EXPECT_FALSE(lines[0][0]);
  EXPECT_FALSE(lines[1][0]) << "the S domain is separate";
}

TEST_F(DirectFixture, GenmsiAndMsiAddressRegistersDoNotExistInDirectMode) {
  wr(m, Aplic::kGenmsi, 0x12345);
  EXPECT_EQ(rd(m, Aplic::kGenmsi), 0u);
  wr(m, Aplic::kMmsiaddrcfg, 0x1234);
  wr(m, Aplic::kMmsiaddrcfgh, 0x1234);
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfg), 0u) << "no domain supports MSI mode";
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfgh), 0u);
}

TEST_F(DirectFixture, OnlyAlignedWordAccessesCount) {
  std::uint64_t v = 1;
  EXPECT_TRUE(m.read(Aplic::kDomaincfg, 1, v)) << "ignored, not a bus error";
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(m.read(Aplic::kDomaincfg, 8, v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(m.write(Aplic::kDomaincfg, 2, kIe));
  EXPECT_TRUE(m.write(Aplic::kDomaincfg, 8, kIe));
  EXPECT_TRUE(m.write(Aplic::kDomaincfg + 1, 4, kIe));
  EXPECT_EQ(rd(m, Aplic::kDomaincfg), 0x80000000u);
  EXPECT_EQ(rd(m, 0x1000), 0u) << "reserved";
  EXPECT_EQ(rd(m, 0x7ffc), 0u);
}

TEST_F(DirectFixture, ResetForgetsConfigurationButNotTheWires) {
  route(m, 8, Aplic::kLevel1);
  wr(m, sourcecfg(9), 0x400);
  route(s, 9, Aplic::kLevel1);
  deliver(m, 0);
  m.set_source(8, true);
  EXPECT_TRUE(lines[0][0]);
  m.reset();
  EXPECT_FALSE(lines[0][0]);
  EXPECT_EQ(rd(m, Aplic::kDomaincfg), 0x80000000u);
  EXPECT_EQ(rd(m, sourcecfg(8)), 0u);
  EXPECT_EQ(rd(s, sourcecfg(9)), 0u) << "the child lost its delegation";
  wr(m, sourcecfg(8), Aplic::kLevel1);
  EXPECT_TRUE(m.pending(8)) << "the wire is still high";
}

// ---- MSI delivery mode ----

struct Msi {
  Addr address;
  std::uint32_t data;
  bool operator==(const Msi&) const = default;
};

struct MsiFixture : ::testing::Test {
  MsiFixture() {
    m.add_child(s);
    m.set_msi_writer([this](Addr a, std::uint32_t d) { sent.push_back({a, d}); });
    // QEMU virt's layout, 2 harts, 2 guests: M files at 0x2400_0000 one page
    // apart, S files at 0x2800_0000 four pages apart (LHXS = 2).
    wr(m, Aplic::kMmsiaddrcfg, 0x24000);
    wr(m, Aplic::kMmsiaddrcfgh, 1u << 12);  // LHXW = 1
    wr(m, Aplic::kSmsiaddrcfg, 0x28000);
    wr(m, Aplic::kSmsiaddrcfgh, 2u << 20);  // LHXS = 2
  }
  Aplic m{msi_config(true)};
  Aplic s{msi_config(false, 2)};
  std::vector<Msi> sent;
};

TEST_F(MsiFixture, MsiAddressConfiguration) {
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfg), 0x24000u);
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfgh), 0x1000u);
  EXPECT_EQ(rd(m, Aplic::kSmsiaddrcfg), 0x28000u);
  EXPECT_EQ(rd(m, Aplic::kSmsiaddrcfgh), 0x200000u);
  EXPECT_EQ(rd(s, Aplic::kMmsiaddrcfg), 0u) << "supervisor-level domains have none";
  wr(s, Aplic::kMmsiaddrcfg, 5);
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfg), 0x24000u);
  wr(m, Aplic::kSmsiaddrcfgh, 0xffffffff);
  EXPECT_EQ(rd(m, Aplic::kSmsiaddrcfgh), 0x00700fffu) << "LHXS and High Base PPN";
  wr(m, Aplic::kMmsiaddrcfgh, 0x7fffffff);
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfgh), 0x1f77ffffu) << "HHXS, LHXS, HHXW, LHXW, High Base PPN";
  wr(m, Aplic::kMmsiaddrcfgh, kMsiLock | 0x1000);
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfgh), kMsiLock | 0x1000);
  wr(m, Aplic::kMmsiaddrcfgh, 0);
  wr(m, Aplic::kMmsiaddrcfg, 0);
  wr(m, Aplic::kSmsiaddrcfg, 0);
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfgh), kMsiLock | 0x1000) << "locked";
  EXPECT_EQ(rd(m, Aplic::kMmsiaddrcfg), 0x24000u);
  EXPECT_EQ(rd(m, Aplic::kSmsiaddrcfg), 0x28000u) << "L locks the supervisor pair too";
}

TEST_F(MsiFixture, GenmsiSendsAnExtemporeMsiEvenWithIeClear) {
  wr(m, Aplic::kGenmsi, 1u << 18 | 1u << 12 | 0x7ff);
  EXPECT_EQ(sent, (std::vector<Msi>{{0x24001000, 0x7ff}})) << "hart 1 at machine level";
  EXPECT_EQ(rd(m, Aplic::kGenmsi), 1u << 18 | 0x7ffu) << "Busy reads 0: the MSI left at once";
  sent.clear();
  wr(s, Aplic::kGenmsi, 1u << 18 | 9);
  EXPECT_EQ(sent, (std::vector<Msi>{{0x28004000, 9}})) << "hart 1 at supervisor level (guest 0)";
}

TEST_F(MsiFixture, TargetInMsiMode) {
  wr(m, sourcecfg(2), Aplic::kEdge1);
  EXPECT_EQ(rd(m, target(2)), 0u);
  wr(m, target(2), 0xffffffff);
  EXPECT_EQ(rd(m, target(2)), 0xfffc07ffu) << "machine level: guest index read-only 0, bit 11 reserved";
  wr(m, sourcecfg(3), 0x400);
  wr(s, sourcecfg(3), Aplic::kEdge1);
  wr(s, target(3), 1u << 18 | 2u << 12 | 77);
  EXPECT_EQ(rd(s, target(3)), 1u << 18 | 2u << 12 | 77u) << "guest 2 of GEILEN 2";
  wr(s, target(3), 1u << 18 | 3u << 12 | 77);
  EXPECT_EQ(rd(s, target(3)) >> 12 & 0x3f, 0u) << "guest 3 does not exist";
}

TEST_F(MsiFixture, ForwardingClearsThePendingBit) {
  wr(m, sourcecfg(5), Aplic::kEdge1);
  wr(m, target(5), 1u << 18 | 42);
  wr(m, Aplic::kSetienum, 5);
  m.set_source(5, true);
  EXPECT_TRUE(sent.empty()) << "IE = 0";
  EXPECT_TRUE(m.pending(5));
  wr(m, Aplic::kDomaincfg, kIe);
  EXPECT_EQ(sent, (std::vector<Msi>{{0x24001000, 42}}));
  EXPECT_FALSE(m.pending(5)) << "forwarded";
  wr(m, Aplic::kClrienum, 5);
  wr(m, Aplic::kSetipnum, 5);
  EXPECT_EQ(sent.size(), 1u) << "disabled: stays pending";
  EXPECT_TRUE(m.pending(5));
  wr(m, Aplic::kSetienum, 5);
  EXPECT_EQ(sent.size(), 2u);
}

TEST_F(MsiFixture, LevelSourcesInMsiMode) {
  wr(m, Aplic::kDomaincfg, kIe);
  wr(m, sourcecfg(6), Aplic::kLevel1);
  wr(m, target(6), 0 << 18 | 6);
  wr(m, Aplic::kSetipnum, 6);
  EXPECT_FALSE(m.pending(6)) << "cannot be set while the input is low";
  m.set_source(6, true);
  EXPECT_TRUE(m.pending(6)) << "low-to-high sets it";
  wr(m, Aplic::kClripnum, 6);
  EXPECT_FALSE(m.pending(6)) << "software can clear it in MSI mode";
  wr(m, Aplic::kSetipnum, 6);
  EXPECT_TRUE(m.pending(6)) << "and set it again while the input is high";
  m.set_source(6, false);
  EXPECT_FALSE(m.pending(6)) << "the input going low clears it";
  wr(m, Aplic::kSetienum, 6);
  m.set_source(6, true);
  EXPECT_EQ(sent, (std::vector<Msi>{{0x24000000, 6}}));
  EXPECT_FALSE(m.pending(6));
  m.set_source(6, true);
  EXPECT_EQ(sent.size(), 1u) << "still high: no new MSI";
  wr(m, Aplic::kSetipnum, 6);
  EXPECT_EQ(sent.size(), 2u) << "the second option of 'level-sensitive sources': setipnum re-sends";
  // A source configured while its wire is already high is not lost.
  m.set_source(7, true);
  wr(m, target(7), 7);
  wr(m, sourcecfg(7), Aplic::kLevel1);
  wr(m, target(7), 7);
  wr(m, Aplic::kSetienum, 7);
  EXPECT_EQ(sent.back(), (Msi{0x24000000, 7}));
}

TEST_F(MsiFixture, MsisMayComeBackToTheAplic) {
  // Detached sources receive MSIs through setipnum_le (AIA "Source
  // configurations"); forwarding from inside a forward must not recurse.
  std::vector<Msi> log;
  m.set_msi_writer([&](Addr a, std::uint32_t d) {
    log.push_back({a, d});
    if (a == 0x24000000) m.write(Aplic::kSetipnumLe, 4, d);
  });
  wr(m, Aplic::kDomaincfg, kIe);
  for (unsigned id : {10u, 11u}) {
    wr(m, sourcecfg(id), Aplic::kDetached);
    wr(m, Aplic::kSetienum, id);
  }
  wr(m, target(10), 0 << 18 | 11);  // to hart 0, EIID 11 -> sets source 11
  wr(m, target(11), 1u << 18 | 99);
  wr(m, Aplic::kSetipnum, 10);
  EXPECT_EQ(log, (std::vector<Msi>{{0x24000000, 11}, {0x24001000, 99}}));
}

// APLIC -> IMSIC -> hart line, through a bus with QEMU virt's addresses.
TEST(AplicImsic, MsiReachesAGuestInterruptFileAndItsOutput) {
  Bus bus;
  Imsic imsic_m(2, 0), imsic_s(2, 2);
  bus.add_mmio("imsic.m", 0x24000000, imsic_m.size(), imsic_m);
  bus.add_mmio("imsic.s", 0x28000000, imsic_s.size(), imsic_s);
  Aplic m(msi_config(true)), s(msi_config(false, 2));
  m.add_child(s);
  bus.add_mmio("aplic.m", 0xc000000, Aplic::kVirtSize, m);
  bus.add_mmio("aplic.s", 0xd000000, Aplic::kVirtSize, s);
  m.set_msi_writer([&bus](Addr a, std::uint32_t d) { bus.write(a, 4, d); });
  bool guest_line = false, s_line = false;
  imsic_s.file(1, 2).connect([&](bool l) { guest_line = l; });
  imsic_s.file(1, 0).connect([&](bool l) { s_line = l; });
  const auto w = [&](Addr a, std::uint32_t v) { ASSERT_TRUE(bus.write(a, 4, v)); };
  // What M-mode firmware does: the MSI address pattern, then delegate 1..96.
  w(0xc000000 + Aplic::kMmsiaddrcfg, 0x24000);
  w(0xc000000 + Aplic::kMmsiaddrcfgh, 1u << 12);  // LHXW = 1 (two harts)
  w(0xc000000 + Aplic::kSmsiaddrcfg, 0x28000);
  w(0xc000000 + Aplic::kSmsiaddrcfgh, 2u << 20);  // LHXS = guest index bits
  for (unsigned id = 1; id <= 96; ++id) w(0xc000000 + sourcecfg(id), 0x400);
  // The hypervisor: source 10 (the UART) to hart 1's guest 2, EIID 33.
  w(0xd000000 + sourcecfg(10), Aplic::kLevel1);
  w(0xd000000 + target(10), 1u << 18 | 2u << 12 | 33);
  w(0xd000000 + Aplic::kSetienum, 10);
  w(0xd000000 + Aplic::kDomaincfg, kIe);
  ImsicFile& g2 = imsic_s.file(1, 2);
  g2.write_indirect(ImsicFile::kEie0, 1ull << 33);
  g2.write_indirect(ImsicFile::kEidelivery, 1);
  m.set_source(10, true);
  EXPECT_TRUE(g2.pending(33));
  EXPECT_TRUE(guest_line);
  EXPECT_FALSE(s_line);
  EXPECT_EQ(g2.claim(), 33u << 16 | 33u);
  EXPECT_FALSE(guest_line);
  // Direct writes by a device work the same way (big-endian port too).
  w(0x28000000 + 0x4000 + Imsic::kSeteipnumBe, 0x05000000);
  EXPECT_TRUE(imsic_s.file(1, 0).pending(5));
  // And the machine level: source 3 kept by M, to hart 0.
  w(0xc000000 + sourcecfg(3), Aplic::kEdge1);
  w(0xc000000 + target(3), 0 << 18 | 200);
  w(0xc000000 + Aplic::kSetienum, 3);
  w(0xc000000 + Aplic::kDomaincfg, kIe);
  m.set_source(3, true);
  EXPECT_TRUE(imsic_m.file(0).pending(200));
  EXPECT_FALSE(imsic_m.file(1).pending(200));
}

TEST(Aplic, BadConfigurationsThrow) {
  AplicConfig c = direct_config();
  c.sources = 1024;
  EXPECT_THROW(Aplic{c}, Error);
  c = direct_config();
  c.direct = false;
  EXPECT_THROW(Aplic{c}, Error) << "no delivery mode";
  c = direct_config();
  c.priority_bits = 9;
  EXPECT_THROW(Aplic{c}, Error);
  Aplic a(direct_config()), b(direct_config());
  AplicConfig other = direct_config();
  other.sources = 10;
  Aplic small(other);
  EXPECT_THROW(a.add_child(small), Error);
  a.add_child(b);
  EXPECT_THROW(a.add_child(b), Error) << "already has a parent";
}

}  // namespace
}  // namespace orrery
