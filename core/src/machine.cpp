#include "orrery/core/machine.hpp"

#include <algorithm>

namespace orrery {

Machine::Machine() : engine_(std::make_unique<InterpreterEngine>()) {
  // An event scheduled inside the running slice (e.g. a timer compare
  // written by the guest) cuts the slice at the current instruction, so the
  // next slice ends at the event's deadline instead of up to a quantum late.
  events_.set_schedule_observer([this](Tick when) {
    if (running_ && when < slice_start_ + slice_budget_ * cycle_period_) {
      slice_cut_ = true;
      running_->request_yield();
    }
  });
}
Machine::~Machine() = default;

Hart& Machine::add_hart(std::unique_ptr<Hart> hart) {
  harts_.push_back(std::move(hart));
  return *harts_.back();
}

Tick Machine::now() const {
  if (!running_) return slice_start_;
  return slice_start_ + (running_->cycles() - running_start_cycles_) * cycle_period_;
}

void Machine::request_exit(int code) {
  if (!exit_requested_) {
    exit_requested_ = true;
    exit_code_ = code;
  }
  for (auto& h : harts_) h->request_yield();
}

void Machine::request_reset() {
  reset_requested_ = true;
  for (auto& h : harts_) h->request_yield();
}

std::uint64_t Machine::retired() const {
  std::uint64_t total = 0;
  for (const auto& h : harts_) total += h->retired();
  return total;
}

void Machine::do_reset() {
  reset_requested_ = false;
  for (auto& d : devices_) d->reset();
  if (reset_handler_) reset_handler_(*this);
}

RunOutcome Machine::run(std::uint64_t max_instructions) {
  start_run(max_instructions);
  RunOutcome out;
  while (run_slice(out)) {
  }
  return out;
}

void Machine::start_run(std::uint64_t max_instructions) {
  if (harts_.empty()) throw Error("machine has no harts");
  // Counted here rather than read from the harts, whose counters restart
  // when the guest resets the machine.
  run_executed_ = 0;
  run_max_ = max_instructions;
}

bool Machine::run_slice(RunOutcome& out) {
  const std::uint64_t max_instructions = run_max_;
  std::uint64_t& executed = run_executed_;
  const auto finish = [&](StopReason reason) {
    out.reason = reason;
    if (exit_requested_ && reason != StopReason::Deadlock) {
      out.reason = StopReason::GuestExit;
      out.exit_code = exit_code_;
    }
    out.executed = executed;
    return false;
  };
  if (exit_requested_) return finish(StopReason::GuestExit);
  if (max_instructions && executed >= max_instructions) return finish(StopReason::InstructionLimit);
  // A slice ends at the quantum or at the next event, whichever is first;
  // every hart executes the same stretch of guest time.
  std::uint64_t budget = quantum_;
  const Tick deadline = events_.next_deadline();
  if (deadline != EventQueue::kNever) {
    const Tick until = deadline > slice_start_ ? deadline - slice_start_ : 0;
    budget = std::clamp<std::uint64_t>(until / cycle_period_, 1, budget);
  }
  bool limit_bound = false;
  if (max_instructions) {
    const std::uint64_t left = max_instructions - executed;
    const std::uint64_t share = (left + harts_.size() - 1) / harts_.size();
    limit_bound = share <= budget;
    budget = std::min(budget, share);
  }
  bool all_idle = true;
  slice_budget_ = budget;
  slice_cut_ = false;
  for (auto& h : harts_) {
    if (h->idle()) continue;
    all_idle = false;
    running_ = h.get();
    running_start_cycles_ = h->cycles();
    h->clear_yield();
    if (!exit_requested_ && !reset_requested_) {
      std::uint64_t ran = engine_->run(*h, slice_budget_);
      // A hart that used its whole slice but is inside a critical section
      // finishes it first (Hart::preemption_grace); its clock runs that
      // far ahead of the slice. Never past --max-insns, which is exact.
      if (ran == slice_budget_ && !slice_cut_ && !h->yield_requested() && !limit_bound) {
        if (const std::uint64_t grace = h->preemption_grace()) ran += engine_->run(*h, grace);
      }
      executed += ran;
      // A cut slice is as long as the hart that cut it ran; later harts
      // run that much too.
      if (slice_cut_) slice_budget_ = std::max<std::uint64_t>(ran, 1);
    }
    running_ = nullptr;
    if (exit_requested_ || reset_requested_) break;
  }
  if (all_idle) {
    // Every hart waits for an interrupt: nothing happens until the next
    // event, so guest time jumps there.
    if (deadline == EventQueue::kNever) return finish(StopReason::Deadlock);
    slice_start_ = std::max(slice_start_, deadline);
  } else {
    slice_start_ += slice_budget_ * cycle_period_;
  }
  events_.run_due(slice_start_);
  if (reset_requested_) do_reset();
  ++slices_;
  return true;
}

}  // namespace orrery
