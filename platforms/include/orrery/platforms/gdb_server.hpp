#pragma once
// The GDB stub's packet handling (docs/design/gdb-stub.md): all-stop, one
// thread per hart (thread id = hart id + 1), registers and target
// description from each hart's DebugTarget, memory through the selected
// hart's translation (RAM and ROM only: a debugger's read must not have a
// device's side effects), software and hardware breakpoints as pc
// comparisons, continue and single-step. The transport (a TCP socket and
// the RSP framing of gdb_rsp.hpp) is separate.
#include <optional>
#include <string>
#include <string_view>

#include "orrery/core/debug.hpp"
#include "orrery/core/machine.hpp"

namespace orrery::gdb {

class Server {
 public:
  Server(Machine& machine, DebugControl& debug);

  // What the debugger asked the machine to do after the last packet.
  enum class Action { None, Resume, Detach, Kill };
  // The reply to one packet's payload, or nullopt for a resume (the reply
  // is the stop reply, sent when the machine stops).
  std::optional<std::string> handle(std::string_view packet);
  Action take_action();

  // The stop reply (T05thread:N;...) for the debugger's latest stop.
  std::string stop_reply(const DebugControl::Stop& stop);

  // Memory through the hart's translation, for m/M/X (and tests).
  bool read_memory(unsigned hart, Addr va, std::size_t len, std::string& hex) const;
  bool write_memory(unsigned hart, Addr va, std::span<const std::uint8_t> bytes);

 private:
  std::string query(std::string_view packet);
  std::string read_registers() const;
  std::string write_registers(std::string_view hex);
  std::optional<std::string> resume(std::string_view packet);
  std::string breakpoint(std::string_view packet, bool insert);
  bool select_thread(std::string_view id, int& hart) const;
  DebugTarget& target(unsigned hart) const;

  Machine& machine_;
  DebugControl& debug_;
  int g_hart_ = 0;  // Hg: registers and memory
  int c_hart_ = -1;  // Hc: stepping (-1: any)
  unsigned stopped_hart_ = 0;
  Action action_ = Action::None;
};

}  // namespace orrery::gdb
