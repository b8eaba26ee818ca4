#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "orrery/core/machine.hpp"

namespace orrery {
namespace {

// A hart that "executes" one instruction per cycle and records what it saw,
// so the scheduler can be tested without any ISA.
class CountingHart : public Hart {
 public:
  CountingHart(unsigned id, Machine& m, std::vector<std::pair<unsigned, Tick>>* log) : Hart(id), m_(m), log_(log) {}
  std::string_view isa_name() const override { return "counting"; }
  void reset(Addr pc) override { pc_ = pc; }
  Addr pc() const override { return pc_; }
  std::uint64_t retired() const override { return n_; }
  std::uint64_t cycles() const override { return n_; }
  void set_interrupt_line(unsigned, bool) override {}
  // Pretends an atomic write at retired count `lock_at_` opened a critical
  // section of `lock_grace_` instructions.
  std::uint64_t preemption_grace() const override {
    const std::uint64_t end = lock_at_ + lock_grace_;
    return lock_at_ && n_ >= lock_at_ && n_ < end ? end - n_ : 0;
  }
  std::uint64_t interpret(std::uint64_t budget) override {
    if (log_) log_->push_back({id(), m_.now()});
    std::uint64_t done = 0;
    while (done < budget && !yield_) {
      ++n_;
      ++done;
      if (exit_at_ && n_ == exit_at_) m_.request_exit(7);
      if (probe_at_ && n_ == probe_at_) probed_now_ = m_.now();
      if (signal_at_ && n_ == signal_at_) *signal_flag_ = 15;  // as a signal handler would
      if (schedule_at_ && n_ == schedule_at_)
        m_.events().schedule(m_.now() + schedule_delay_, [this](Tick) { fired_at_retired_ = n_; });
    }
    return done;
  }
  std::uint64_t exit_at_ = 0;
  std::uint64_t lock_at_ = 0;
  std::uint64_t lock_grace_ = 0;
  std::uint64_t probe_at_ = 0;
  std::uint64_t signal_at_ = 0;
  volatile std::sig_atomic_t* signal_flag_ = nullptr;
  std::uint64_t schedule_at_ = 0;
  Tick schedule_delay_ = 0;
  std::uint64_t fired_at_retired_ = 0;
  Tick probed_now_ = 0;

 private:
  Machine& m_;
  std::vector<std::pair<unsigned, Tick>>* log_;
  Addr pc_ = 0;
  std::uint64_t n_ = 0;
};

TEST(Machine, RunsUntilInstructionLimit) {
  Machine m;
  m.add_hart(std::make_unique<CountingHart>(0, m, nullptr));
  const RunOutcome out = m.run(12345);
  EXPECT_EQ(out.reason, StopReason::InstructionLimit);
  EXPECT_EQ(out.executed, 12345u);
  EXPECT_EQ(m.retired(), 12345u);
}

TEST(Machine, GuestExitStopsAfterTheRequestingInstruction) {
  Machine m;
  auto& h = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  h.exit_at_ = 777;
  const RunOutcome out = m.run();
  EXPECT_EQ(out.reason, StopReason::GuestExit);
  EXPECT_EQ(out.exit_code, 7);
  EXPECT_EQ(m.retired(), 777u);
}

TEST(Machine, AStopFlagEndsTheRunAtTheNextSliceBoundary) {
  Machine m;
  volatile std::sig_atomic_t flag = 0;
  m.set_stop_flag(&flag);
  m.set_quantum(1000);
  auto& h = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  h.signal_at_ = 2500;
  h.signal_flag_ = &flag;
  const RunOutcome out = m.run();
  EXPECT_EQ(out.reason, StopReason::HostStop);
  EXPECT_EQ(out.executed, 3000u) << "the slice in progress ends, the next does not begin";
}

class SyncingDevice : public Device {
 public:
  explicit SyncingDevice(std::string error) : error_(std::move(error)) {}
  std::string_view name() const override { return "syncing"; }
  bool read(Addr, unsigned, std::uint64_t&) override { return false; }
  bool write(Addr, unsigned, std::uint64_t) override { return false; }
  std::string sync() override {
    ++syncs;
    return error_;
  }
  int syncs = 0;

