// Virtual-memory translation (privileged spec, "Supervisor-Level ISA":
// Sv39, Sv48, Sv57), the slow memory paths behind the software TLB, and
// instruction fetch.
#include <cstring>

#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {

using mmu::Access;

namespace {

constexpr std::uint64_t kPteV = 1, kPteR = 2, kPteW = 4, kPteX = 8, kPteU = 16, kPteA = 64, kPteD = 128;
constexpr std::uint64_t kPpnMask = (1ull << 44) - 1;
constexpr Addr kPageMask = 0xfff;

std::uint64_t page_fault_cause(Access a) {
  return a == Access::Execute ? kInsnPageFault : a == Access::Read ? kLoadPageFault : kStorePageFault;
}
std::uint64_t access_fault_cause(Access a) {
  return a == Access::Execute ? kInsnAccessFault : a == Access::Read ? kLoadAccessFault : kStoreAccessFault;
}

}  // namespace

Priv RiscvHart::data_priv() const {
  // MPRV makes M-mode loads and stores use MPP's privilege and translation.
  if (priv_ == kPrivM && (mstatus_ & mstatus::MPRV))
    return static_cast<Priv>((mstatus_ & mstatus::MPP) >> mstatus::MPP_SHIFT);
  return priv_;
}

unsigned RiscvHart::tlb_index(Priv priv) const {
  if (priv == kPrivM) return 3;
  if (priv == kPrivU) return 0;
  return (mstatus_ & mstatus::SUM) ? 2 : 1;
}

void RiscvHart::flush_tlbs() {
  for (auto& t : tlbs_) t.flush();
}

void RiscvHart::raise_access(Access access, Xlate kind, Addr tval) {
  raise(kind == Xlate::PageFault ? page_fault_cause(access) : access_fault_cause(access), tval);
}

// One page-table walk. Reports the permissions the leaf grants this
// privilege (for the TLB) and updates A/D in memory when the access is
// allowed, as hardware that manages A/D does (the spec permits either this
// or a page fault; QEMU and Linux expect the update).
RiscvHart::Xlate RiscvHart::walk(Addr va, Access access, Priv priv, Addr& pa, bool& readable, bool& writable,
                                 bool& executable) {
  const unsigned mode = static_cast<unsigned>(satp_ >> 60);
  const unsigned levels = mode == 8 ? 3 : mode == 9 ? 4 : 5;
  const unsigned va_bits = 12 + 9 * levels;
  // Bits above the virtual address width must equal its top bit.
  if ((static_cast<std::int64_t>(va << (64 - va_bits)) >> (64 - va_bits)) != static_cast<std::int64_t>(va))
    return Xlate::PageFault;

  Addr table = (satp_ & kPpnMask) << 12;
  for (int level = static_cast<int>(levels) - 1; level >= 0; --level) {
    const Addr pte_addr = table + ((va >> (12 + 9 * level)) & 511) * 8;
    // Page-table accesses are checked by PMP as S-mode accesses and must
    // hit memory.
    std::uint8_t* pte_host = bus_.host_ptr(pte_addr, 8, false);
    if (!pte_host || !pmp_allows(pte_addr, 8, Access::Read, kPrivS)) return Xlate::AccessFault;
    std::uint64_t pte;
    std::memcpy(&pte, pte_host, 8);

    // Bits 63:54 are reserved without Svpbmt/Svnapot; W without R is reserved.
    if (!(pte & kPteV) || (!(pte & kPteR) && (pte & kPteW)) || (pte >> 54)) return Xlate::PageFault;
    if (!(pte & (kPteR | kPteX))) {
      // D, A and U are reserved in non-leaf PTEs; a walk that meets them
      // set faults (privileged spec, "Virtual Address Translation Process").
      if (pte & (kPteD | kPteA | kPteU)) return Xlate::PageFault;
      table = ((pte >> 10) & kPpnMask) << 12;
      continue;
    }

    // Leaf. A superpage's low PPN fields must be zero.
    const std::uint64_t ppn = (pte >> 10) & kPpnMask;
    if (level > 0 && (ppn & ((1ull << (9 * level)) - 1))) return Xlate::PageFault;

    const bool mxr = mstatus_ & mstatus::MXR;
    bool user_ok_data = true, user_ok_exec = true;
    if (pte & kPteU) {
      // S-mode never executes user pages and reads/writes them only with SUM.
      if (priv == kPrivS) {
        user_ok_exec = false;
        user_ok_data = mstatus_ & mstatus::SUM;
      }
    } else if (priv == kPrivU) {
      user_ok_data = user_ok_exec = false;
    }
    const bool can_read = user_ok_data && ((pte & kPteR) || (mxr && (pte & kPteX)));
    const bool can_write = user_ok_data && (pte & kPteW);
    const bool can_exec = user_ok_exec && (pte & kPteX);
    const bool allowed = access == Access::Read ? can_read : access == Access::Write ? can_write : can_exec;
    if (!allowed) return Xlate::PageFault;

    std::uint64_t updated = pte | kPteA;
    if (access == Access::Write) updated |= kPteD;
    if (updated != pte) {
      std::uint8_t* w = bus_.host_ptr(pte_addr, 8, true);
      if (!w || !pmp_allows(pte_addr, 8, Access::Write, kPrivS)) return Xlate::AccessFault;
      std::memcpy(w, &updated, 8);
    }
    readable = can_read;
    // Writes through the TLB need D already set; until then they walk.
    writable = can_write && (updated & kPteD);
    executable = can_exec;
    const unsigned page_bits = 12 + 9 * level;
    pa = ((ppn >> (9 * level)) << page_bits) | (va & ((1ull << page_bits) - 1));
    return Xlate::Ok;
  }
  return Xlate::PageFault;
}

