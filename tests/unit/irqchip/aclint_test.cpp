#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "orrery/core/machine.hpp"
#include "orrery/irqchip/aclint.hpp"

namespace orrery {
namespace {

// A hart that executes one cycle per instruction and records its interrupt
// lines; `step` runs before each instruction (for MMIO from "guest code").
class LineHart : public Hart {
 public:
  explicit LineHart(unsigned id) : Hart(id) {}
  std::string_view isa_name() const override { return "test"; }
  void reset(Addr) override {}
  Addr pc() const override { return 0; }
  std::uint64_t retired() const override { return n_; }
  std::uint64_t cycles() const override { return n_; }
  void set_interrupt_line(unsigned line, bool level) override { lines[line] = level; }
  std::uint64_t interpret(std::uint64_t budget) override {
    std::uint64_t done = 0;
    while (done < budget && !yield_) {
      if (step) step(n_);
      ++n_;
      ++done;
    }
    return done;
  }
  std::map<unsigned, bool> lines;
  std::function<void(std::uint64_t)> step;

 private:
  std::uint64_t n_ = 0;
};

struct AclintFixture : ::testing::Test {
  AclintFixture() {
    machine.set_cycle_period(1000);  // 1 GHz: 100 instructions per 10 MHz tick
    for (unsigned i = 0; i < 2; ++i) {
      harts[i] = &static_cast<LineHart&>(machine.add_hart(std::make_unique<LineHart>(i)));
      clint.connect(i, [this, i](bool l) { harts[i]->set_interrupt_line(3, l); },
                    [this, i](bool l) { harts[i]->set_interrupt_line(7, l); });
    }
  }
  std::uint64_t rd(Addr off, unsigned size) {
    std::uint64_t v = 0;
    EXPECT_TRUE(clint.read(off, size, v));
    return v;
  }
  void wr(Addr off, unsigned size, std::uint64_t v) { EXPECT_TRUE(clint.write(off, size, v)); }

  Machine machine;
  Aclint clint{machine, 2, 10'000'000};
  LineHart* harts[2] = {};
};

TEST_F(AclintFixture, MsipDrivesTheSoftwareInterruptLine) {
  EXPECT_FALSE(harts[1]->lines[3]);
  wr(4, 4, 0xffffffff);
  EXPECT_TRUE(harts[1]->lines[3]);
  EXPECT_FALSE(harts[0]->lines[3]) << "msip[1] is hart 1's";
  EXPECT_EQ(rd(4, 4), 1u) << "only bit 0 is writable";
  wr(4, 4, 0);
  EXPECT_FALSE(harts[1]->lines[3]);
  wr(8 * 4, 4, 1);  // a hart that does not exist: ignored
  EXPECT_EQ(rd(8 * 4, 4), 0u);
}

TEST_F(AclintFixture, OnlyWordAndDoublewordAccesses) {
  std::uint64_t v;
  EXPECT_FALSE(clint.read(0, 1, v));
  EXPECT_FALSE(clint.read(0xbff8, 2, v));
  EXPECT_FALSE(clint.write(0x4000, 1, 0));
}

TEST_F(AclintFixture, MtimeCountsAtTheTimebaseInGuestTime) {
  EXPECT_EQ(rd(Aclint::kMtime, 8), 0u);
  machine.run(2 * 1000);  // two harts share guest time: 1000 ns = 10 ticks
  EXPECT_EQ(machine.now(), 1'000'000u);
  EXPECT_EQ(rd(Aclint::kMtime, 8), 10u);
  EXPECT_EQ(clint.mtime(), 10u);
  wr(Aclint::kMtime, 8, 0x1'0000'0000ull);
  EXPECT_EQ(rd(Aclint::kMtime, 4), 0u);
  EXPECT_EQ(rd(Aclint::kMtime + 4, 4), 1u) << "32-bit halves";
  machine.run(2 * 500);
  EXPECT_EQ(rd(Aclint::kMtime, 8), 0x1'0000'0005ull) << "software writes set an offset; counting continues";
  wr(Aclint::kMtime, 4, 7);  // low half only
  EXPECT_EQ(rd(Aclint::kMtime, 8), 0x1'0000'0007ull);
}

TEST_F(AclintFixture, TimerInterruptFiresAtTheExactTick) {
  EXPECT_FALSE(harts[0]->lines[7]) << "mtimecmp resets to all ones";
  EXPECT_EQ(rd(Aclint::kMtimecmpBase, 8), ~0ull);
  wr(Aclint::kMtimecmpBase, 8, 50);  // 50 ticks = 5 us = 5000 instructions
  bool seen_early = false;
  std::uint64_t raised_at = 0;
  harts[0]->step = [&](std::uint64_t n) {
    if (harts[0]->lines[7] && !raised_at) raised_at = n;
    if (n < 5000 && harts[0]->lines[7]) seen_early = true;
  };
  machine.run(2 * 6000);
  EXPECT_FALSE(seen_early);
  EXPECT_EQ(raised_at, 5000u) << "the event is scheduled at the tick mtime reaches mtimecmp";
  EXPECT_TRUE(harts[0]->lines[7]);
  EXPECT_FALSE(harts[1]->lines[7]);
  // Writing a later compare value lowers MTIP at once; an earlier one raises it.
  wr(Aclint::kMtimecmpBase, 8, 1000);
  EXPECT_FALSE(harts[0]->lines[7]);
  wr(Aclint::kMtimecmpBase + 4, 4, 0);  // high half
  wr(Aclint::kMtimecmpBase, 4, 10);     // low half
  EXPECT_TRUE(harts[0]->lines[7]);
  EXPECT_EQ(clint.mtimecmp(0), 10u);
}

TEST_F(AclintFixture, WritingMtimeReevaluatesEveryHart) {
  wr(Aclint::kMtimecmpBase + 8, 8, 1000);
  EXPECT_FALSE(harts[1]->lines[7]);
  wr(Aclint::kMtime, 8, 1000);
  EXPECT_TRUE(harts[1]->lines[7]);
  wr(Aclint::kMtime, 8, 0);
  EXPECT_FALSE(harts[1]->lines[7]);
  // The rescheduled deadline follows the new mtime: 1000 ticks from 0.
  machine.run(2 * 99'999);
  EXPECT_FALSE(harts[1]->lines[7]);
  machine.run(2 * 100'000 + 2);
  EXPECT_TRUE(harts[1]->lines[7]);
}

TEST_F(AclintFixture, ResetClearsMtimeAndInterrupts) {
  machine.run(2 * 1000);
  wr(0, 4, 1);
  wr(Aclint::kMtimecmpBase, 8, 0);
  EXPECT_TRUE(harts[0]->lines[3]);
  EXPECT_TRUE(harts[0]->lines[7]);
  clint.reset();
  EXPECT_EQ(clint.mtime(), 0u);
  EXPECT_FALSE(harts[0]->lines[3]);
  EXPECT_FALSE(harts[0]->lines[7]);
  EXPECT_EQ(machine.events().size(), 0u) << "no deadline for an all-ones compare value";
}

TEST_F(AclintFixture, IdleHartsWakeAtTheDeadline) {
  // With nothing else scheduled, the deadline is the machine's next event,
  // which is how time jumps forward while every hart waits in WFI.
  wr(Aclint::kMtimecmpBase, 8, 12345);
  EXPECT_EQ(machine.events().next_deadline(), 12345u * 100'000u);
}

}  // namespace
}  // namespace orrery
