#include "orrery/platforms/monitor.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <sstream>
#include <vector>

#include "orrery/core/debug.hpp"
#include "orrery/platforms/snapshot.hpp"
#include "orrery/platforms/stats_report.hpp"

namespace orrery {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// The first word and the rest.
std::pair<std::string_view, std::string_view> split_word(std::string_view s) {
  s = trim(s);
  const std::size_t end = s.find_first_of(" \t");
  if (end == std::string_view::npos) return {s, {}};
  return {s.substr(0, end), trim(s.substr(end))};
}

bool parse_number(std::string_view text, std::uint64_t& value) {
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
    base = 16;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

// The hart's state as the ISA names it (Hart::visit_state), in order.
std::vector<std::pair<std::string, std::uint64_t>> hart_state(const Hart& h) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  h.visit_state([&out](std::string_view name, std::uint64_t value) { out.emplace_back(name, value); });
  return out;
}

struct ExamineFormat {
  std::uint64_t count = 1;
  char format = 'x';  // x, d, u, c, i
  unsigned size = 4;  // b h w g
};

// QEMU's /NFU: count, format, unit size, each optional, in that order.
bool parse_format(std::string_view spec, ExamineFormat& f) {
  std::size_t digits = 0;
  while (digits < spec.size() && spec[digits] >= '0' && spec[digits] <= '9') ++digits;
  if (digits && (!parse_number(spec.substr(0, digits), f.count) || f.count == 0)) return false;
  for (const char c : spec.substr(digits)) {
    switch (c) {
      case 'x': case 'd': case 'u': case 'c': case 'i': f.format = c; break;
      case 'b': f.size = 1; break;
      case 'h': f.size = 2; break;
      case 'w': f.size = 4; break;
      case 'g': f.size = 8; break;
      default: return false;
    }
  }
  return true;
}

}  // namespace

Monitor::Monitor(Machine& machine, const RiscvVirtConfig& config, std::function<double()> host_seconds)
    : machine_(machine), config_(config), host_seconds_(std::move(host_seconds)) {}

std::string Monitor::execute(std::string_view line) {
  line = trim(line);
  if (line.empty()) return {};
  // "x/4xg ADDR" and "x /4xg ADDR" alike: the format sticks to the command.
  std::string_view command = line.substr(0, line.find_first_of(" \t/"));
  const std::string_view args = trim(line.substr(command.size()));
  try {
    if (command == "help" || command == "?") return help();
    if (command == "info") return info(args);
    if (command == "x") return examine(args, false);
    if (command == "xp") return examine(args, true);
    if (command == "cpu") return select_cpu(args);
    if (command == "stats") return stats();
    if (command == "savevm") return savevm(args);
    if (command == "c" || command == "cont") {
      resume_ = true;
      return {};
    }
    if (command == "q" || command == "quit") {
      quit_ = true;
      return {};
    }
  } catch (const Error& e) {
    return fmt::format("{}: {}\n", command, e.what());
  }
  return fmt::format("unknown command: '{}' (help lists the commands)\n", command);
}

std::string Monitor::help() const {
  return "The guest is stopped while the monitor is open; Ctrl-A C or 'cont' resumes it.\n"
         "info registers [-a]   the selected hart's registers and CSRs (-a: every hart)\n"
         "info cpus             the harts: pc, privilege, instructions retired\n"
         "info mtree            the physical memory map\n"
         "info mem | info tlb   the selected hart's current virtual-to-physical mappings\n"
         "cpu N                 select hart N for x, info registers and info mem\n"
         "x /NFU ADDR           N units of memory at virtual ADDR, through the selected hart's translation\n"
         "xp /NFU ADDR          ... at physical ADDR; F: x d u c i (instructions), U: b h w g\n"
         "                      ADDR: a number (0x for hex) or $REG (e.g. $pc, $sp, $a0, $mepc)\n"
         "stats                 instructions, guest time and the timing model's figures so far\n"
         "savevm FILE           save a checkpoint of the machine to FILE (orrery --load FILE resumes it)\n"
         "cont | c              close the monitor and resume the guest\n"
         "quit | q              end the run\n";
}

std::string Monitor::info(std::string_view args) {
  const auto [what, rest] = split_word(args);
  if (what == "registers") return info_registers(rest);
  if (what == "cpus") return info_cpus();
  if (what == "mtree") return info_mtree();
  if (what == "mem" || what == "tlb") return info_mem();
  return fmt::format("info {}: unknown (available: registers, cpus, mtree, mem, tlb)\n", what);
}

std::string Monitor::info_registers(std::string_view args) const {
  if (!args.empty() && args != "-a") return "info registers: the only option is -a (every hart)\n";
  std::string out;
  for (const auto& h : machine_.harts()) {
    if (args.empty() && h->id() != cpu_) continue;
    out += fmt::format("hart {} ({})\n", h->id(), h->isa_name());
    const auto state = hart_state(*h);
    for (std::size_t i = 0; i < state.size(); ++i)
      out += fmt::format(" {:<14} {:016x}{}", state[i].first, state[i].second,
                         i % 4 == 3 || i + 1 == state.size() ? "\n" : "");
  }
  return out;
}

std::string Monitor::info_cpus() const {
  std::string out;
  for (const auto& h : machine_.harts()) {
    std::uint64_t priv = 0;
    for (const auto& [name, value] : hart_state(*h))
      if (name == "priv") priv = value;
    out += fmt::format("{} CPU #{}: pc=0x{:016x} priv={} retired={}{}\n", h->id() == cpu_ ? '*' : ' ', h->id(),
                       h->pc(), priv, h->retired(), h->idle() ? " (wfi)" : "");
  }
  return out;
}

