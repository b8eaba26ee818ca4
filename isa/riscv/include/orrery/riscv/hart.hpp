#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "orrery/core/bus.hpp"
#include "orrery/core/debug.hpp"
#include "orrery/core/event_queue.hpp"
#include "orrery/core/hart.hpp"
#include "orrery/core/timing.hpp"
#include "orrery/mmu/soft_tlb.hpp"
#include "orrery/pmu/pmu.hpp"
#include "orrery/riscv/aia.hpp"
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/decode.hpp"
#include "orrery/riscv/encoding.hpp"

namespace orrery {
class Machine;
}

namespace orrery::riscv {

struct HartConfig {
  std::uint64_t mvendorid = 0;
  std::uint64_t marchid = 0;
  std::uint64_t mimpid = 0;
  bool multi_hart = false;  // other harts exist: reservations do not survive a slice
  std::uint64_t timebase_hz = 10'000'000;  // mtime frequency (QEMU virt: 10 MHz)
  bool has_h = false;     // the hypervisor extension (misa.H); on with -cpu rv64,h=true
  unsigned geilen = 0;    // guest external interrupt lines (hgeip bits 1..GEILEN)
  bool has_smstateen = true;  // Smstateen/Ssstateen
  bool has_sscofpmf = true;   // counter overflow and mode filtering (LCOFI)
};

// One RV64IMAFDC hart: architectural state, the memory access paths, trap
// entry and the reference interpreter. Instruction semantics live in
// src/insns/, CSRs in src/csr_*.cpp; they use the accessors below.
class RiscvHart final : public Hart, public DebugTarget {
 public:
  RiscvHart(unsigned id, Machine& machine, HartConfig config = {});

  // ---- the debugger's view (debug.cpp) ----
  // GDB's riscv register numbers: x0-x31 = 0-31, pc = 32, f0-f31 = 33-64,
  // CSR n = 65 + n (fflags 66, frm 67, fcsr 68), priv = 4161 (its
  // "virtual" register: the privilege level, plus 4 when V = 1).
  static constexpr unsigned kGdbPc = 32, kGdbF0 = 33, kGdbCsr0 = 65, kGdbPriv = 65 + 4096;
  DebugTarget* debug_target() override { return this; }
  std::string describe_mappings() const override;  // mappings.cpp
  std::string disassemble_at(std::span<const std::uint8_t> bytes, Addr pc, unsigned& length) const override;
  std::string_view gdb_architecture() const override { return "riscv:rv64"; }
  std::optional<std::string> target_xml(std::string_view annex) const override;
  unsigned g_packet_registers() const override { return kGdbPc + 1; }
  unsigned register_bytes(unsigned regno) const override;
  bool read_register(unsigned regno, std::uint64_t& value) const override;
  bool write_register(unsigned regno, std::uint64_t value) override;
  std::optional<Addr> debug_translate(Addr va) const override;
  // The CSR a GDB register number names, if this hart has it.
  const CsrSpec* debug_csr(unsigned regno) const;
  // A debugger has breakpoints set or steps: the interpreter's hooks loop.
  bool debugged() const { return debug_ && debug_->active(); }

  // The riscv,isa string of the device tree.
  std::string_view isa_name() const override { return isa_name_; }
  void reset(Addr pc) override;
  Addr pc() const override { return pc_; }
  std::uint64_t retired() const override { return instret_; }
  std::uint64_t cycles() const override { return cycles_; }
  std::uint64_t interpret(std::uint64_t budget) override;
  std::uint64_t run_threaded(threaded::Context& context, std::uint64_t budget) override;  // threaded.cpp
  ~RiscvHart() override;
  void visit_state(const StateVisitor& visit) const override;
  std::uint64_t state_fingerprint() const override;
  void begin_slice() override;
  void set_interrupt_line(unsigned line, bool level) override;
  // H: guest external interrupt line `guest` (1..GEILEN), i.e. hgeip bit.
  void set_guest_external_line(unsigned guest, bool level);

