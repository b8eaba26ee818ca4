#pragma once
// What a debugger (the GDB stub, platforms/) needs of a hart, without
// knowing its ISA: registers by the debugger's numbers, the target
// description, and translation of the debugger's addresses.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "orrery/core/types.hpp"

namespace orrery {

class DebugTarget {
 public:
  virtual ~DebugTarget() = default;
  // GDB's name of the architecture, e.g. "riscv:rv64".
  virtual std::string_view gdb_architecture() const = 0;
  // The target description document (GDB manual, "Target Descriptions")
  // for qXfer:features:read; nullopt for an annex that does not exist.
  virtual std::optional<std::string> target_xml(std::string_view annex) const = 0;
  // The registers of a 'g' packet are 0 .. this - 1.
  virtual unsigned g_packet_registers() const = 0;
  // A register's size in bytes; 0 if the hart has no such register.
  virtual unsigned register_bytes(unsigned regno) const = 0;
  // false: no such register (or not readable/writable now).
  virtual bool read_register(unsigned regno, std::uint64_t& value) const = 0;
  virtual bool write_register(unsigned regno, std::uint64_t value) = 0;
  // The physical address a data access to va would reach now, walking the
  // page tables without side effects: no faults, no accessed/dirty
  // updates, no TLB fills, no PMP check. nullopt when va does not
  // translate.
  virtual std::optional<Addr> debug_translate(Addr va) const = 0;
  // The current address space's mappings as text, a header and one range
  // per line (the monitor's `info mem`), read without side effects.
  virtual std::string describe_mappings() const = 0;
  // The instruction at pc whose bytes start `bytes`; length gets its size
  // (0: bytes too short). The monitor's x/i.
  virtual std::string disassemble_at(std::span<const std::uint8_t> bytes, Addr pc, unsigned& length) const = 0;
};

// The debugger's hold on a machine, shared by its harts and the machine:
// breakpoints (stop before executing the instruction at an address),
// watchpoints (stop after an instruction whose data access touched a
// range of virtual addresses), the hart being single-stepped, and why the
// machine last stopped. Harts check
// it only while active(), and then run on their interpreter (both engines
// stop at the same instruction). The machine ends the slice and the run
// (StopReason::DebugStop) once a stop is recorded; Machine::run_slice
// resumes.
class DebugControl {
 public:
  enum class StopKind { Breakpoint, Step, Interrupt, Watchpoint };
  // GDB's Z2, Z3, Z4: stop on writes, reads, or both.
  enum class WatchKind { Write, Read, Access };
  struct Watch {
    Addr addr = 0;
    Addr len = 0;
    WatchKind kind = WatchKind::Write;
    bool operator==(const Watch&) const = default;
  };
  struct Stop {
    unsigned hart = 0;
    StopKind kind = StopKind::Interrupt;
    Watch watch{};       // Watchpoint: the one hit
    Addr watch_addr = 0;  // ... and the first byte of it the access touched
  };

  void add_breakpoint(Addr pc) { breakpoints_.insert(pc); }
  bool remove_breakpoint(Addr pc) { return breakpoints_.erase(pc) != 0; }
  bool is_breakpoint(Addr pc) const { return breakpoints_.contains(pc); }

  void add_watchpoint(const Watch& w) { watches_.push_back(w); }
  bool remove_watchpoint(const Watch& w) {
    for (auto it = watches_.begin(); it != watches_.end(); ++it) {
      if (*it == w) {
        watches_.erase(it);
        return true;
      }
    }
    return false;
  }
  bool watching() const { return !watches_.empty(); }
  // A data access of `size` bytes at virtual `addr`: records a watchpoint
  // stop for `hart` if it reads (or writes) a watched range that watches
  // reads (or writes); true if so.
  bool check_access(unsigned hart, Addr addr, unsigned size, bool read, bool write) {
    for (const Watch& w : watches_) {
      const bool kind_matches = w.kind == WatchKind::Access || (w.kind == WatchKind::Read ? read : write);
      // Overlap of [addr, addr + size) and [w.addr, w.addr + w.len), wrap-safe.
      const bool overlaps = addr - w.addr < w.len || w.addr - addr < size;
      if (kind_matches && overlaps) {
        if (!stop_) stop_ = Stop{hart, StopKind::Watchpoint, w, addr - w.addr < w.len ? addr : w.addr};
        return true;
      }
    }
    return false;
  }
  // Step `hart` by one instruction at the next resume (with its interrupts
  // masked, as QEMU's gdbstub does by default); -1: no stepping.
  void set_stepping(int hart) { stepping_ = hart; }
  bool stepping(unsigned hart) const { return stepping_ == static_cast<int>(hart); }

  bool active() const { return !breakpoints_.empty() || !watches_.empty() || stepping_ >= 0; }

  // The first stop recorded wins until it is taken.
  void note_stop(unsigned hart, StopKind kind) {
    if (!stop_) stop_ = Stop{hart, kind, {}, 0};
  }
  bool stop_pending() const { return stop_.has_value(); }
  std::optional<Stop> take_stop() {
    std::optional<Stop> s = stop_;
    stop_.reset();
    stepping_ = -1;
    return s;
  }

 private:
  std::unordered_set<Addr> breakpoints_;
  std::vector<Watch> watches_;
  int stepping_ = -1;
  std::optional<Stop> stop_;
};

}  // namespace orrery