 private:
  std::string error_;
};

TEST(Machine, SyncDevicesAsksEveryDeviceAndCollectsTheErrors) {
  Machine m;
  auto& good = m.own(std::make_unique<SyncingDevice>(""));
  auto& bad = m.own(std::make_unique<SyncingDevice>("disk on fire"));
  EXPECT_EQ(m.sync_devices(), std::vector<std::string>{"disk on fire"});
  EXPECT_EQ(good.syncs, 1);
  EXPECT_EQ(bad.syncs, 1);
}

TEST(Machine, HartsTakeTurnsInQuantaOfGuestTime) {
  Machine m;
  std::vector<std::pair<unsigned, Tick>> log;
  m.add_hart(std::make_unique<CountingHart>(0, m, &log));
  m.add_hart(std::make_unique<CountingHart>(1, m, &log));
  m.set_quantum(100);
  m.set_cycle_period(10);
  m.run(400);
  const std::vector<std::pair<unsigned, Tick>> want = {{0, 0}, {1, 0}, {0, 1000}, {1, 1000}};
  EXPECT_EQ(log, want);
  EXPECT_EQ(m.harts()[0]->retired(), 200u);
  EXPECT_EQ(m.harts()[1]->retired(), 200u);
}

TEST(Machine, AHartInsideACriticalSectionFinishesItBeforeTheNextHartRuns) {
  Machine m;
  auto& h0 = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  auto& h1 = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(1, m, nullptr)));
  m.set_quantum(100);
  h0.lock_at_ = 95;  // 5 instructions before its slice would end
  h0.lock_grace_ = 20;
  h1.exit_at_ = 1;  // stop as soon as hart 1 gets the host
  m.run();  // no instruction limit, so the grace applies
  EXPECT_EQ(h0.retired(), 115u) << "hart 0 ran to the end of its critical section first";
  EXPECT_EQ(h1.retired(), 1u);
}

TEST(Machine, TheInstructionLimitIsExactEvenInsideACriticalSection) {
  Machine m;
  auto& h0 = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  m.set_quantum(100);
  h0.lock_at_ = 95;
  h0.lock_grace_ = 20;
  const RunOutcome out = m.run(100);
  EXPECT_EQ(out.executed, 100u);
  EXPECT_EQ(m.retired(), 100u);
}

TEST(Machine, SlicesEndAtEventDeadlinesSoEventsFireOnTime) {
  Machine m;
  m.add_hart(std::make_unique<CountingHart>(0, m, nullptr));
  m.set_cycle_period(1000);
  std::vector<Tick> fired_at;
  std::vector<std::uint64_t> retired_at;
  m.events().schedule(2'500'000, [&](Tick now) {
    fired_at.push_back(now);
    retired_at.push_back(m.harts()[0]->retired());
  });
  m.run(100000);
  ASSERT_EQ(fired_at.size(), 1u);
  EXPECT_EQ(retired_at[0], 2500u) << "the event fires exactly at its guest time";
  EXPECT_EQ(fired_at[0], 2'500'000u);
}

TEST(Machine, ResetRequestRunsTheHandler) {
  Machine m;
  auto& h = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  int resets = 0;
  m.set_reset_handler([&](Machine&) { ++resets; });
  h.exit_at_ = 1u << 30;  // never
  m.events().schedule(5000, [&](Tick) { m.request_reset(); });
  m.run(100000);
  EXPECT_EQ(resets, 1);
}

TEST(Machine, NowIncludesTheRunningHartsProgress) {
  Machine m;
  auto& h = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  m.set_cycle_period(3);
  m.set_quantum(1000);
  h.probe_at_ = 1500;  // in the middle of the second slice
  m.run(2000);
  EXPECT_EQ(h.probed_now_, 1500u * 3);
  EXPECT_EQ(m.now(), 2000u * 3);
}

TEST(Machine, AnEventScheduledMidSliceFiresOnTime) {
  // A guest writing a timer compare inside a slice must not see the timer
  // fire up to a quantum late.
  Machine m;
  auto& h = static_cast<CountingHart&>(m.add_hart(std::make_unique<CountingHart>(0, m, nullptr)));
  m.set_cycle_period(1000);
  m.set_quantum(10000);
  h.schedule_at_ = 100;
  h.schedule_delay_ = 50 * 1000;
  m.run(5000);
  EXPECT_EQ(h.fired_at_retired_, 150u);
}

TEST(Engine, UnknownEngineIsAnError) {
  EXPECT_THROW(make_engine("jit"), Error);
  EXPECT_EQ(make_engine("interp")->name(), "interp");
}

}  // namespace
}  // namespace orrery