  // AIA: the IMSIC interrupt files this hart's *ireg/*topei CSRs reach
  // (machine, supervisor, and guest files 1..GEILEN). Without them the AIA
  // CSRs do not exist.
  void attach_interrupt_files(InterruptFile* m, InterruptFile* s, std::vector<InterruptFile*> guests);
  InterruptFile* aia_m_file() const { return aia_m_; }
  InterruptFile* aia_s_file() const { return aia_s_; }
  // The guest file hstatus.VGEIN selects, or nullptr.
  InterruptFile* aia_guest_file() const {
    const unsigned vgein = static_cast<unsigned>((hstatus_ & hstatus::VGEIN) >> hstatus::VGEIN_SHIFT);
    return (vgein >= 1 && vgein <= aia_guests_.size()) ? aia_guests_[vgein - 1] : nullptr;
  }
  std::uint64_t miselect_ = 0, siselect_ = 0, vsiselect_ = 0;

  // Where the time CSR (and Sstc's comparison) reads mtime from: the
  // platform's CLINT. Until one is set, time reads as 0.
  void set_time_source(std::function<std::uint64_t()> mtime) { mtime_ = std::move(mtime); }

  // ---- integer and FP registers ----
  std::uint64_t x(unsigned r) const { return x_[r]; }
  // x0 is forced back to zero after every instruction, so writes need no check.
  void set_x(unsigned r, std::uint64_t v) { x_[r] = v; }
  std::uint64_t f(unsigned r) const { return f_[r]; }
  // binary32 values are NaN-boxed in the 64-bit registers (unprivileged spec,
  // "NaN Boxing of Narrower Values"); an improperly boxed value reads as the
  // canonical NaN.
  std::uint32_t f32(unsigned r) const {
    return (f_[r] >> 32) == 0xffffffffu ? static_cast<std::uint32_t>(f_[r]) : 0x7fc00000u;
  }
  void set_f64(unsigned r, std::uint64_t v) {
    f_[r] = v;
    mark_fs_dirty();
  }
  void set_f32(unsigned r, std::uint32_t v) { set_f64(r, 0xffffffff00000000ull | v); }

  // ---- control flow ----
  std::uint64_t cur_pc() const { return pc_; }
  void set_next_pc(std::uint64_t npc) { npc_ = npc; }

  // ---- memory: return false after raising the architected exception ----
  // Loads and stores translate with the effective privilege (MPRV), hit the
  // software TLB for the common case and otherwise take the slow path
  // (page-table walk, PMP, bus). Misaligned accesses are performed, also
  // across pages (the spec permits hardware to handle them).
  template <class T>
  bool load(Addr va, T& out) {
    if (load_hit(va, out)) [[likely]]
      return true;
    std::uint64_t v;
    if (!load_slow(va, sizeof(T), v)) return false;
    out = static_cast<T>(v);
    return true;
  }
  template <class T>
  bool store(Addr va, T value) {
    if (store_hit(va, value)) [[likely]]
      return true;
    return store_slow(va, sizeof(T), static_cast<std::uint64_t>(value));
  }
  // The TLB-hit halves of load and store: the access when the page is
  // entered for it, else false and nothing done. The threaded engine's hot
  // loads and stores run these in place and fall back to the whole
  // instruction on a miss.
  template <class T>
  bool load_hit(Addr va, T& out) {
    const std::uint8_t* p = data_tlb().template lookup<mmu::Access::Read>(va, sizeof(T));
    if (!p) return false;
    std::memcpy(&out, p, sizeof(T));
    return true;
  }
  template <class T>
  bool store_hit(Addr va, T value) {
    std::uint8_t* p = data_tlb().template lookup<mmu::Access::Write>(va, sizeof(T));
    if (!p) return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }
  // Host pointer for an atomic memory operation. AMOs and LR/SC must be
  // naturally aligned (misaligned: address-misaligned exception) and must hit
  // RAM (anything else: access fault), as the "A" chapter permits. AMOs need
  // write permission even for LR (checked as a load) .
  std::uint8_t* amo_ptr(Addr va, unsigned size, bool is_load_reserved);

  // LR/SC reservation (one reservation set per hart), on the address rs1
  // gave.
  void set_reservation(Addr addr) {
    reservation_ = addr;
    reservation_valid_ = true;
  }
  bool take_reservation(Addr addr) {
    const bool ok = reservation_valid_ && reservation_ == addr;
    reservation_valid_ = false;
    return ok;
  }
  // A successful SC or an AMO probably took a lock or published a state
  // change: keep running a little before another hart is scheduled (see
  // Hart::preemption_grace).
  void note_atomic_write() { grace_end_ = instret_ + kPreemptionGrace; }
  // Capped: a guest write to minstret may move instret_ back.
  std::uint64_t preemption_grace() const override {
    return grace_end_ > instret_ ? std::min(grace_end_ - instret_, kPreemptionGrace) : 0;
  }

