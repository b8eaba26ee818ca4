#include "orrery/platforms/stats_report.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>

#include "orrery/core/engine.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/core/timing.hpp"
#include "orrery/pmu/pmu.hpp"

namespace orrery {

namespace {

using timing::Event;
using timing::EventCounts;

std::uint64_t get(const EventCounts& e, Event which) { return e[static_cast<unsigned>(which)]; }
double ratio(std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

// The CPI stack: base (cycles in which something issued) plus the stall
// cycles of each cause, per instruction. The parts add up to the CPI.
struct CpiStack {
  double base, branch, icache, dcache, tlb, other;
};
CpiStack cpi_stack(const EventCounts& e) {
  const std::uint64_t n = get(e, Event::Instructions);
  return {ratio(get(e, Event::Cycles) - get(e, Event::StallCycles), n), ratio(get(e, Event::StallBranch), n),
          ratio(get(e, Event::StallICache), n), ratio(get(e, Event::StallDCache), n), ratio(get(e, Event::StallTlb), n),
          ratio(get(e, Event::StallOther), n)};
}

void print_counts(const EventCounts& e, const std::string& prefix, std::ostream& out) {
  const std::uint64_t insns = get(e, Event::Instructions), cycles = get(e, Event::Cycles);
  const double kilo = static_cast<double>(insns) / 1000.0;
  const auto mpki = [&](std::uint64_t misses) { return kilo > 0 ? static_cast<double>(misses) / kilo : 0.0; };
  out << fmt::format("{}cycles {}, instructions {}, IPC {:.3f}, CPI {:.3f}\n", prefix, cycles, insns,
                     ratio(insns, cycles), ratio(cycles, insns));
  const CpiStack s = cpi_stack(e);
  out << fmt::format("{}CPI stack: base {:.3f}, branch {:.3f}, icache {:.3f}, dcache {:.3f}, tlb {:.3f}, other {:.3f}\n",
                     prefix, s.base, s.branch, s.icache, s.dcache, s.tlb, s.other);
  const auto line = [&](std::string_view what, Event accesses, Event misses) {
    out << fmt::format("{}{}: {} accesses, {} misses ({:.2f}%), MPKI {:.3f}\n", prefix, what, get(e, accesses),
                       get(e, misses), 100.0 * ratio(get(e, misses), get(e, accesses)), mpki(get(e, misses)));
  };
  line("branches", Event::Branches, Event::BranchMisses);
  line("L1I", Event::L1IAccesses, Event::L1IMisses);
  line("L1D", Event::L1DAccesses, Event::L1DMisses);
  line("L2", Event::L2Accesses, Event::L2Misses);
  out << fmt::format("{}ITLB misses {} (MPKI {:.3f}), DTLB misses {} (MPKI {:.3f}), loads {}, stores {}\n", prefix,
                     get(e, Event::ITlbMisses), mpki(get(e, Event::ITlbMisses)), get(e, Event::DTlbMisses),
                     mpki(get(e, Event::DTlbMisses)), get(e, Event::Loads), get(e, Event::Stores));
}

std::string json_string(std::string_view text) {
  std::string s = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      s += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      s += c;
    }
  }
  return s + "\"";
}

std::string json_counts(const EventCounts& e) {
  std::string s = "{";
  bool first = true;
  for (const pmu::EventInfo& info : pmu::events()) {
    s += fmt::format("{}\"{}\": {}", first ? "" : ", ", info.name, get(e, info.event));
    first = false;
  }
  const CpiStack c = cpi_stack(e);
  s += fmt::format(
      ", \"ipc\": {:.6f}, \"cpi_stack\": {{\"base\": {:.6f}, \"branch\": {:.6f}, \"icache\": {:.6f}, "
      "\"dcache\": {:.6f}, \"tlb\": {:.6f}, \"other\": {:.6f}}}}}",
      ratio(get(e, Event::Instructions), get(e, Event::Cycles)), c.base, c.branch, c.icache, c.dcache, c.tlb, c.other);
  return s;
}

}  // namespace

void print_stats(Machine& machine, double seconds, std::ostream& out) {
  const std::uint64_t retired = machine.retired();
  out << fmt::format("orrery: instructions retired: {}\n", retired);
  if (machine.harts().size() > 1)
    for (auto& h : machine.harts()) out << fmt::format("orrery:   hart {}: {}\n", h->id(), h->retired());
  out << fmt::format("orrery: guest time: {:.6f} s\n", static_cast<double>(machine.now()) / kTicksPerSecond);
  out << fmt::format("orrery: host seconds: {:.3f}\n", seconds);
  out << fmt::format("orrery: MIPS: {:.1f}\n", seconds > 0 ? static_cast<double>(retired) / seconds / 1e6 : 0.0);
  machine.engine().print_stats(out);
  for (auto& h : machine.harts()) {
    if (const timing::Core* core = h->timing_model()) {
      out << fmt::format("orrery: hart {} timing ({}):\n", h->id(), core->config().name);
      print_counts(core->events(), "orrery:   ", out);
    }
    const timing::Region* region = h->stats_region();
    if (region && region->count) {
      out << fmt::format("orrery: hart {} region ({} marked):\n", h->id(), region->count);
      if (h->timing_model()) {
        print_counts(region->total, "orrery:   ", out);
      } else {
        out << fmt::format("orrery:   cycles {}, instructions {}\n", get(region->total, Event::Cycles),
                           get(region->total, Event::Instructions));
      }
    }
  }
}

void write_stats_json(Machine& machine, double seconds, const std::string& path) {
  std::string s = fmt::format("{{\n  \"instructions\": {},\n  \"guest_seconds\": {:.9f},\n  \"host_seconds\": {:.6f},\n",
                              machine.retired(), static_cast<double>(machine.now()) / kTicksPerSecond, seconds);
  s += "  \"harts\": [\n";
  for (std::size_t i = 0; i < machine.harts().size(); ++i) {
    const Hart& h = *machine.harts()[i];
    s += fmt::format("    {{\"hart\": {}, \"instructions\": {}", h.id(), h.retired());
    if (const timing::Core* core = h.timing_model())
      s += fmt::format(", \"timing\": {}, \"events\": {}", json_string(core->config().name), json_counts(core->events()));
    if (const timing::Region* region = h.stats_region(); region && region->count)
      s += fmt::format(", \"regions\": {}, \"region\": {}", region->count, json_counts(region->total));
    s += i + 1 < machine.harts().size() ? "},\n" : "}\n";
  }
  s += "  ]\n}\n";
  std::ofstream out(path);
  if (!out) throw Error(fmt::format("--stats-json {}: cannot open: {}", path, std::strerror(errno)));
  out << s;
  out.close();
  if (!out) throw Error(fmt::format("--stats-json {}: cannot write", path));
}

}  // namespace orrery
