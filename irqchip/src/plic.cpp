#include "orrery/irqchip/plic.hpp"

#include "orrery/core/checkpoint.hpp"
#include <algorithm>

namespace orrery {

Plic::Plic(unsigned sources, unsigned contexts, unsigned priority_bits)
    : sources_(sources),
      priority_mask_(priority_bits >= 32 ? ~0u : (1u << priority_bits) - 1),
      priority_(sources, 0),
      pending_((sources + 31) / 32, 0),
      level_(sources, false),
      in_flight_(sources, false),
      contexts_(contexts) {
  for (auto& c : contexts_) c.enable.assign(pending_.size(), 0);
}

void Plic::connect(unsigned context, IrqLine line) {
  Context& c = contexts_.at(context);
  c.line = std::move(line);
  if (c.line) c.line(c.level);
}

void Plic::reset() {
  std::fill(priority_.begin(), priority_.end(), 0);
  std::fill(pending_.begin(), pending_.end(), 0);
  std::fill(in_flight_.begin(), in_flight_.end(), false);
  for (auto& c : contexts_) {
    std::fill(c.enable.begin(), c.enable.end(), 0);
    c.threshold = 0;
  }
  // Devices keep driving their lines across a reset; a high line requests again.
  for (unsigned id = 1; id < sources_; ++id)
    if (level_[id]) set_pending(id, true);
  update();
}

void Plic::set_pending(unsigned id, bool on) {
  const std::uint32_t bit = 1u << (id % 32);
  pending_[id / 32] = on ? (pending_[id / 32] | bit) : (pending_[id / 32] & ~bit);
}

void Plic::set_source(unsigned id, bool level) {
  if (id == 0 || id >= sources_) return;
  level_[id] = level;
  // Level-triggered gateway: a high level becomes a request unless one is
  // already pending or claimed and not yet completed. The pending bit stays
  // set if the level drops before the claim; only a claim clears it (spec,
  // "Interrupt Pending Bits").
  if (level && !in_flight_[id] && !pending(id)) {
    set_pending(id, true);
    update();
  }
}

unsigned Plic::best(const Context& c) const {
  // Highest priority wins; among equal priorities the lowest ID ("Interrupt
  // Priorities"). Priority 0 never interrupts, and only priorities strictly
  // above the threshold notify ("Priority Thresholds").
  unsigned winner = 0;
  std::uint32_t winner_priority = c.threshold;
  for (unsigned w = 0; w < pending_.size(); ++w) {
    std::uint32_t bits = pending_[w] & c.enable[w];
    while (bits) {
      const unsigned id = w * 32 + static_cast<unsigned>(__builtin_ctz(bits));
      bits &= bits - 1;
      if (priority_[id] > winner_priority) {
        winner = id;
        winner_priority = priority_[id];
      }
    }
  }
  return winner;
}

bool Plic::context_pending(unsigned context) const { return best(contexts_.at(context)) != 0; }

void Plic::save_state(StateWriter& out) const { const_cast<Plic*>(this)->checkpoint_state(out); }

void Plic::load_state(StateReader& in) {
  checkpoint_state(in);
  // Only sources 1 .. sources_-1 exist: other pending or enable bits would
  // name priorities the PLIC does not have.
  for (unsigned w = 0; w < pending_.size(); ++w) {
    std::uint32_t valid = ~std::uint32_t{0};
    if (w == 0) valid &= ~std::uint32_t{1};
    const unsigned past = sources_ - 32 * w;
    if (past < 32) valid &= (std::uint32_t{1} << past) - 1;
    pending_[w] &= valid;
    for (Context& c : contexts_) c.enable[w] &= valid;
  }
  for (std::uint32_t& p : priority_) p &= priority_mask_;
  for (const Context& c : contexts_)
    if (c.line) c.line(c.level);
}

void Plic::update() {
  for (auto& c : contexts_) {
    const bool level = best(c) != 0;
    if (level != c.level) {
      c.level = level;
      if (c.line) c.line(level);
    }
  }
}

std::uint32_t Plic::claim(unsigned context) {
  if (context >= contexts_.size()) return 0;
  const unsigned id = best(contexts_[context]);
  if (id) {
    // The claim clears the pending bit, and the gateway holds further
    // requests from this source until the completion ("Interrupt Claim
    // Process").
    set_pending(id, false);
    in_flight_[id] = true;
    update();
  }
  return id;
}

void Plic::complete(unsigned context, std::uint32_t id) {
  if (context >= contexts_.size() || id == 0 || id >= sources_) return;
  // "If the completion ID does not match an interrupt source that is
  // currently enabled for the target, the completion is silently ignored."
  if (!enabled(contexts_[context], id)) return;
  in_flight_[id] = false;
  if (level_[id] && !pending(id)) set_pending(id, true);  // still asserted: request again
  update();
}

bool Plic::read(Addr offset, unsigned size, std::uint64_t& value) {
  if (size != 4) return false;
  value = 0;
  if (offset < kPendingBase) {
    const Addr id = offset / 4;
    if (id < sources_) value = priority_[id];
  } else if (offset < kEnableBase) {
    const Addr w = (offset - kPendingBase) / 4;
    if (w < pending_.size()) value = pending_[w];
  } else if (offset < kContextBase) {
    const Addr ctx = (offset - kEnableBase) / kEnableStride;
    const Addr w = (offset - kEnableBase) % kEnableStride / 4;
    if (ctx < contexts_.size() && w < pending_.size()) value = contexts_[ctx].enable[w];
  } else {
    const Addr ctx = (offset - kContextBase) / kContextStride;
    const Addr reg = (offset - kContextBase) % kContextStride;
    if (ctx < contexts_.size()) {
      if (reg == 0) value = contexts_[ctx].threshold;
      if (reg == 4) value = claim(static_cast<unsigned>(ctx));
    }
  }
  return true;
}

bool Plic::write(Addr offset, unsigned size, std::uint64_t value) {
  if (size != 4) return false;
  const std::uint32_t v = static_cast<std::uint32_t>(value);
  if (offset < kPendingBase) {
    // Priorities are WARL: bits beyond the implemented width read as zero.
    const Addr id = offset / 4;
    if (id > 0 && id < sources_) priority_[id] = v & priority_mask_;
  } else if (offset < kEnableBase) {
    // Pending bits are read-only; software clears them by claiming.
  } else if (offset < kContextBase) {
    const Addr ctx = (offset - kEnableBase) / kEnableStride;
    const Addr w = (offset - kEnableBase) % kEnableStride / 4;
    if (ctx < contexts_.size() && w < pending_.size()) {
      std::uint32_t mask = ~0u;
      if (w == 0) mask &= ~1u;  // source 0 does not exist
      const unsigned last = sources_ - static_cast<unsigned>(w) * 32;
      if (last < 32) mask &= (1u << last) - 1;  // nor do sources past the last
      contexts_[ctx].enable[w] = v & mask;
    }
  } else {
    const Addr ctx = (offset - kContextBase) / kContextStride;
    const Addr reg = (offset - kContextBase) % kContextStride;
    if (ctx < contexts_.size()) {
      if (reg == 0) contexts_[ctx].threshold = v & priority_mask_;
      if (reg == 4) complete(static_cast<unsigned>(ctx), v);
    }
  }
  update();
  return true;
}

}  // namespace orrery
