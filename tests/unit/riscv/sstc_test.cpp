// Sstc (stimecmp) and counter access below M, from the Sstc specification
// (now "Supervisor Timer Register (stimecmp)" and "Machine Environment
// Configuration Register (menvcfg)" in the privileged spec) and the
// privileged spec 1.12 ("Machine Counter-Enable Register", "Supervisor
// Counter-Enable Register"):
//   * with menvcfg.STCE = 1, mip.STIP (and sip.STIP) is set exactly when
//     time >= stimecmp (unsigned) and is read-only;
//   * with STCE = 0, stimecmp is illegal below M and STIP "reverts to its
//     defined behavior as if Sstc is not implemented": writable in mip;
//   * stimecmp from S also needs mcounteren.TM; it is never accessible from U;
//   * cycle/time/instret/hpmcounterN: illegal in S and U unless the
//     mcounteren bit is set, and in U unless the scounteren bit is set too.
// The hart reads time through set_time_source. Most tests drive it with a
// counter they set; the end-to-end ones derive it from guest time at the
// hart's timebase (10 MHz: one tick per 100 ns, i.e. per 100 instructions
// at the machine's 1 GHz), as the platform's CLINT does.
#include <gtest/gtest.h>

#include "priv_fixture.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

constexpr Tick kTicksPerMtime = kTicksPerSecond / 10'000'000;

class SstcTest : public PrivTest {
 protected:
  void SetUp() override {
    PrivTest::SetUp();
    hart_->set_time_source([this] { return now_; });
  }
  bool stip() { return (csr(csrn::mip) & bit(STI)) != 0; }
  u64 now_ = 0;
};
using CounterTest = SstcTest;

TEST_F(SstcTest, TimeCsrReadsTheTimeSource) {
  now_ = 0x1234'5678'9ABCull;
  EXPECT_EQ(csr(csrn::time), 0x1234'5678'9ABCull);
  now_ = 7;
  EXPECT_EQ(csr(csrn::time), 7u);
  set_csr(csrn::mcounteren, bit(1));
  set_csr(csrn::scounteren, bit(1));
  enter(kPrivU, kUCode);
  now_ = 99;
  EXPECT_EQ(csr(csrn::time), 99u);
}

