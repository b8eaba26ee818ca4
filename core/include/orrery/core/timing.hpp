#pragma once
// The cycle-approximate timing model (docs/timing.md). ISA-neutral: the ISA
// describes each executed instruction as a `timing::Insn` (its class, its
// register dependences, its physical fetch and data addresses, its control
// flow) and a hart's `timing::Core` turns that stream into cycles and
// events. The model is a trace-driven in-order pipeline: it never changes
// what the guest computes, only what its cycle and event counters read.
//
// Per hart: an issue-width-W in-order pipeline with a register scoreboard,
// a branch predictor (bimodal or gshare, BTB, return-address stack), L1I,
// L1D, I-TLB and D-TLB. Shared by all harts of a machine: the L2 and the
// memory behind it. Everything is a pure function of the instruction
// stream, so the same run gives the same cycle counts every time.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/types.hpp"

namespace orrery::timing {

// What an instruction does, for latency and the scoreboard.
enum class OpClass : std::uint8_t {
  Alu,
  Mul,
  Div,     // not pipelined: the divider is busy for the whole latency
  FpAdd,   // FP add/sub/compare/convert/move/min/max/sign-injection
  FpMul,   // FP multiply and fused multiply-add
  FpDiv,   // not pipelined
  FpSqrt,  // not pipelined
  Load,
  Store,
  Atomic,  // LR/SC/AMO: a load and a store to one line
  Branch,  // conditional branch
  Jump,    // unconditional control transfer
  Serial,  // CSR access, fence, system instruction: waits for every result
  kCount
};
constexpr unsigned kOpClasses = static_cast<unsigned>(OpClass::kCount);
std::string_view op_class_name(OpClass c);

// How an instruction transfers control (for the branch predictor).
enum class Control : std::uint8_t {
  None,
  Conditional,   // taken or not
  Direct,        // target in the encoding (the decoder redirects on a BTB miss)
  DirectCall,    // ... that pushes a return address
  Indirect,      // target from a register: BTB
  IndirectCall,  // ... that pushes a return address
  Return,        // target from the return-address stack
};

// Register names the scoreboard tracks: 1..kRegs-1, 0 = none (RISC-V: x1-x31
// are 1-31, f0-f31 are 32-63; a write to x0 is no write).
constexpr unsigned kRegs = 64;

// One executed instruction as the model sees it.
struct Insn {
  Addr pc = 0;           // virtual: branch prediction, I-TLB
  std::uint8_t length = 4;  // bytes (a call's return address is pc + length)
  // The translation regimes of the fetch and of the data access (ISA-
  // defined, < 8; RISC-V: M, S, U, VS, VU): TLB entries are tagged with
  // them, and the walker is told which to walk.
  std::uint8_t fetch_context = 0;
  std::uint8_t data_context = 0;
  Addr fetch_pa = 0;     // physical address of its first byte: L1I
  bool fetch_cached = true;  // false: fetched from uncached memory (costs memory latency)
  OpClass cls = OpClass::Alu;
  Control control = Control::None;
  bool taken = false;    // control transfers: did it go to `target`?
  Addr target = 0;
  std::uint8_t dst = 0;
  std::uint8_t src[3] = {0, 0, 0};
  // Loads, stores and atomics that completed: the data address.
  Addr va = 0;
  Addr pa = 0;
  bool data_cached = true;  // false: MMIO or other device memory
  // The instruction raised an exception (or was an interrupt's victim):
  // nothing retires, the pipeline flushes.
  bool trapped = false;
};

// Events the model counts (per hart). Names and the guest-visible encoding
// are in pmu/ (docs/pmu.md).
enum class Event : std::uint8_t {
  Cycles,
  Instructions,
  Branches,        // control transfers (conditional branches and jumps)
  BranchMisses,    // wrong direction or wrong target
  CondBranches,
  L1IAccesses,
  L1IMisses,
  L1DAccesses,
  L1DMisses,
  L1DReads,
  L1DReadMisses,
  L1DWrites,
  L1DWriteMisses,
  L2Accesses,      // this hart's demand accesses to the shared L2
  L2Misses,
  ITlbMisses,
  DTlbMisses,
  Loads,
  Stores,
  Atomics,
  StallCycles,     // every cycle in which nothing issued (the rest is the CPI stack's base)
  StallBranch,     // ... because of a mispredicted branch or a decode redirect
  StallICache,     // ... waiting for an instruction fetch (I-cache)
  StallDCache,     // ... waiting for load data beyond the L1 hit latency
  StallTlb,        // ... waiting for a page walk (data; fetch when the walk outweighs the miss)
  StallOther,      // ... dependences on multi-cycle ops, serialisation, busy dividers
  Writebacks,      // dirty lines this hart's L1D wrote back to the L2
  kCount
};
constexpr unsigned kEvents = static_cast<unsigned>(Event::kCount);
using EventCounts = std::array<std::uint64_t, kEvents>;

// A statistics region the guest marks (gem5's reset/dump stats): events
// between begin and end markers, summed over every marked pair. With a
// model the ISA feeds it instruction by instruction (step()), so it counts
// only instructions executed in the privilege mode and the address space
// its begin marker ran in: under an operating system, what the marking
// process did itself, which is what a perf counter of that task that
// excludes the kernel counts. Without a model it takes the difference of
// two snapshots (begin(), end_snapshot()), everything in between.
struct Region {
  EventCounts total{};
  EventCounts last{};   // the counts when the previous instruction had been counted
  bool open = false;
  unsigned mode = 0;    // ISA-defined (RISC-V: the ModeIndex of the begin marker)
  std::uint64_t space = 0;  // ISA-defined address-space tag (RISC-V: satp, or vsatp and hgatp)
  unsigned count = 0;   // regions closed
  template <class Ar>
  void state(Ar& ar) {
    ar(total, last, open, mode, space, count);
  }
  void begin(const EventCounts& now, unsigned in_mode, std::uint64_t in_space) {
    last = now;
    mode = in_mode;
    space = in_space;
    open = true;
  }
  // One instruction executed in `in_mode` and `in_space` has been counted
  // into `now`.
  void step(const EventCounts& now, unsigned in_mode, std::uint64_t in_space) {
    if (open && in_mode == mode && in_space == space)
      for (unsigned i = 0; i < kEvents; ++i) total[i] += now[i] - last[i];
    last = now;
  }
  // Snapshot regions (no model): everything since begin.
  void end_snapshot(const EventCounts& now) {
    if (!open) return;
    for (unsigned i = 0; i < kEvents; ++i) total[i] += now[i] - last[i];
    open = false;
    ++count;
  }
  void end() {
    if (!open) return;
    open = false;
    ++count;
  }
};

enum class Replacement : std::uint8_t { Lru, TreePlru };
enum class PredictorKind : std::uint8_t { Bimodal, Gshare };

struct CacheConfig {
  std::uint32_t size = 32 * 1024;  // bytes
  std::uint32_t ways = 4;
  std::uint32_t line = 64;         // bytes
  std::uint32_t latency = 1;       // cycles from access to data on a hit
  Replacement replacement = Replacement::Lru;
};

struct TlbConfig {
  std::uint32_t entries = 32;
  std::uint32_t ways = 32;  // entries == ways: fully associative
};

struct PredictorConfig {
  PredictorKind kind = PredictorKind::Gshare;
  std::uint32_t table_entries = 4096;  // 2-bit counters
  std::uint32_t history_bits = 12;     // gshare only
  std::uint32_t btb_entries = 512;
  std::uint32_t btb_ways = 2;
  std::uint32_t ras_entries = 8;
  std::uint32_t mispredict_penalty = 5;  // cycles lost when a branch resolves wrong
  std::uint32_t decode_redirect = 1;     // direct jump whose target the BTB missed
};

struct Config {
  std::string name;         // preset name or file
  std::string description;
  std::uint64_t frequency_hz = 1'000'000'000;  // documentation; guest time is not affected (docs/timing.md)
  std::uint32_t issue_width = 1;
  std::array<std::uint32_t, kOpClasses> latency{};  // result latency by OpClass
  PredictorConfig predictor;
  CacheConfig l1i, l1d, l2;
  std::uint32_t memory_latency = 100;  // cycles from an L2 miss to data
  TlbConfig itlb, dtlb;
  std::uint32_t page_walk_levels = 3;  // PTE reads per walk when the ISA gives none (see PageWalker)
  std::uint32_t trap_penalty = 5;      // pipeline refill after an exception or interrupt
};

// Parse an INI description (docs/timing.md lists the keys). Throws Error
// naming `origin` and the offending key on anything malformed.
Config parse_config(const std::string& text, const std::string& origin);
// A built-in preset by name, or else an INI file by path.
Config load_config(const std::string& preset_or_path);
// The built-in presets (core/timing/*.ini, compiled in).
std::vector<std::string> preset_names();

// A set-associative cache of physical lines, LRU or tree-PLRU, write-back
// and write-allocate. Tags only: data lives in guest RAM.
class Cache {
 public:
  explicit Cache(const CacheConfig& config, std::string_view what);
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;
  struct Result {
    bool hit;
    bool evicted_dirty;
    Addr victim;  // line address written back when evicted_dirty
  };
  Result access(Addr pa, bool write);
  bool contains(Addr pa) const;
  void clear();
  const CacheConfig& config() const { return config_; }
  // Checkpoints (core/checkpoint.hpp).
  template <class Ar>
  void state(Ar& ar) {
    ar(lines_, plru_, clock_, mru_);
    if constexpr (Ar::kLoading)
      for (std::uint8_t way : mru_) ar.check(way < config_.ways, "a cache's most recently used way");
  }

