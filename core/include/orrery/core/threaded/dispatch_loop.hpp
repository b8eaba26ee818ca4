#pragma once
// The threaded engine's dispatch loop, a template the ISA instantiates in
// one of its own .cpp files (design: docs/design/threaded-engine.md §3).
// Core owns the rules that make the fast path architecturally identical to
// the interpreter: exact instruction budgets, interrupts checked where the
// interpreter checks them, leaving a block the moment the hart asks, block
// lookup, building and chaining. The ISA supplies, as static members of
// `Isa`:
//
//   using Hart = ...;        // the ISA's Hart subclass
//   using Op = ...;          // op record; first member `const void* label`
//   static constexpr std::uint32_t kMaxBlockOps;
//   bool interrupt_attention(Hart&);   void take_interrupt(Hart&);
//   const std::uint8_t* fetch_host(Hart&);  // host address of the next
//       instruction when the fetch fast path would hit; nullptr: step it
//   std::uint32_t regime(const Hart&);  // mode bits blocks are keyed by
//   std::uint64_t pc(const Hart&);      // the next instruction's address
//   std::uint64_t step(Hart&);    // one instruction, interpreted, without
//       the interrupt check (already done); returns 1
//   void exec(Hart&, const Op&);  // execute one op exactly as the
//       interpreter would (retire or trap)
//   std::uint32_t build(Hart&, const std::uint8_t* host, Op* out,
//       std::uint32_t& bytes, const void* const* labels);  // decode up to
//       kMaxBlockOps ops starting at host, within its page, setting bytes
//       to the code bytes used; labels[0] is the generic label,
//       labels[kHotBase + i] hot op i's; 0 = not buildable (step instead)
//   static constexpr unsigned kHotOps;  // at most kMaxHotOps
//   template <unsigned I> bool hot(Hart&, const Op&);  // hot op I: inlined
//       semantics; executes and retires (or traps) one instruction;
//       false when the block ends here although ops follow (a side exit:
//       a taken conditional branch inside the block)
//   template <unsigned I> static constexpr bool hot_may_leave();  // may it
//       trap or change state the block depends on?
//
// The hart must call request_block_exit() whenever that state changes
// mid-block (a trap, an interrupt line, a TLB entry, written code).
#include <cstdint>

#include "orrery/core/threaded/block_cache.hpp"

