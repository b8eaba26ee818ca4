// The orrery executable: parse the command line, build the machine, run it.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "orrery/core/machine.hpp"
#include "orrery/core/trace.hpp"
#include "orrery/platforms/cli.hpp"
#include "orrery/platforms/gdb_session.hpp"
#include "orrery/platforms/host_signals.hpp"
#include "orrery/platforms/lockstep.hpp"
#include "orrery/platforms/monitor.hpp"
#include "orrery/platforms/snapshot.hpp"
#include "orrery/platforms/stats_report.hpp"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInstructionLimit = 124;
constexpr int kExitLockstepDivergence = 125;
constexpr int kExitSignalBase = 128;  // + the signal's number, as a shell reports a signal's end

// Disk images to stable storage, whatever ended the run; a failure is an
// error of the run, as data the guest wrote may be lost.
bool sync_devices(orrery::Machine& machine) {
  const std::vector<std::string> errors = machine.sync_devices();
  for (const std::string& e : errors) std::cerr << "orrery: error: " << e << "\n";
  return errors.empty();
}

int run_lockstep(const orrery::CliOptions& options) {
  if (!options.trace.empty()) throw orrery::Error("--lockstep and --trace cannot be combined");
  if (options.log_categories) throw orrery::Error("--lockstep and -d cannot be combined");
  if (options.virt.bios == "none" && options.virt.kernel.empty())
    throw orrery::Error("nothing to run: give -kernel FILE (or a firmware with -bios FILE)");
  const orrery::LockstepResult r = orrery::run_lockstep(options, std::cout, std::cerr);
  if (r.diverged) return kExitLockstepDivergence;
  std::cerr << fmt::format("orrery: lockstep: threaded and interp identical over {} slices, {} instructions\n",
                           r.slices, r.executed);
  if (r.instruction_limit) {
    std::cerr << fmt::format("orrery: stopped after {} instructions (--max-insns)\n", r.executed);
    return kExitInstructionLimit;
  }
  return r.exit_code;
}

// While the console's monitor is open: run the lines typed, wait for more.
void serve_monitor(orrery::StdioBackend& console, orrery::Monitor& monitor,
                   const volatile std::sig_atomic_t* stop_flag) {
  constexpr std::uint64_t kWaitNs = 100'000'000;
  while (console.monitor_open() && !*stop_flag) {
    if (!console.input_open()) {  // the terminal went away: nobody can type `cont`
      console.close_monitor();
      return;
    }
    std::string line;
    while (console.take_monitor_line(line)) {
      console.monitor_write(monitor.execute(line));
      if (monitor.quit_requested() || monitor.take_resume()) {
        console.close_monitor();
        return;
      }
      console.monitor_write(orrery::Monitor::kPrompt);
    }
    console.service(kWaitNs);
  }
}

orrery::RunOutcome run_machine(orrery::Machine& machine, std::uint64_t max_insns,
                               const std::function<void()>& between_slices) {
  machine.start_run(max_insns);
  orrery::RunOutcome out;
  while (machine.run_slice(out)) between_slices();
  return out;
}

