#include "orrery/platforms/lockstep.hpp"

#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <string>
#include <utility>
#include <vector>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/char_backend.hpp"

namespace orrery {
namespace {

// Machine A runs the engine under test, B the reference.
constexpr const char* kEngineA = "threaded";
constexpr const char* kEngineB = "interp";

using State = std::vector<std::pair<std::string, std::uint64_t>>;

State state_of(const Hart& h) {
  State s;
  h.visit_state([&s](std::string_view name, std::uint64_t value) { s.emplace_back(std::string(name), value); });
  return s;
}

// The first differing register of any hart, as report lines; empty if equal.
std::string compare_harts(const Machine& a, const Machine& b) {
  std::string report;
  for (std::size_t i = 0; i < a.harts().size(); ++i) {
    const State sa = state_of(*a.harts()[i]);
    const State sb = state_of(*b.harts()[i]);
    for (std::size_t k = 0; k < sa.size() && k < sb.size(); ++k) {
      if (sa[k].second == sb[k].second) continue;
      if (report.empty()) report = fmt::format("  hart {} (instret {} under {}):\n", i, b.harts()[i]->retired(), kEngineB);
      report += fmt::format("  {:<14} {} {:#018x}   {} {:#018x}\n", sa[k].first, kEngineB, sb[k].second, kEngineA,
                            sa[k].second);
    }
    if (!report.empty()) return report;
  }
  return report;
}

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{:02x}{}", p[i], i + 1 < n ? " " : "");
  return s;
}

std::string compare_memory(const Machine& a, const Machine& b) {
  const auto& ra = const_cast<Machine&>(a).bus().regions();
  const auto& rb = const_cast<Machine&>(b).bus().regions();
  for (std::size_t i = 0; i < ra.size() && i < rb.size(); ++i) {
    if (!ra[i].host) continue;
    if (std::memcmp(ra[i].host, rb[i].host, ra[i].size) == 0) continue;
    std::uint64_t off = 0;
    while (ra[i].host[off] == rb[i].host[off]) ++off;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(16, ra[i].size - off));
    return fmt::format("  memory {:#x} ({}), first differing byte; {} bytes:\n    {:<9} {}\n    {:<9} {}\n",
                       ra[i].base + off, ra[i].name, n, kEngineB, hex_bytes(rb[i].host + off, n), kEngineA,
                       hex_bytes(ra[i].host + off, n));
  }
  return {};
}

}  // namespace

LockstepResult run_lockstep(const CliOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.not_repeatable.empty())
    throw Error(fmt::format("--lockstep needs a repeatable run; drop {} (use readonly=on for drives)",
                            options.not_repeatable.front()));
  RiscvVirtConfig config = options.virt;
  // Both machines see one RTC start, then guest time.
  if (!config.rtc_base_ns) {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    config.rtc_base_ns = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull;
  }
  config.rtc_follows_guest = true;

  Machine a, b;
  a.set_engine(make_engine(kEngineA));
  b.set_engine(make_engine(kEngineB));
  StringBackend console_a, console_b;  // no console input: it could not be repeated
  build_riscv_virt(a, config, console_a);
  build_riscv_virt(b, config, console_b);
  return run_lockstep(a, console_a, b, console_b, options.max_insns, out, err);
}

LockstepResult run_lockstep(Machine& a, StringBackend& console_a, Machine& b, StringBackend& console_b,
                            std::uint64_t max_insns, std::ostream& out, std::ostream& err) {
  if (a.harts().size() != b.harts().size()) throw Error("lockstep: the machines have different numbers of harts");
  const auto& ra = a.bus().regions();
  const auto& rb = b.bus().regions();
  bool same_map = ra.size() == rb.size();
  for (std::size_t i = 0; same_map && i < ra.size(); ++i)
    same_map = ra[i].base == rb[i].base && ra[i].size == rb[i].size && ra[i].kind == rb[i].kind;
  if (!same_map) throw Error("lockstep: the machines have different memory maps");
  a.start_run(max_insns);
  b.start_run(max_insns);

  LockstepResult result;
  RunOutcome oa, ob;
  const auto diverged = [&](std::uint64_t slice, const std::string& report) {
    err << fmt::format("orrery: lockstep: divergence in slice {} (guest time {:.6f} s), {} vs {}:\n{}", slice,
                       static_cast<double>(b.now()) / kTicksPerSecond, kEngineB, kEngineA, report);
    result.diverged = true;
    return result;
  };
  const auto fingerprints_match = [&] {
    for (std::size_t i = 0; i < a.harts().size(); ++i)
      if (a.harts()[i]->state_fingerprint() != b.harts()[i]->state_fingerprint()) return false;
    return true;
  };
  for (std::uint64_t slice = 1;; ++slice) {
    result.slices = slice;
    bool more_a = a.begin_slice(oa);
    bool more_b = b.begin_slice(ob);
    if (more_a && more_b) {
      // The slice in chunks of at most kLockstepChunk instructions of one
      // hart, both machines in step; the harts are compared after each.
      for (;;) {
        const bool done_a = a.step_slice(kLockstepChunk);
        const bool done_b = b.step_slice(kLockstepChunk);
        if (!fingerprints_match()) {
          std::string report = compare_harts(a, b);
          if (report.empty()) report = "  state fingerprints differ\n";
          return diverged(slice, report);
        }
        if (done_a != done_b) return diverged(slice, "  one machine finished the slice before the other\n");
        if (done_a) break;
      }
      more_a = a.end_slice(oa);
      more_b = b.end_slice(ob);
    }
    std::string report;
    if (console_a.out != console_b.out) {
      report = fmt::format("  console output: {} printed {:?}, {} printed {:?}\n", kEngineB, console_b.out, kEngineA,
                           console_a.out);
    }
    out << console_b.out << std::flush;
    console_a.out.clear();
    console_b.out.clear();
    if (report.empty()) report = compare_harts(a, b);
    if (report.empty() && (slice % kLockstepMemoryInterval == 0 || !more_a || !more_b)) report = compare_memory(a, b);
    if (report.empty() && more_a != more_b)
      report = fmt::format("  {} stopped, {} did not\n", more_a ? kEngineB : kEngineA, more_a ? kEngineA : kEngineB);
    if (report.empty() && !more_a && (oa.reason != ob.reason || oa.exit_code != ob.exit_code || oa.executed != ob.executed))
      report = fmt::format("  the runs ended differently: {} exit {} after {}, {} exit {} after {}\n", kEngineB,
                           ob.exit_code, ob.executed, kEngineA, oa.exit_code, oa.executed);
    if (!report.empty()) return diverged(slice, report);
    if (!more_a) {
      result.exit_code = ob.exit_code;
      result.instruction_limit = ob.reason == StopReason::InstructionLimit;
      result.executed = ob.executed;
      return result;
    }
  }
}

}  // namespace orrery