namespace orrery::threaded {

// Index of hot op 0 in the label table; 0 is the generic label, 1 the
// end-of-block record's.
inline constexpr unsigned kHotBase = 2;
inline constexpr unsigned kMaxHotOps = 64;

// Computed-goto labels cannot come from templates, so the loop has
// kMaxHotOps literal hot-op labels, slot a*8+b named L_hot_a_b; an ISA
// uses the first Isa::kHotOps of them.
#define ORRERY_THREADED_SLOTS8(M, a) M(a, 0) M(a, 1) M(a, 2) M(a, 3) M(a, 4) M(a, 5) M(a, 6) M(a, 7)
#define ORRERY_THREADED_SLOTS(M)                                                                                   \
  ORRERY_THREADED_SLOTS8(M, 0) ORRERY_THREADED_SLOTS8(M, 1) ORRERY_THREADED_SLOTS8(M, 2)                         \
  ORRERY_THREADED_SLOTS8(M, 3) ORRERY_THREADED_SLOTS8(M, 4) ORRERY_THREADED_SLOTS8(M, 5)                         \
  ORRERY_THREADED_SLOTS8(M, 6) ORRERY_THREADED_SLOTS8(M, 7)

template <class Isa>
std::uint64_t run_blocks(typename Isa::Hart& h, BlockCache<typename Isa::Op>& cache, std::uint64_t budget) {
  using Op = typename Isa::Op;
  using BlockT = Block<Op>;
  static_assert(Isa::kHotOps <= kMaxHotOps);
#define ORRERY_THREADED_LABEL(a, b) &&L_hot_##a##_##b,
  static const void* const labels[] = {&&L_generic, &&L_end, ORRERY_THREADED_SLOTS(ORRERY_THREADED_LABEL)};
#undef ORRERY_THREADED_LABEL

  std::uint64_t executed = 0;
  BlockT* b = nullptr;
  const Op* op = nullptr;
  BlockT* prev = nullptr;  // the block that just ended at its last op (chaining)
  CacheStats& stats = cache.stats();
  cache.running = &h;
  // Not running any more when leaving, also by an exception (a device error).
  struct Running {
    CacheBase& cache;
    ~Running() { cache.running = nullptr; }
  } running{cache};
  // The virtual page the running block was entered in, and its host page.
  std::uint64_t entry_vpage = 0;
  const std::uint8_t* entry_page_host = nullptr;

outer:
  if (executed >= budget || h.yield_requested()) return executed;
  // Where the interpreter checks: before every instruction it executes,
  // here before every block. Within a block nothing can make an interrupt
  // pending or enabled without the hart requesting a block exit.
  if (Isa::interrupt_attention(h)) [[unlikely]]
    Isa::take_interrupt(h);
  h.clear_block_exit();
  {
    const std::uint8_t* host = Isa::fetch_host(h);
    if (!host) [[unlikely]]
      goto step;
    entry_vpage = Isa::pc(h) >> kPageBits;
    entry_page_host = host - (Isa::pc(h) & (kPageSize - 1));
    const std::uint32_t regime = Isa::regime(h);
    BlockT* linked = prev ? prev->successor(host) : nullptr;
    if (linked && linked->regime == regime) {
      b = linked;
      ++stats.chained;
    } else {
      b = cache.find(host, regime);
      if (!b) {
        if (!cache.buildable(host)) goto step;
        Op scratch[Isa::kMaxBlockOps + 1];
        std::uint32_t bytes = 0;
        const std::uint32_t n = Isa::build(h, host, scratch, bytes, labels);
        if (n == 0) goto step;
        scratch[n] = Op{};
        scratch[n].label = &&L_end;
        const std::uint64_t generation = cache.generation();
        b = cache.insert(host, regime, bytes, scratch, n + 1);
        if (cache.generation() != generation) prev = nullptr;  // flushed: prev is gone
      }
      if (prev) prev->link(host, b);
    }
    prev = nullptr;
  }
enter:
  // The slice's last few instructions are stepped, so budgets (slices,
  // event deadlines, --max-insns) are met exactly.
  if (b->n > budget - executed) goto step;
  executed += b->n;
  op = b->ops;
  goto* op->label;

step:
  prev = nullptr;
  executed += Isa::step(h);
  ++stats.stepped;
  goto outer;

L_generic:
  Isa::exec(h, *op);
  if (h.block_exit_requested()) [[unlikely]]
    goto leave;
  ++op;
  goto* op->label;

#define ORRERY_THREADED_BODY(a, b)                                       \
  L_hot_##a##_##b : if constexpr ((a) * 8 + (b) < Isa::kHotOps) {        \
    const bool stays = Isa::template hot<(a) * 8 + (b)>(h, *op);         \
    if constexpr (Isa::template hot_may_leave<(a) * 8 + (b)>()) {        \
      if (h.block_exit_requested()) [[unlikely]]                         \
        goto leave;                                                      \
    }                                                                    \
    if (!stays) goto side_exit;                                          \
    ++op;                                                                \
    goto* op->label;                                                     \
  }                                                                      \
  else {                                                                 \
    __builtin_unreachable();                                             \
  }
  ORRERY_THREADED_SLOTS(ORRERY_THREADED_BODY)
#undef ORRERY_THREADED_BODY

L_end:
  // The block ran to its end and nothing asked to leave it, so privilege
  // and the fetch translation of its page are as they were at entry: a
  // successor in the same virtual page needs no TLB lookup, and the last
  // two taken from here are tried first (chaining).
  if (executed < budget && !h.yield_requested() && !Isa::interrupt_attention(h)) {
    const std::uint64_t pc = Isa::pc(h);
    if ((pc >> kPageBits) == entry_vpage) {
      if (BlockT* linked = b->successor(entry_page_host + (pc & (kPageSize - 1)))) {
        b = linked;
        ++stats.chained;
        goto enter;
      }
    }
  }
  prev = b;
  goto outer;

leave:
  // The ops after this one did not run.
  executed -= static_cast<std::uint64_t>((b->ops + b->n) - (op + 1));
  goto outer;

side_exit:
  // As leave, but nothing asked to leave: the block ended early the way it
  // ends at its last op, and the same chaining applies.
  executed -= static_cast<std::uint64_t>((b->ops + b->n) - (op + 1));
  goto L_end;
}

}  // namespace orrery::threaded

#undef ORRERY_THREADED_SLOTS
#undef ORRERY_THREADED_SLOTS8