  // ---- floating point ----
  // With V=1 both mstatus.FS and vsstatus.FS must be on, and both become
  // Dirty (privileged spec, "Hypervisor Extension": vsstatus).
  bool fp_enabled() const {
    return (mstatus_ & mstatus::FS) != 0 && (!virt_ || (vsstatus_ & mstatus::FS) != 0);
  }
  void mark_fs_dirty() {
    mstatus_ |= mstatus::FS | mstatus::SD;
    if (virt_) vsstatus_ |= mstatus::FS | mstatus::SD;
  }
  // Resolve an instruction's rm field (7 = dynamic, from frm). Returns false
  // for a reserved rounding mode, which is an illegal instruction.
  bool rounding_mode(unsigned rm_field, unsigned& out) const {
    const unsigned rm = rm_field == 7 ? frm_ : rm_field;
    out = rm;
    return rm <= 4;
  }
  void accrue_fflags(std::uint8_t flags) {
    if (flags) {
      fflags_ |= flags;
      mark_fs_dirty();
    }
  }

  // ---- traps ----
  void raise(std::uint64_t cause, std::uint64_t tval);
  void illegal(const Decoded& d) { raise(kIllegalInsn, d.raw); }
  // H: the virtual-instruction exception (cause 22), mtval = instruction bits.
  void virtual_insn(const Decoded& d) { raise(kVirtualInsn, d.raw); }
  // Raise a guest-page fault: tval = guest virtual address, gpa goes to
  // htval/mtval2 (shifted right by 2).
  void raise_guest_page_fault(std::uint64_t cause, std::uint64_t gva, std::uint64_t gpa);
  void hfence(const Decoded& d, bool gvma);
  void mret();
  void sret(const Decoded& d);
  void wfi(const Decoded& d);
  void sfence_vma(const Decoded& d);

  // ---- CSRs ----
  // The checks every CSR instruction makes before touching the register: it
  // exists, the current privilege may access it, it is not read-only when
  // written (number bits [11:10] == 3), and any extra condition holds.
  // Returns nullptr after raising illegal-instruction.
  const CsrSpec* csr_check(const Decoded& d, bool write);
  std::uint64_t csr_read(const CsrSpec& spec) const { return spec.read(*this); }
  void csr_write(const CsrSpec& spec, std::uint64_t value) {
    if (spec.write) spec.write(*this, value);  // no writer: a WARL field that ignores writes
  }

  Priv priv() const { return priv_; }
  bool virt() const { return virt_; }
  std::uint64_t geilen_mask() const { return ((1ull << config_.geilen) - 1) << 1; }
  const HartConfig& config() const { return config_; }

  // ---- translation and protection (mmu.cpp, pmp.cpp) ----
  // Which TLB serves fetches and data accesses; recomputed whenever priv,
  // MPRV, MPP or SUM change.
  void update_tlb_indices() {
    data_tlb_ = &tlbs_[tlb_index(data_ctx())];
    fetch_tlb_ = &tlbs_[tlb_index(Ctx{priv_, virt_})];
  }
  // A translation context: privilege and virtualisation mode.
  struct Ctx {
    Priv priv;
    bool virt;
  };
  // Loads and stores use MPP/MPV under MPRV in M-mode.
  Ctx data_ctx() const;
  unsigned tlb_index(Ctx ctx) const;