bool RiscvHart::translate(Addr va, Access access, Priv priv, Addr& pa, bool fill_tlb) {
  bool readable = true, writable = true, executable = true;
  if (priv != kPrivM && (satp_ >> 60) != 0) {
    const Xlate result = walk(va, access, priv, pa, readable, writable, executable);
    if (result != Xlate::Ok) {
      raise_access(access, result, va);
      return false;
    }
  } else {
    pa = va;
  }
  if (!fill_tlb) return true;
  // Enter the page when it is host memory and PMP treats all of it alike.
  const Addr page = pa & ~kPageMask;
  std::uint8_t* host = bus_.host_ptr(page, 4096, false);
  if (host && pmp_page_uniform(page, priv)) {
    const bool ram = bus_.host_ptr(page, 4096, true) != nullptr;
    tlbs_[tlb_index(priv)].fill(va, host, readable && pmp_allows(page, 4096, Access::Read, priv),
                                writable && ram && pmp_allows(page, 4096, Access::Write, priv),
                                executable && pmp_allows(page, 4096, Access::Execute, priv));
  }
  return true;
}

// A physical access after translation: PMP, then the bus. A failure is an
// access fault whose mtval names the part of the access that failed.
bool RiscvHart::access_phys(Addr va, Addr pa, unsigned size, Access access, Priv priv, std::uint64_t& value) {
  bool ok = pmp_allows(pa, size, access, priv);
  if (ok) ok = access == Access::Write ? bus_.write(pa, size, value) : bus_.read(pa, size, value);
  if (ok) return true;
  Addr tval = va;
  const BusRegion* r = bus_.find(pa);
  if (r && !r->contains(pa, size)) tval = va + (r->base + r->size - pa);
  raise(access_fault_cause(access), tval);
  return false;
}

