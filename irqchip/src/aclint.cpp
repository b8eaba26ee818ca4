#include "orrery/irqchip/aclint.hpp"

#include "orrery/core/checkpoint.hpp"
#include "orrery/core/machine.hpp"

namespace orrery {

Aclint::Aclint(Machine& machine, unsigned harts, std::uint64_t timebase_hz)
    : machine_(machine), hz_(timebase_hz ? timebase_hz : 1), harts_(harts) {
  for (unsigned i = 0; i < harts; ++i)
    harts_[i].timer = std::make_unique<OwnedEvent>(machine_.events(), [this, i](Tick) { update_timer(i); });
}

Aclint::~Aclint() = default;

void Aclint::connect(unsigned hart, IrqLine msip, IrqLine mtip) {
  PerHart& h = harts_.at(hart);
  h.msip_line = std::move(msip);
  h.mtip_line = std::move(mtip);
  if (h.msip_line) h.msip_line(h.msip);
  if (h.mtip_line) h.mtip_line(h.mtip);
}

void Aclint::reset() {
  // ACLINT spec 1.0, section 3.1 (MTIMER): "On MTIMER device reset, the MTIME
  // register is cleared to zero" and the MTIMECMP registers are unknown. Ours
  // reset to all ones, so no timer interrupt is pending until software
  // programs one. MSIP bits reset to zero (section 2).
  set_mtime(0);
  for (unsigned i = 0; i < harts_.size(); ++i) {
    harts_[i].msip = false;
    if (harts_[i].msip_line) harts_[i].msip_line(false);
    set_mtimecmp(i, ~std::uint64_t{0});
  }
}

std::uint64_t Aclint::ticks_to_mtime(Tick t) const {
  return static_cast<std::uint64_t>(static_cast<unsigned __int128>(t) * hz_ / kTicksPerSecond);
}

std::uint64_t Aclint::mtime() const { return ticks_to_mtime(machine_.now()) + offset_; }

Tick Aclint::mtime_to_tick(std::uint64_t value) const {
  const std::uint64_t now_mtime = mtime();
  if (value <= now_mtime) return machine_.now();
  // The free-running count must reach free_now + (value - mtime): the first
  // tick t with floor(t * hz / 1 s) >= target is ceil(target * 1 s / hz).
  const unsigned __int128 target = static_cast<unsigned __int128>(ticks_to_mtime(machine_.now())) + (value - now_mtime);
  const unsigned __int128 tick = (target * kTicksPerSecond + hz_ - 1) / hz_;
  if (tick >= EventQueue::kNever) return EventQueue::kNever;
  return static_cast<Tick>(tick);
}

void Aclint::set_mtime(std::uint64_t value) {
  offset_ = value - ticks_to_mtime(machine_.now());
  for (unsigned i = 0; i < harts_.size(); ++i) update_timer(i);
  if (mtime_written_) mtime_written_();
}

void Aclint::set_mtimecmp(unsigned hart, std::uint64_t value) {
  harts_[hart].mtimecmp = value;
  update_timer(hart);
}

void Aclint::update_timer(unsigned hart) {
  PerHart& h = harts_[hart];
  h.timer->cancel();
  // MTIP is a level: "asserted when mtime >= mtimecmp" (ACLINT spec 1.0,
  // section 3.2; privileged spec, "Machine Timer Registers").
  h.mtip = mtime() >= h.mtimecmp;
  if (h.mtip_line) h.mtip_line(h.mtip);
  if (h.mtip) return;
  const Tick when = mtime_to_tick(h.mtimecmp);
  if (when == EventQueue::kNever) return;
  h.timer->arm(when);
}

void Aclint::save_state(StateWriter& out) const {
  out(offset_);
  for (const PerHart& h : harts_) out(h.msip, h.mtimecmp, h.mtip, h.timer->deadline());
}

void Aclint::load_state(StateReader& in) {
  in(offset_);
  for (unsigned i = 0; i < harts_.size(); ++i) {
    PerHart& h = harts_[i];
    Tick deadline = EventQueue::kNever;
    in(h.msip, h.mtimecmp, h.mtip, deadline);
    h.timer->restore(deadline);
    if (h.msip_line) h.msip_line(h.msip);
    if (h.mtip_line) h.mtip_line(h.mtip);
  }
}

bool Aclint::read32(Addr offset, std::uint32_t& value) {
  if (offset < kMtimecmpBase) {
    const Addr i = offset / 4;
    value = i < harts_.size() && harts_[i].msip ? 1 : 0;
    return true;
  }
  if (offset >= kMtime && offset < kMtime + 8) {
    value = static_cast<std::uint32_t>(mtime() >> (offset - kMtime) * 8);
    return true;
  }
  const Addr i = (offset - kMtimecmpBase) / 8;
  value = i < harts_.size() ? static_cast<std::uint32_t>(harts_[i].mtimecmp >> (offset % 8) * 8) : 0;
  return true;
}

bool Aclint::write32(Addr offset, std::uint32_t value) {
  if (offset < kMtimecmpBase) {
    const Addr i = offset / 4;
    if (i >= harts_.size()) return true;  // no such hart: ignored, like QEMU
    harts_[i].msip = value & 1;           // bits 31:1 are read-only zero
    if (harts_[i].msip_line) harts_[i].msip_line(harts_[i].msip);
    return true;
  }
  const auto deposit = [&](std::uint64_t old) {
    const unsigned shift = (offset % 8) * 8;
    return (old & ~(0xffffffffull << shift)) | (std::uint64_t{value} << shift);
  };
  if (offset >= kMtime && offset < kMtime + 8) {
    set_mtime(deposit(mtime()));
    return true;
  }
  const Addr i = (offset - kMtimecmpBase) / 8;
  if (i < harts_.size()) set_mtimecmp(static_cast<unsigned>(i), deposit(harts_[i].mtimecmp));
  return true;
}

bool Aclint::read(Addr offset, unsigned size, std::uint64_t& value) {
  if (size != 4 && size != 8) return false;
  std::uint32_t lo = 0, hi = 0;
  if (!read32(offset, lo)) return false;
  if (size == 8 && !read32(offset + 4, hi)) return false;
  value = lo | std::uint64_t{hi} << 32;
  return true;
}

bool Aclint::write(Addr offset, unsigned size, std::uint64_t value) {
  if (size != 4 && size != 8) return false;
  if (size == 8 && offset >= kMtimecmpBase) {
    // One 64-bit write updates the whole register at once, so no transient
    // half-written comparison can raise a spurious interrupt.
    if (offset == kMtime) {
      set_mtime(value);
    } else if (offset < kMtime) {
      const Addr i = (offset - kMtimecmpBase) / 8;
      if (i < harts_.size()) set_mtimecmp(static_cast<unsigned>(i), value);
    }
    return true;
  }
  if (!write32(offset, static_cast<std::uint32_t>(value))) return false;
  return size == 4 || write32(offset + 4, static_cast<std::uint32_t>(value >> 32));
}

}  // namespace orrery
