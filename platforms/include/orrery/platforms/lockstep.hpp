#pragma once
#include <cstdint>
#include <ostream>

#include "orrery/platforms/char_backend.hpp"
#include "orrery/platforms/cli.hpp"

namespace orrery {

class Machine;

// --lockstep: the same machine twice in one process, one on the threaded
// engine and one on the interpreter, advanced in step: every hart's state
// digest is compared after every kLockstepChunk instructions (one block at
// most), its whole architectural state and the console after every slice,
// and all of RAM and ROM every kLockstepMemoryInterval slices and at the
// end. Guest time is made repeatable: the RTC follows guest time from one
// shared start. Console output goes to `out` as it is produced.
inline constexpr std::uint64_t kLockstepChunk = 64;
inline constexpr std::uint64_t kLockstepMemoryInterval = 64;

struct LockstepResult {
  bool diverged = false;
  int exit_code = 0;          // the guest's, when both machines stopped alike
  bool instruction_limit = false;
  std::uint64_t executed = 0;
  std::uint64_t slices = 0;
};

// Throws Error for options whose effects cannot be repeated (writable
// drives, host entropy). Writes the divergence report to err.
LockstepResult run_lockstep(const CliOptions& options, std::ostream& out, std::ostream& err);

// The same on two machines built alike (a: the engine under test, b: the
// reference), whose consoles write to the given backends.
LockstepResult run_lockstep(Machine& a, StringBackend& console_a, Machine& b, StringBackend& console_b,
                            std::uint64_t max_insns, std::ostream& out, std::ostream& err);

}  // namespace orrery
