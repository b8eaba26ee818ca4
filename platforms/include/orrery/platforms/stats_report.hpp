#pragma once
// What --stats prints and --stats-json writes at exit: instructions, host
// time and MIPS, the engine's statistics, and per hart the timing model's
// IPC, CPI stack, miss rates and MPKI, for the whole run and for the
// guest-marked statistics region (docs/timing.md).
#include <iosfwd>
#include <string>

namespace orrery {

class Machine;

void print_stats(Machine& machine, double host_seconds, std::ostream& out);
// Throws Error if the file cannot be written.
void write_stats_json(Machine& machine, double host_seconds, const std::string& path);

}  // namespace orrery
