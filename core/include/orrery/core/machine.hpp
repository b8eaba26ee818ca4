#pragma once
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "orrery/core/bus.hpp"
#include "orrery/core/checkpoint.hpp"
#include "orrery/core/debug.hpp"
#include "orrery/core/engine.hpp"
#include "orrery/core/event_queue.hpp"
#include "orrery/core/hart.hpp"

namespace orrery {

enum class StopReason { GuestExit, InstructionLimit, Deadlock, HostStop, DebugStop };

struct RunOutcome {
  StopReason reason = StopReason::GuestExit;
  int exit_code = 0;
  std::uint64_t executed = 0;  // instructions executed (retired or trapped) by all harts
};

// A whole system: harts, the physical bus, devices, the event queue and guest
// time. Harts run round-robin in quanta of guest time on one host thread;
// each quantum ends early at the next event deadline, so devices observe a
// deterministic interleaving. Until a timing model exists, every instruction
// cycle takes a fixed period (1 ns by default: a 1 GHz machine) and every
// instruction one cycle.
class Machine {
 public:
  Machine();
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  Bus& bus() { return bus_; }
  EventQueue& events() { return events_; }

  Hart& add_hart(std::unique_ptr<Hart> hart);
  const std::vector<std::unique_ptr<Hart>>& harts() const { return harts_; }
  // The machine owns its devices; returns the device for mapping.
  template <class D>
  D& own(std::unique_ptr<D> device) {
    D& ref = *device;
    devices_.push_back(std::move(device));
    return ref;
  }

  // Any other object that must live as long as the machine (e.g. adapters
  // between a platform's devices and its harts).
  template <class T>
  T& keep(std::unique_ptr<T> object) {
    T& ref = *object;
    kept_.push_back(std::shared_ptr<void>(std::move(object)));
    return ref;
  }

  void set_engine(std::unique_ptr<Engine> engine) { engine_ = std::move(engine); }
  Engine& engine() { return *engine_; }
  void set_cycle_period(Tick period) { cycle_period_ = period ? period : 1; }
  Tick cycle_period() const { return cycle_period_; }
  void set_quantum(std::uint64_t insns) { quantum_ = insns ? insns : 1; }

  // Guest time now, including the progress of the hart that is running.
  Tick now() const;

  // Requests from devices; they take effect after the current instruction.
  void request_exit(int code);
  void request_reset();
  // A flag that a host signal handler sets (a volatile sig_atomic_t is all a
  // handler may write, C++20 [support.signal]). Once it is non-zero the run
  // stops at the next slice boundary, at most a quantum later, with
  // StopReason::HostStop; the machine stays consistent.
  void set_stop_flag(const volatile std::sig_atomic_t* flag) { stop_flag_ = flag; }
  // A debugger's control (core/debug.hpp), handed to every hart: once it
  // records a stop the slice ends after the hart that stopped (later harts
  // do not run it) and begin_slice ends the run with StopReason::DebugStop;
  // calling run_slice again, without start_run, resumes.
  void set_debug(DebugControl* debug);
  // The -d log (core/trace.hpp), handed to the bus and every hart; nullptr:
  // none. The log must outlive the run.
  void set_log(DebugLog* log);
  // Device::sync() of every device; the errors, one line each.
  std::vector<std::string> sync_devices();
  // Runs on a guest-requested reset (after devices reset): reload images and
  // reset harts to their entry points.
  void set_reset_handler(std::function<void(Machine&)> handler) { reset_handler_ = std::move(handler); }

  // Run until the guest exits or the harts have executed max_instructions
  // in total (0 = unlimited). Instructions that trap count, so a guest stuck
  // in a trap loop still stops.
  RunOutcome run(std::uint64_t max_instructions = 0);
  // run() one slice at a time (lockstep runs two machines side by side):
  // start_run, then run_slice until it returns false, having filled out.
  void start_run(std::uint64_t max_instructions = 0);
  bool run_slice(RunOutcome& out);
  // run_slice in finer steps: begin_slice (false: the run is over, out
  // filled), then step_slice until it returns true (each call makes at most
  // one engine call of at most max_chunk instructions), then end_slice
  // (false: the run is over). Chunking never changes what the guest sees.
  bool begin_slice(RunOutcome& out);
  bool step_slice(std::uint64_t max_chunk);
  bool end_slice(RunOutcome& out);
  std::uint64_t slices() const { return slices_; }
  // Instructions of the run so far (with a loaded checkpoint's before them).
  std::uint64_t executed() const { return run_executed_; }
  // The guest asked to end the run (it ends at the next slice boundary).
  bool exit_requested() const { return exit_requested_; }

  std::uint64_t retired() const;

  // Checkpoints (docs/checkpoints.md). State that belongs to neither a hart
  // nor a device (a cache the harts share) is added by name.
  void add_state(std::string name, Stateful& object);
  // Between slices (before a run, or after run_slice returned true), and
  // not once the guest has asked to exit (its run is over): every
  // RAM/ROM region, hart, device and added state, and guest time. The
  // instructions of the run so far are kept, so a restored run's count
  // continues where this one was.
  CheckpointFile save_checkpoint() const;
  // Into a machine built with the same options that has not run yet.
  void load_checkpoint(const CheckpointFile& file);

 private:
  void do_reset();

  Bus bus_;
  EventQueue events_;
  std::vector<std::unique_ptr<Hart>> harts_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<std::shared_ptr<void>> kept_;
  std::unique_ptr<Engine> engine_;
  Tick cycle_period_ = 1000;      // ps
  std::uint64_t quantum_ = 10000;  // instructions per hart per slice

  Tick slice_start_ = 0;          // guest time at the start of the current slice
  Hart* running_ = nullptr;       // hart inside the engine, if any
  std::uint64_t running_start_cycles_ = 0;
  std::uint64_t slice_budget_ = 0;  // instructions per hart in the current slice
  bool slice_cut_ = false;          // an event scheduled mid-slice ends it early
  std::uint64_t run_executed_ = 0, run_max_ = 0;  // the run in progress
  std::uint64_t restored_executed_ = 0;  // a loaded checkpoint's run_executed_
  std::vector<std::pair<std::string, Stateful*>> extra_state_;
  const volatile std::sig_atomic_t* stop_flag_ = nullptr;
  DebugControl* debug_ = nullptr;
  DebugLog* log_ = nullptr;
  bool finish_run(RunOutcome& out, StopReason reason) const;
  // The slice in progress (begin_slice/step_slice/end_slice).
  enum class HartPhase : std::uint8_t { Start, Main, Grace };
  Tick slice_deadline_ = 0;
  bool slice_limit_bound_ = false, slice_all_idle_ = true;
  std::size_t slice_hart_ = 0;
  HartPhase hart_phase_ = HartPhase::Start;
  std::uint64_t hart_ran_ = 0, grace_left_ = 0;
  std::uint64_t slices_ = 0;

  bool exit_requested_ = false;
  int exit_code_ = 0;
  bool reset_requested_ = false;
  std::function<void(Machine&)> reset_handler_;
};

}  // namespace orrery