  // HLV/HLVX/HSV (hypervisor.cpp): checks, then an access with V=1 at
  // hstatus.SPVP's privilege. Return false after raising.
  bool hlsv_allowed(const Decoded& d);
  bool load_guest(Addr va, unsigned size, bool need_execute, std::uint64_t& value);
  bool store_guest(Addr va, unsigned size, std::uint64_t value);
  // Drop every cached translation: after satp, PMP, MXR or SFENCE.VMA.
  void flush_tlbs();
  std::uint64_t read_time() const { return mtime_ ? mtime_() : 0; }
  // Re-evaluate STIP from stimecmp (Sstc) and schedule the next check.
  void update_stimecmp();
  // Recompute interrupt-pending bits driven by state (SEIP, STIP).
  void update_mip();
  // mip as a read sees it now: STIP follows time >= stimecmp under Sstc even
  // if time moved without an event (e.g. software wrote the CLINT's mtime).
  std::uint64_t live_mip() const {
    if (!(menvcfg_ & menvcfg::STCE)) return mip_;
    return (mip_ & ~irq_bit(kIrqSTI)) | (stimecmp_due() ? irq_bit(kIrqSTI) : 0);
  }
  // Sstc: STIP's level while menvcfg.STCE is set.
  bool stimecmp_due() const { return read_time() >= stimecmp_; }

  // ---- AIA interrupt views (aia_interrupts.cpp) ----
  // sip/sie as HS sees them: delegated bits of mip/mie, and the virtual
  // interrupts mvien routes through mvip and the independent sie bits.
  std::uint64_t sip_view() const;
  std::uint64_t sie_view() const;
  void write_sip(std::uint64_t v);
  void write_sie(std::uint64_t v);
  // vsip/vsie (a guest's sip/sie): hideleg'd VS bits one position lower,
  // and bits 13-63 that hvien routes through hvip.
  std::uint64_t vsip_view() const;
  std::uint64_t vsie_view() const;
  void write_vsip(std::uint64_t v);
  void write_vsie(std::uint64_t v);
  // The value of mvip's virtual-interrupt bits (1 while mvien.1, 9, 13-63).
  std::uint64_t mvip_virtual() const {
    return (mvip_ & ~irq_bit(kIrqSEI)) | (mip_sw_ & irq_bit(kIrqSEI));
  }
  // Pending-and-enabled interrupts that trap to HS, given mip's value.
  std::uint64_t hs_interrupts(std::uint64_t mip) const;
  // The AIA's vstopi: the interrupt VS level takes (IID << 16 | IPRIO), or 0.
  std::uint64_t vstopi() const;
  // Some interrupt may be pending at some level (the AIA's WFI rule: mtopi,
  // stopi or vstopi nonzero); a cheap superset the interpreter checks
  // before every instruction.
  bool interrupt_attention() const { return (mip_ & mie_) != 0 || aia_virtual_pending_; }

  // ---- observation: what the timing model and the PMU see (timing_glue.cpp) ----
  enum ModeIndex : unsigned { kModeM, kModeS, kModeU, kModeVS, kModeVU, kModes };
  // As --trace-priv and the -d log spell them.
  static constexpr std::string_view kModeNames[kModes] = {"M", "S", "U", "VS", "VU"};
  static unsigned mode_of(Priv priv, bool virt) {
    if (priv == kPrivM) return kModeM;
    if (virt) return priv == kPrivU ? kModeVU : kModeVS;
    return priv == kPrivU ? kModeU : kModeS;
  }
  unsigned mode_index() const { return mode_of(priv_, virt_); }
  // Filled by observe_begin (no initialisers: it is on the observed hot
  // path, and observe_end reads only what observe_begin set).
  struct Observation {
    Addr pc;
    Addr va;                     // data address (loads, stores, atomics)
    Addr fetch_pa;               // with a model: the physical pc
    unsigned mode;               // ModeIndex the instruction executed in
    bool fetch_cached;
    std::uint8_t data_context;   // ModeIndex of the data translation regime (MPRV)
  };

