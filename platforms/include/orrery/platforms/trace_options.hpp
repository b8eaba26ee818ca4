#pragma once
// The --trace-* filters as the command line spells them (cli.cpp). Each
// parser throws Error with a one-line message naming the flag.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/trace.hpp"

namespace orrery {

// The --trace-* values as given; empty strings: not given.
struct TraceFlags {
  std::vector<std::string> pcs;  // --trace-pc, repeatable
  std::string modes;             // --trace-priv
  std::string harts;             // --trace-hart
  std::string window;            // --trace-window
  bool mem = false, csr = false, spike = false;
};

// LO-HI or LO+LEN: [LO, HI) or [LO, LO+LEN); numbers in decimal or 0x hex.
// With open_end, START- means up to the end.
TraceConfig::Range parse_trace_range(std::string_view flag, std::string_view text, bool open_end);
// M,S,U,VS,VU (HS = S; any case) -> bits of RiscvHart::ModeIndex.
std::uint32_t parse_trace_modes(std::string_view list);
// Hart numbers separated by commas, each below `harts`.
std::uint64_t parse_trace_harts(std::string_view list, unsigned harts);
TraceConfig parse_trace_flags(const TraceFlags& flags, unsigned harts);

}  // namespace orrery
