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
//   std::uint64_t step(Hart&);    // one instruction, interpreted, without
//       the interrupt check (already done); returns 1
//   void exec(Hart&, const Op&);  // execute one op exactly as the
//       interpreter would (retire or trap)
//   std::uint32_t build(Hart&, const std::uint8_t* host, Op* out,
//       std::uint32_t& bytes, const void* const* labels);  // decode up to
//       kMaxBlockOps ops starting at host, within its page, setting bytes
//       to the code bytes used; labels[0] is the generic label,
//       labels[2 + i] the i-th hot op; 0 = not buildable (step instead)
//
// and, before including this header, the X-macro
// ORRERY_THREADED_HOT_OPS(X) listing X(name, may_leave) for ops whose
// semantics the loop inlines: `Isa::name(h, op)` executes and retires one;
// may_leave says it can trap or change state the block depends on.
//
// The hart must call request_block_exit() whenever that state changes
// mid-block (a trap, an interrupt line, a TLB entry, written code).
#include <cstdint>

#include "orrery/core/threaded/block_cache.hpp"

#ifndef ORRERY_THREADED_HOT_OPS
#error "define ORRERY_THREADED_HOT_OPS(X) before including dispatch_loop.hpp"
#endif

namespace orrery::threaded {

template <class Isa>
std::uint64_t run_blocks(typename Isa::Hart& h, BlockCache<typename Isa::Op>& cache, std::uint64_t budget) {
  using Op = typename Isa::Op;
  using BlockT = Block<Op>;
#define ORRERY_THREADED_LABEL(name, may_leave) &&L_##name,
  static const void* const labels[] = {&&L_generic, &&L_end, ORRERY_THREADED_HOT_OPS(ORRERY_THREADED_LABEL)};
#undef ORRERY_THREADED_LABEL

  std::uint64_t executed = 0;
  BlockT* b = nullptr;
  const Op* op = nullptr;
  BlockT* prev = nullptr;  // the block that just ended at its last op (chaining)
  CacheStats& stats = cache.stats();
  cache.running = &h;

outer:
  if (executed >= budget || h.yield_requested()) {
    cache.running = nullptr;
    return executed;
  }
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
    const std::uint32_t regime = Isa::regime(h);
    if (prev && prev->next_host == host && prev->next->regime == regime && !prev->next->dead) {
      b = prev->next;
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
      if (prev) {
        prev->next_host = host;
        prev->next = b;
      }
    }
    prev = nullptr;
  }
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

#define ORRERY_THREADED_BODY(name, may_leave)          \
  L_##name : Isa::name(h, *op);                        \
  if constexpr (may_leave) {                           \
    if (h.block_exit_requested()) [[unlikely]]         \
      goto leave;                                      \
  }                                                    \
  ++op;                                                \
  goto* op->label;
  ORRERY_THREADED_HOT_OPS(ORRERY_THREADED_BODY)
#undef ORRERY_THREADED_BODY

L_end:
  prev = b;
  goto outer;

leave:
  // The ops after this one did not run.
  executed -= static_cast<std::uint64_t>((b->ops + b->n) - (op + 1));
  goto outer;
}

}  // namespace orrery::threaded
