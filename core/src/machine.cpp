#include "orrery/core/machine.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "orrery/core/trace.hpp"

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
  hart->set_debug(debug_);
  hart->set_log(log_, log_ ? log_->categories() : 0);
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

void Machine::set_debug(DebugControl* debug) {
  debug_ = debug;
  for (auto& h : harts_) h->set_debug(debug);
}

void Machine::set_log(DebugLog* log) {
  log_ = log;
  const unsigned categories = log ? log->categories() : 0;
  bus_.set_log(log, categories);
  for (auto& h : harts_) h->set_log(log, categories);
}

std::vector<std::string> Machine::sync_devices() {
  std::vector<std::string> errors;
  for (auto& d : devices_)
    if (std::string e = d->sync(); !e.empty()) errors.push_back(std::move(e));
  return errors;
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
  run_executed_ = restored_executed_;
  run_max_ = max_instructions;
}

bool Machine::run_slice(RunOutcome& out) {
  if (!begin_slice(out)) return false;
  while (!step_slice(~std::uint64_t{0})) {
  }
  return end_slice(out);
}

bool Machine::finish_run(RunOutcome& out, StopReason reason) const {
  out.reason = reason;
  if (exit_requested_ && reason != StopReason::Deadlock) {
    out.reason = StopReason::GuestExit;
    out.exit_code = exit_code_;
  }
  out.executed = run_executed_;
  return false;
}

bool Machine::begin_slice(RunOutcome& out) {
  if (exit_requested_) return finish_run(out, StopReason::GuestExit);
  if (stop_flag_ && *stop_flag_) return finish_run(out, StopReason::HostStop);
  if (debug_ && debug_->stop_pending()) return finish_run(out, StopReason::DebugStop);
  if (run_max_ && run_executed_ >= run_max_) return finish_run(out, StopReason::InstructionLimit);
  // A slice ends at the quantum or at the next event, whichever is first;
  // every hart executes the same stretch of guest time.
  std::uint64_t budget = quantum_;
  slice_deadline_ = events_.next_deadline();
  if (slice_deadline_ != EventQueue::kNever) {
    const Tick until = slice_deadline_ > slice_start_ ? slice_deadline_ - slice_start_ : 0;
    budget = std::clamp<std::uint64_t>(until / cycle_period_, 1, budget);
  }
  slice_limit_bound_ = false;
  if (run_max_) {
    const std::uint64_t left = run_max_ - run_executed_;
    const std::uint64_t share = (left + harts_.size() - 1) / harts_.size();
    slice_limit_bound_ = share <= budget;
    budget = std::min(budget, share);
  }
  slice_budget_ = budget;
  slice_cut_ = false;
  slice_all_idle_ = true;
  slice_hart_ = 0;
  hart_phase_ = HartPhase::Start;
  return true;
}

bool Machine::step_slice(std::uint64_t max_chunk) {
  if (max_chunk == 0) max_chunk = 1;
  while (slice_hart_ < harts_.size()) {
    Hart& h = *harts_[slice_hart_];
    switch (hart_phase_) {
      case HartPhase::Start:
        if (h.idle()) {
          ++slice_hart_;
          continue;
        }
        slice_all_idle_ = false;
        running_ = &h;
        running_start_cycles_ = h.cycles();
        h.clear_yield();
        if (exit_requested_ || reset_requested_) {
          running_ = nullptr;
          slice_hart_ = harts_.size();
          continue;
        }
        h.begin_slice();
        hart_ran_ = 0;
        hart_phase_ = HartPhase::Main;
        continue;
      case HartPhase::Main: {
        const std::uint64_t n = std::min(max_chunk, slice_budget_ - hart_ran_);
        const std::uint64_t got = n ? engine_->run(h, n) : 0;
        hart_ran_ += got;
        if (got == n && hart_ran_ < slice_budget_ && !h.yield_requested()) return false;
        // A hart that used its whole slice but is inside a critical section
        // finishes it first (Hart::preemption_grace); its clock runs that
        // far ahead of the slice. Never past --max-insns, which is exact.
        grace_left_ = 0;
        if (hart_ran_ == slice_budget_ && !slice_cut_ && !h.yield_requested() && !slice_limit_bound_)
          grace_left_ = h.preemption_grace();
        hart_phase_ = HartPhase::Grace;
        if (got) return false;
        continue;
      }
      case HartPhase::Grace: {
        if (grace_left_ && !h.yield_requested()) {
          const std::uint64_t n = std::min(max_chunk, grace_left_);
          const std::uint64_t got = engine_->run(h, n);
          hart_ran_ += got;
          grace_left_ = got == n ? grace_left_ - got : 0;
          if (grace_left_) return false;
        }
        run_executed_ += hart_ran_;
        // A cut slice is as long as the hart that cut it ran; later harts
        // run that much too. A debugger's stop ends the slice there: guest
        // time moves on by what the stopping hart ran.
        const bool debug_stop = debug_ && debug_->stop_pending();
        if (slice_cut_ || debug_stop) slice_budget_ = std::max<std::uint64_t>(hart_ran_, 1);
        running_ = nullptr;
        hart_phase_ = HartPhase::Start;
        ++slice_hart_;
        if (exit_requested_ || reset_requested_ || debug_stop) slice_hart_ = harts_.size();
        return slice_hart_ == harts_.size();
      }
    }
  }
  return true;
}

