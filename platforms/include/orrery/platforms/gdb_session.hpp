#pragma once
// A run under GDB's control over TCP (QEMU's -s, -S, -gdb tcp::PORT): the
// socket is polled between slices (never from a machine event, which would
// move slice boundaries), Ctrl-C and a new connection stop the machine, and
// while it is stopped packets are served (gdb_server.hpp) until the
// debugger resumes, detaches or kills.
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>

#include "orrery/core/machine.hpp"

namespace orrery::gdb {

struct Endpoint {
  std::string host;  // empty: every interface, as QEMU's tcp::PORT
  unsigned port = 0;
};

// "tcp::PORT" or "tcp:HOST:PORT". Throws Error.
Endpoint parse_endpoint(std::string_view text);

// Machine::run's contract, with the debugger attached. wait: accept the
// first connection before the first instruction (-S). The run ends as
// without a debugger, or when the debugger kills it (StopReason::GuestExit,
// exit code 0, as QEMU's `kill` quits).
RunOutcome run_with_gdb(Machine& machine, const Endpoint& endpoint, bool wait, std::uint64_t max_insns,
                        const volatile std::sig_atomic_t* stop_flag,
                        const std::function<void()>& between_slices = {});

}  // namespace orrery::gdb