int run(const orrery::CliOptions& options) {
  using Clock = std::chrono::steady_clock;
  if (options.lockstep) return run_lockstep(options);
  if (options.virt.bios == "none" && options.virt.kernel.empty() && options.dump_dtb.empty())
    throw orrery::Error("nothing to run: give -kernel FILE (or a firmware with -bios FILE)");
  orrery::Machine machine;
  machine.set_engine(orrery::make_engine(options.engine));
  if (!options.dump_dtb.empty()) {
    // As QEMU's dumpdtb: build the machine (so the blob is the one the guest
    // would get, /chosen included), write it and exit without running.
    orrery::StringBackend quiet;
    const orrery::RiscvVirtBoard board = orrery::build_riscv_virt(machine, options.virt, quiet);
    std::ofstream out(options.dump_dtb, std::ios::binary);
    out.write(reinterpret_cast<const char*>(board.fdt.data()), static_cast<std::streamsize>(board.fdt.size()));
    out.close();
    if (!out) throw orrery::Error(fmt::format("--dump-dtb {}: cannot write: {}", options.dump_dtb, std::strerror(errno)));
    std::cerr << fmt::format("orrery: device tree written to {}\n", options.dump_dtb);
    return 0;
  }
  // The console puts an interactive terminal in raw mode; it is restored
  // when `console` goes out of scope, including on errors.
  orrery::StdioBackend console;
  console.set_quit_handler([&console, &machine] {
    console.flush();
    std::cerr << "\norrery: terminated\n";
    machine.request_exit(0);
  });
  orrery::build_riscv_virt(machine, options.virt, console);
  // After the console, whose raw mode installs its own handlers.
  const orrery::StopSignals signals;
  machine.set_stop_flag(signals.flag());

  std::unique_ptr<orrery::TraceWriter> trace;
  if (!options.trace.empty()) {
    const orrery::TraceConfig& config = options.trace_config;
    trace = std::make_unique<orrery::TraceWriter>(options.trace, config);
    // A window counts every hart's instructions, so every hart is traced;
    // without one, the harts --trace-hart leaves out run untraced (fast).
    for (auto& h : machine.harts())
      if (config.windowed() || config.hart_selected(h->id())) h->set_trace(trace.get());
  }
  std::unique_ptr<orrery::DebugLog> log;
  if (options.log_categories) {
    log = std::make_unique<orrery::DebugLog>(options.log_file, options.log_categories);
    machine.set_log(log.get());
  }

  if (!options.load.empty()) {
    orrery::load_snapshot(machine, options.virt, options.load);
    std::cerr << fmt::format("orrery: restored {} after {} instructions\n", options.load, machine.executed());
  }
  const auto start = Clock::now();
  const auto host_seconds = [&start] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  orrery::Monitor monitor(machine, options.virt, host_seconds);
  bool saved = options.save_file.empty();
  // Between slices: the --save-at checkpoint, and the monitor, which holds
  // the guest still while it is open.
  std::string save_error;  // a failed --save-at ends the run; the drives are still synced
  const auto between_slices = [&] {
    if (!saved && !machine.exit_requested() && machine.executed() >= options.save_at) {
      saved = true;
      console.flush();
      try {
        orrery::save_snapshot(machine, options.virt, options.save_file);
        std::cerr << fmt::format("orrery: checkpoint after {} instructions saved to {}\n", machine.executed(),
                                 options.save_file);
      } catch (const orrery::Error& e) {
        save_error = e.what();
        machine.request_exit(kExitError);
      }
    }
    serve_monitor(console, monitor, signals.flag());
    if (monitor.quit_requested()) {
      std::cerr << "\norrery: terminated\n";
      machine.request_exit(0);
    }
  };

  const orrery::RunOutcome outcome =
      options.gdb.empty() ? run_machine(machine, options.max_insns, between_slices)
                          : orrery::gdb::run_with_gdb(machine, orrery::gdb::parse_endpoint(options.gdb),
                                                      options.gdb_wait, options.max_insns, signals.flag(),
                                                      between_slices);
  const double seconds = host_seconds();
  console.flush();
  if (trace) trace->flush();
  if (log) log->flush();
  const bool synced = sync_devices(machine);

  if (options.stats) orrery::print_stats(machine, seconds, std::cerr);
  if (!options.stats_json.empty()) orrery::write_stats_json(machine, seconds, options.stats_json);
  if (!synced) return kExitError;
  if (!save_error.empty()) {
    std::cerr << "orrery: error: " << save_error << "\n";
    return kExitError;
  }
  if (!saved && outcome.reason != orrery::StopReason::HostStop)
    std::cerr << fmt::format("orrery: the run ended after {} instructions, before --save-at {}: no checkpoint saved\n",
                             outcome.executed, options.save_at);
  if (outcome.reason == orrery::StopReason::HostStop) {
    // As QEMU says it; the guest's writes are in the images by now.
    std::cerr << fmt::format("\norrery: terminating on signal {}\n", signals.received());
    return kExitSignalBase + signals.received();
  }
  if (outcome.reason == orrery::StopReason::InstructionLimit) {
    std::cerr << fmt::format("orrery: stopped after {} instructions (--max-insns)\n", outcome.executed);
    return kExitInstructionLimit;
  }
  return outcome.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  orrery::CliOptions options;
  try {
    options = orrery::parse_command_line(argc, argv);
  } catch (const orrery::Error& e) {
    std::cerr << "orrery: " << e.what() << "\n(see 'orrery --help')\n";
    return kExitUsage;
  }
  if (options.help) {
    std::cout << orrery::usage_text();
    return 0;
  }
  if (options.log_help) {
    std::cout << orrery::log_categories_help();
    return 0;
  }
  if (options.version) {
    std::cout << "orrery " ORRERY_VERSION "\n";
    return 0;
  }
  try {
    return run(options);
  } catch (const orrery::Error& e) {
    std::cerr << "orrery: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::bad_alloc&) {
    std::cerr << "orrery: error: out of host memory\n";
    return kExitError;
  } catch (const std::exception& e) {
    // Every expected failure is an orrery::Error with its own message; this
    // is a bug's last stop, still one line and a status, not an abort.
    std::cerr << "orrery: internal error: " << e.what() << "\n";
    return kExitError;
  }
}
