// The AIA's virtual interrupts (RISC-V Advanced Interrupt Architecture 1.0):
//   * mvien/mvip ("Interrupt filtering and virtual interrupts for supervisor
//     level"): mvien bits 1, 9 and 13-63 are writable; where mideleg = 0 and
//     mvien = 1, sip is mvip's bit and sie an independent bit; mvip bits 1,
//     5 and 9 alias mip.SSIP (unless mvien.1), mip.STIP (read-only zero
//     under Sstc) and the software-writable SEIP, which mvien.9 separates
//     from mip.SEIP; with mvien.9 S-mode loses the supervisor IMSIC file;
//   * hvien/hvip/hvictl/hviprio1/hviprio2/vstopi ("Interrupts for virtual
//     machines (VS level)"): vsip bits 13-63 are hvip's where hvien = 1;
//     vstopi picks from the candidate list (guest external interrupt with
//     its priority number, the best other vsip & vsie interrupt, or what
//     hvictl.VTI specifies) and is what VS level takes; VTI makes guest
//     sip/sie accesses and stimecmp writes virtual-instruction exceptions;
//     hviprio1/2 are read-only zero (the minimal implementation);
//   * Smstateen ("Access control by the state-enable CSRs"): mstateen0 bit
//     59 gates hvien/hvictl/hviprio1/2/vstopi/stopi and the S iprio array
//     (illegal below M), hstateen0 bit 59 gates stopi from VS (virtual).
// Every constant is written from the specifications.
#include "aia_fixture.hpp"
#include "orrery/riscv/aia.hpp"

