#include "orrery/platforms/trace_options.hpp"

#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <optional>

#include "orrery/riscv/hart.hpp"

namespace orrery {

namespace {

// Decimal, or hexadecimal after 0x: addresses are read in hex, counts in
// decimal, and either is accepted for both.
std::optional<std::uint64_t> parse_number(std::string_view text) {
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// The items of a comma-separated list; an empty one (a stray comma) is an error.
std::vector<std::string_view> split_list(std::string_view flag, std::string_view list, std::string_view what) {
  std::vector<std::string_view> items;
  for (std::string_view rest = list;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    if (item.empty()) throw Error(fmt::format("{} {}: empty {} (stray comma?)", flag, list, what));
    items.push_back(item);
    if (comma == std::string_view::npos) return items;
    rest.remove_prefix(comma + 1);
  }
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

TraceConfig::Range parse_trace_range(std::string_view flag, std::string_view text, bool open_end) {
  const auto fail = [&](std::string_view why) { return Error(fmt::format("{} {}: {}", flag, text, why)); };
  const std::string_view form = open_end ? "expected START-END, START+COUNT or START- (decimal or 0x hex)"
                                         : "expected LO-HI or LO+LEN (hex with 0x, or decimal)";
  const std::size_t sep = text.find_first_of("-+");
  if (sep == std::string_view::npos) throw fail(form);
  const std::optional<std::uint64_t> lo = parse_number(text.substr(0, sep));
  const std::string_view rest = text.substr(sep + 1);
  if (!lo) throw fail(form);
  if (open_end && text[sep] == '-' && rest.empty()) return {*lo, ~std::uint64_t{0}};
  const std::optional<std::uint64_t> n = parse_number(rest);
  if (!n) throw fail(form);
  if (text[sep] == '+') {
    if (*n == 0) throw fail("the length is 0");
    if (*n > ~std::uint64_t{0} - *lo) throw fail("the range runs past 2^64");
    return {*lo, *lo + *n};
  }
  if (*n <= *lo) throw fail("the end must be above the start (the range is [start, end))");
  return {*lo, *n};
}

std::uint32_t parse_trace_modes(std::string_view list) {
  using riscv::RiscvHart;
  std::uint32_t modes = 0;
  for (const std::string_view item : split_list("--trace-priv", list, "mode")) {
    std::string name = upper(item);
    if (name == "HS") name = "S";  // S with V=0 is HS when the H extension is present
    unsigned m = 0;
    while (m < RiscvHart::kModes && RiscvHart::kModeNames[m] != name) ++m;
    if (m == RiscvHart::kModes)
      throw Error(fmt::format("--trace-priv {}: unknown mode '{}' (available: M, S or HS, U, VS, VU)", list, item));
    modes |= 1u << m;
  }
  return modes;
}

std::uint64_t parse_trace_harts(std::string_view list, unsigned harts) {
  std::uint64_t mask = 0;
  for (const std::string_view item : split_list("--trace-hart", list, "hart number")) {
    const std::optional<std::uint64_t> n = parse_number(item);
    if (!n) throw Error(fmt::format("--trace-hart {}: '{}' is not a hart number", list, item));
    if (*n >= harts)
      throw Error(fmt::format("--trace-hart {}: no hart {} (the machine has harts 0 to {}; see -smp)", list, *n,
                              harts - 1));
    mask |= std::uint64_t{1} << *n;
  }
  return mask;
}

TraceConfig parse_trace_flags(const TraceFlags& flags, unsigned harts) {
  TraceConfig c;
  for (const std::string& range : flags.pcs) c.pcs.push_back(parse_trace_range("--trace-pc", range, false));
  if (!flags.modes.empty()) c.modes = parse_trace_modes(flags.modes);
  if (!flags.harts.empty()) c.harts = parse_trace_harts(flags.harts, harts);
  if (!flags.window.empty()) {
    const TraceConfig::Range w = parse_trace_range("--trace-window", flags.window, true);
    c.window_begin = w.lo;
    c.window_end = w.hi;
  }
  c.mem = flags.mem;
  c.csr = flags.csr;
  c.disasm = !flags.spike;
  return c;
}

}  // namespace orrery
