#include "orrery/platforms/gdb_server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "orrery/platforms/gdb_rsp.hpp"

namespace orrery::gdb {
namespace {

constexpr std::string_view kError = "E01";     // malformed or refused
constexpr std::string_view kBadMemory = "E14";  // EFAULT, as gdbserver answers

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "a,b" -> (a, b) as hex numbers.
std::optional<std::pair<std::uint64_t, std::uint64_t>> two_numbers(std::string_view s) {
  const std::size_t comma = s.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  const auto a = parse_number(s.substr(0, comma)), b = parse_number(s.substr(comma + 1));
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

}  // namespace

Server::Server(Machine& machine, DebugControl& debug) : machine_(machine), debug_(debug) {
  for (auto& h : machine_.harts())
    if (!h->debug_target()) throw Error(fmt::format("hart {}: its ISA offers no debugger access", h->id()));
}

DebugTarget& Server::target(unsigned hart) const { return *machine_.harts()[hart]->debug_target(); }

Server::Action Server::take_action() { return std::exchange(action_, Action::None); }

bool Server::select_thread(std::string_view id, int& hart) const {
  if (id == "-1" || id == "0") {  // all threads, any thread
    hart = id == "-1" ? -1 : 0;
    return true;
  }
  const auto n = parse_number(id);
  if (!n || *n == 0 || *n > machine_.harts().size()) return false;
  hart = static_cast<int>(*n - 1);
  return true;
}

std::optional<std::string> Server::handle(std::string_view p) {
  if (p.empty()) return std::string{};
  switch (p[0]) {
    case '?': return stop_reply({stopped_hart_, DebugControl::StopKind::Interrupt});
    case 'g': return read_registers();
    case 'G': return write_registers(p.substr(1));
    case 'p': {
      const auto n = parse_number(p.substr(1));
      std::uint64_t v = 0;
      if (!n || !target(g_hart_).read_register(static_cast<unsigned>(*n), v)) return std::string(kError);
      return le_hex(v, target(g_hart_).register_bytes(static_cast<unsigned>(*n)));
    }
    case 'P': {
      const std::size_t eq = p.find('=');
      if (eq == std::string_view::npos) return std::string(kError);
      const auto n = parse_number(p.substr(1, eq - 1));
      const auto v = parse_le_hex(p.substr(eq + 1));
      if (!n || !v || !target(g_hart_).write_register(static_cast<unsigned>(*n), *v)) return std::string(kError);
      return std::string("OK");
    }
    case 'm': {
      const auto r = two_numbers(p.substr(1));
      std::string hex;
      if (!r || r->second > 0x10000) return std::string(kError);
      if (!read_memory(g_hart_, r->first, r->second, hex)) return std::string(kBadMemory);
      return hex;
    }
    case 'M':
    case 'X': {
      const std::size_t colon = p.find(':');
      const auto r = colon == std::string_view::npos ? std::nullopt : two_numbers(p.substr(1, colon - 1));
      if (!r) return std::string(kError);
      const auto data = p[0] == 'M' ? from_hex(p.substr(colon + 1)) : unescape_binary(p.substr(colon + 1));
      if (!data || data->size() != r->second) return std::string(kError);
      return write_memory(g_hart_, r->first, *data) ? std::string("OK") : std::string(kBadMemory);
    }
    case 'H': {
      if (p.size() < 2) return std::string(kError);
      int& which = p[1] == 'g' ? g_hart_ : c_hart_;
      int hart = 0;
      if ((p[1] != 'g' && p[1] != 'c') || !select_thread(p.substr(2), hart)) return std::string(kError);
      which = p[1] == 'g' ? std::max(hart, 0) : hart;
      return std::string("OK");
    }
    case 'T': {
      int hart = 0;
      return select_thread(p.substr(1), hart) && hart >= 0 ? std::string("OK") : std::string(kError);
    }
    case 'Z': return breakpoint(p, true);
    case 'z': return breakpoint(p, false);
    case 'c':
    case 's': return resume(p);
    case 'v':
      if (p == "vCont?") return std::string("vCont;c;C;s;S");
      if (starts_with(p, "vCont;")) return resume(p);
      if (starts_with(p, "vMustReplyEmpty")) return std::string{};
      return std::string{};
    case 'D':
      debug_.take_stop();
      action_ = Action::Detach;
      return std::string("OK");
    case 'k': action_ = Action::Kill; return std::nullopt;
    case 'q':
    case 'Q': return query(p);
    default: return std::string{};  // unsupported: the empty reply
  }
}

std::string Server::query(std::string_view p) {
  if (starts_with(p, "qSupported"))
    return "PacketSize=4000;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+";
  if (p == "QStartNoAckMode") return "OK";
  if (p == "qAttached") return "1";
  if (p == "qC") return fmt::format("QC{:x}", g_hart_ + 1);
  if (p == "qfThreadInfo") {
    std::string out = "m";
    for (std::size_t h = 0; h < machine_.harts().size(); ++h) out += fmt::format("{}{:x}", h ? "," : "", h + 1);
    return out;
  }
  if (p == "qsThreadInfo") return "l";
  if (starts_with(p, "qXfer:features:read:")) {
    // qXfer:features:read:ANNEX:OFFSET,LENGTH (GDB manual, "General Query Packets")
    const std::string_view rest = p.substr(20);
    const std::size_t colon = rest.find(':');
    const auto r = colon == std::string_view::npos ? std::nullopt : two_numbers(rest.substr(colon + 1));
    if (!r) return std::string(kError);
    const auto xml = target(g_hart_).target_xml(rest.substr(0, colon));
    if (!xml) return "E00";
    if (r->first >= xml->size()) return "l";
    const std::string part = xml->substr(r->first, r->second);
    return (r->first + part.size() >= xml->size() ? "l" : "m") + part;
  }
  return {};
}

std::string Server::read_registers() const {
  std::string out;
  const DebugTarget& t = target(g_hart_);
  for (unsigned r = 0; r < t.g_packet_registers(); ++r) {
    std::uint64_t v = 0;
    if (t.read_register(r, v)) {
      out += le_hex(v, t.register_bytes(r));
    } else {
      out.append(2 * t.register_bytes(r), 'x');  // unavailable
    }
  }
  return out;
}

std::string Server::write_registers(std::string_view hex) {
  DebugTarget& t = target(g_hart_);
  std::size_t pos = 0;
  for (unsigned r = 0; r < t.g_packet_registers() && pos < hex.size(); ++r) {
    const std::size_t n = 2 * t.register_bytes(r);
    const auto v = parse_le_hex(hex.substr(pos, n));
    if (!v) return std::string(kError);
    t.write_register(r, *v);
    pos += n;
  }
  return "OK";
}

std::optional<std::string> Server::resume(std::string_view p) {
  int step_hart = -1;
  if (p[0] == 's') {
    step_hart = c_hart_ >= 0 ? c_hart_ : g_hart_;
  } else if (p[0] == 'v') {
    // vCont;ACTION[:TID];... : the first action that names a hart, or a
    // default action, decides (all-stop: every hart resumes).
    std::string_view rest = p.substr(6);
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      const std::string_view item = rest.substr(0, semi);
      const std::size_t colon = item.find(':');
      const char act = item.empty() ? 'c' : item[0];
      int hart = g_hart_;
      if (colon != std::string_view::npos && !select_thread(item.substr(colon + 1), hart)) return std::string(kError);
      if ((act == 's' || act == 'S') && step_hart < 0) step_hart = std::max(hart, 0);
      if (semi == std::string_view::npos) break;
      rest = rest.substr(semi + 1);
    }
  }
  // 'c addr' / 's addr' (resume at addr) are not used by current gdb.
  debug_.take_stop();
  debug_.set_stepping(step_hart);
  action_ = Action::Resume;
  return std::nullopt;
}

std::string Server::breakpoint(std::string_view p, bool insert) {
  if (p.size() < 3 || p[1] < '0' || p[1] > '4' || p[2] != ',') return {};  // an unknown type: unsupported
  const auto r = two_numbers(p.substr(3));
  if (!r) return std::string(kError);
  if (p[1] == '0' || p[1] == '1') {
    // Z0 (software) and Z1 (hardware) are both pc comparisons: nothing is
    // written into guest memory, so they work before the address is mapped.
    if (insert) {
      debug_.add_breakpoint(r->first);
    } else {
      debug_.remove_breakpoint(r->first);
    }
    return "OK";
  }
  // Z2 write, Z3 read, Z4 access watchpoints: addr,length of virtual addresses.
  using Kind = DebugControl::WatchKind;
  const Kind kind = p[1] == '2' ? Kind::Write : p[1] == '3' ? Kind::Read : Kind::Access;
  if (r->second == 0) return std::string(kError);
  const DebugControl::Watch w{r->first, r->second, kind};
  if (insert) {
    debug_.add_watchpoint(w);
  } else {
    debug_.remove_watchpoint(w);
  }
  return "OK";
}

std::string Server::stop_reply(const DebugControl::Stop& stop) {
  stopped_hart_ = stop.hart;
  g_hart_ = static_cast<int>(stop.hart);
  std::string reply = fmt::format("T05thread:{:x};", stop.hart + 1);
  if (stop.kind == DebugControl::StopKind::Breakpoint) reply += "swbreak:;";
  if (stop.kind == DebugControl::StopKind::Watchpoint) {
    // The remote protocol's stop reasons (GDB manual, "Stop Reply Packets").
    using Kind = DebugControl::WatchKind;
    const char* reason = stop.watch.kind == Kind::Write ? "watch" : stop.watch.kind == Kind::Read ? "rwatch" : "awatch";
    reply += fmt::format("{}:{:x};", reason, stop.watch_addr);
  }
  return reply;
}

bool Server::read_memory(unsigned hart, Addr va, std::size_t len, std::string& hex) const {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(len);
  while (bytes.size() < len) {
    const Addr a = va + bytes.size();
    const std::size_t n = std::min<std::size_t>(len - bytes.size(), 0x1000 - (a & 0xfff));
    const auto pa = target(hart).debug_translate(a);
    const std::uint8_t* host = pa ? machine_.bus().host_ptr(*pa, n, false) : nullptr;
    if (!host) break;
    bytes.insert(bytes.end(), host, host + n);
  }
  // Part of the range is a partial answer (gdb asks again for the rest);
  // none of it is an error.
  if (bytes.empty() && len) return false;
  hex = to_hex(bytes);
  return true;
}

bool Server::write_memory(unsigned hart, Addr va, std::span<const std::uint8_t> bytes) {
  // All pages first: a write is done whole or not at all.
  std::vector<std::pair<Addr, std::span<const std::uint8_t>>> parts;
  for (std::size_t done = 0; done < bytes.size();) {
    const Addr a = va + done;
    const std::size_t n = std::min<std::size_t>(bytes.size() - done, 0x1000 - (a & 0xfff));
    const auto pa = target(hart).debug_translate(a);
    if (!pa || !machine_.bus().host_ptr(*pa, n, false)) return false;
    parts.emplace_back(*pa, bytes.subspan(done, n));
    done += n;
  }
  // write_image: ROM too (a debugger may patch it), and decoded code of
  // the page is forgotten.
  for (const auto& [pa, part] : parts) machine_.bus().write_image(pa, part, "gdb");
  return true;
}

}  // namespace orrery::gdb
