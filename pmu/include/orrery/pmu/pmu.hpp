#pragma once
// The guest-visible performance-monitoring unit, ISA-neutral: Orrery's
// event catalogue (the selector values an ISA's event registers take,
// docs/pmu.md), the SBI PMU event mapping the device tree advertises, and a
// bank of programmable counters fed from a hart's event counts (the timing
// model's, or the functional ones when no model runs).
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "orrery/core/timing.hpp"

namespace orrery::pmu {

// One countable event. `code` is its selector: what software writes to the
// low bits of an event register (RISC-V mhpmevent[55:0]). Orrery's selector
// space is 56 bits wide (what SBI's raw event v2 passes through); codes use
// bits [7:0] and every other selector counts nothing.
struct EventInfo {
  std::uint8_t code;
  timing::Event event;
  std::string_view name;         // as --stats and docs/pmu.md print it
  std::string_view description;
  bool needs_model;              // counts only with a timing model (--timing)
};
std::span<const EventInfo> events();
// The event a selector names, or nullptr (a selector that counts nothing).
const EventInfo* find_event(std::uint64_t selector);
constexpr std::uint64_t kSelectorMask = (1ull << 56) - 1;

// SBI PMU event_idx values (SBI spec, "Performance Monitoring Unit
// Extension": hardware general events type 0, cache events type 1 with
// code = cache << 3 | op << 1 | result) and the Orrery event each maps to.
struct SbiMapping {
  std::uint32_t sbi_event;
  std::uint8_t code;
};
std::span<const SbiMapping> sbi_mappings();

// Programmable counters. Each counts one event: advance() adds what the
// event grew by since the previous call to the counters that count now
// (the ISA decides which, e.g. by privilege filtering) and reports which
// of them wrapped past all-ones.
class CounterBank {
 public:
  static constexpr unsigned kCounters = 32;
  // Select the event counter i counts (nullptr: none) from `now` on.
  // The selecting instruction's own events do not count (as for a value
  // write).
  void select(unsigned i, const EventInfo* event, const timing::EventCounts& now) {
    event_[i] = event ? static_cast<std::int8_t>(event->event) : -1;
    if (event) seen_[i] = now[static_cast<unsigned>(event->event)];
    selected_ = event ? (selected_ | (1u << i)) : (selected_ & ~(1u << i));
    resync_ |= 1u << i;
  }
  // A write of the counter's value: the writing instruction's own events
  // do not count (the next advance() only resynchronises counter i).
  void set_value(unsigned i, std::uint64_t v) {
    value_[i] = v;
    resync_ |= 1u << i;
  }
  std::uint64_t value(unsigned i) const { return value_[i]; }
  // Counters with an event selected.
  std::uint32_t selected() const { return selected_; }
  // The writing instruction will not be counted at all (the hart is not
  // observing it): there is nothing to skip.
  void forget_resync() { resync_ = 0; }

  std::uint32_t advance(const timing::EventCounts& now, std::uint32_t counting) {
    std::uint32_t wrapped = 0;
    for (std::uint32_t m = selected_; m; m &= m - 1) {
      const unsigned i = static_cast<unsigned>(__builtin_ctz(m));
      const std::uint64_t count = now[static_cast<unsigned>(event_[i])];
      const std::uint64_t delta = count - seen_[i];
      seen_[i] = count;
      if (!((counting >> i) & 1) || ((resync_ >> i) & 1) || delta == 0) continue;
      const std::uint64_t old = value_[i];
      value_[i] = old + delta;
      if (value_[i] < old) wrapped |= 1u << i;
    }
    resync_ = 0;
    return wrapped;
  }

  // Checkpoints (core/checkpoint.hpp).
  template <class Ar>
  void state(Ar& ar) {
    ar(value_, seen_, event_, selected_, resync_);
    if constexpr (Ar::kLoading)
      for (unsigned i = 0; i < kCounters; ++i)
        ar.check(!(selected_ >> i & 1) || (event_[i] >= 0 && static_cast<unsigned>(event_[i]) < timing::kEvents),
                 "a counter's event");
  }

 private:
  std::array<std::uint64_t, kCounters> value_{};
  std::array<std::uint64_t, kCounters> seen_{};
  std::array<std::int8_t, kCounters> event_{};
  std::uint32_t selected_ = 0;
  std::uint32_t resync_ = 0;
};

}  // namespace orrery::pmu
