// The timing model's caches, predictor and in-order pipeline (see
// orrery/core/timing.hpp and docs/timing.md).
#include "orrery/core/timing.hpp"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

namespace orrery::timing {

std::string_view op_class_name(OpClass c) {
  static constexpr std::string_view kNames[] = {"alu",  "mul",   "div",    "fp_add", "fp_mul", "fp_div", "fp_sqrt",
                                                "load", "store", "atomic", "branch", "jump",   "serial"};
  static_assert(std::size(kNames) == kOpClasses);
  return kNames[static_cast<unsigned>(c)];
}

// ---------------------------------------------------------------- caches

Cache::Cache(const CacheConfig& config, std::string_view what) : config_(config) {
  const auto bad = [&](std::string_view why) { throw Error(fmt::format("timing: {} cache: {}", what, why)); };
  if (config.line < 4 || !std::has_single_bit(config.line)) bad("line size must be a power of two >= 4");
  if (config.ways == 0 || config.ways > 64) bad("ways must be 1..64");
  if (config.size == 0 || config.size % (config.ways * config.line) != 0) bad("size must be a multiple of ways * line");
  // 2^20 lines (64 MiB of 64-byte lines) bound the host memory a cache's
  // tags take (24 MiB).
  if (config.size / config.line > (1u << 20)) bad("more than 2^20 lines");
  sets_ = config.size / (config.ways * config.line);
  if (!std::has_single_bit(sets_)) bad("size / (ways * line) sets must be a power of two");
  if (config.replacement == Replacement::TreePlru && !std::has_single_bit(config.ways))
    bad("tree-PLRU needs a power-of-two number of ways");
  line_shift_ = static_cast<unsigned>(std::countr_zero(config.line));
  lines_.resize(sets_ * config.ways);
  plru_.resize(sets_);
  mru_.resize(sets_);
}

void Cache::clear() {
  std::fill(mru_.begin(), mru_.end(), 0);
  std::fill(lines_.begin(), lines_.end(), Line{});
  std::fill(plru_.begin(), plru_.end(), 0);
}

bool Cache::contains(Addr pa) const {
  const Addr tag = pa >> line_shift_;
  const std::size_t set = tag & (sets_ - 1);
  for (unsigned w = 0; w < config_.ways; ++w)
    if (lines_[set * config_.ways + w].tag == tag) return true;
  return false;
}

// Tree-PLRU keeps ways-1 bits per set as a binary tree (node n's children
// are 2n and 2n+1, root 1). Each bit points to the half that was used less
// recently; a use flips the bits on its path to point away from it.
void Cache::touch(std::size_t set, unsigned way) {
  mru_[set] = static_cast<std::uint8_t>(way);
  if (config_.replacement == Replacement::Lru) {
    lines_[set * config_.ways + way].stamp = ++clock_;
    return;
  }
  std::uint64_t& bits = plru_[set];
  unsigned node = 1;
  for (unsigned half = config_.ways / 2; half >= 1; half /= 2) {
    const bool right = (way & half) != 0;
    if (right) bits &= ~(1ull << node);  // point left, away from the right half
    else bits |= 1ull << node;
    node = 2 * node + (right ? 1 : 0);
  }
}

unsigned Cache::victim_way(std::size_t set) const {
  const Line* row = &lines_[set * config_.ways];
  for (unsigned w = 0; w < config_.ways; ++w)
    if (row[w].tag == ~Addr{0}) return w;
  if (config_.replacement == Replacement::Lru) {
    unsigned best = 0;
    for (unsigned w = 1; w < config_.ways; ++w)
      if (row[w].stamp < row[best].stamp) best = w;
    return best;
  }
  const std::uint64_t bits = plru_[set];
  unsigned node = 1, way = 0;
  for (unsigned half = config_.ways / 2; half >= 1; half /= 2) {
    const bool right = (bits >> node) & 1;
    if (right) way |= half;
    node = 2 * node + (right ? 1 : 0);
  }
  return way;
}

Cache::Result Cache::access(Addr pa, bool write) {
  const Addr tag = pa >> line_shift_;
  const std::size_t set = tag & (sets_ - 1);
  Line* row = &lines_[set * config_.ways];
  if (Line& mru = row[mru_[set]]; mru.tag == tag) [[likely]] {
    mru.dirty |= write;
    return {true, false, 0};
  }
  for (unsigned w = 0; w < config_.ways; ++w) {
    if (row[w].tag == tag) {
      row[w].dirty |= write;
      touch(set, w);
      return {true, false, 0};
    }
  }
  const unsigned w = victim_way(set);
  Result r{false, row[w].tag != ~Addr{0} && row[w].dirty, row[w].tag << line_shift_};
  row[w] = Line{tag, 0, write};
  touch(set, w);
  return r;
}

std::uint32_t Memory::access(Addr pa, bool write, bool& l2_hit) {
  const Cache::Result r = l2_.access(pa, write);
  l2_hit = r.hit;
  return l2_.config().latency + (r.hit ? 0 : memory_latency_);
}

// A dirty L1 victim is written into the L2 off the critical path (a write
// buffer); the L2's own victims go to memory at no modelled cost.
void Memory::writeback(Addr line) { l2_.access(line, true); }

// ------------------------------------------------------------------ TLBs

Core::Tlb::Tlb(const TlbConfig& c) : ways_(std::max<std::uint32_t>(1, std::min(c.ways, c.entries))) {
  if (c.entries == 0 || c.entries % ways_ != 0 || !std::has_single_bit(c.entries / ways_))
    throw Error("timing: TLB entries must be ways times a power of two");
  sets_ = c.entries / ways_;
  tags_.assign(c.entries, ~Addr{0});
  stamps_.assign(c.entries, 0);
}

void Core::Tlb::clear() {
  std::fill(tags_.begin(), tags_.end(), ~Addr{0});
  hint_.fill(0);
}

bool Core::Tlb::access(Addr vpn) {
  std::uint32_t& hint = hint_[vpn & 255];
  if (tags_[hint] == vpn) {
    stamps_[hint] = ++clock_;
    return true;
  }
  const std::size_t base = (vpn & (sets_ - 1)) * ways_;
  std::size_t victim = base;
  for (std::size_t i = base; i < base + ways_; ++i) {
    if (tags_[i] == vpn) {
      stamps_[i] = ++clock_;
      hint = static_cast<std::uint32_t>(i);
      return true;
    }
    if (stamps_[i] < stamps_[victim]) victim = i;
  }
  tags_[victim] = vpn;
  stamps_[victim] = ++clock_;
  hint = static_cast<std::uint32_t>(victim);
  return false;
}

// ------------------------------------------------------------------ core

Core::Core(const Config& config, Memory& memory)
    : config_(config),
      memory_(memory),
      l1i_(config.l1i, "l1i"),
      l1d_(config.l1d, "l1d"),
      itlb_(config.itlb),
      dtlb_(config.dtlb) {
  const PredictorConfig& p = config.predictor;
  if (config.issue_width == 0 || config.issue_width > 8) throw Error("timing: issue_width must be 1..8");
  if (!std::has_single_bit(p.table_entries)) throw Error("timing: predictor table_entries must be a power of two");
  if (p.btb_ways == 0 || p.btb_entries % p.btb_ways != 0 || !std::has_single_bit(p.btb_entries / p.btb_ways))
    throw Error("timing: btb_entries must be btb_ways times a power of two");
  if (p.ras_entries == 0) throw Error("timing: ras_entries must be at least 1");
  counters_.assign(p.table_entries, 1);  // weakly not taken
  fetch_line_shift_ = static_cast<unsigned>(std::countr_zero(config.l1i.line));
  btb_.resize(p.btb_entries);
  btb_sets_ = p.btb_entries / p.btb_ways;
  ras_.assign(p.ras_entries, 0);
}

void Core::flush_tlbs() {
  itlb_.clear();
  dtlb_.clear();
  fetch_page_ = ~Addr{0};
}

// Page-table reads go through the L1D and L2 like loads (they warm and
// evict the same lines) but are not counted as the program's accesses.
std::uint32_t Core::walk_cost(Addr va, bool fetch, unsigned context) {
  if (!walker_) return config_.page_walk_levels * config_.l1d.latency;
  Addr ptes[PageWalker::kMaxReads];
  const unsigned n = walker_->walk_addresses(va, fetch, context, ptes, PageWalker::kMaxReads);
  std::uint32_t cost = 0;
  for (unsigned i = 0; i < n; ++i) {
    cost += config_.l1d.latency;
    const Cache::Result r = l1d_.access(ptes[i], false);
    if (r.evicted_dirty) memory_.writeback(r.victim);
    if (!r.hit) {
      bool l2_hit;
      cost += memory_.access(ptes[i], false, l2_hit);
    }
  }
  return cost;
}

std::uint32_t Core::data_access(Addr pa, bool write, bool& l1_hit) {
  ++ev(Event::L1DAccesses);
  ++ev(write ? Event::L1DWrites : Event::L1DReads);
  const Cache::Result r = l1d_.access(pa, write);
  l1_hit = r.hit;
  if (r.evicted_dirty) {
    ++ev(Event::Writebacks);
    memory_.writeback(r.victim);
  }
  if (r.hit) return config_.l1d.latency;
  ++ev(Event::L1DMisses);
  ++ev(write ? Event::L1DWriteMisses : Event::L1DReadMisses);
  ++ev(Event::L2Accesses);
  bool l2_hit;
  const std::uint32_t lat = config_.l1d.latency + memory_.access(pa, false, l2_hit);  // write-allocate: fill first
  if (!l2_hit) ++ev(Event::L2Misses);
  return lat;
}

// The front end fetches a line at a time: a new line costs an L1I access
// (and a new page an I-TLB lookup); what goes beyond the L1I's hit latency
// (which the fetch stages hide) stalls issue.
std::uint32_t Core::fetch(Addr pc, Addr fetch_pa, std::uint8_t fetch_context, bool fetch_cached, Cause& cause) {
  if (!fetch_cached) {
    cause = Cause::ICache;
    fetch_line_ = ~Addr{0};
    return config_.memory_latency;
  }
  const Addr line = fetch_pa >> fetch_line_shift_;
  if (line == fetch_line_) return 0;
  fetch_line_ = line;
  std::uint32_t tlb_cost = 0, cache_cost = 0;
  // TLB entries are tagged with the regime (context < 8).
  const Addr page = (pc >> 12) << 3 | fetch_context;
  if (page != fetch_page_) {
    fetch_page_ = page;
    if (!itlb_.access(page)) {
      tlb_cost = walk_cost(pc, true, fetch_context);
      if (tlb_cost || !walker_) ++ev(Event::ITlbMisses);
    }
  }
  ++ev(Event::L1IAccesses);
  if (!l1i_.access(fetch_pa, false).hit) {
    ++ev(Event::L1IMisses);
    ++ev(Event::L2Accesses);
    bool l2_hit;
    cache_cost = memory_.access(fetch_pa, false, l2_hit);
    if (!l2_hit) ++ev(Event::L2Misses);
  }
  cause = tlb_cost > cache_cost ? Cause::Tlb : Cause::ICache;
  return tlb_cost + cache_cost;
}

Core::Prediction Core::predict(const Insn& insn) {
  const PredictorConfig& p = config_.predictor;
  std::uint32_t& hint = btb_hint_[(insn.pc >> 1) & 255];
  // The entry holding pc, or nullptr.
  const auto btb_find = [&]() -> BtbEntry* {
    if (btb_[hint].pc == insn.pc) return &btb_[hint];
    const std::size_t base = ((insn.pc >> 1) & (btb_sets_ - 1)) * p.btb_ways;
    for (std::size_t i = base; i < base + p.btb_ways; ++i) {
      if (btb_[i].pc == insn.pc) {
        hint = static_cast<std::uint32_t>(i);
        return &btb_[i];
      }
    }
    return nullptr;
  };
  const auto btb_lookup = [&](Addr& target) {
    BtbEntry* e = btb_find();
    if (!e) return false;
    e->stamp = ++btb_clock_;
    target = e->target;
    return true;
  };
  const auto btb_update = [&] {
    BtbEntry* e = btb_find();
    if (!e) {
      const std::size_t base = ((insn.pc >> 1) & (btb_sets_ - 1)) * p.btb_ways;
      std::size_t victim = base;
      for (std::size_t i = base; i < base + p.btb_ways; ++i)
        if (btb_[i].stamp < btb_[victim].stamp) victim = i;
      hint = static_cast<std::uint32_t>(victim);
      e = &btb_[victim];
    }
    *e = {insn.pc, insn.target, ++btb_clock_};
  };
  const auto push_return = [&] {
    ras_[ras_top_] = insn.pc + insn.length;
    ras_top_ = (ras_top_ + 1) % ras_.size();
    ras_depth_ = std::min(ras_depth_ + 1, ras_.size());
  };

  Addr predicted = 0;
  switch (insn.control) {
    case Control::None:
      return Prediction::Correct;
    case Control::Conditional: {
      const std::uint64_t hmask = p.history_bits >= 64 ? ~0ull : (1ull << p.history_bits) - 1;
      std::size_t index = insn.pc >> 1;
      if (p.kind == PredictorKind::Gshare) index ^= history_ & hmask;
      std::uint8_t& counter = counters_[index & (counters_.size() - 1)];
      const bool predict_taken = counter >= 2;
      const bool have_target = predict_taken && btb_lookup(predicted);
      if (insn.taken) {
        counter = static_cast<std::uint8_t>(std::min(counter + 1, 3));
        btb_update();
      } else if (counter > 0) {
        --counter;
      }
      history_ = (history_ << 1) | (insn.taken ? 1 : 0);
      if (predict_taken != insn.taken) return Prediction::Mispredict;
      // Predicted taken with no (or a stale) target: fetch went on sequentially.
      if (insn.taken && !(have_target && predicted == insn.target)) return Prediction::Mispredict;
      return Prediction::Correct;
    }
    case Control::Direct:
    case Control::DirectCall: {
      const bool hit = btb_lookup(predicted) && predicted == insn.target;
      btb_update();
      if (insn.control == Control::DirectCall) push_return();
      return hit ? Prediction::Correct : Prediction::Redirect;
    }
    case Control::Indirect:
    case Control::IndirectCall: {
      const bool hit = btb_lookup(predicted) && predicted == insn.target;
      btb_update();
      if (insn.control == Control::IndirectCall) push_return();
      return hit ? Prediction::Correct : Prediction::Mispredict;
    }
    case Control::Return: {
      bool hit;
      if (ras_depth_ > 0) {
        ras_top_ = (ras_top_ + ras_.size() - 1) % ras_.size();
        --ras_depth_;
        hit = ras_[ras_top_] == insn.target;
      } else {
        hit = btb_lookup(predicted) && predicted == insn.target;
        btb_update();
      }
      return hit ? Prediction::Correct : Prediction::Mispredict;
    }
  }
  return Prediction::Correct;
}

unsigned Core::issue_group(OpClass c) {
  switch (c) {
    case OpClass::Load:
    case OpClass::Store:
    case OpClass::Atomic:
      return 1;  // one memory port
    case OpClass::Mul:
    case OpClass::Div:
      return 2;  // one multiplier/divider
    case OpClass::FpAdd:
    case OpClass::FpMul:
    case OpClass::FpDiv:
    case OpClass::FpSqrt:
      return 4;  // one FP pipe
    case OpClass::Branch:
    case OpClass::Jump:
      return 8;  // one branch unit
    default:
      return 0;
  }
}

void Core::stall(std::uint64_t cycles, Cause cause) {
  if (cycles == 0) return;
  ev(Event::StallCycles) += cycles;
  switch (cause) {
    case Cause::Branch: ev(Event::StallBranch) += cycles; break;
    case Cause::ICache: ev(Event::StallICache) += cycles; break;
    case Cause::DCache: ev(Event::StallDCache) += cycles; break;
    case Cause::Tlb: ev(Event::StallTlb) += cycles; break;
    case Cause::Base:
    case Cause::Other: ev(Event::StallOther) += cycles; break;
  }
}

// Move issue to cycle `at`. The cycles between the last one that issued
// something and `at` are stalls, charged to `cause`.
inline void Core::issue_at(std::uint64_t at, Cause cause) {
  const std::uint64_t first_empty = slots_ ? cycle_ + 1 : cycle_;
  if (at > first_empty) stall(at - first_empty, cause);
  if (at > cycle_ || slots_ == 0) {
    cycle_ = at;
    slots_ = 0;
    groups_ = 0;
  }
}

void Core::execute(const Insn& insn) { execute_impl<false>(insn); }

void Core::execute_simple(Addr pc, Addr fetch_pa, std::uint8_t fetch_context, OpClass cls, std::uint8_t dst,
                          const std::uint8_t* src) {
  Insn insn;
  insn.pc = pc;
  insn.fetch_pa = fetch_pa;
  insn.fetch_context = fetch_context;
  insn.cls = cls;
  insn.dst = dst;
  insn.src[0] = src[0];
  insn.src[1] = src[1];
  insn.src[2] = src[2];
  execute_impl<true>(insn);
}

// kSimple: the instruction cannot trap, is fetched from cacheable memory,
// transfers no control and accesses no memory (RISC-V's register-only hot
// ops); the same rules with those cases compiled out.
template <bool kSimple>
void Core::execute_impl(const Insn& insn) {
  const std::uint32_t width = config_.issue_width;
  const unsigned group = issue_group(insn.cls);
  const bool serial = insn.cls == OpClass::Serial;
  // The earliest cycle the next slot is free: this cycle while it has room
  // (and the op's group is unused), else the next.
  const bool room = slots_ < width && !(groups_ & group) && !(serial && slots_ > 0);
  const std::uint64_t natural = slots_ == 0 ? cycle_ : (room ? cycle_ : cycle_ + 1);

  if (!kSimple && insn.trapped) {
    // The faulting instruction reaches execute; the pipeline then refills
    // from the trap vector.
    const std::uint64_t at = std::max(natural, front_.at);
    issue_at(at, front_.cause);
    ++slots_;
    front_ = {at + 1 + config_.trap_penalty, Cause::Other};
    fetch_line_ = ~Addr{0};
    ev(Event::Cycles) = cycles();
    return;
  }

  // Most instructions come from the line the previous one did.
  if ((!kSimple && !insn.fetch_cached) || (insn.fetch_pa >> fetch_line_shift_) != fetch_line_) [[unlikely]] {
    Cause fetch_cause = Cause::ICache;
    // Scalars, not the Insn: its address must not escape, so that the
    // simple path's Insn lives in registers (execute_simple).
    if (const std::uint32_t cost = fetch(insn.pc, insn.fetch_pa, insn.fetch_context, kSimple || insn.fetch_cached,
                                         fetch_cause))
      front_ = {std::max(front_.at, natural) + cost, fetch_cause};
  }

  std::uint64_t at = natural;
  Cause cause = Cause::Base;
  const auto wait = [&](const Ready& r) {
    if (r.at > at) {
      at = r.at;
      cause = r.cause;
    }
  };
  wait(front_);
  // regs_[0] ("none") is never written, so it is always ready.
  wait(regs_[insn.src[0]]);
  wait(regs_[insn.src[1]]);
  wait(regs_[insn.src[2]]);
  if (!kSimple && serial) wait({last_result_, Cause::Other});
  wait({unit_busy_[static_cast<unsigned>(insn.cls)], Cause::Other});
  issue_at(at, cause);
  ++slots_;
  groups_ |= group;

  std::uint32_t latency = config_.latency[static_cast<unsigned>(insn.cls)];
  Cause result_cause = latency > 1 && insn.cls != OpClass::Load ? Cause::Other : Cause::Base;
  switch (insn.cls) {
    case OpClass::Load:
    case OpClass::Atomic:
    case OpClass::Store: {
      const bool write = insn.cls != OpClass::Load;
      ++ev(insn.cls == OpClass::Load ? Event::Loads : insn.cls == OpClass::Store ? Event::Stores : Event::Atomics);
      std::uint32_t tlb = 0;
      if (!dtlb_.access((insn.va >> 12) << 3 | insn.data_context)) {
        tlb = walk_cost(insn.va, false, insn.data_context);
        if (tlb || !walker_) ++ev(Event::DTlbMisses);
      }
      std::uint32_t mem;
      bool l1_hit = true;
      if (insn.data_cached) {
        mem = data_access(insn.pa, write, l1_hit);
        if (insn.cls == OpClass::Atomic) ++ev(Event::L1DReads);  // it reads, too
      } else {
        mem = config_.memory_latency;  // device registers: uncached, a bus round trip
      }
      // Stores retire into a store buffer: their misses cost no issue cycles.
      if (insn.cls == OpClass::Store) break;
      latency = tlb + mem;
      if (!insn.data_cached) result_cause = Cause::Other;
      else if (!l1_hit) result_cause = tlb > mem ? Cause::Tlb : Cause::DCache;
      else result_cause = tlb ? Cause::Tlb : Cause::Base;
      break;
    }
    case OpClass::Div:
    case OpClass::FpDiv:
    case OpClass::FpSqrt:
      unit_busy_[static_cast<unsigned>(insn.cls)] = at + latency;
      break;
    default:
      break;
  }
  const std::uint64_t ready = at + std::max<std::uint32_t>(latency, 1);
  if (insn.dst) regs_[insn.dst] = {ready, result_cause};  // keeps regs_[0] ready
  last_result_ = std::max(last_result_, ready);
  if (serial) slots_ = width;  // nothing issues beside a serialising instruction

  if (!kSimple && insn.control != Control::None) {
    ++ev(Event::Branches);
    if (insn.control == Control::Conditional) ++ev(Event::CondBranches);
    switch (predict(insn)) {
      case Prediction::Correct:
        break;
      case Prediction::Redirect:
        front_ = {std::max(front_.at, at + 1 + config_.predictor.decode_redirect), Cause::Branch};
        break;
      case Prediction::Mispredict:
        ++ev(Event::BranchMisses);
        front_ = {std::max(front_.at, at + 1 + config_.predictor.mispredict_penalty), Cause::Branch};
        break;
    }
    if (insn.taken) slots_ = width;  // a taken transfer ends the fetch group
  }
  ++ev(Event::Instructions);
  ev(Event::Cycles) = cycles();
}

}  // namespace orrery::timing