namespace orrery::riscv::test {
namespace {

namespace e = enc;

constexpr u32 kMideleg = 0x303, kMie = 0x304, kMcounteren = 0x306;
constexpr u32 kMvien = 0x308, kMvip = 0x309, kMenvcfg = 0x30A, kMstateen0 = 0x30C, kMip = 0x344;
constexpr u32 kSie = 0x104, kSiselect = 0x150, kSireg = 0x151, kStopei = 0x15C, kSip = 0x144, kStimecmp = 0x14D;
constexpr u32 kSstatus = 0x100, kVsstatus = 0x200, kVsie = 0x204, kVsip = 0x244;
constexpr u32 kHstatus = 0x600, kHideleg = 0x603, kHie = 0x604, kHcounteren = 0x606, kHvien = 0x608;
constexpr u32 kHvictl = 0x609, kHenvcfg = 0x60A, kHstateen0 = 0x60C, kHvip = 0x645, kHviprio1 = 0x646;
constexpr u32 kHviprio2 = 0x647, kStopi = 0xDB0, kVstopi = 0xEB0, kMtopi = 0xFB0;

constexpr u64 bit(unsigned n) { return 1ull << n; }
constexpr u64 kLocal = ~u64{0x1fff};  // interrupts 13-63
constexpr u64 kSE0 = bit(63), kCSRIND = bit(60), kAIA = bit(59), kIMSIC = bit(58), kSTCE = bit(63);
constexpr u64 kSIE = bit(1);
constexpr u64 kVTI = bit(30), kDPR = bit(9), kIPRIOM = bit(8);
constexpr u64 iid(u64 n) { return n << 16; }
constexpr u64 topi(u64 irq, u64 iprio) { return irq << 16 | iprio; }
constexpr u64 kIllegal = 2, kVirtual = 22, kInterrupt = bit(63);

class AiaVirtualTest : public AiaCsrTest {
 protected:
  u64 get(u32 csr) {
    u64 v = 0;
    EXPECT_TRUE(read(csr, v)) << "reading CSR " << std::hex << csr;
    return v;
  }
  void set(u32 csr, u64 v) { EXPECT_TRUE(write(csr, v)) << "writing CSR " << std::hex << csr; }
  // An access that traps to M (nothing is delegated) with this cause.
  void expect_fault(u32 csr, u64 cause, const char* why = "") {
    u64 v;
    EXPECT_FALSE(read(csr, v)) << "CSR " << std::hex << csr << ": " << why;
    EXPECT_EQ(hart_->priv(), kPrivM);
    EXPECT_EQ(hart_->mcause_, cause) << "CSR " << std::hex << csr << ": " << why;
  }
  void back_to_m() {
    if (hart_->priv() != kPrivM) {
      ASSERT_FALSE(step(e::ecall()));
    }
    ASSERT_EQ(hart_->priv(), kPrivM);
  }
};

// ---------------------------------------------------------------------------
// mvien / mvip
// ---------------------------------------------------------------------------

TEST_F(AiaVirtualTest, MvienAndMvipResetToZeroAndKeepTheSpecsBits) {
  EXPECT_EQ(get(kMvien), 0u);
  EXPECT_EQ(get(kMvip), 0u);
  set(kMvien, ~0ull);
  EXPECT_EQ(get(kMvien), bit(1) | bit(9) | kLocal) << "only 1, 9 and 13-63 can be routed";
  set(kMvien, 0);
  set(kMvip, ~0ull);
  EXPECT_EQ(get(kMvip), bit(1) | bit(5) | bit(9) | kLocal) << "the other bits 0-12 are read-only zero";
  EXPECT_EQ(get(kMip) & (bit(1) | bit(5) | bit(9)), bit(1) | bit(5) | bit(9)) << "1, 5, 9 alias mip";
  EXPECT_EQ(get(kMip) & kLocal, 0u) << "mvip's own bits are not in mip";
  set(kMip, 0);
  EXPECT_EQ(get(kMvip), kLocal) << "clearing mip clears the aliases";
}

TEST_F(AiaVirtualTest, MvipStipIsReadOnlyZeroWhileSstcDrivesStip) {
  set(kMenvcfg, kSTCE);  // stimecmp is all ones: STIP is 0
  set(kMvip, bit(5));
  EXPECT_EQ(get(kMvip) & bit(5), 0u);
  set(kMenvcfg, 0);
  EXPECT_EQ(get(kMip) & bit(5), 0u) << "the write was ignored";
  set(kMvip, bit(5));
  EXPECT_EQ(get(kMip) & bit(5), bit(5));
}

TEST_F(AiaVirtualTest, MvienSsiSeparatesMvipBit1FromMipSsip) {
  set(kMvien, bit(1));
  set(kMvip, bit(1));
  EXPECT_EQ(get(kMip) & bit(1), 0u);
  EXPECT_EQ(get(kMvip) & bit(1), bit(1));
  set(kMip, bit(1));
  set(kMvip, 0);
  EXPECT_EQ(get(kMip) & bit(1), bit(1)) << "mip.SSIP is a bit of its own now";
}

TEST_F(AiaVirtualTest, MvienSeiSeparatesTheSoftwareSeipFromMip) {
  set(kMvip, bit(9));
  EXPECT_EQ(get(kMip) & bit(9), bit(9)) << "mvien.9 = 0: mvip.9 is mip's software-writable SEIP";
  set(kMvien, bit(9));
  EXPECT_EQ(get(kMip) & bit(9), 0u) << "mip.SEIP is the external signal alone";
  EXPECT_EQ(get(kMvip) & bit(9), bit(9)) << "changing mvien.9 does not change mvip.9";
  set(kMip, 0);
  EXPECT_EQ(get(kMvip) & bit(9), bit(9)) << "mip.SEIP is read-only";
  hart_->set_interrupt_line(9, true);
  EXPECT_EQ(get(kMip) & bit(9), bit(9));
}

TEST_F(AiaVirtualTest, SipAndSieShowWhatMvienRoutes) {
  EXPECT_EQ(get(kSip), 0u);
  set(kMvien, bit(1) | bit(9) | bit(40));
  set(kMvip, bit(1) | bit(9) | bit(40));
  EXPECT_EQ(get(kSip), bit(1) | bit(9) | bit(40)) << "mideleg = 0, mvien = 1: sip is mvip";
  set(kSie, ~0ull);
  EXPECT_EQ(get(kSie), bit(1) | bit(9) | bit(40));
  EXPECT_EQ(get(kMie) & (bit(1) | bit(9)), 0u) << "those sie bits are not mie's";
  set(kSip, 0);
  EXPECT_EQ(get(kMvip), bit(9)) << "sip writes SSIP and local bits; SEIP stays read-only";
  set(kMideleg, bit(1));
  set(kMip, bit(1));
  EXPECT_EQ(get(kSip) & bit(1), bit(1)) << "delegated: sip.SSIP is mip.SSIP again";
  EXPECT_EQ(get(kSie) & bit(1), get(kMie) & bit(1)) << "and sie.SSIE is mie.SSIE";
}

TEST_F(AiaVirtualTest, MvipInjectsAnInterruptTakenInS) {
  set(kMvien, bit(40));
  set(kMvip, bit(40));
  set(kSie, bit(40));
  EXPECT_EQ(get(kMtopi), 0u);
  EXPECT_EQ(get(kStopi), topi(40, 1));
  enter(kPrivS, false);
  EXPECT_EQ(poll(), kNoTrap) << "S with sstatus.SIE clear";
  hart_->set_x(e::a1, kSIE);
  ASSERT_TRUE(step(e::csrrs(e::zero, kSstatus, e::a1)));
  EXPECT_EQ(poll(), kSMarker);
  EXPECT_EQ(hart_->priv(), kPrivS);
  EXPECT_EQ(hart_->scause_, kInterrupt | 40);
}

TEST_F(AiaVirtualTest, RoutedSeiGoesToSWhileTheRealOneGoesToM) {
  set(kMvien, bit(9));
  set(kMvip, bit(9));
  set(kSie, bit(9));
  set(kMie, bit(9));
  hart_->set_interrupt_line(9, true);
  enter(kPrivU, false);
  EXPECT_EQ(poll(), kMMarker) << "the real SEI is not delegated: M, which goes first";
  EXPECT_EQ(hart_->mcause_, kInterrupt | 9);
  hart_->set_interrupt_line(9, false);
  enter(kPrivU, false);
  EXPECT_EQ(poll(), kSMarker) << "the virtual one";
  EXPECT_EQ(hart_->scause_, kInterrupt | 9);
}

TEST_F(AiaVirtualTest, MvienSeiWithholdsTheSupervisorFileFromS) {
  set(kMstateen0, kSE0 | kCSRIND | kIMSIC | kAIA);
  set(kSiselect, 0x70);
  set(kMvien, bit(9));
  enter(kPrivS, false);
  expect_fault(kStopei, kIllegal);
  enter(kPrivS, false);
  expect_fault(kSireg, kIllegal);
  enter(kPrivS, false);
  EXPECT_EQ(get(kSiselect), 0x70u) << "siselect itself stays accessible";
  back_to_m();
  set(kMvien, 0);
  enter(kPrivS, false);
  EXPECT_EQ(get(kStopei), topi(5, 5));
}

// ---------------------------------------------------------------------------
// hvien / hvip / hvictl / hviprio1-2 / vstopi
// ---------------------------------------------------------------------------

TEST_F(AiaVirtualTest, HypervisorAiaCsrsResetToZeroAndKeepTheSpecsBits) {
  for (u32 csr : {kHvien, kHvictl, kHviprio1, kHviprio2, kVstopi}) EXPECT_EQ(get(csr), 0u) << std::hex << csr;
  set(kHvien, ~0ull);
  EXPECT_EQ(get(kHvien), kLocal) << "bits 0-12 of hvien are read-only zero";
  set(kHvictl, ~0ull);
  EXPECT_EQ(get(kHvictl), kVTI | iid(0xfff) | kDPR | kIPRIOM | 0xff);
  set(kHvictl, 0);
  set(kHviprio1, ~0ull);
  set(kHviprio2, ~0ull);
  EXPECT_EQ(get(kHviprio1), 0u) << "priorities are not configurable";
  EXPECT_EQ(get(kHviprio2), 0u);
  set(kHvip, ~0ull);
  EXPECT_EQ(get(kHvip), bit(2) | bit(6) | bit(10) | kLocal);
}

TEST_F(AiaVirtualTest, VsipAndVsieBits13To63FollowHvien) {
  set(kHvien, bit(20));
  set(kHvip, bit(20) | bit(21));
  EXPECT_EQ(get(kVsip), bit(20));
  set(kVsie, ~0ull);
  EXPECT_EQ(get(kVsie), bit(20)) << "hideleg = 0: only the hvien bit is writable";
  set(kVsip, 0);
  EXPECT_EQ(get(kHvip), bit(21)) << "vsip bit 20 is hvip's";
  set(kHvien, 0);
  EXPECT_EQ(get(kVsip), 0u);
  EXPECT_EQ(get(kVsie), 0u);
}

TEST_F(AiaVirtualTest, HvipInterruptIsDeliveredToVsWithItsCode) {
  set(kHvien, bit(13));
  set(kHvip, bit(13));
  set(kVsie, bit(13));
  EXPECT_EQ(get(kVstopi), topi(13, 1));
  EXPECT_EQ(get(kStopi), 0u) << "not an HS-level interrupt";
  enter(kPrivS, true);
  EXPECT_EQ(poll(), kNoTrap) << "VS with vsstatus.SIE clear";
  back_to_m();
  enter(kPrivU, true);
  const Addr interrupted = hart_->pc();
  EXPECT_EQ(poll(), kVsMarker) << "from VU, whatever vsstatus.SIE says";
  EXPECT_TRUE(hart_->virt());
  EXPECT_EQ(hart_->priv(), kPrivS);
  EXPECT_EQ(hart_->vscause_, kInterrupt | 13);
  EXPECT_EQ(hart_->vsepc_, interrupted);
}

TEST_F(AiaVirtualTest, StandardVsInterruptsArriveWithTheCodesVsSees) {
  set(kHideleg, bit(2) | bit(6) | bit(10));
  set(kHie, bit(2) | bit(6));
  set(kHvip, bit(2) | bit(6));
  EXPECT_EQ(get(kVstopi), topi(1, 1)) << "VSSIP is the guest's SSIP, 1, ahead of STI";
  enter(kPrivU, true);
  EXPECT_EQ(poll(), kVsMarker);
  EXPECT_EQ(hart_->vscause_, kInterrupt | 1);
  back_to_m();
  set(kHvip, bit(6));
  enter(kPrivU, true);
  EXPECT_EQ(poll(), kVsMarker);
  EXPECT_EQ(hart_->vscause_, kInterrupt | 5);
}

TEST_F(AiaVirtualTest, VtiInjectsTheInterruptHvictlSpecifies) {
  set(kHvictl, kVTI | iid(40) | kIPRIOM | 7);
  EXPECT_EQ(get(kVstopi), topi(40, 7));
  EXPECT_EQ(get(kVsip), 0u) << "hvictl does not change vsip";
  set(kHvictl, kVTI | iid(40) | 7);
  EXPECT_EQ(get(kVstopi), topi(40, 1)) << "IPRIOM = 0: IPRIO is 1";
  set(kHvictl, kVTI | iid(9) | kIPRIOM | 7);
  EXPECT_EQ(get(kVstopi), 0u) << "VTI with IID 9: no interrupt";
  set(kHvictl, kVTI | iid(40));
  set(kVsstatus, kSIE);
  enter(kPrivS, true);
  EXPECT_EQ(poll(), kVsMarker);
  EXPECT_EQ(hart_->vscause_, kInterrupt | 40);
}

TEST_F(AiaVirtualTest, VstopiRanksTheCandidatesAsTheSpecLists) {
  set(kHideleg, bit(10) | bit(2));
  set(kHie, bit(10) | bit(2));
  set(kHvip, bit(10) | bit(2));
  EXPECT_EQ(get(kVstopi), topi(9, 1)) << "external before software";
  set(kHvictl, kIPRIOM);
  EXPECT_EQ(get(kVstopi), topi(9, 255)) << "no file, no hvictl number: priority 256, reported as 255";
  set(kHvictl, kIPRIOM | iid(9) | 5);
  EXPECT_EQ(get(kVstopi), topi(9, 5)) << "VGEIN = 0, IID = 9: hvictl.IPRIO";
  g_.top = 12u << 16 | 12u;
  set(kHstatus, 1ull << 12);  // VGEIN = 1
  EXPECT_EQ(get(kVstopi), topi(9, 12)) << "the guest file's vstopei priority";
  g_.top = 0;
  EXPECT_EQ(get(kVstopi), topi(9, 255)) << "VGEIN != 0 and vstopei = 0: 256, hvictl's number does not apply";
  g_.top = 12u << 16 | 12u;

  // An hvictl-specified interrupt against the external one.
  set(kHvictl, kVTI | kIPRIOM | iid(40) | 3);
  EXPECT_EQ(get(kVstopi), topi(40, 3)) << "3 beats 12";
  set(kHvictl, kVTI | kIPRIOM | iid(40) | kDPR | 12);
  EXPECT_EQ(get(kVstopi), topi(9, 12)) << "a tie; DPR = 1 ranks it below SEI";
  set(kHvictl, kVTI | kIPRIOM | iid(40) | 12);
  EXPECT_EQ(get(kVstopi), topi(40, 12)) << "a tie; DPR = 0 ranks it above SEI";
  set(kHvictl, kVTI | kIPRIOM | iid(40));
  EXPECT_EQ(get(kVstopi), topi(40, 0)) << "priority 0 above SEI: the highest";
  set(kHvictl, kVTI | kIPRIOM | iid(40) | kDPR);
  EXPECT_EQ(get(kVstopi), topi(9, 12)) << "priority 0 below SEI: the lowest";

  // VTI = 1 replaces vsip's other interrupts.
  set(kHvip, bit(2));
  set(kHvictl, kVTI | iid(9));
  EXPECT_EQ(get(kVstopi), 0u);
  set(kHvictl, kIPRIOM);
  EXPECT_EQ(get(kVstopi), topi(1, 255)) << "SSI has priority number 0 and ranks below SEI";
}

TEST_F(AiaVirtualTest, StopiFromVsReadsVstopi) {
  set(kMstateen0, kSE0 | kAIA);
  set(kHstateen0, kSE0 | kAIA);
  set(kHvictl, kVTI | iid(40));
  enter(kPrivS, true);
  EXPECT_EQ(get(kStopi), topi(40, 1));
  back_to_m();
  enter(kPrivS, true);
  expect_fault(kVstopi, kVirtual, "vstopi by its own number is a hypervisor CSR");
}

TEST_F(AiaVirtualTest, VtiMakesGuestSipSieAccessesAndStimecmpWritesVirtual) {
  set(kMenvcfg, kSTCE);
  set(kMcounteren, 2);
  set(kHenvcfg, kSTCE);
  set(kHcounteren, 2);
  set(kHvictl, kVTI | iid(9));
  enter(kPrivS, true);
  expect_fault(kSip, kVirtual);
  enter(kPrivS, true);
  expect_fault(kSie, kVirtual);
  enter(kPrivS, true);
  EXPECT_EQ(get(kStimecmp), ~0ull) << "reading stimecmp is fine";
  EXPECT_FALSE(write(kStimecmp, 5));
  EXPECT_EQ(hart_->mcause_, kVirtual);
  set(kHvictl, iid(9));
  enter(kPrivS, true);
  EXPECT_TRUE(write(kStimecmp, 5));
  EXPECT_TRUE(step(e::csrrs(e::a0, kSip, e::zero)));
}

TEST_F(AiaVirtualTest, WfiKeepsRunningWhileAVirtualInterruptIsPending) {
  set(kHvictl, kVTI | iid(40));
  ASSERT_TRUE(step(e::wfi()));
  EXPECT_FALSE(hart_->idle()) << "vstopi is not zero";
  set(kHvictl, iid(9));
  ASSERT_TRUE(step(e::wfi()));
  EXPECT_TRUE(hart_->idle());
}

// ---------------------------------------------------------------------------
// Smstateen
// ---------------------------------------------------------------------------

TEST_F(AiaVirtualTest, MstateenAiaGatesTheAiaCsrsBelowM) {
  const u32 gated[] = {kHvien, kHvictl, kHviprio1, kHviprio2, kVstopi, kStopi};
  set(kMstateen0, kSE0 | kCSRIND);
  for (u32 csr : gated) {
    enter(kPrivS, false);
    expect_fault(csr, kIllegal);
  }
  for (u32 csr : {kStopi, kHvien}) {
    enter(kPrivS, true);
    expect_fault(csr, kIllegal, "from VS too: mstateen0 wins over the virtual-instruction rules");
  }
  set(kSiselect, 0x30);  // the S-level iprio array is AIA state too
  enter(kPrivS, false);
  expect_fault(kSireg, kIllegal);

  set(kMstateen0, kSE0 | kCSRIND | kAIA);
  for (u32 csr : gated) {
    enter(kPrivS, false);
    u64 v;
    EXPECT_TRUE(read(csr, v)) << std::hex << csr;
    back_to_m();
  }
  enter(kPrivS, false);
  EXPECT_EQ(get(kSireg), 0u);
  back_to_m();
  enter(kPrivS, false);
  expect_fault(kMvien, kIllegal, "mvien is a machine-level CSR");
}

TEST_F(AiaVirtualTest, HstateenAiaGatesStopiFromVs) {
  set(kMstateen0, kSE0 | kAIA);
  set(kHstateen0, kSE0);
  enter(kPrivS, true);
  expect_fault(kStopi, kVirtual);
  enter(kPrivS, true);
  expect_fault(kHvien, kVirtual, "a hypervisor CSR from VS");
  set(kHstateen0, kSE0 | kAIA);
  enter(kPrivS, true);
  EXPECT_EQ(get(kStopi), 0u);
  back_to_m();
  enter(kPrivU, true);
  expect_fault(kStopi, kVirtual, "an S-level CSR from VU");
}

// The default priority order (AIA, "Defined major interrupts and default
// priorities").
TEST(AiaDefaultPriority, FollowsTheSpecsTable) {
  EXPECT_EQ(highest_priority(bit(43) | bit(11)), 43) << "high-priority RAS event first";
  EXPECT_EQ(highest_priority(bit(11) | bit(3) | bit(7)), 11);
  EXPECT_EQ(highest_priority(bit(12) | bit(10)), 12);
  EXPECT_EQ(highest_priority(bit(13) | bit(6)), 6) << "local interrupts after the VS ones";
  EXPECT_EQ(highest_priority(bit(35) | bit(14)), 14) << "low-priority RAS event late";
  EXPECT_EQ(highest_priority(0), -1);
}

}  // namespace
}  // namespace orrery::riscv::test
