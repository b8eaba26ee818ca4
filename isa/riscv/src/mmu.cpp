// Virtual-memory translation (privileged spec, "Supervisor-Level ISA":
// Sv39/48/57; "Hypervisor Extension": two-stage translation with the
// Sv39x4/48x4/57x4 G-stage), the slow memory paths behind the software TLB,
// and instruction fetch.
#include <cstring>

#include "orrery/core/trace.hpp"
#include "orrery/riscv/hart.hpp"
#include "pte.hpp"

namespace orrery::riscv {

using mmu::Access;

namespace {

constexpr Addr kPageMask = 0xfff;

std::uint64_t page_fault_cause(Access a) {
  return a == Access::Execute ? kInsnPageFault : a == Access::Read ? kLoadPageFault : kStorePageFault;
}
std::uint64_t guest_page_fault_cause(Access a) {
  return a == Access::Execute ? kInsnGuestPageFault : a == Access::Read ? kLoadGuestPageFault : kStoreGuestPageFault;
}
std::uint64_t access_fault_cause(Access a) {
  return a == Access::Execute ? kInsnAccessFault : a == Access::Read ? kLoadAccessFault : kStoreAccessFault;
}

}  // namespace

// One stage of translation.
struct RiscvHart::Stage {
  Addr root = 0;           // root table address (a GPA for the VS-stage)
  unsigned levels = 3;
  unsigned top_bits = 9;   // index bits at the top level: 11 for the x4 G-stage
  bool gstage = false;     // leaves must have U set: checked as U-mode accesses
  bool vs_stage = false;   // PTE addresses are guest physical: go through the G-stage
  Priv priv = kPrivS;      // for the U-bit rules of single-stage and VS-stage walks
  bool sum = false, mxr = false, hlvx = false;
};

RiscvHart::Ctx RiscvHart::data_ctx() const {
  // MPRV makes M-mode loads and stores use MPP (and MPV) for translation.
  if (priv_ == kPrivM && (mstatus_ & mstatus::MPRV)) {
    const Priv mpp = static_cast<Priv>((mstatus_ & mstatus::MPP) >> mstatus::MPP_SHIFT);
    return Ctx{mpp, mpp != kPrivM && (mstatus_ & mstatus::MPV)};
  }
  return Ctx{priv_, virt_};
}

unsigned RiscvHart::tlb_index(Ctx ctx) const {
  if (ctx.priv == kPrivM) return 3;
  if (ctx.virt) return ctx.priv == kPrivU ? 4 : ((vsstatus_ & mstatus::SUM) ? 6 : 5);
  if (ctx.priv == kPrivU) return 0;
  return (mstatus_ & mstatus::SUM) ? 2 : 1;
}

void RiscvHart::flush_tlbs() {
  for (auto& t : tlbs_) t.flush();
  // The model's TLBs forget too (SFENCE.VMA, satp, hgatp, PMP, MXR), and the
  // observed fetch page may now translate elsewhere.
  observed_fetch_page_ = ~Addr{0};
  if (timing_) timing_->flush_tlbs();
  request_block_exit();  // the running block's fetch translation is gone
}

void RiscvHart::raise_xlate(Access access, Xlate kind, Addr tval, Addr gpa, Regime regime) {
  if (log_mask_ & log_category::kMmu) [[unlikely]]
    log_xlate_fault(access, kind, tval, gpa, regime);
  if (kind == Xlate::GuestPageFault) return raise_guest_page_fault(guest_page_fault_cause(access), tval, gpa);
  raise(kind == Xlate::PageFault ? page_fault_cause(access) : access_fault_cause(access), tval);
}

// One page-table walk of one stage. Reports the permissions the leaf grants
// (for the TLB) and updates A/D in memory when the access is allowed, as
// hardware that manages A/D does (the spec permits either this or a page
// fault; QEMU and Linux expect the update). fault_gpa receives the guest
// physical address behind a guest-page fault raised while walking the
// VS-stage's tables.
RiscvHart::Xlate RiscvHart::walk(const Stage& st, Addr va, Access access, Addr& out, Perms& perms, Addr& fault_gpa) {
  const unsigned va_bits = 12 + 9 * (st.levels - 1) + st.top_bits;
  if (st.gstage) {
    // A guest physical address must fit the G-stage's width (bits above it zero).
    if (va_bits < 64 && (va >> va_bits) != 0) return Xlate::GuestPageFault;
  } else if ((static_cast<std::int64_t>(va << (64 - va_bits)) >> (64 - va_bits)) != static_cast<std::int64_t>(va)) {
    return Xlate::PageFault;  // bits above the width must equal its top bit
  }
  const Xlate not_ok = st.gstage ? Xlate::GuestPageFault : Xlate::PageFault;

  Addr table = st.root;
  for (int level = static_cast<int>(st.levels) - 1; level >= 0; --level) {
    const unsigned index_bits = level == static_cast<int>(st.levels) - 1 ? st.top_bits : 9;
    const Addr pte_addr = table + ((va >> (12 + 9 * level)) & ((1ull << index_bits) - 1)) * 8;
    // The VS-stage's tables live in guest physical memory: reading them is
    // an implicit G-stage access whose faults report the original access.
    Addr pte_hpa = pte_addr;
    if (st.vs_stage) {
      Perms unused;
      const Xlate g = gstage(pte_addr, Access::Read, false, pte_hpa, unused);
      if (g != Xlate::Ok) {
        // htinst/mtinst report the implicit access as a pseudoinstruction:
        // a 64-bit read (privileged spec, "Transformed Instruction or
        // Pseudoinstruction for mtinst or htinst").
        fault_gpa = pte_addr;
        pending_tinst_ = 0x3000;
        return g;
      }
    }
    // Page-table accesses are checked by PMP as S-mode accesses and must
    // hit memory.
    const PhysPage& table_page = phys_page(pte_hpa);
    const std::uint8_t* pte_host = nullptr;
    if (table_page.host && table_page.uniform) {
      if (table_page.allow[0] & PhysPage::kRead) pte_host = table_page.host + (pte_hpa & kPageMask);
    } else if (pmp_allows(pte_hpa, 8, Access::Read, kPrivS)) {
      pte_host = bus_.host_ptr(pte_hpa, 8, false);
    }
    if (!pte_host) return Xlate::AccessFault;
    std::uint64_t pte;
    std::memcpy(&pte, pte_host, 8);

    // Bits 63:54 are reserved without Svpbmt/Svnapot; W without R is reserved.
    if (!(pte & kPteV) || (!(pte & kPteR) && (pte & kPteW)) || (pte >> 54)) return not_ok;
    if (!(pte & (kPteR | kPteX))) {
      // D, A and U are reserved in non-leaf PTEs; a walk that meets them
      // set faults (privileged spec, "Virtual Address Translation Process").
      if (pte & (kPteD | kPteA | kPteU)) return not_ok;
      table = ((pte >> 10) & kPpnMask) << 12;
      continue;
    }

    // Leaf. A superpage's low PPN fields must be zero.
    const std::uint64_t ppn = (pte >> 10) & kPpnMask;
    if (level > 0 && (ppn & ((1ull << (9 * level)) - 1))) return not_ok;

    bool user_ok_data = true, user_ok_exec = true;
    if (st.gstage) {
      // G-stage accesses are all treated as U-mode accesses.
      if (!(pte & kPteU)) user_ok_data = user_ok_exec = false;
    } else if (pte & kPteU) {
      // S-mode never executes user pages and reads/writes them only with SUM.
      if (st.priv == kPrivS) {
        user_ok_exec = false;
        user_ok_data = st.sum;
      }
    } else if (st.priv == kPrivU) {
      user_ok_data = user_ok_exec = false;
    }
    // HLVX reads need execute permission instead of read permission.
    const bool can_read = user_ok_data && (st.hlvx ? (pte & kPteX) : ((pte & kPteR) || (st.mxr && (pte & kPteX))));
    const bool can_write = user_ok_data && (pte & kPteW);
    const bool can_exec = user_ok_exec && (pte & kPteX);
    const bool allowed = access == Access::Read ? can_read : access == Access::Write ? can_write : can_exec;
    if (!allowed) return not_ok;

    std::uint64_t updated = pte | kPteA;
    if (access == Access::Write) updated |= kPteD;
    if (updated != pte) {
      // Updating A/D is an implicit store (through the G-stage for VS tables).
      Addr w_hpa = pte_addr;
      if (st.vs_stage) {
        Perms unused;
        const Xlate g = gstage(pte_addr, Access::Write, false, w_hpa, unused);
        if (g != Xlate::Ok) {
          fault_gpa = pte_addr;
          pending_tinst_ = 0x3020;  // the implicit 64-bit write of the A/D update
          return g;
        }
      }
      std::uint8_t* w = bus_.host_ptr(w_hpa, 8, true);
      if (!w || !pmp_allows(w_hpa, 8, Access::Write, kPrivS)) return Xlate::AccessFault;
      bus_.note_write(w, 8);  // page tables may share a page with code
      std::memcpy(w, &updated, 8);
    }
    perms.read = can_read;
    // Writes through the TLB need D already set; until then they walk.
    perms.write = can_write && (updated & kPteD);
    perms.exec = can_exec;
    const unsigned page_bits = 12 + 9 * level;
    out = ((ppn >> (9 * level)) << page_bits) | (va & ((1ull << page_bits) - 1));
    return Xlate::Ok;
  }
  return not_ok;
}

RiscvHart::Xlate RiscvHart::gstage(Addr gpa, Access access, bool hlvx, Addr& hpa, Perms& perms) {
  const unsigned mode = static_cast<unsigned>(hgatp_ >> 60);
  if (mode == 0) {
    hpa = gpa;
    return Xlate::Ok;
  }
  Stage st;
  st.root = (hgatp_ & kPpnMask) << 12;
  st.levels = levels_for(mode);
  st.top_bits = 11;  // x4: a 16 KiB root with two extra index bits
  st.gstage = true;
  st.mxr = mstatus_ & mstatus::MXR;
  st.hlvx = hlvx;
  Addr unused_gpa = 0;
  return walk(st, gpa, access, hpa, perms, unused_gpa);
}

bool RiscvHart::translate(Addr va, Access access, Ctx ctx, Addr& pa, bool fill_tlb, bool hlvx) {
  Perms perms;
  if (ctx.priv == kPrivM) {
    pa = va;
  } else if (!ctx.virt) {
    if ((satp_ >> 60) != 0) {
      Stage st;
      st.root = (satp_ & kPpnMask) << 12;
      st.levels = levels_for(static_cast<unsigned>(satp_ >> 60));
      st.priv = ctx.priv;
      st.sum = mstatus_ & mstatus::SUM;
      st.mxr = mstatus_ & mstatus::MXR;
      Addr fault_gpa = 0;
      const Xlate r = walk(st, va, access, pa, perms, fault_gpa);
      if (r != Xlate::Ok) {
        raise_xlate(access, r, va, 0, Regime::Satp);
        return false;
      }
    } else {
      pa = va;
    }
  } else {
    // Two stages: VS-stage (vsatp) gives a guest physical address, the
    // G-stage (hgatp) the host physical one; permissions are the
    // intersection. MXR applies to both stages from mstatus, and to the
    // VS-stage from vsstatus as well.
    Addr gpa = va;
    Perms vs_perms;
    if ((vsatp_ >> 60) != 0) {
      Stage st;
      st.root = (vsatp_ & kPpnMask) << 12;
      st.levels = levels_for(static_cast<unsigned>(vsatp_ >> 60));
      st.vs_stage = true;
      st.priv = ctx.priv;
      st.sum = vsstatus_ & mstatus::SUM;
      st.mxr = (vsstatus_ & mstatus::MXR) || (mstatus_ & mstatus::MXR);
      st.hlvx = hlvx;
      Addr fault_gpa = 0;
      const Xlate r = walk(st, va, access, gpa, vs_perms, fault_gpa);
      if (r != Xlate::Ok) {
        raise_xlate(access, r, va, fault_gpa, Regime::Vsatp);
        return false;
      }
    }
    Perms g_perms;
    const Xlate g = gstage(gpa, access, hlvx, pa, g_perms);
    if (g != Xlate::Ok) {
      raise_xlate(access, g, va, gpa, Regime::Hgatp);
      return false;
    }
    perms.read = vs_perms.read && g_perms.read;
    perms.write = vs_perms.write && g_perms.write;
    perms.exec = vs_perms.exec && g_perms.exec;
  }
  if (!fill_tlb || hlvx) return true;
  // Enter the page when it is host memory and PMP treats all of it alike.
  // (PMP checks use the nominal privilege; VS counts as S.)
  const PhysPage& page = phys_page(pa);
  if (page.host && page.uniform) {
    // Writes to pages holding decoded code are watched: they leave the
    // fast path and tell the bus first (store_slow), which invalidates code
    // they overwrite.
    const std::uint8_t allow = page.allow[ctx.priv == kPrivM];
    tlbs_[tlb_index(ctx)].fill(va, page.host, perms.read && (allow & PhysPage::kRead), perms.write && page.ram && (allow & PhysPage::kWrite),
                               perms.exec && (allow & PhysPage::kExec), bus_.is_code(page.host));
    // The entry may have replaced the one the running block was entered
    // through; the threaded engine re-checks the fetch translation, as the
    // interpreter's next fetch would.
    request_block_exit();
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

bool RiscvHart::load_in(Ctx ctx, Addr va, unsigned size, bool hlvx, std::uint64_t& value) {
  const unsigned first = static_cast<unsigned>(std::min<Addr>(size, 4096 - (va & kPageMask)));
  Addr pa;
  if (!translate(va, Access::Read, ctx, pa, true, hlvx)) return false;
  if (first == size) return access_phys(va, pa, size, Access::Read, ctx.priv, value);
  // Crosses a page: both parts are translated and read separately; mtval
  // names the part that faulted.
  Addr pa2;
  if (!translate(va + first, Access::Read, ctx, pa2, true, hlvx)) return false;
  std::uint64_t lo = 0, hi = 0;
  for (unsigned i = 0; i < first; ++i) {
    std::uint64_t b;
    if (!access_phys(va + i, pa + i, 1, Access::Read, ctx.priv, b)) return false;
    lo |= b << (8 * i);
  }
  for (unsigned i = first; i < size; ++i) {
    std::uint64_t b;
    if (!access_phys(va + i, pa2 + (i - first), 1, Access::Read, ctx.priv, b)) return false;
    hi |= b << (8 * i);
  }
  value = lo | hi;
  return true;
}

bool RiscvHart::store_in(Ctx ctx, Addr va, unsigned size, std::uint64_t value) {
  const unsigned first = static_cast<unsigned>(std::min<Addr>(size, 4096 - (va & kPageMask)));
  Addr pa;
  if (!translate(va, Access::Write, ctx, pa, true)) return false;
  if (first == size) return access_phys(va, pa, size, Access::Write, ctx.priv, value);
  // Both halves must be permitted before either is written, so a fault
  // leaves memory untouched.
  Addr pa2;
  if (!translate(va + first, Access::Write, ctx, pa2, true)) return false;
  const BusRegion* r1 = bus_.find(pa);
  const BusRegion* r2 = bus_.find(pa2);
  const bool ram1 = r1 && r1->kind == BusRegion::Kind::Ram && r1->contains(pa, first);
  const bool ram2 = r2 && r2->kind == BusRegion::Kind::Ram && r2->contains(pa2, size - first);
  if (!ram1 || !pmp_allows(pa, first, Access::Write, ctx.priv)) {
    raise(kStoreAccessFault, va);
    return false;
  }
  if (!ram2 || !pmp_allows(pa2, size - first, Access::Write, ctx.priv)) {
    raise(kStoreAccessFault, va + first);
    return false;
  }
  for (unsigned i = 0; i < size; ++i)
    bus_.write(i < first ? pa + i : pa2 + (i - first), 1, (value >> (8 * i)) & 0xff);
  return true;
}

bool RiscvHart::load_slow(Addr va, unsigned size, std::uint64_t& value) {
  return load_in(data_ctx(), va, size, false, value);
}

bool RiscvHart::store_slow(Addr va, unsigned size, std::uint64_t value) {
  // A page with decoded code: translated and permitted, but the code cache
  // must see the write (it may overwrite instructions).
  if (std::uint8_t* p = data_tlb().lookup_watched_write(va, size)) {
    bus_.note_write(p, size);
    std::memcpy(p, &value, size);  // little-endian host, as the fast path
    return true;
  }
  return store_in(data_ctx(), va, size, value);
}

std::uint8_t* RiscvHart::amo_ptr(Addr va, unsigned size, bool is_load_reserved) {
  const Access access = is_load_reserved ? Access::Read : Access::Write;
  if (va & (size - 1)) {
    raise(is_load_reserved ? kLoadMisaligned : kStoreMisaligned, va);
    return nullptr;
  }
  // A page the TLB holds for writing is RAM, allowed by PMP as a whole,
  // already dirty and holds no decoded code (such entries are watched and
  // miss here): exactly what the walk below would find, for LR too.
  if (std::uint8_t* p = data_tlb().lookup<Access::Write>(va, size)) [[likely]]
    return p;
  const Ctx ctx = data_ctx();
  Addr pa;
  if (!translate(va, access, ctx, pa, true)) return nullptr;
  std::uint8_t* p = pmp_allows(pa, size, access, ctx.priv) ? bus_.host_ptr(pa, size, true) : nullptr;
  if (!p) raise(access_fault_cause(access), va);
  else if (!is_load_reserved) bus_.note_write(p, size);  // the AMO/SC writes through p
  return p;
}

bool RiscvHart::fetch_half(Addr va, std::uint16_t& half) {
  // Halves of an instruction that straddles a page, or sits in a page's
  // last two bytes: the page is usually in the fetch TLB already.
  if (const std::uint8_t* p = fetch_tlb_->lookup<Access::Execute>(va, 2)) [[likely]] {
    std::memcpy(&half, p, 2);
    return true;
  }
  Addr pa;
  if (!translate(va, Access::Execute, Ctx{priv_, virt_}, pa, true)) return false;
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

bool RiscvHart::hlsv_allowed(const Decoded& d) {
  // HLV/HLVX/HSV: illegal without H and in U-mode unless hstatus.HU; a
  // virtual instruction in VS/VU (privileged spec, "Hypervisor Virtual-
  // Machine Load and Store Instructions").
  if (!config_.has_h) return illegal(d), false;
  if (virt_) return virtual_insn(d), false;
  if (priv_ == kPrivU && !(hstatus_ & hstatus::HU)) return illegal(d), false;
  return true;
}

bool RiscvHart::load_guest(Addr va, unsigned size, bool need_execute, std::uint64_t& value) {
  // As if in VS (SPVP=1) or VU (SPVP=0) with V=1; faults are taken from the
  // current mode, with GVA set.
  const Ctx ctx{(hstatus_ & hstatus::SPVP) ? kPrivS : kPrivU, true};
  hlsv_active_ = true;
  const bool ok = load_in(ctx, va, size, need_execute, value);
  hlsv_active_ = false;
  return ok;
}

bool RiscvHart::store_guest(Addr va, unsigned size, std::uint64_t value) {
  const Ctx ctx{(hstatus_ & hstatus::SPVP) ? kPrivS : kPrivU, true};
  hlsv_active_ = true;
  const bool ok = store_in(ctx, va, size, value);
  hlsv_active_ = false;
  return ok;
}

}  // namespace orrery::riscv