bool RiscvHart::load_slow(Addr va, unsigned size, std::uint64_t& value) {
  const Priv priv = data_priv();
  const unsigned first = static_cast<unsigned>(std::min<Addr>(size, 4096 - (va & kPageMask)));
  Addr pa;
  if (!translate(va, Access::Read, priv, pa, true)) return false;
  if (first == size) return access_phys(va, pa, size, Access::Read, priv, value);
  // Crosses a page: both parts are translated and read separately; mtval
  // names the part that faulted.
  Addr pa2;
  if (!translate(va + first, Access::Read, priv, pa2, true)) return false;
  std::uint64_t lo = 0, hi = 0;
  for (unsigned i = 0; i < first; ++i) {
    std::uint64_t b;
    if (!access_phys(va + i, pa + i, 1, Access::Read, priv, b)) return false;
    lo |= b << (8 * i);
  }
  for (unsigned i = first; i < size; ++i) {
    std::uint64_t b;
    if (!access_phys(va + i, pa2 + (i - first), 1, Access::Read, priv, b)) return false;
    hi |= b << (8 * i);
  }
  value = lo | hi;
  return true;
}

bool RiscvHart::store_slow(Addr va, unsigned size, std::uint64_t value) {
  const Priv priv = data_priv();
  const unsigned first = static_cast<unsigned>(std::min<Addr>(size, 4096 - (va & kPageMask)));
  Addr pa;
  if (!translate(va, Access::Write, priv, pa, true)) return false;
  if (first == size) return access_phys(va, pa, size, Access::Write, priv, value);
  // Both halves must be permitted before either is written, so a fault
  // leaves memory untouched.
  Addr pa2;
  if (!translate(va + first, Access::Write, priv, pa2, true)) return false;
  const BusRegion* r1 = bus_.find(pa);
  const BusRegion* r2 = bus_.find(pa2);
  const bool ram1 = r1 && r1->kind == BusRegion::Kind::Ram && r1->contains(pa, first);
  const bool ram2 = r2 && r2->kind == BusRegion::Kind::Ram && r2->contains(pa2, size - first);
  if (!ram1 || !pmp_allows(pa, first, Access::Write, priv)) {
    raise(kStoreAccessFault, va);
    return false;
  }
  if (!ram2 || !pmp_allows(pa2, size - first, Access::Write, priv)) {
    raise(kStoreAccessFault, va + first);
    return false;
  }
  for (unsigned i = 0; i < size; ++i)
    bus_.write(i < first ? pa + i : pa2 + (i - first), 1, (value >> (8 * i)) & 0xff);
  return true;
}

std::uint8_t* RiscvHart::amo_ptr(Addr va, unsigned size, bool is_load_reserved) {
  const Access access = is_load_reserved ? Access::Read : Access::Write;
  if (va & (size - 1)) {
    raise(is_load_reserved ? kLoadMisaligned : kStoreMisaligned, va);
    return nullptr;
  }
  const Priv priv = data_priv();
  Addr pa;
  if (!translate(va, access, priv, pa, true)) return nullptr;
  std::uint8_t* p = pmp_allows(pa, size, access, priv) ? bus_.host_ptr(pa, size, true) : nullptr;
  if (!p) raise(access_fault_cause(access), va);
  return p;
}

bool RiscvHart::fetch_half(Addr va, std::uint16_t& half) {
  Addr pa;
  if (!translate(va, Access::Execute, priv_, pa, true)) return false;
  // Instructions come only from RAM or ROM: MMIO is not executable, so a
  // fetch there is an access fault (a PMA violation).
  const std::uint8_t* p = bus_.host_ptr(pa, 2, false);
  if (!p || !pmp_allows(pa, 2, Access::Execute, priv_)) {
    raise(kInsnAccessFault, va);
    return false;
  }
  std::memcpy(&half, p, 2);
  return true;
}

bool RiscvHart::fetch_slow(std::uint32_t& raw) {
  std::uint16_t lo, hi;
  if (!fetch_half(pc_, lo)) return false;
  if ((lo & 3) != 3) {
    raw = lo;
    return true;
  }
  // The second half of a 32-bit instruction faults with its own address in
  // mtval (privileged spec, "Machine Trap Value Register"); mepc stays pc.
  if (!fetch_half(pc_ + 2, hi)) return false;
  raw = lo | (std::uint32_t{hi} << 16);
  return true;
}

}  // namespace orrery::riscv