 private:
  struct Line {
    Addr tag = ~Addr{0};
    std::uint64_t stamp = 0;  // LRU: last use
    bool dirty = false;
    template <class Ar>
    void state(Ar& ar) {
      ar(tag, stamp, dirty);
    }
  };
  unsigned victim_way(std::size_t set) const;
  void touch(std::size_t set, unsigned way);
  CacheConfig config_;
  unsigned line_shift_ = 6;
  std::size_t sets_ = 1;
  std::vector<Line> lines_;            // sets_ * ways
  std::vector<std::uint64_t> plru_;    // tree bits per set (TreePlru)
  std::uint64_t clock_ = 0;
  // Each set's most recently used way. Touching it again changes no
  // replacement state (under LRU and tree-PLRU alike), so a hit there
  // needs one compare: loops that alternate between a few lines, and
  // accesses to the previous line, take that path.
  std::vector<std::uint8_t> mru_;
};

// The L2 and memory shared by a machine's harts.
class Memory {
 public:
  explicit Memory(const Config& config) : l2_(config.l2, "l2"), memory_latency_(config.memory_latency) {}
  // Latency of a demand access that missed L1 (L2 hit or memory).
  std::uint32_t access(Addr pa, bool write, bool& l2_hit);
  void writeback(Addr line);
  const Cache& l2() const { return l2_; }
  template <class Ar>
  void state(Ar& ar) {
    ar(l2_);
  }