  // ---- the timing model and the PMU (timing_glue.cpp, csr_counters.cpp) ----
  // Give this hart a pipeline and L1s whose misses go to the shared memory.
  void attach_timing(timing::Memory& memory, const timing::Config& config);
  const timing::Core* timing_core() const { return timing_.get(); }
  const timing::Core* timing_model() const override { return timing_.get(); }
  const timing::Region* stats_region() const override { return &region_; }
  // Checkpoints (checkpoint.cpp).
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;
  // The statistics-region markers (slti x0, x0, 1 and 2: HINTs of the
  // custom-use space): begin counts from this instruction on, end up to the
  // previous one.
  void region_marker(bool begin);
  // The address space a region is tied to: satp, or under V=1 vsatp and
  // hgatp (0 in M-mode, where nothing translates).
  std::uint64_t address_space() const {
    if (priv_ == kPrivM) return 0;
    return virt_ ? (vsatp_ ^ (hgatp_ << 1) ^ 1) : satp_;
  }
  // What the PMU counts: the model's events, or without a model the
  // functional ones (cycles, instructions, branches, loads, stores).
  const timing::EventCounts& event_counts() const { return timing_ ? timing_->events() : functional_events_; }
  // The cycles mcycle counts: the model's when there is one.
  std::uint64_t counted_cycles() const { return timing_ ? timing_->cycles() : cycles_; }
  // Instructions run observed (the slower loop that feeds the model and
  // the counters): always with a model, else while a counter counts.
  bool observed() const { return observed_; }
  // After mhpmevent or mcountinhibit changed: which counters count in which
  // mode, and whether the hart must run observed.
  void pmu_changed();
  pmu::CounterBank hpm_;                 // mhpmcounter3-31 (indices 3-31)
  std::uint64_t mhpmevent_[32] = {};     // selector and Sscofpmf bits

  // Architectural CSR state, public to the csr_*.cpp accessor files.
  struct Counters {
    std::uint64_t cycle_offset = 0, instret_offset = 0;
    std::uint64_t cycle_frozen = 0, instret_frozen = 0;
    std::uint32_t inhibit = 0;  // mcountinhibit
    template <class Ar>
    void state(Ar& ar) {
      ar(cycle_offset, instret_offset, cycle_frozen, instret_frozen, inhibit);
    }
  } counters_;
  std::uint64_t mstatus_ = 0, mtvec_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0, mscratch_ = 0;
  std::uint64_t mie_ = 0, mip_ = 0, misa_ = 0;
  std::uint64_t mip_lines_ = 0;  // levels driven by interrupt controllers
  std::uint64_t mip_sw_ = 0;     // software-writable SSIP/STIP/SEIP bits
  std::uint64_t medeleg_ = 0, mideleg_ = 0;
  std::uint32_t mcounteren_ = 0, scounteren_ = 0;
  std::uint64_t menvcfg_ = 0, senvcfg_ = 0;
  std::uint64_t stvec_ = 0, sepc_ = 0, scause_ = 0, stval_ = 0, sscratch_ = 0, satp_ = 0;
  std::uint64_t stimecmp_ = ~std::uint64_t{0};
  // Hypervisor extension state (csr_hypervisor.cpp).
  std::uint64_t hstatus_ = 0, hedeleg_ = 0, hideleg_ = 0, hvip_ = 0, hgeie_ = 0, hgeip_ = 0;
  std::uint32_t hcounteren_ = 0;
  std::uint64_t htimedelta_ = 0, htval_ = 0, htinst_ = 0, henvcfg_ = 0, hgatp_ = 0;
  std::uint64_t vsstatus_ = 0, vstvec_ = 0, vsscratch_ = 0, vsepc_ = 0, vscause_ = 0, vstval_ = 0, vsatp_ = 0;
  std::uint64_t vstimecmp_ = ~std::uint64_t{0};
  std::uint64_t mtval2_ = 0, mtinst_ = 0;
  // AIA virtual interrupts (aia_interrupts.cpp, csr_aia.cpp). mvip_ holds
  // mvip bit 1 while mvien.1 separates it from mip.SSIP, and bits 13-63;
  // mvip bits 5 and 9 are mip_sw_'s STIP and software-writable SEIP.
  // sie_virtual_/vsie_virtual_ are the sie/vsie bits that are independent
  // writable bits (mvien = 1 with mideleg = 0; hvien = 1 with hideleg = 0).
  std::uint64_t mvien_ = 0, mvip_ = 0, sie_virtual_ = 0;
  std::uint64_t hvien_ = 0, hvictl_ = 0, vsie_virtual_ = 0;
  std::uint64_t mstateen_[4] = {}, hstateen_[4] = {}, sstateen_[4] = {};
  // Smstateen gating of state below M: which exception an access to the
  // state behind `bit` of stateen register `index` raises now.
  CsrFault stateen_fault(unsigned index, std::uint64_t bit) const;
  static constexpr unsigned kPmpEntries = 16;
  std::uint8_t pmpcfg_[kPmpEntries] = {};
  std::uint64_t pmpaddr_[kPmpEntries] = {};
  // After pmpcfg_/pmpaddr_ change (the CSR writes and reset call it; tests
  // that set them directly must too): re-decode the entries the checks use
  // and drop cached translations.
  void pmp_changed();
  std::uint8_t fflags_ = 0, frm_ = 0;
  std::uint64_t instret_ = 0;  // instructions retired since reset
  std::uint64_t cycles_ = 0;   // retired + trapped, one each: the machine's clock (docs/timing.md)

