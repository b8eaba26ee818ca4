// Physical memory protection (privileged spec, "Physical Memory
// Protection"): 16 entries, 4-byte granularity, TOR/NA4/NAPOT.
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {

using mmu::Access;

namespace {

constexpr std::uint8_t kR = 1, kW = 2, kX = 4, kL = 0x80;
enum : unsigned { kOff = 0, kTor = 1, kNa4 = 2, kNapot = 3 };

// [lo, hi) covered by entry i; empty when off.
void entry_range(const std::uint8_t* cfg, const std::uint64_t* addr, unsigned i, Addr& lo, Addr& hi) {
  const unsigned a = (cfg[i] >> 3) & 3;
  lo = hi = 0;
  switch (a) {
    case kTor:
      lo = i == 0 ? 0 : addr[i - 1] << 2;
      hi = addr[i] << 2;
      break;
    case kNa4:
      lo = addr[i] << 2;
      hi = lo + 4;
      break;
    case kNapot: {
      // pmpaddr = base/4 | (size/8 - 1): trailing ones encode the size.
      const unsigned ones = static_cast<unsigned>(__builtin_ctzll(~addr[i]));
      const unsigned size_bits = ones + 3;
      lo = (addr[i] & ~((1ull << ones) - 1)) << 2;
      hi = size_bits >= 64 ? ~Addr{0} : lo + (1ull << size_bits);
      break;
    }
    default: break;
  }
}

}  // namespace

void RiscvHart::pmp_changed() {
  pmp_range_count_ = 0;
  for (unsigned i = 0; i < kPmpEntries; ++i) {
    Addr lo, hi;
    entry_range(pmpcfg_, pmpaddr_, i, lo, hi);
    if (hi <= lo) continue;  // off, or an empty TOR range: matches nothing
    pmp_ranges_[pmp_range_count_++] = PmpRange{lo, hi, pmpcfg_[i]};
  }
  phys_pages_.fill(PhysPage{});
  flush_tlbs();
}

const RiscvHart::PhysPage& RiscvHart::phys_page(Addr pa) {
  const Addr number = pa >> 12;
  PhysPage& p = phys_pages_[number % phys_pages_.size()];
  if (p.number == number) [[likely]]
    return p;
  const Addr page = number << 12;
  p.number = number;
  p.host = bus_.host_ptr(page, 4096, false);
  p.ram = bus_.host_ptr(page, 4096, true) != nullptr;
  p.uniform = pmp_page_uniform(page);
  for (const Priv priv : {kPrivS, kPrivM}) {
    std::uint8_t& allow = p.allow[priv == kPrivM];
    allow = 0;
    if (!p.uniform) continue;
    if (pmp_allows(page, 4096, Access::Read, priv)) allow |= PhysPage::kRead;
    if (pmp_allows(page, 4096, Access::Write, priv)) allow |= PhysPage::kWrite;
    if (pmp_allows(page, 4096, Access::Execute, priv)) allow |= PhysPage::kExec;
  }
  return p;
}

bool RiscvHart::pmp_allows(Addr pa, unsigned size, Access access, Priv priv) const {
  const Addr end = pa + size;  // exclusive
  for (unsigned i = 0; i < pmp_range_count_; ++i) {
    const PmpRange& r = pmp_ranges_[i];
    if (end <= r.lo || pa >= r.hi) continue;
    // The lowest-numbered entry matching any byte decides, and it must cover
    // every byte of the access.
    if (pa < r.lo || end > r.hi) return false;
    if (priv == kPrivM && !(r.cfg & kL)) return true;
    const std::uint8_t need = access == Access::Read ? kR : access == Access::Write ? kW : kX;
    return r.cfg & need;
  }
  // No match: M-mode succeeds; S/U fail because PMP entries are implemented.
  return priv == kPrivM;
}

bool RiscvHart::pmp_page_uniform(Addr page) const {
  const Addr end = page + 4096;
  for (unsigned i = 0; i < pmp_range_count_; ++i) {
    const PmpRange& r = pmp_ranges_[i];
    if (end <= r.lo || page >= r.hi) continue;
    return r.lo <= page && end <= r.hi;
  }
  return true;
}

}  // namespace orrery::riscv