 private:
  Cache l2_;
  std::uint32_t memory_latency_;
};

// The ISA's page-table walker as the model sees it: the physical addresses
// of the page-table entries a walk for va reads, without side effects.
class PageWalker {
 public:
  virtual ~PageWalker() = default;
  // The walk for va in regime `context` (Insn::fetch_context or
  // data_context). Writes at most `max` addresses; returns how many (0:
  // translation off).
  virtual unsigned walk_addresses(Addr va, bool fetch, unsigned context, Addr* out, unsigned max) = 0;
  // The most page-table reads a walk can take: Sv57 under Sv57x4, each of
  // the 5 VS-stage reads and the final address translated in 5 G-stage reads.
  static constexpr unsigned kMaxReads = 5 * 6 + 5;
};

// One hart's pipeline, predictor, L1s and TLBs.
class Core {
 public:
  Core(const Config& config, Memory& memory);
  void set_walker(PageWalker* walker) { walker_ = walker; }

  // Account one executed instruction (retired or trapped), in program order.
  void execute(const Insn& insn);
  // The same for the commonest case, without building an Insn: an
  // instruction that retired, was fetched from cacheable memory, and
  // neither transfers control nor accesses memory (src: 3 registers).
  void execute_simple(Addr pc, Addr fetch_pa, std::uint8_t fetch_context, OpClass cls, std::uint8_t dst,
                      const std::uint8_t* src);
  // Cycles so far: through the last cycle in which an instruction issued.
  std::uint64_t cycles() const { return cycle_ + (slots_ ? 1 : 0); }
  std::uint64_t count(Event e) const { return events_[static_cast<unsigned>(e)]; }
  const EventCounts& events() const { return events_; }
  // Translations changed (SFENCE.VMA, satp writes...): the TLBs forget.
  void flush_tlbs();
  const Config& config() const { return config_; }
  // Checkpoints: caches, TLBs, predictors, the pipeline's clocks and the
  // event counts (the configuration comes from the command line).
  template <class Ar>
  void state(Ar& ar) {
    ar(l1i_, l1d_, itlb_, dtlb_, cycle_, slots_, groups_, front_, regs_, last_result_, unit_busy_, fetch_line_,
       fetch_page_, counters_, history_, btb_, btb_hint_, btb_clock_, ras_, ras_top_, ras_depth_, events_);
    if constexpr (Ar::kLoading) {
      for (std::uint32_t i : btb_hint_) ar.check(i < btb_.size(), "a BTB hint");
      ar.check(ras_.empty() ? ras_top_ == 0 : ras_top_ < ras_.size(), "the return-address stack's top");
      ar.check(ras_depth_ <= ras_.size(), "the return-address stack's depth");
    }
  }

