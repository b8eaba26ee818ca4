#pragma once
#include <cstdint>
#include <functional>
#include <string_view>

#include "orrery/core/types.hpp"

namespace orrery {

class DebugControl;
class DebugTarget;

class DebugLog;
class StateReader;
class StateWriter;
class TraceWriter;
namespace threaded {
struct Context;
}
namespace timing {
class Core;
struct Region;
}

// The ISA-neutral face of one hardware thread. Each ISA implements it with
// its architectural state; the core only schedules harts and accounts time.
class Hart {
 public:
  explicit Hart(unsigned id) : id_(id) {}
  virtual ~Hart() = default;
  Hart(const Hart&) = delete;
  Hart& operator=(const Hart&) = delete;

  unsigned id() const { return id_; }
  virtual std::string_view isa_name() const = 0;
  // The hart as a debugger sees it; nullptr if the ISA offers none.
  virtual DebugTarget* debug_target() { return nullptr; }
  // The machine's DebugControl (Machine::set_debug), or nullptr.
  void set_debug(DebugControl* debug) { debug_ = debug; }

  // Architectural reset; execution resumes at pc.
  virtual void reset(Addr pc) = 0;
  virtual Addr pc() const = 0;
  // Instructions retired since reset (what the guest's instret counter sees
  // when it is never written or inhibited).
  virtual std::uint64_t retired() const = 0;
  // Hart-local cycles since reset. The machine measures guest time in them;
  // with no timing model every instruction (or trap) takes one cycle.
  virtual std::uint64_t cycles() const = 0;

  // The reference interpreter: execute until `budget` instructions have
  // been executed (retired, or trapped) or the hart is asked to yield.
  // Returns the number executed.
  virtual std::uint64_t interpret(std::uint64_t budget) = 0;

  // The machine is about to run this hart for a slice (after other harts
  // may have run). RISC-V drops its LR reservation here on multi-hart
  // machines: another hart may have stored to the reserved address.
  virtual void begin_slice() {}

  // A cheap digest of the architectural state (--lockstep compares it
  // every few instructions and calls visit_state when it differs).
  virtual std::uint64_t state_fingerprint() const { return 0; }

  // The threaded-dispatch engine (core/threaded): the same contract as
  // interpret(), executing pre-decoded blocks from the engine's cache. An
  // ISA without block support falls back to its interpreter.
  virtual std::uint64_t run_threaded(threaded::Context&, std::uint64_t budget) { return interpret(budget); }

  // How many more instructions the hart would like to run before the
  // machine switches to another hart at the end of a slice: a hart that has
  // just taken a lock (an atomic write) is mid-critical-section, and
  // preempting it there lets the other harts spin on, or worse observe, its
  // half-done update. Any interleaving is architecturally allowed; this
  // only chooses a better one. 0 = switch now.
  virtual std::uint64_t preemption_grace() const { return 0; }

  // Level-sensitive interrupt inputs driven by interrupt controllers and
  // timers, numbered by the ISA (RISC-V: the mip bit, e.g. 3 MSIP, 7 MTIP,
  // 9 SEIP, 11 MEIP). A line that makes an enabled interrupt pending wakes
  // an idle hart.
  virtual void set_interrupt_line(unsigned line, bool level) = 0;

  // True while the hart waits for an interrupt (WFI) and executes nothing;
  // the machine skips idle harts and lets time jump to the next event when
  // every hart is idle.
  bool idle() const { return idle_; }

  // Ask the hart to leave its execution loop after the current instruction
  // (a device requested exit or reset, or an event needs servicing).
  void request_yield() {
    yield_ = true;
    leave_block_ = true;
    loop_switch_ = false;
  }
  bool yield_requested() const { return yield_; }
  void clear_yield() { yield_ = loop_switch_ = false; }

  // Leave the execution loop after the current instruction, but not the
  // slice: the ISA goes on in another loop of its own (RISC-V: counting
  // turned observation on or off). A yield already pending wins.
  void request_loop_switch() {
    if (!yield_) yield_ = loop_switch_ = true;
    leave_block_ = true;
  }
  // If the loop was left for a switch only, forget it and say so.
  bool take_loop_switch() {
    if (!loop_switch_) return false;
    yield_ = loop_switch_ = false;
    return true;
  }

  // Ask the threaded engine to leave the current block after the current
  // instruction and look the pc up again: state the block was entered under
  // changed (a trap, an interrupt line, a TLB entry, the code itself). The
  // interpreter ignores it; every instruction is a "block" there.
  void request_block_exit() { leave_block_ = true; }
  bool block_exit_requested() const { return leave_block_; }
  void clear_block_exit() { leave_block_ = false; }

  // Every piece of architectural state, by name (for --lockstep, which
  // compares two machines' harts). Names are the manuals' (pc, a0, mstatus).
  using StateVisitor = std::function<void(std::string_view name, std::uint64_t value)>;
  virtual void visit_state(const StateVisitor&) const {}

  // The hart's timing model (pipeline, L1s), or nullptr when it has none
  // (--timing none): for reports.
  virtual const timing::Core* timing_model() const { return nullptr; }
  // The events between the guest's region markers (docs/timing.md), or
  // nullptr if the ISA has no markers.
  virtual const timing::Region* stats_region() const { return nullptr; }

  // nullptr turns tracing off.
  void set_trace(TraceWriter* trace) { trace_ = trace; }
  // The -d log (nullptr: none). The categories are copied, so a hot path
  // tests log_mask_ alone.
  void set_log(DebugLog* log, unsigned categories) {
    log_ = log;
    log_mask_ = log ? categories : 0;
  }

  // Checkpoints (core/checkpoint.hpp): everything the hart holds beyond its
  // construction, its timing model included; only between slices. Harts
  // that cannot be checkpointed throw Error.
  virtual void save_state(StateWriter& out) const;
  virtual void load_state(StateReader& in);

 protected:
  DebugControl* debug_ = nullptr;
  TraceWriter* trace_ = nullptr;
  DebugLog* log_ = nullptr;
  unsigned log_mask_ = 0;  // log_category bits; 0 without a log
  bool yield_ = false;
  bool loop_switch_ = false;  // yield_ is only a loop switch
  bool leave_block_ = false;
  bool idle_ = false;

 private:
  unsigned id_;
};

}  // namespace orrery