 private:
  template <bool>
  friend struct RiscvIsaT;  // the threaded engine's op handlers (threaded.cpp)
  template <bool kTrace, bool kObserve>
  std::uint64_t run_loop(std::uint64_t budget);
  // The loop for the current tracing and observation, until the budget, a
  // yield or a loop switch.
  std::uint64_t interpret_once(std::uint64_t budget);
  // Fetch, decode and execute the instruction at pc (no interrupt check).
  template <bool kTrace, bool kObserve>
  void execute_next();
  // Execute decoded instruction d (whose bits are raw, == d.raw; the
  // interpreter has them in a register) at pc with semantics fn (d.exec, or
  // the same function known at compile time, which the threaded engine's
  // hot ops inline) and retire it, unless it trapped. The one rule both
  // engines use: a trap takes a cycle but retires nothing.
  // With kObserve the timing model and the PMU see it (observe_*).
  template <bool kObserve = false, class Fn>
  void execute(const Decoded& d, std::uint32_t raw, Fn fn) {
    [[maybe_unused]] Observation seen;
    if constexpr (kObserve) observe_begin(d, seen);
    npc_ = pc_ + d.len;
    trapped_ = false;
    executing_raw_ = raw;  // for htinst/mtinst, should the instruction trap
    fn(*this, d);
    x_[0] = 0;
    ++cycles_;
    if (trapped_) [[unlikely]] {
      if constexpr (kObserve) observe_end(d, seen, true);
      return;  // the trap already redirected pc
    }
    ++instret_;
    pc_ = npc_;
    if constexpr (kObserve) observe_end(d, seen, false);
  }
  void step_one();