 private:
  enum class Cause : std::uint8_t { Base, Branch, ICache, DCache, Tlb, Other };
  template <bool kSimple>
  void execute_impl(const Insn& insn);
  struct Ready {
    std::uint64_t at = 0;
    Cause cause = Cause::Base;
    template <class Ar>
    void state(Ar& ar) {
      ar(at, cause);
    }
  };
  // Small set-associative TLB keyed by virtual page.
  class Tlb {
   public:
    explicit Tlb(const TlbConfig& c);
    bool access(Addr vpn);  // true: hit; a miss installs the page
    void clear();
    template <class Ar>
    void state(Ar& ar) {
      ar(tags_, stamps_, clock_, hint_);
      if constexpr (Ar::kLoading)
        for (std::uint32_t i : hint_) ar.check(i < tags_.size(), "a TLB's hint");
    }

   private:
    std::uint32_t ways_;
    std::size_t sets_;
    std::vector<Addr> tags_;
    std::vector<std::uint64_t> stamps_;
    std::uint64_t clock_ = 0;
    // Where each page was last found (by its low bits): a hit usually
    // needs one compare even when the TLB is fully associative.
    std::array<std::uint32_t, 256> hint_{};
  };
  std::uint32_t data_access(Addr pa, bool write, bool& l1_hit);
  std::uint32_t walk_cost(Addr va, bool fetch, unsigned context);
  std::uint32_t fetch(Addr pc, Addr fetch_pa, std::uint8_t fetch_context, bool fetch_cached, Cause& cause);
  enum class Prediction : std::uint8_t { Correct, Redirect, Mispredict };
  Prediction predict(const Insn& insn);  // and train
  // Issue groups: at most one instruction of each group per cycle.
  static unsigned issue_group(OpClass c);
  void stall(std::uint64_t cycles, Cause cause);
  void issue_at(std::uint64_t at, Cause cause);
  std::uint64_t& ev(Event e) { return events_[static_cast<unsigned>(e)]; }

  Config config_;
  Memory& memory_;
  PageWalker* walker_ = nullptr;
  Cache l1i_, l1d_;
  Tlb itlb_, dtlb_;

  std::uint64_t cycle_ = 0;   // the cycle the current issue group issues in
  std::uint32_t slots_ = 0;   // instructions issued in cycle_
  unsigned groups_ = 0;       // issue groups used in cycle_ (bit per group)
  Ready front_;               // when the front end can deliver the next instruction
  std::array<Ready, kRegs> regs_{};
  std::uint64_t last_result_ = 0;   // when every issued instruction's result is ready
  std::uint64_t unit_busy_[kOpClasses] = {};  // unpipelined units: busy until
  Addr fetch_line_ = ~Addr{0};
  unsigned fetch_line_shift_ = 6;
  Addr fetch_page_ = ~Addr{0};

  // Branch prediction.
  std::vector<std::uint8_t> counters_;  // 2-bit saturating, 2 = weakly taken
  std::uint64_t history_ = 0;
  struct BtbEntry {
    Addr pc = ~Addr{0};
    Addr target = 0;
    std::uint64_t stamp = 0;
  };
  std::vector<BtbEntry> btb_;
  std::array<std::uint32_t, 256> btb_hint_{};  // as Tlb::hint_
  std::size_t btb_sets_ = 1;
  std::uint64_t btb_clock_ = 0;
  std::vector<Addr> ras_;
  std::size_t ras_top_ = 0;   // entries pushed, modulo size (it overwrites when full)
  std::size_t ras_depth_ = 0;

  EventCounts events_{};
};

}  // namespace orrery::timing
