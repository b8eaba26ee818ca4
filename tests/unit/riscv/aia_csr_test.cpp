// The hart-side AIA CSRs over an interrupt file (Smaia/Ssaia: *iselect,
// *ireg, *topei), with a fake file standing in for the IMSIC model.
#include "aia_fixture.hpp"

namespace orrery::riscv::test {
namespace {

namespace e = enc;

TEST_F(AiaCsrTest, MiregReachesTheMachineFileAndIprioReadsZero) {
  ASSERT_TRUE(write(0x350, 0x70));  // miselect = eidelivery
  ASSERT_TRUE(write(0x351, 1));     // mireg
  EXPECT_EQ(m_.regs[0x70], 1u);
  u64 v = 99;
  ASSERT_TRUE(write(0x350, 0x30));  // iprio0: read-only zero
  ASSERT_TRUE(write(0x351, ~0ull));
  ASSERT_TRUE(read(0x351, v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(write(0x350, 0x40));  // not an AIA register
  EXPECT_FALSE(read(0x351, v));
  EXPECT_EQ(hart_->mcause_, 2u) << "illegal instruction";
}

TEST_F(AiaCsrTest, TopeiReadsAndAWriteClaims) {
  u64 v = 0;
  ASSERT_TRUE(read(0x35C, v));
  EXPECT_EQ(v, (5u << 16) | 5u);
  EXPECT_EQ(m_.claims, 0) << "a read does not claim";
  hart_->set_x(e::a1, 0);
  ASSERT_TRUE(step(e::csrrw(e::a0, 0x35C, e::a1)));
  EXPECT_EQ(hart_->x(e::a0), (5u << 16) | 5u) << "CSRRW returns the identity it claims";
  EXPECT_EQ(m_.claims, 1);
}

TEST_F(AiaCsrTest, VsiregUsesTheGuestFileVgeinSelects) {
  ASSERT_TRUE(write(0x250, 0x72));  // vsiselect = eithreshold
  u64 v;
  EXPECT_FALSE(read(0x251, v)) << "VGEIN = 0: no guest file, illegal from M/HS";
  hart_->hstatus_ |= 1ull << 12;    // VGEIN = 1
  ASSERT_TRUE(write(0x251, 7));
  EXPECT_EQ(g_.regs[0x72], 7u);
}

TEST_F(AiaCsrTest, WritingVgeinSelectsTheHgeipBitThatIsVseip) {
  // Guest external interrupt 1 pending (its IMSIC guest file signalling).
  hart_->set_guest_external_line(1, true);
  u64 v;
  ASSERT_TRUE(read(0xE12, v));
  EXPECT_EQ(v, 1u << 1) << "hgeip";
  ASSERT_TRUE(read(0x644, v));
  EXPECT_EQ(v & (1u << 10), 0u) << "VGEIN = 0: no hip.VSEIP";
  ASSERT_TRUE(write(0x600, 1ull << 12));  // hstatus.VGEIN = 1
  ASSERT_TRUE(read(0x644, v));
  EXPECT_EQ(v & (1u << 10), 1u << 10) << "VGEIN = 1: hip.VSEIP follows hgeip bit 1 at once";
  ASSERT_TRUE(read(0x344, v));
  EXPECT_EQ(v & (1u << 10), 1u << 10) << "and so does mip.VSEIP";
  ASSERT_TRUE(write(0x600, 0));  // VGEIN = 0 again
  ASSERT_TRUE(read(0x644, v));
  EXPECT_EQ(v & (1u << 10), 0u) << "VGEIN = 0: hip.VSEIP clear again";
}

TEST_F(AiaCsrTest, StateenGatesSiselectAndStopeiBelowM) {
  // HS without mstateen0.CSRIND/IMSIC: illegal.
  hart_->mepc_ = kBase + 0x1000;
  hart_->mstatus_ = (hart_->mstatus_ & ~(3ull << 11)) | (1ull << 11);
  ASSERT_TRUE(step(e::mret()));
  u64 v;
  EXPECT_FALSE(read(0x150, v));
  EXPECT_EQ(hart_->mcause_, 2u);
  // With the bits set in mstateen0 (writable now that the files exist).
  hart_->reset(kBase);
  hart_->pmpaddr_[15] = (1ull << 54) - 1;
  hart_->pmpcfg_[15] = 0x1f;
  hart_->pmp_changed();
  ASSERT_TRUE(write(0x30C, (1ull << 63) | (1ull << 60) | (1ull << 58)));
  ASSERT_TRUE(read(0x30C, v));
  EXPECT_EQ(v, (1ull << 63) | (1ull << 60) | (1ull << 58));
  hart_->mepc_ = kBase + 0x1000;
  hart_->mstatus_ = (hart_->mstatus_ & ~(3ull << 11)) | (1ull << 11);
  ASSERT_TRUE(step(e::mret()));
  EXPECT_TRUE(read(0x150, v));
  EXPECT_TRUE(read(0x15C, v));
  EXPECT_EQ(v, (5u << 16) | 5u);
}

TEST_F(AiaCsrTest, TopiReportsTheHighestPendingEnabledInterruptPerLevel) {
  u64 v;
  ASSERT_TRUE(read(0xFB0, v));
  EXPECT_EQ(v, 0u) << "nothing pending";
  // MTI and MSI pending and enabled, global MIE clear: mtopi still shows MSI.
  hart_->set_interrupt_line(7, true);
  hart_->set_interrupt_line(3, true);
  ASSERT_TRUE(write(0x304, (1u << 3) | (1u << 7)));  // mie
  ASSERT_TRUE(read(0xFB0, v));
  EXPECT_EQ(v, (3ull << 16) | 1) << "MSI before MTI; IPRIO 1 with read-only-zero iprio";
  // A delegated STI shows in stopi, not mtopi.
  ASSERT_TRUE(write(0x303, 1u << 5));               // mideleg STI
  ASSERT_TRUE(write(0x344, 1u << 5));               // mip.STIP
  ASSERT_TRUE(write(0x304, (1u << 5)));             // mie: STIE only
  ASSERT_TRUE(read(0xFB0, v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(read(0xDB0, v));
  EXPECT_EQ(v, (5ull << 16) | 1);
}

class NoAiaTest : public AiaCsrTest {
 protected:
  NoAiaTest() : AiaCsrTest(false) {}
};

TEST_F(NoAiaTest, WithoutInterruptFilesTheCsrsDoNotExist) {
  u64 v;
  for (u32 n : {0x350u, 0x351u, 0x35Cu, 0x150u, 0x151u, 0x15Cu, 0x250u, 0x251u, 0x25Cu, 0xFB0u, 0xDB0u, 0x308u,
                0x309u, 0x608u, 0x609u, 0x646u, 0x647u, 0xEB0u}) {
    EXPECT_FALSE(read(n, v)) << "CSR " << n;
    EXPECT_EQ(hart_->mcause_, 2u);
    hart_->reset(kBase);
  }
  ASSERT_TRUE(write(0x645, ~0ull));  // hvip
  ASSERT_TRUE(read(0x645, v));
  EXPECT_EQ(v, (1u << 2) | (1u << 6) | (1u << 10)) << "without hvien, hvip bits 13-63 are read-only zero";
}

}  // namespace
}  // namespace orrery::riscv::test