  void observe_begin(const Decoded& d, Observation& o);
  void observe_end(const Decoded& d, const Observation& seen, bool trapped);
  // observe_begin + observe_end for an instruction at pc that retired
  // without touching memory or control flow (the threaded engine's
  // register-only hot ops under a model).
  void observe_simple(const Decoded& d, Addr pc);
  // A fetch fault or an interrupt, in `mode` (the ModeIndex it came from):
  // the pipeline flushes, nothing retires.
  void observe_trap(Addr pc, unsigned mode, bool fetch_fault);
  // Feed the counters (and an open statistics region) the events of one
  // instruction executed in `mode`; usually there is nothing to do.
  void count_events(unsigned mode) {
    if (region_.open || hpm_.selected() || pmu_masks_pending_) [[unlikely]]
      count_events_slow(mode);
  }
  void count_events_slow(unsigned mode);
  void apply_pmu_masks();
  // The physical address of the instruction at pc; false when it is not in
  // cacheable memory. The page last asked about is remembered.
  bool physical_fetch(Addr pc, Addr& pa) {
    if ((pc >> 12) == observed_fetch_page_) [[likely]] {
      pa = observed_fetch_base_ | (pc & 0xfff);
      return true;
    }
    return physical_fetch_slow(pc, pa);
  }
  bool physical_fetch_slow(Addr pc, Addr& pa);
  class ModelWalker;
  friend class ModelWalker;
  // Side-effect-free translation for the model: the PTE addresses a walk
  // reads (into ptes, at most max) and the physical address. Returns the
  // number of PTE reads; ok tells whether va translated.
  unsigned probe_translate(Addr va, Ctx ctx, bool fetch, Addr* ptes, unsigned max, Addr& pa, bool& ok) const;
  unsigned probe_stage(Addr root, unsigned levels, unsigned top_bits, bool vs_stage, Addr va, Addr* ptes,
                       unsigned max, unsigned n, Addr& pa, bool& ok) const;
  bool fetch_slow(std::uint32_t& raw);
  bool fetch_half(Addr va, std::uint16_t& half);
  bool load_slow(Addr va, unsigned size, std::uint64_t& value);
  bool store_slow(Addr va, unsigned size, std::uint64_t value);
  // ---- the commit trace (trace.cpp) ----
  // What a trace line needs from before the instruction executed: it may
  // overwrite its own sources (ld a0, 0(a0)), change the mode (mret) or
  // consume the reservation (sc).
  struct TraceBefore {
    std::uint64_t rs1 = 0, rs2 = 0;
    Addr reservation = 0;
    bool reserved = false;
    Priv priv = kPrivM;
    unsigned mode = kModeM;
  };
  TraceBefore trace_before(const Decoded& d) const {
    return {x_[d.rs1], x_[d.rs2], reservation_, reservation_valid_, priv_, mode_index()};
  }
  // An instruction retired while tracing: count it, filter, write its line.
  void trace_retired(const Decoded& d, Addr pc, const TraceBefore& before);
  void trace_commit(const Decoded& d, Addr pc, const TraceBefore& before);
  std::string register_record(const Decoded& d) const;
  const CsrSpec* written_csr(const Decoded& d) const;
  std::string memory_records(const Decoded& d, const TraceBefore& before) const;
  // An SC at addr that just ran wrote iff the reservation it found was for
  // that address (take_reservation).
  bool sc_succeeded(Addr addr, const TraceBefore& before) const;
  // After an instruction retired under a debugger with watchpoints (watch.cpp).
  void check_watchpoints(const Decoded& d, const TraceBefore& before);
  template <class Ar>
  void checkpoint_state(Ar& ar);
  void take_interrupt_if_pending();
  enum class TrapTarget : std::uint8_t { M, HS, VS };
  TrapTarget exception_target(std::uint64_t code) const;
  void enter_trap(std::uint64_t code, std::uint64_t tval, bool interrupt, TrapTarget target);
  std::uint64_t pending_gpa_ = 0;  // guest physical address of the guest-page fault being raised
  std::uint64_t pending_tinst_ = 0;
  std::uint32_t executing_raw_ = 0;
  std::uint32_t explicit_access_tinst(std::uint64_t fault_va);  // the instruction being executed, as fetched  // htinst/mtinst for it (a pseudoinstruction for implicit accesses)
  bool hlsv_active_ = false;       // inside HLV/HLVX/HSV: accesses are virtualised
  bool aia_virtual_pending_ = false;  // an interrupt outside mip & mie may be pending (update_mip)

  // Translation (mmu.cpp). translate() returns false after raising the
  // fault; on success pa is the physical address. fill_tlb enters the page
  // when it can.
  enum class Xlate : std::uint8_t { Ok, PageFault, GuestPageFault, AccessFault };
  struct Perms {
    bool read = true, write = true, exec = true;
  };
  struct Stage;
  bool translate(Addr va, mmu::Access access, Ctx ctx, Addr& pa, bool fill_tlb, bool hlvx = false);
  Xlate walk(const Stage& stage, Addr va, mmu::Access access, Addr& out, Perms& perms, Addr& fault_gpa);
  Xlate gstage(Addr gpa, mmu::Access access, bool hlvx, Addr& hpa, Perms& perms);
  mmu::SoftTlb<>& data_tlb() { return *data_tlb_; }
  bool access_phys(Addr va, Addr pa, unsigned size, mmu::Access access, Priv priv, std::uint64_t& value);
  bool load_in(Ctx ctx, Addr va, unsigned size, bool hlvx, std::uint64_t& value);
  bool store_in(Ctx ctx, Addr va, unsigned size, std::uint64_t value);
  // The stage whose walk faulted (for the -d mmu log).
  enum class Regime : std::uint8_t { Satp, Vsatp, Hgatp };
  void raise_xlate(mmu::Access access, Xlate kind, Addr tval, Addr gpa, Regime regime);
  // ---- the -d log (trap_log.cpp) ----
  void log_trap(std::uint64_t code, std::uint64_t tval, bool interrupt, unsigned from_mode, Addr epc);
  void log_xlate_fault(mmu::Access access, Xlate kind, Addr va, Addr gpa, Regime regime);
  void set_mode(Priv p, bool v) {
    priv_ = p;
    virt_ = v;
    observed_fetch_page_ = ~Addr{0};
    update_tlb_indices();
    request_block_exit();  // blocks are looked up per privilege and V
  }

