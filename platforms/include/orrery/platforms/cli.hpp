#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/trace.hpp"
#include "orrery/platforms/riscv_virt.hpp"

namespace orrery {

struct CliOptions {
  std::string machine = "virt";
  std::string cpu = "rv64";  // -cpu rv64[,h=on|off]
  RiscvVirtConfig virt;
  std::uint64_t max_insns = 0;
  std::string trace;
  TraceConfig trace_config;  // --trace-pc, -priv, -hart, -window, -mem, -csr, -spike
  unsigned log_categories = 0;  // -d ITEMS (core/trace.hpp log_category bits)
  std::string log_file;         // -D FILE; empty: stderr
  bool log_help = false;        // -d help
  std::string engine = "threaded";  // lockstep-proven identical to "interp"
  std::string rtc;  // -rtc as given (parsed into virt.rtc_*)
  bool lockstep = false;
  // Options that make two runs differ (host files written, host entropy):
  // --lockstep refuses them.
  std::vector<std::string> not_repeatable;
  std::string dump_dtb;  // write the device tree here and exit (QEMU's -M virt,dumpdtb=FILE)
  bool stats = false;
  std::string stats_json;         // --stats-json FILE
  std::string timing = "none";    // --timing PRESET|FILE|none
  std::string gdb;                // -gdb tcp::PORT (-s: tcp::1234); empty: no debugger
  bool gdb_wait = false;          // -S: wait for the debugger before the first instruction
  std::uint64_t save_at = 0;      // --save-at INSNS FILE: checkpoint once this many instructions ran
  std::string save_file;
  std::string load;               // --load FILE: start from this checkpoint
  bool help = false;
  bool version = false;
};

// Parse a QEMU-style command line. Throws Error with a one-line message for
// unknown flags, missing values and malformed numbers.
CliOptions parse_command_line(int argc, const char* const* argv);
std::string usage_text();

// "-m" sizes as QEMU spells them: a plain number is MiB; K, M, G, T suffixes
// (optionally followed by B or iB). Throws Error for anything else.
std::uint64_t parse_memory_size(std::string_view text);

}  // namespace orrery
