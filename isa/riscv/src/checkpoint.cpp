// A RISC-V hart's part of a checkpoint (core/checkpoint.hpp): registers,
// CSRs, counters, the reservation, the timer event's deadline and the
// timing model. What the hart only caches (TLBs, decoded blocks, the
// physical-page cache) is not saved: a restored hart starts with them
// empty, which changes host work, never what the guest sees.
#include "orrery/core/checkpoint.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/riscv/hart.hpp"
#include "pte.hpp"

namespace orrery::riscv {

template <class Ar>
void RiscvHart::checkpoint_state(Ar& ar) {
  ar(x_, f_, pc_, npc_, priv_, virt_, reservation_, reservation_valid_, grace_end_, instret_, cycles_, idle_);
  ar(fflags_, frm_, counters_);
  ar(mstatus_, mtvec_, mepc_, mcause_, mtval_, mscratch_, mie_, mip_, misa_, mip_lines_, mip_sw_, medeleg_,
     mideleg_, mcounteren_, scounteren_, menvcfg_, senvcfg_);
  ar(stvec_, sepc_, scause_, stval_, sscratch_, satp_, stimecmp_);
  ar(hstatus_, hedeleg_, hideleg_, hvip_, hgeie_, hgeip_, hcounteren_, htimedelta_, htval_, htinst_, henvcfg_,
     hgatp_);
  ar(vsstatus_, vstvec_, vsscratch_, vsepc_, vscause_, vstval_, vsatp_, vstimecmp_, mtval2_, mtinst_);
  ar(mvien_, mvip_, sie_virtual_, hvien_, hvictl_, vsie_virtual_, miselect_, siselect_, vsiselect_,
     aia_virtual_pending_);
  ar(mstateen_, hstateen_, sstateen_, pmpcfg_, pmpaddr_);
  ar(hpm_, mhpmevent_, pmu_counting_, pmu_counting_next_, pmu_masks_pending_, observed_, functional_events_,
     region_);
}

void RiscvHart::save_state(StateWriter& out) const {
  // checkpoint_state serves loading too, so it is not const; saving only reads.
  const_cast<RiscvHart*>(this)->checkpoint_state(out);
  out(stimecmp_event_.deadline());
  out(timing_ != nullptr);
  if (timing_) out(*timing_);
}

void RiscvHart::load_state(StateReader& in) {
  const std::uint64_t misa = misa_;  // the extensions this hart was built with
  checkpoint_state(in);
  in.check(misa_ == misa, "misa (saved with another -cpu?)");
  // Values no instruction could leave behind are refused where a later
  // step would index, shift or switch on them unchecked.
  in.check(priv_ == kPrivM || priv_ == kPrivS || priv_ == kPrivU, "the privilege mode");
  in.check(!virt_ || (config_.has_h && priv_ != kPrivM), "V");
  in.check((pc_ & 1) == 0, "pc");
  in.check(frm_ < 8 && fflags_ < 32, "frm/fflags");
  // WARL fields the CSR writes never leave illegal, which later steps
  // decode without checking (paging modes, PMP addresses, MPP).
  in.check(valid_atp_mode(satp_) && valid_atp_mode(vsatp_) && valid_atp_mode(hgatp_), "satp/vsatp/hgatp MODE");
  for (unsigned i = 0; i < kPmpEntries; ++i)
    in.check((pmpaddr_[i] >> 54) == 0 && (pmpcfg_[i] & 0x60) == 0, "pmpaddr/pmpcfg");
  in.check(((mstatus_ & mstatus::MPP) >> mstatus::MPP_SHIFT) != 2, "mstatus.MPP");
  Tick timer = 0;
  in(timer);
  bool timed = false;
  in(timed);
  if (timed != (timing_ != nullptr))
    in.fail(timed ? "saved with a timing model (--timing), this run has none"
                  : "saved without a timing model, this run has one (--timing)");

  // Derived state, rebuilt from what was loaded. The flushes reach the
  // timing model's TLBs too, so its state is loaded after them.
  npc_ = pc_;
  trapped_ = false;
  pmp_changed();  // the decoded PMP ranges; drops cached translations
  set_mode(priv_, virt_);
  flush_tlbs();
  if (timing_) in(*timing_);
  // The saved deadline, not one computed again now: mtime is coarser than
  // guest time, so a recomputed deadline could fall a tick off and move
  // when the interrupt arrives.
  stimecmp_event_.restore(timer);
}

}  // namespace orrery::riscv