  // PMP (pmp.cpp): may priv access [pa, pa+size)? page_uniform reports
  // whether the same answer holds for the whole 4 KiB page.
  bool pmp_allows(Addr pa, unsigned size, mmu::Access access, Priv priv) const;
  bool pmp_page_uniform(Addr page) const;
  // The entries that can match, decoded, in priority order (pmp_changed):
  // every TLB miss checks PMP several times, so the checks must not decode
  // pmpaddr each time.
  struct PmpRange {
    Addr lo, hi;  // [lo, hi)
    std::uint8_t cfg;
  };
  PmpRange pmp_ranges_[kPmpEntries] = {};
  unsigned pmp_range_count_ = 0;
  // What a TLB miss asks about a physical page, cached (pmp_changed()
  // forgets it; the bus's regions do not change while harts run): a walk
  // reads page-table pages that are the same few pages again and again,
  // and a fill asks bus and PMP five questions about its page.
  struct PhysPage {
    static constexpr std::uint8_t kRead = 1, kWrite = 2, kExec = 4;  // allow bits (pmpcfg's R, W, X)
    Addr number = ~Addr{0};       // pa >> 12
    std::uint8_t* host = nullptr;  // RAM or ROM backs the whole page
    bool ram = false;              // ... and it is writable RAM
    bool uniform = false;          // PMP gives every byte of the page the same answer
    std::uint8_t allow[2] = {};    // if uniform: what PMP allows S/U [0] and M [1]
  };
  const PhysPage& phys_page(Addr pa);
  std::array<PhysPage, 1024> phys_pages_{};

  Machine& machine_;
  Bus& bus_;
  HartConfig config_;
  // When mtime reaches the nearest enabled Sstc compare (update_stimecmp).
  OwnedEvent stimecmp_event_;

  std::uint64_t x_[32] = {};
  std::uint64_t f_[32] = {};
  std::uint64_t pc_ = 0, npc_ = 0;
  Priv priv_ = kPrivM;
  bool virt_ = false;  // H: V, executing in VS or VU
  bool trapped_ = false;

  Addr reservation_ = 0;
  bool reservation_valid_ = false;
  // Instructions a hart keeps the host after an atomic write. Long enough
  // for a short critical section: OpenSBI 1.1's sbi_hsm_hart_start() marks
  // the target START_PENDING with a cmpxchg and only ~30 instructions later
  // stores the address the target must jump to, while the target (whose
  // stale MSIP makes its WFI loop spin) polls that state. Cut there, the
  // target boots the kernel a second time from the firmware's default entry.
  static constexpr std::uint64_t kPreemptionGrace = 64;
  std::uint64_t grace_end_ = 0;

  // One software TLB per translation context: U, S, S with SUM, M, and with
  // V=1 VU, VS, VS with vsstatus.SUM.
  mmu::SoftTlb<> tlbs_[7];
  // The TLBs serving the current data and fetch contexts (pointers, so the
  // hot paths skip the index arithmetic).
  mmu::SoftTlb<>* data_tlb_ = &tlbs_[3];
  mmu::SoftTlb<>* fetch_tlb_ = &tlbs_[3];

  DecodeCache decode_cache_;

  std::unique_ptr<timing::Core> timing_;
  std::unique_ptr<timing::PageWalker> walker_;
  timing::EventCounts functional_events_{};
  timing::Region region_;
  std::uint32_t pmu_counting_[kModes] = {};  // counters counting in each mode
  std::uint32_t pmu_counting_next_[kModes] = {};
  bool pmu_masks_pending_ = false;  // pmu_counting_next_ applies after this instruction
  bool observed_ = false;
  // The last fetch page's physical address (observation), until the
  // translation or the mode changes.
  Addr observed_fetch_page_ = ~Addr{0};
  Addr observed_fetch_base_ = 0;
  std::function<std::uint64_t()> mtime_;
  std::string isa_name_;
  void build_isa_name();
  InterruptFile* aia_m_ = nullptr;
  InterruptFile* aia_s_ = nullptr;
  std::vector<InterruptFile*> aia_guests_;
};

}  // namespace orrery::riscv
