#include "orrery/irqchip/imsic.hpp"

#include "orrery/core/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "orrery/core/types.hpp"

namespace orrery {

// ---- ImsicFile ----

ImsicFile::ImsicFile(unsigned ids)
    : ids_(ids),
      // eithreshold must hold 0..N; it implements just the bits N needs.
      threshold_mask_((1u << std::bit_width(ids)) - 1),
      eip_(ids / 64 + 1, 0),
      eie_(ids / 64 + 1, 0) {
  if (ids < 63 || ids > 2047 || (ids + 1) % 64 != 0)
    throw Error(
        fmt::format("IMSIC: {} interrupt identities; must be 63..2047 and one less than a multiple of 64", ids));
}

void ImsicFile::connect(IrqLine line) {
  line_ = std::move(line);
  if (line_) line_(level_);
}

void ImsicFile::reset() {
  // The spec leaves the state after reset valid but unspecified (eidelivery
  // 0 or 1); everything clear is the obvious choice.
  eidelivery_ = 0;
  eithreshold_ = 0;
  std::fill(eip_.begin(), eip_.end(), 0);
  std::fill(eie_.begin(), eie_.end(), 0);
  update();
}

std::uint64_t ImsicFile::word_mask(unsigned w) const {
  if (w >= eip_.size()) return 0;
  std::uint64_t mask = ~std::uint64_t{0};
  if (w == 0) mask &= ~std::uint64_t{1};  // identity 0
  const unsigned past = ids_ + 1 - 64 * w;  // identities of this word that exist
  if (past < 64) mask &= (std::uint64_t{1} << past) - 1;
  return mask;
}

unsigned ImsicFile::top() const {
  // Lower identities have higher priority; with a threshold P, only
  // identities below P count.
  for (unsigned w = 0; w < eip_.size(); ++w) {
    const std::uint64_t bits = eip_[w] & eie_[w];
    if (!bits) continue;
    const unsigned id = 64 * w + static_cast<unsigned>(std::countr_zero(bits));
    return eithreshold_ == 0 || id < eithreshold_ ? id : 0;
  }
  return 0;
}

std::uint32_t ImsicFile::topei() const {
  const unsigned id = top();
  return id << 16 | id;
}

std::uint32_t ImsicFile::claim() {
  const std::uint32_t value = topei();
  const unsigned id = value >> 16;
  if (id) {
    eip_[id / 64] &= ~(std::uint64_t{1} << (id % 64));
    update();
  }
  return value;
}

void ImsicFile::set_pending(unsigned id) {
  if (id == 0 || id > ids_) return;
  eip_[id / 64] |= std::uint64_t{1} << (id % 64);
  update();
}

void ImsicFile::update() {
  const bool level = eidelivery_ == 1 && top() != 0;
  if (level != level_) {
    level_ = level;
    if (line_) line_(level);
  }
}

bool ImsicFile::read_indirect(unsigned iselect, std::uint64_t& value) const {
  value = 0;
  if (iselect < kEidelivery || iselect > kLast) return false;
  if (iselect == kEidelivery) {
    value = eidelivery_;
  } else if (iselect == kEithreshold) {
    value = eithreshold_;
  } else if (iselect >= kEip0) {
    const unsigned k = (iselect - kEip0) % 64;
    if (k & 1) return false;  // eip1, eip3, ... do not exist on RV64
    const auto& array = iselect < kEie0 ? eip_ : eie_;
    if (k / 2 < array.size()) value = array[k / 2];
  }
  // 0x71, 0x73-0x7f: reserved, read zero.
  return true;
}

bool ImsicFile::write_indirect(unsigned iselect, std::uint64_t value) {
  if (iselect < kEidelivery || iselect > kLast) return false;
  if (iselect == kEidelivery) {
    eidelivery_ = static_cast<std::uint32_t>(value & 1);  // WARL: 0 or 1
  } else if (iselect == kEithreshold) {
    eithreshold_ = static_cast<std::uint32_t>(value) & threshold_mask_;
  } else if (iselect >= kEip0) {
    const unsigned k = (iselect - kEip0) % 64;
    if (k & 1) return false;
    auto& array = iselect < kEie0 ? eip_ : eie_;
    if (k / 2 < array.size()) array[k / 2] = value & word_mask(k / 2);
  }
  update();
  return true;
}

// ---- Imsic ----

unsigned Imsic::guest_index_bits(unsigned guests) { return static_cast<unsigned>(std::bit_width(guests)); }

Imsic::Imsic(unsigned harts, unsigned guests, unsigned ids) : harts_(harts), guests_(guests) {
  if (harts == 0 || guests > 63) throw Error(fmt::format("IMSIC: {} harts with {} guest files", harts, guests));
  for (unsigned i = 0; i < harts * (guests + 1); ++i) files_.push_back(std::make_unique<ImsicFile>(ids));
}

void Imsic::reset() {
  for (auto& f : files_) f->reset();
}

bool Imsic::read(Addr, unsigned, std::uint64_t& value) {
  // seteipnum_le/be read as zero, and so does every other byte.
  value = 0;
  return true;
}

bool Imsic::write(Addr offset, unsigned size, std::uint64_t value) {
  const Addr hart = offset / hart_stride();
  const Addr index = offset % hart_stride() / kPageSize;
  const Addr reg = offset % kPageSize;
  if (size != 4 || hart >= harts_ || index > guests_) return true;  // ignored
  std::uint32_t id = static_cast<std::uint32_t>(value);
  if (reg == kSeteipnumBe) {
    id = __builtin_bswap32(id);
  } else if (reg != kSeteipnumLe) {
    return true;
  }
  file(static_cast<unsigned>(hart), static_cast<unsigned>(index)).set_pending(id);
  return true;
}

void ImsicFile::save_state(StateWriter& out) const { out(eidelivery_, eithreshold_, eip_, eie_); }

void ImsicFile::load_state(StateReader& in) {
  in(eidelivery_, eithreshold_, eip_, eie_);
  eidelivery_ &= 1;
  eithreshold_ &= threshold_mask_;
  for (unsigned w = 0; w < eip_.size(); ++w) {
    eip_[w] &= word_mask(w);
    eie_[w] &= word_mask(w);
  }
  level_ = eidelivery_ == 1 && top() != 0;
  if (line_) line_(level_);
}

void Imsic::save_state(StateWriter& out) const {
  for (const auto& f : files_) f->save_state(out);
}

void Imsic::load_state(StateReader& in) {
  for (auto& f : files_) f->load_state(in);
}

}  // namespace orrery