std::string Monitor::info_mtree() const {
  std::string out = "address-space: memory\n";
  for (const BusRegion& r : machine_.bus().regions()) {
    const char* kind = r.kind == BusRegion::Kind::Ram ? "ram" : r.kind == BusRegion::Kind::Rom ? "rom" : "i/o";
    out += fmt::format("  {:016x}-{:016x} ({}): {}\n", r.base, r.base + r.size - 1, kind,
                       r.device && r.device->name() != r.name ? fmt::format("{} ({})", r.name, r.device->name())
                                                              : r.name);
  }
  return out;
}

std::string Monitor::info_mem() const {
  const DebugTarget* target = hart().debug_target();
  if (!target) return "info mem: this hart cannot show its mappings\n";
  return target->describe_mappings();
}

std::string Monitor::select_cpu(std::string_view args) {
  std::uint64_t n = 0;
  if (!parse_number(args, n) || n >= machine_.harts().size())
    return fmt::format("cpu: give a hart number from 0 to {}\n", machine_.harts().size() - 1);
  cpu_ = static_cast<unsigned>(n);
  return {};
}

std::string Monitor::examine(std::string_view args, bool physical) const {
  const char* name = physical ? "xp" : "x";
  ExamineFormat f;
  if (args.starts_with("/")) {
    const auto [spec, rest] = split_word(args.substr(1));
    if (!parse_format(spec, f)) return fmt::format("{}: bad format '/{}' (/NFU: F in xduci, U in bhwg)\n", name, spec);
    args = rest;
  }
  Addr addr = 0;
  if (args.starts_with("$")) {
    bool found = false;
    for (const auto& [reg, value] : hart_state(hart()))
      if (reg == args.substr(1)) addr = value, found = true;
    if (!found) return fmt::format("{}: no register '{}'\n", name, args);
  } else if (!parse_number(args, addr)) {
    return fmt::format("{}: give an address (a number, 0x for hex, or $REG)\n", name);
  }
  if (f.format == 'c') f.size = 1;  // as QEMU: characters are bytes, whatever the unit
  const DebugTarget* target = hart().debug_target();
  if (!physical && !target) return "x: this hart cannot translate; use xp\n";
  constexpr std::uint64_t kMaxUnits = 4096;
  if (f.count > kMaxUnits) return fmt::format("{}: at most {} units at once\n", name, kMaxUnits);
  // Bytes at a (virtual unless physical) address, or false where nothing
  // readable (RAM or ROM, never a device) is.
  const auto read = [&](Addr a, std::uint8_t* out, unsigned size) {
    for (unsigned i = 0; i < size; ++i) {
      Addr pa = a + i;
      if (!physical) {
        const std::optional<Addr> t = target->debug_translate(a + i);
        if (!t) return false;
        pa = *t;
      }
      const std::uint8_t* host = machine_.bus().host_ptr(pa, 1, false);
      if (!host) return false;
      out[i] = *host;
    }
    return true;
  };
  std::string out;
  if (f.format == 'i') {
    for (std::uint64_t n = 0; n < f.count; ++n) {
      std::uint8_t bytes[4] = {};
      unsigned length = 0;
      const bool ok2 = read(addr, bytes, 2);
      const bool ok4 = ok2 && read(addr, bytes, 4);
      const std::string text = ok2 && target ? target->disassemble_at(std::span(bytes, ok4 ? 4 : 2), addr, length) : "";
      if (!length) return out + fmt::format("{:016x}: cannot access memory\n", addr);
      out += fmt::format("{:016x}: {}\n", addr, text);
      addr += length;
    }
    return out;
  }
  const unsigned per_line = 16 / f.size;
  for (std::uint64_t n = 0; n < f.count; ++n) {
    const Addr a = addr + n * f.size;
    if (n % per_line == 0) out += fmt::format("{}{:016x}:", n ? "\n" : "", a);
    std::uint8_t bytes[8] = {};
    if (!read(a, bytes, f.size)) return out + " cannot access memory\n";
    std::uint64_t v = 0;
    std::memcpy(&v, bytes, f.size);  // the host and the guest are little-endian
    const unsigned bits = f.size * 8;
    const auto sv = bits == 64 ? static_cast<std::int64_t>(v)
                               : static_cast<std::int64_t>(v << (64 - bits)) >> (64 - bits);
    switch (f.format) {
      case 'd': out += fmt::format(" {}", sv); break;
      case 'u': out += fmt::format(" {}", v); break;
      case 'c': out += fmt::format(" '{}'", v >= 0x20 && v < 0x7f ? static_cast<char>(v) : '.'); break;
      default: out += fmt::format(" 0x{:0{}x}", v, f.size * 2); break;
    }
  }
  return out + "\n";
}

std::string Monitor::stats() const {
  std::ostringstream out;
  print_stats(machine_, host_seconds_ ? host_seconds_() : 0.0, out);
  return out.str();
}

std::string Monitor::savevm(std::string_view args) const {
  if (args.empty()) return "savevm: give a file name\n";
  const std::string path(args);
  save_snapshot(machine_, config_, path);
  return fmt::format("checkpoint after {} instructions saved to {}\n", machine_.executed(), path);
}

}  // namespace orrery
