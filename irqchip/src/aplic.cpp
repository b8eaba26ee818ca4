#include "orrery/irqchip/aplic.hpp"

#include "orrery/core/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "orrery/core/types.hpp"

namespace orrery {

Aplic::Aplic(const AplicConfig& config)
    : config_(config),
      iprio_mask_((1u << config.priority_bits) - 1),
      sourcecfg_(config.sources + 1, 0),
      target_(config.sources + 1, 0),
      delegated_(config.sources + 1, false),
      pending_(config.sources + 1, false),
      enabled_(config.sources + 1, false),
      wire_(config.sources + 1, false),
      idcs_(config.direct ? config.harts : 0) {
  if (config.sources == 0 || config.sources > 1023 || config.harts == 0 || config.harts > 16384 ||
      config.priority_bits < 1 || config.priority_bits > 8 || (!config.direct && !config.msi) || config.guests > 63)
    throw Error(fmt::format("APLIC: bad configuration ({} sources, {} harts, {} priority bits)", config.sources,
                            config.harts, config.priority_bits));
  reset();
}

void Aplic::add_child(Aplic& child) {
  if (child.config_.sources != config_.sources || child.parent_ || &child == this)
    throw Error("APLIC: a child domain must be a fresh domain with the same sources");
  child.parent_ = this;
  children_.push_back(&child);
  child.reset();
}

void Aplic::connect(unsigned hart, IrqLine line) {
  Idc& idc = idcs_.at(hart);
  idc.line = std::move(line);
  if (idc.line) idc.line(idc.level);
}

void Aplic::reset() {
  // Reset makes domaincfg's writable bits zero (the rest of the state is
  // unspecified: all sources inactive, nothing pending, is the natural
  // choice). A domain that supports only MSI delivery has DM read-only 1.
  ie_ = false;
  dm_ = !config_.direct;
  std::fill(sourcecfg_.begin(), sourcecfg_.end(), 0);
  std::fill(target_.begin(), target_.end(), 0);
  std::fill(pending_.begin(), pending_.end(), false);
  std::fill(enabled_.begin(), enabled_.end(), false);
  // Every source belongs to the root; a child owns none until delegated.
  std::fill(delegated_.begin() + 1, delegated_.end(), parent_ == nullptr);
  for (Idc& idc : idcs_) idc.idelivery = idc.iforce = idc.ithreshold = 0;
  genmsi_ = 0;
  mmsiaddrcfg_ = mmsiaddrcfgh_ = smsiaddrcfg_ = smsiaddrcfgh_ = 0;
  // The wires keep their levels: devices drive them across a reset.
  update();
  // Nothing is delegated any more.
  for (Aplic* child : children_) child->reset();
}

bool Aplic::active(unsigned id) const { return valid(id) && delegated_[id] && mode(id) != kInactive; }

bool Aplic::rectified(unsigned id) const {
  switch (mode(id)) {
    case kEdge1:
    case kLevel1: return wire(id);
    case kEdge0:
    case kLevel0: return !wire(id);
    default: return false;  // inactive or detached
  }
}

std::uint32_t Aplic::domaincfg() const {
  return kDomaincfgFixed | (ie_ ? kDomaincfgIe : 0) | (dm_ ? kDomaincfgDm : 0);
}

// ---- inputs and delegation ----

void Aplic::set_source(unsigned id, bool level) {
  if (parent_ || !valid(id) || wire_[id] == level) return;
  const bool old = wire_[id];
  wire_[id] = level;
  // The source is live in at most one domain: follow the delegations down.
  Aplic* d = this;
  while (d->sourcecfg_[id] & kSourcecfgD) d = d->children_[d->sourcecfg_[id] & 0x3ff];
  d->input_changed(id, old);
}

void Aplic::input_changed(unsigned id, bool old_level) {
  if (!active(id)) return;
  const bool inverted = mode(id) == kEdge0 || mode(id) == kLevel0;
  const bool before = old_level != inverted;
  const bool now = rectified(id);
  if (edge_mode(id)) {
    if (!before && now) pending_[id] = true;
  } else if (level_mode(id)) {
    if (!dm_) {
      pending_[id] = now;  // direct mode: a copy of the rectified input
    } else if (!now) {
      pending_[id] = false;
    } else if (!before) {
      pending_[id] = true;
    }
  }
  update();
}

void Aplic::grant(unsigned id) {
  // "sourcecfg[i] remains zero until successfully written with a nonzero value".
  delegated_[id] = true;
  sourcecfg_[id] = 0;
}

void Aplic::revoke(unsigned id) {
  if (sourcecfg_[id] & kSourcecfgD) children_[sourcecfg_[id] & 0x3ff]->revoke(id);
  delegated_[id] = false;
  sourcecfg_[id] = target_[id] = 0;
  pending_[id] = enabled_[id] = false;
  update();
}

void Aplic::write_sourcecfg(unsigned id, std::uint32_t value) {
  if (!valid(id) || !delegated_[id]) return;  // read-only zero here
  std::uint32_t cfg;
  if (value & kSourcecfgD) {
    // A leaf domain cannot delegate: the whole register becomes zero. The
    // child index is WLRL; an index with no child is treated the same way.
    const std::uint32_t child = value & 0x3ff;
    cfg = child < children_.size() ? kSourcecfgD | child : 0;
  } else {
    cfg = value & 7;
    if (cfg == 2 || cfg == 3) cfg = kInactive;  // reserved modes (WARL)
  }
  const std::uint32_t old = sourcecfg_[id];
  if (cfg == old) return;
  const bool was_active = active(id);
  if (old & kSourcecfgD) children_[old & 0x3ff]->revoke(id);
  sourcecfg_[id] = cfg;
  if (cfg & kSourcecfgD) children_[cfg & 0x3ff]->grant(id);
  if (!active(id)) {
    // Inactive: pending, enable and target read as zero.
    pending_[id] = enabled_[id] = false;
    target_[id] = 0;
  } else {
    if (!was_active) target_[id] = dm_ ? 0 : 1;  // unspecified but legal (IPRIO 1)
    // A level-sensitive source follows its input at once: in direct mode
    // the pending bit is the rectified input; in MSI mode a high input
    // makes the source pending (the spec allows a sourcecfg write to do so),
    // so a device that asserted its line before software configured the
    // source is not lost. Edge-sensitive sources wait for the next edge.
    if (level_mode(id)) {
      if (!dm_)
        pending_[id] = rectified(id);
      else if (rectified(id))
        pending_[id] = true;
      else
        pending_[id] = false;
    }
  }
  update();
}

void Aplic::write_target(unsigned id, std::uint32_t value) {
  if (!active(id)) return;  // read-only zero
  const std::uint32_t hart = value & 0xfffc0000u;  // Hart Index, bits 31:18
  if (!dm_) {
    std::uint32_t iprio = value & iprio_mask_;
    if (iprio == 0) iprio = 1;  // priority 0 is not allowed: it becomes 1
    target_[id] = hart | iprio;
  } else {
    std::uint32_t guest = (value >> 12) & 0x3f;
    // Guest Index exists only at supervisor level, WLRL over 0..GEILEN.
    if (config_.machine_level || guest > config_.guests) guest = 0;
    target_[id] = hart | guest << 12 | (value & 0x7ff);
  }
  update();
}

void Aplic::write_domaincfg(std::uint32_t value) {
  ie_ = value & kDomaincfgIe;
  bool dm = dm_;
  if (config_.direct && config_.msi) dm = value & kDomaincfgDm;  // else read-only
  if (dm != dm_) {
    dm_ = dm;
    for (unsigned id = 1; id <= config_.sources; ++id) {
      if (!active(id)) continue;
      // The targets' fields for the new mode are unspecified: keep the hart
      // index, make the rest legal.
      target_[id] = (target_[id] & 0xfffc0000u) | (dm_ ? 0 : 1);
      if (level_mode(id)) pending_[id] = rectified(id) && (dm_ ? pending_[id] : true);
    }
    if (dm_)
      for (Idc& idc : idcs_) idc.iforce = 0;
  }
  update();
}

// ---- pending bits (AIA "Precise effects on interrupt-pending bits") ----

void Aplic::set_pending(unsigned id) {
  if (!active(id)) return;
  if (level_mode(id)) {
    // Direct mode: the bit is the input's copy. MSI mode: only while high.
    if (!dm_ || !rectified(id)) return;
  }
  pending_[id] = true;
}

void Aplic::clear_pending(unsigned id) {
  if (!active(id)) return;
  if (level_mode(id) && !dm_) return;
  pending_[id] = false;
}

// ---- delivery ----

unsigned Aplic::best(unsigned hart, std::uint32_t& priority) const {
  unsigned winner = 0;
  priority = 0;
  if (hart >= idcs_.size()) return 0;
  const std::uint32_t threshold = idcs_[hart].ithreshold;
  for (unsigned id = 1; id <= config_.sources; ++id) {
    if (!pending_[id] || !enabled_[id] || !active(id) || target_[id] >> 18 != hart) continue;
    const std::uint32_t p = target_[id] & iprio_mask_;
    if (threshold != 0 && p >= threshold) continue;
    // Smaller numbers are higher priorities; ties go to the lowest identity.
    if (winner == 0 || p < priority) {
      winner = id;
      priority = p;
    }
  }
  return winner;
}

std::uint32_t Aplic::topi(unsigned hart) const {
  if (dm_) return 0;
  std::uint32_t priority = 0;
  const unsigned id = best(hart, priority);
  return id ? (id << 16 | priority) : 0;
}

std::uint32_t Aplic::claimi(unsigned hart) {
  if (hart >= idcs_.size() || dm_) return 0;
  const std::uint32_t value = topi(hart);
  if (value)
    clear_pending(value >> 16);  // not for level-sensitive sources
  else
    idcs_[hart].iforce = 0;  // a spurious claim clears iforce
  update();
  return value;
}

void Aplic::send_msi(unsigned hart, unsigned guest, std::uint32_t eiid) {
  // AIA "Addresses and data for outgoing MSIs": the root's configuration
  // turns the hart index into an IMSIC page. (This APLIC maps hart indices
  // of supervisor-level domains to the same machine-level indices.)
  const Aplic& r = root();
  const std::uint32_t h = r.mmsiaddrcfgh_;
  const unsigned lhxw = (h >> 12) & 0xf, hhxw = (h >> 16) & 7, hhxs = (h >> 24) & 0x1f;
  const std::uint64_t group = (hart >> lhxw) & ((1u << hhxw) - 1);
  const std::uint64_t index = hart & ((1u << lhxw) - 1);
  std::uint64_t ppn;
  if (config_.machine_level) {
    const unsigned lhxs = (h >> 20) & 7;
    ppn = (std::uint64_t{h & 0xfff} << 32 | r.mmsiaddrcfg_) | group << (hhxs + 12) | index << lhxs;
  } else {
    const std::uint32_t sh = r.smsiaddrcfgh_;
    const unsigned lhxs = (sh >> 20) & 7;
    ppn = (std::uint64_t{sh & 0xfff} << 32 | r.smsiaddrcfg_) | group << (hhxs + 12) | index << lhxs | guest;
  }
  if (r.msi_writer_) r.msi_writer_(ppn << 12, eiid);
}

void Aplic::update() {
  // An MSI may come straight back (a write to our own setipnum): finish this
  // pass first, then go round again.
  if (updating_) {
    update_again_ = true;
    return;
  }
  updating_ = true;
  do {
    update_again_ = false;
    if (dm_) {
      // Forward every pending-and-enabled source; sending clears its bit.
      for (unsigned id = 1; ie_ && id <= config_.sources; ++id) {
        if (!pending_[id] || !enabled_[id] || !active(id)) continue;
        pending_[id] = false;
        const std::uint32_t t = target_[id];
        send_msi(t >> 18, (t >> 12) & 0x3f, t & 0x7ff);
      }
    }
    for (unsigned h = 0; h < idcs_.size(); ++h) {
      Idc& idc = idcs_[h];
      const bool level = !dm_ && ie_ && idc.idelivery && (idc.iforce || topi(h) != 0);
      if (level != idc.level) {
        idc.level = level;
        if (idc.line) idc.line(level);
      }
    }
  } while (update_again_);
  updating_ = false;
}

// ---- MSI address configuration (root domain, machine level) ----

bool Aplic::has_msiaddrcfg() const { return !parent_ && config_.machine_level && config_.msi; }

std::uint32_t Aplic::read_msiaddrcfg(Addr offset) const {
  if (!has_msiaddrcfg()) return 0;
  switch (offset) {
    case kMmsiaddrcfg: return mmsiaddrcfg_;
    case kMmsiaddrcfgh: return mmsiaddrcfgh_;
    // The supervisor pair exists when there is a supervisor-level domain.
    case kSmsiaddrcfg: return children_.empty() ? 0 : smsiaddrcfg_;
    default: return children_.empty() ? 0 : smsiaddrcfgh_;
  }
}

void Aplic::write_msiaddrcfg(Addr offset, std::uint32_t value) {
  if (!has_msiaddrcfg() || (mmsiaddrcfgh_ & kMsiaddrcfgL)) return;  // L locks all four
  switch (offset) {
    case kMmsiaddrcfg: mmsiaddrcfg_ = value; break;
    // L, HHXS 28:24, LHXS 22:20, HHXW 18:16, LHXW 15:12, High Base PPN 11:0.
    case kMmsiaddrcfgh: mmsiaddrcfgh_ = value & 0x9f77ffffu; break;
    case kSmsiaddrcfg:
      if (!children_.empty()) smsiaddrcfg_ = value;
      break;
    default:
      if (!children_.empty()) smsiaddrcfgh_ = value & 0x00700fffu;  // LHXS, High Base PPN
      break;
  }
}

// ---- MMIO ----

bool Aplic::read(Addr offset, unsigned size, std::uint64_t& value) {
  std::uint32_t v = 0;
  if (size == 4 && offset % 4 == 0) read32(offset, v);
  value = v;
  return true;
}

bool Aplic::write(Addr offset, unsigned size, std::uint64_t value) {
  if (size == 4 && offset % 4 == 0) write32(offset, static_cast<std::uint32_t>(value));
  return true;
}

void Aplic::read32(Addr offset, std::uint32_t& value) {
  value = 0;
  const auto word_of = [&](const std::vector<bool>& bits, Addr base) {
    const unsigned k = static_cast<unsigned>((offset - base) / 4);
    std::uint32_t w = 0;
    for (unsigned b = 0; b < 32; ++b) {
      const unsigned id = 32 * k + b;
      if (active(id) && bits[id]) w |= 1u << b;
    }
    return w;
  };
  if (offset == kDomaincfg) {
    value = domaincfg();
  } else if (offset < kSourcecfg + 4 * 1023) {
    const unsigned id = static_cast<unsigned>(offset / 4);
    if (valid(id)) value = sourcecfg_[id];
  } else if (offset >= kMmsiaddrcfg && offset <= kSmsiaddrcfgh) {
    value = read_msiaddrcfg(offset);
  } else if (offset >= kSetip && offset < kSetip + 0x80) {
    value = word_of(pending_, kSetip);
  } else if (offset >= kInClrip && offset < kInClrip + 0x80) {
    const unsigned k = static_cast<unsigned>((offset - kInClrip) / 4);
    for (unsigned b = 0; b < 32; ++b)
      if (active(32 * k + b) && rectified(32 * k + b)) value |= 1u << b;
  } else if (offset >= kSetie && offset < kSetie + 0x80) {
    value = word_of(enabled_, kSetie);
  } else if (offset == kGenmsi) {
    value = dm_ ? genmsi_ : 0;  // Busy (bit 12) never shows: MSIs go out at once
  } else if (offset >= kTarget && offset < kIdc) {
    const unsigned id = static_cast<unsigned>((offset - kTarget) / 4 + 1);
    if (active(id)) value = target_[id];
  } else if (offset >= kIdc && (offset - kIdc) / kIdcSize < idcs_.size()) {
    const unsigned h = static_cast<unsigned>((offset - kIdc) / kIdcSize);
    switch ((offset - kIdc) % kIdcSize) {
      case kIdelivery: value = idcs_[h].idelivery; break;
      case kIforce: value = idcs_[h].iforce; break;
      case kIthreshold: value = idcs_[h].ithreshold; break;
      case kTopi: value = topi(h); break;
      case kClaimi: value = claimi(h); break;
      default: break;
    }
  }
  // setipnum, clripnum, setienum, clrie, clrienum, setipnum_le/be and
  // reserved bytes read as zero.
}

void Aplic::write32(Addr offset, std::uint32_t value) {
  const auto each_bit = [&](Addr base, auto&& fn) {
    const unsigned k = static_cast<unsigned>((offset - base) / 4);
    for (unsigned b = 0; b < 32; ++b)
      if (value >> b & 1) fn(32 * k + b);
    update();
  };
  if (offset == kDomaincfg) {
    write_domaincfg(value);
  } else if (offset < kSourcecfg + 4 * 1023) {
    write_sourcecfg(static_cast<unsigned>(offset / 4), value);
  } else if (offset >= kMmsiaddrcfg && offset <= kSmsiaddrcfgh) {
    write_msiaddrcfg(offset, value);
  } else if (offset >= kSetip && offset < kSetip + 0x80) {
    each_bit(kSetip, [&](unsigned id) { set_pending(id); });
  } else if (offset == kSetipnum || offset == kSetipnumLe || offset == kSetipnumBe) {
    set_pending(offset == kSetipnumBe ? __builtin_bswap32(value) : value);
    update();
  } else if (offset >= kInClrip && offset < kInClrip + 0x80) {
    each_bit(kInClrip, [&](unsigned id) { clear_pending(id); });
  } else if (offset == kClripnum) {
    clear_pending(value);
    update();
  } else if (offset >= kSetie && offset < kSetie + 0x80) {
    each_bit(kSetie, [&](unsigned id) {
      if (active(id)) enabled_[id] = true;
    });
  } else if (offset == kSetienum) {
    if (active(value)) enabled_[value] = true;
    update();
  } else if (offset >= kClrie && offset < kClrie + 0x80) {
    each_bit(kClrie, [&](unsigned id) {
      if (active(id)) enabled_[id] = false;
    });
  } else if (offset == kClrienum) {
    if (active(value)) enabled_[value] = false;
    update();
  } else if (offset == kGenmsi) {
    if (!dm_) return;  // read-only zero in direct mode
    // An extempore MSI to the hart at this domain's level, even with IE = 0.
    genmsi_ = value & 0xfffc07ffu;
    send_msi(genmsi_ >> 18, 0, genmsi_ & 0x7ff);
  } else if (offset >= kTarget && offset < kIdc) {
    write_target(static_cast<unsigned>((offset - kTarget) / 4 + 1), value);
  } else if (offset >= kIdc && (offset - kIdc) / kIdcSize < idcs_.size()) {
    Idc& idc = idcs_[(offset - kIdc) / kIdcSize];
    switch ((offset - kIdc) % kIdcSize) {
      case kIdelivery: idc.idelivery = value & 1; break;
      case kIforce: idc.iforce = value & 1; break;
      case kIthreshold: idc.ithreshold = value & iprio_mask_; break;
      default: break;  // topi and claimi ignore writes
    }
    update();
  }
}

void Aplic::save_state(StateWriter& out) const { const_cast<Aplic*>(this)->checkpoint_state(out); }

void Aplic::load_state(StateReader& in) {
  checkpoint_state(in);
  // A source delegated to a child names it by index (sourcecfg bits 9:0).
  for (std::uint32_t cfg : sourcecfg_)
    in.check(!(cfg & kSourcecfgD) || (cfg & 0x3ff) < children_.size(), "sourcecfg's child index");
  for (const Idc& idc : idcs_)
    if (idc.line) idc.line(idc.level);
}

}  // namespace orrery