TEST_F(SstcTest, StipFollowsStimecmpWhenStceIsSet) {
  set_csr(csrn::menvcfg, kStce);
  now_ = 1000;
  set_csr(csrn::stimecmp, 2000);
  EXPECT_EQ(csr(csrn::stimecmp), 2000u);
  EXPECT_FALSE(stip());
  set_csr(csrn::stimecmp, 1000);  // time >= stimecmp: equal counts
  EXPECT_TRUE(stip());
  set_csr(csrn::stimecmp, 999);
  EXPECT_TRUE(stip());
  set_csr(csrn::stimecmp, 1001);
  EXPECT_FALSE(stip());
  // The comparison is unsigned.
  now_ = 0x8000'0000'0000'0000ull;
  set_csr(csrn::stimecmp, 0x7FFF'FFFF'FFFF'FFFFull);
  EXPECT_TRUE(stip());
  set_csr(csrn::stimecmp, ~0ull);
  EXPECT_FALSE(stip());
  // sip shows it when STI is delegated.
  set_csr(csrn::mideleg, bit(STI));
  set_csr(csrn::stimecmp, 0);
  EXPECT_EQ(csr(csrn::sip) & bit(STI), bit(STI));
}

TEST_F(SstcTest, StipIsReadOnlyInMipWhileStceIsSet) {
  set_csr(csrn::menvcfg, kStce);
  now_ = 50;
  set_csr(csrn::stimecmp, 10);
  EXPECT_TRUE(stip());
  set_csr(csrn::mip, 0);
  EXPECT_TRUE(stip()) << "software cannot clear STIP";
  set_csr(csrn::stimecmp, 100);
  EXPECT_FALSE(stip());
  set_csr(csrn::mip, bit(STI));
  EXPECT_FALSE(stip()) << "software cannot set STIP";
  // The other writable bits still are.
  set_csr(csrn::mip, bit(SSI) | bit(SEI));
  EXPECT_EQ(csr(csrn::mip), bit(SSI) | bit(SEI));
}

TEST_F(SstcTest, StipIsSoftwareWritableAndIgnoresStimecmpWithoutStce) {
  set_csr(csrn::menvcfg, 0);
  now_ = 500;
  set_csr(csrn::stimecmp, 0);  // M-mode may still access stimecmp
  EXPECT_EQ(csr(csrn::stimecmp), 0u);
  EXPECT_FALSE(stip()) << "stimecmp does not drive STIP while STCE = 0";
  set_csr(csrn::mip, bit(STI));
  EXPECT_TRUE(stip());
  set_csr(csrn::mip, 0);
  EXPECT_FALSE(stip());
  // Turning STCE on makes STIP follow the comparison at once.
  set_csr(csrn::menvcfg, kStce);
  EXPECT_TRUE(stip());
  set_csr(csrn::menvcfg, 0);
  EXPECT_FALSE(stip());
}

TEST_F(SstcTest, StimecmpAccessBelowM) {
  const u32 read = csrrs(a0, csrn::stimecmp, zero);
  // M: always, whatever STCE and mcounteren say.
  set_csr(csrn::stimecmp, 77);
  EXPECT_EQ(csr(csrn::stimecmp), 77u);
  struct Case {
    u64 menvcfg, mcounteren;
    bool ok;
  } cases[] = {{0, 0, false}, {0, bit(1), false}, {kStce, 0, false}, {kStce, ~bit(1) & 0xFFFF'FFFF, false},
               {kStce, bit(1), true}};
  for (const auto& c : cases) {
    SCOPED_TRACE("menvcfg " + hex(c.menvcfg) + " mcounteren " + hex(c.mcounteren));
    set_csr(csrn::menvcfg, c.menvcfg);
    set_csr(csrn::mcounteren, c.mcounteren);
    enter(kPrivS, kSCode);
    if (c.ok) {
      run(read);
      EXPECT_EQ(x(a0), 77u);
      set_csr(csrn::stimecmp, 88);
      EXPECT_EQ(csr(csrn::stimecmp), 88u);
      set_csr(csrn::stimecmp, 77);
      back_to_m();
    } else {
      expect_m_trap(read, kCauseIllegal, read, kPrivS);
    }
  }
  // U: never.
  set_csr(csrn::scounteren, ~0ull);
  enter(kPrivU, kUCode);
  expect_m_trap(read, kCauseIllegal, read, kPrivU);
}

TEST_F(CounterTest, CountersBelowMNeedTheirEnableBits) {
  const u32 counters[] = {csrn::cycle, csrn::time, csrn::instret, csrn::hpmcounter3, 0xC1F /* hpmcounter31 */};
  for (u32 n : counters) {
    SCOPED_TRACE("counter " + hex(n));
    const u64 b = bit(n & 31);
    const u32 read = csrrs(a0, n, zero);
    struct Case {
      Priv priv;
      u64 mcounteren, scounteren;
      bool ok;
    } cases[] = {
        {kPrivS, 0, 0, false},      {kPrivS, 0, b, false},  {kPrivS, ~b & 0xFFFF'FFFF, ~0ull, false},
        {kPrivS, b, 0, true},       {kPrivU, 0, 0, false},  {kPrivU, b, 0, false},
        {kPrivU, 0, b, false},      {kPrivU, b, b, true},   {kPrivU, ~0ull, ~b & 0xFFFF'FFFF, false},
    };
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(c.priv == kPrivS ? "S" : "U") + " mcounteren " + hex(c.mcounteren) + " scounteren " +
                   hex(c.scounteren));
      set_csr(csrn::mcounteren, c.mcounteren);
      set_csr(csrn::scounteren, c.scounteren);
      enter(c.priv, c.priv == kPrivS ? kSCode : kUCode);
      if (c.ok) {
        run(read);
        back_to_m();
      } else {
        expect_m_trap(read, kCauseIllegal, read, c.priv);
      }
    }
    // M-mode reads them whatever the enables.
    set_csr(csrn::mcounteren, 0);
    run(read);
  }
}

TEST_F(CounterTest, CounterEnableRegistersAreWritable) {
  set_csr(csrn::mcounteren, 0xFFFF'FFFF);
  EXPECT_EQ(csr(csrn::mcounteren) & 7, 7u) << "CY, TM, IR";
  set_csr(csrn::mcounteren, 0);
  EXPECT_EQ(csr(csrn::mcounteren), 0u);
  set_csr(csrn::scounteren, 0xFFFF'FFFF);
  EXPECT_EQ(csr(csrn::scounteren) & 7, 7u);
  enter(kPrivS, kSCode);
  set_csr(csrn::scounteren, 0);
  EXPECT_EQ(csr(csrn::scounteren), 0u);
}

// The counter jumps without any CSR write, as when software writes the
// CLINT's mtime: mip.STIP must reflect the comparison when it is read.
TEST_F(SstcTest, StipReflectsTheCurrentTimeWhenRead) {
  set_csr(csrn::menvcfg, kStce);
  now_ = 100;
  set_csr(csrn::stimecmp, 200);
  EXPECT_FALSE(stip());
  now_ = 200;
  EXPECT_EQ(csr(csrn::time), 200u);
  EXPECT_TRUE(stip()) << "time (200) >= stimecmp (200) but STIP reads 0";
  now_ = 150;  // time written backwards
  EXPECT_FALSE(stip()) << "time (150) < stimecmp (200) but STIP reads 1";
}

// ---------------------------------------------------------------------------
// End to end: time advances with guest time.
// ---------------------------------------------------------------------------
class SstcTimeTest : public SstcTest {
 protected:
  void SetUp() override {
    SstcTest::SetUp();
    hart_->set_time_source([this] { return machine_.now() / kTicksPerMtime; });
  }
};

TEST_F(SstcTimeTest, SupervisorTimerInterruptArrivesWhenTimeReachesStimecmp) {
  set_csr(csrn::menvcfg, kStce);
  set_csr(csrn::mcounteren, bit(1));  // TM
  set_csr(csrn::mideleg, bit(STI));
  set_csr(csrn::mie, bit(STI));
  set_mstatus(st::SIE);
  // The S handler reads time, then spins.
  put(kSTrapVector, csrrs(a1, csrn::time, zero));
  put(kSTrapVector + 4, jal(zero, 0));
  enter(kPrivS, kSCode);
  run(csrrs(a2, csrn::time, zero));
  const u64 deadline = x(a2) + 40;
  set_x(a3, deadline);
  run(csrrw(zero, csrn::stimecmp, a3));
  EXPECT_EQ(hart_->mip_ & bit(STI), 0u);
  const Addr loop = pc();
  put(loop, jal(zero, 0));
  machine_.run(100 * 40 + 2000);
  EXPECT_EQ(priv(), kPrivS);
  EXPECT_EQ(hart_->scause_, kInterrupt | STI);
  EXPECT_EQ(hart_->sepc_, loop);
  EXPECT_EQ(pc(), kSTrapVector + 4);
  EXPECT_GE(x(a1), deadline) << "taken before time reached stimecmp";
  EXPECT_LE(x(a1), deadline + 1) << "taken late";
  EXPECT_EQ(hart_->mip_ & bit(STI), bit(STI));
}

TEST_F(SstcTimeTest, WfiInSWakesWhenTimeReachesStimecmp) {
  set_csr(csrn::menvcfg, kStce);
  set_csr(csrn::mcounteren, bit(1));
  set_csr(csrn::mideleg, bit(STI));
  set_csr(csrn::mie, bit(STI));
  enter(kPrivS, kSCode);  // SIE = 0: the wake-up is not an interrupt
  run(csrrs(a2, csrn::time, zero));
  const u64 deadline = x(a2) + 1000;
  set_x(a3, deadline);
  run(csrrw(zero, csrn::stimecmp, a3));
  const Addr p = pc();
  put(p, wfi());
  put(p + 4, csrrs(a1, csrn::time, zero));
  put(p + 8, jal(zero, 0));
  const RunOutcome out = machine_.run(200);
  EXPECT_NE(out.reason, StopReason::Deadlock);
  EXPECT_FALSE(hart_->idle());
  EXPECT_EQ(priv(), kPrivS);
  EXPECT_EQ(pc(), p + 8);
  EXPECT_GE(x(a1), deadline);
  EXPECT_LE(x(a1), deadline + 1);
}

}  // namespace
}  // namespace orrery::riscv::test
