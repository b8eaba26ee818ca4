#pragma once
// Checkpoint files of the virt machine (--save-at, --load, the monitor's
// savevm): the machine's state (core/checkpoint.hpp) plus the options that
// built it, which a restored run must repeat. docs/checkpoints.md.
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/riscv_virt.hpp"

namespace orrery {

// The options that shape the machine, one line ("harts=2 ram=256M ...").
std::string machine_summary(const RiscvVirtConfig& config);

// Between slices only. Throws Error on a write failure.
void save_snapshot(const Machine& machine, const RiscvVirtConfig& config, const std::string& path);
// Into a machine just built from config. Throws Error naming the file and
// the problem (not a checkpoint, corrupt, another version, other options).
void load_snapshot(Machine& machine, const RiscvVirtConfig& config, const std::string& path);

}  // namespace orrery
