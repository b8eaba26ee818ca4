#pragma once
// The monitor (Ctrl-A C on the console, as in QEMU): commands that inspect
// and control a stopped machine. docs/usage.md lists them. The caller runs
// commands between slices only, so the machine is never mid-instruction.
#include <functional>
#include <string>
#include <string_view>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/riscv_virt.hpp"

namespace orrery {

class Monitor {
 public:
  // host_seconds: the run's host time so far (for `stats`).
  Monitor(Machine& machine, const RiscvVirtConfig& config, std::function<double()> host_seconds);

  // One command line; the text it prints (each line ends in '\n').
  std::string execute(std::string_view line);
  // `quit` was given: the caller ends the run.
  bool quit_requested() const { return quit_; }
  // `cont` was given: the caller closes the monitor and resumes the guest.
  bool take_resume() {
    const bool r = resume_;
    resume_ = false;
    return r;
  }

  static constexpr std::string_view kPrompt = "(orrery) ";

 private:
  std::string help() const;
  std::string info(std::string_view what);
  std::string info_registers(std::string_view args) const;
  std::string info_cpus() const;
  std::string info_mtree() const;
  std::string info_mem() const;
  std::string examine(std::string_view args, bool physical) const;
  std::string select_cpu(std::string_view args);
  std::string stats() const;
  std::string savevm(std::string_view args) const;
  Hart& hart() const { return *machine_.harts().at(cpu_); }

  Machine& machine_;
  const RiscvVirtConfig& config_;
  std::function<double()> host_seconds_;
  unsigned cpu_ = 0;  // the hart `x`, `info registers` and `info mem` look at
  bool quit_ = false;
  bool resume_ = false;
};

}  // namespace orrery
