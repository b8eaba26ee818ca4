#pragma once
#include <cstdint>
#include <ostream>

#include "orrery/platforms/cli.hpp"

namespace orrery {

// --lockstep: the same machine twice in one process, one on the threaded
// engine and one on the interpreter, advanced a slice at a time and
// compared after every slice (console output, every hart's architectural
// state) and every kLockstepMemoryInterval slices and at the end (all of
// RAM and ROM). Guest time is made repeatable: the RTC follows guest time
// from one shared start. Console output goes to `out` as it is produced.
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

}  // namespace orrery