bool Machine::end_slice(RunOutcome& out) {
  if (slice_all_idle_) {
    // Every hart waits for an interrupt: nothing happens until the next
    // event, so guest time jumps there.
    if (slice_deadline_ == EventQueue::kNever) return finish_run(out, StopReason::Deadlock);
    slice_start_ = std::max(slice_start_, slice_deadline_);
  } else {
    slice_start_ += slice_budget_ * cycle_period_;
  }
  events_.run_due(slice_start_);
  if (reset_requested_) do_reset();
  ++slices_;
  return true;
}

void Hart::save_state(StateWriter&) const { throw Error(fmt::format("hart {} cannot be checkpointed", id_)); }
void Hart::load_state(StateReader&) { throw Error(fmt::format("hart {} cannot be checkpointed", id_)); }
void Device::save_state(StateWriter&) const {}
void Device::load_state(StateReader&) {}

void Machine::add_state(std::string name, Stateful& object) { extra_state_.emplace_back(std::move(name), &object); }

namespace {

std::string device_section(std::size_t index, const Device& d) { return fmt::format("device.{}.{}", index, d.name()); }

template <class Visit>
void save_section(CheckpointFile& file, std::string name, Visit&& visit) {
  StateWriter out;
  visit(out);
  file.add(std::move(name), out.take());
}

template <class Visit>
void load_section(const CheckpointFile& file, const std::string& name, Visit&& visit) {
  StateReader in = file.reader(name);
  visit(in);
  in.expect_end();
}

}  // namespace

CheckpointFile Machine::save_checkpoint() const {
  if (running_ || hart_phase_ != HartPhase::Start) throw Error("a checkpoint is taken between slices only");
  // A restored run would not know that it had ended.
  if (exit_requested_) throw Error("the guest has asked to exit; its run is over");
  CheckpointFile file;
  save_section(file, "machine", [&](StateWriter& out) {
    out(static_cast<std::uint64_t>(harts_.size()), cycle_period_, quantum_, slice_start_, slices_, run_executed_);
  });
  for (const BusRegion& r : bus_.regions())
    if (r.host) file.add("memory." + r.name, save_memory(r.host, r.size));
  for (const auto& h : harts_) save_section(file, fmt::format("hart.{}", h->id()), [&](auto& out) { h->save_state(out); });
  for (std::size_t i = 0; i < devices_.size(); ++i)
    save_section(file, device_section(i, *devices_[i]), [&](auto& out) { devices_[i]->save_state(out); });
  // (No structured bindings here: Clang 14 cannot capture them in a lambda.)
  for (const auto& extra : extra_state_)
    save_section(file, extra.first, [&](auto& out) { extra.second->save_state(out); });
  return file;
}

void Machine::load_checkpoint(const CheckpointFile& file) {
  if (slices_ != 0 || run_executed_ != 0) throw Error("a checkpoint loads into a machine that has not run");
  load_section(file, "machine", [&](StateReader& in) {
    std::uint64_t harts = 0, quantum = 0;
    Tick period = 0;
    in(harts, period, quantum);
    if (harts != harts_.size())
      in.fail(fmt::format("saved with {} harts, this machine has {} (-smp)", harts, harts_.size()));
    if (period != cycle_period_ || quantum != quantum_) in.fail("saved with another clock period or quantum");
    in(slice_start_, slices_, restored_executed_);
  });
  for (const BusRegion& r : bus_.regions())
    if (r.host) load_section(file, "memory." + r.name, [&](StateReader& in) { load_memory(in, r.host, r.size); });
  // Devices before harts: the interrupt levels a device drives on load reach
  // the harts, whose own load then sets the same levels from their saved
  // state, so every hart ends with the levels it had.
  for (std::size_t i = 0; i < devices_.size(); ++i)
    load_section(file, device_section(i, *devices_[i]), [&](auto& in) { devices_[i]->load_state(in); });
  for (const auto& h : harts_) load_section(file, fmt::format("hart.{}", h->id()), [&](auto& in) { h->load_state(in); });
  for (const auto& extra : extra_state_)
    load_section(file, extra.first, [&](auto& in) { extra.second->load_state(in); });
  run_executed_ = restored_executed_;
  // A section nobody read belongs to a device or hart this machine lacks.
  // Every section read was there, so counting finds the extra ones; the
  // platform's own ("platform...", snapshot.cpp) are not the machine's.
  std::size_t read = 1 + harts_.size() + devices_.size() + extra_state_.size();
  for (const BusRegion& r : bus_.regions()) read += r.host ? 1 : 0;
  std::size_t machine_sections = 0;
  for (const std::string& name : file.names()) machine_sections += name.starts_with("platform") ? 0 : 1;
  if (machine_sections != read)
    throw Error(fmt::format("the file has {} sections for the machine where this one reads {} (was it saved with "
                            "other options?)",
                            machine_sections, read));
}

}  // namespace orrery
