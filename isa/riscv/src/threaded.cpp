// RISC-V's part of the threaded engine: op records, block formation and the
// op handlers, plugged into core's dispatch loop (core/threaded/). The op
// semantics are the instruction tables' own functions (decode.cpp): a block
// is a run of the interpreter's Decoded records, so both engines execute
// one copy of every instruction.
#include <cstring>
#include <unordered_map>
#include <fmt/format.h>

#include "orrery/riscv/hart.hpp"

#include "insns/rv64i_sem.hpp"
#include "insns/rv64m_sem.hpp"
#include "orrery/core/threaded/dispatch_loop.hpp"

namespace orrery::riscv {

struct RiscvOp {
  const void* label = nullptr;
  Decoded d;
};

// kTimed: the timing model is on, so every op goes through the observed
// execute (which feeds the model and the PMU) and any op may end its block
// (a counter overflow raises an interrupt).
template <bool kTimed>
struct RiscvIsaT {
  using Hart = RiscvHart;
  using Op = RiscvOp;
  // Bounds the cost of building and of stepping a slice's tail.
  static constexpr std::uint32_t kMaxBlockOps = 64;

  static bool interrupt_attention(const RiscvHart& h) { return h.interrupt_attention(); }
  static void take_interrupt(RiscvHart& h) {
    const Addr pc = h.pc_;
    const unsigned mode = h.mode_index();
    h.take_interrupt_if_pending();
    if constexpr (kTimed) {
      if (h.pc_ != pc) h.observe_trap(pc, mode, false);
    }
  }
  // The interpreter fetches through the same lookup (4 bytes, so an
  // instruction in a page's last two bytes always takes its slow path).
  static const std::uint8_t* fetch_host(RiscvHart& h) {
    return h.fetch_tlb_->lookup<mmu::Access::Execute>(h.pc_, 4);
  }
  // Blocks are pure functions of their bytes; the regime (privilege, V)
  // only separates the fetch TLBs that validate each entry.
  static std::uint64_t pc(const RiscvHart& h) { return h.pc_; }
  static std::uint32_t regime(const RiscvHart& h) {
    return static_cast<std::uint32_t>(h.priv_) | (h.virt_ ? 4u : 0u);
  }
  static std::uint64_t step(RiscvHart& h) {
    h.step_one();
    return 1;
  }

  // Exactly the interpreter's per-instruction work after fetch and decode.
  static void exec(RiscvHart& h, const RiscvOp& op) { h.execute<kTimed>(op.d, op.d.raw, op.d.exec); }

  // ---- hot ops: the loop inlines these instructions' semantics ----
  // The functions are the instruction tables' own (insns/rv64i_sem.hpp);
  // only the bookkeeping around them differs by kind, and each kind does
  // exactly what exec() (the interpreter) does for such an instruction.
  // Loads and stores run the hart's own TLB-hit half (load_hit,
  // store_hit) in place and the whole instruction on a miss.
  enum class Kind : std::uint8_t {
    Nop,      // a Pure instruction writing x0: only retires
    Pure,     // cannot trap, reads nothing but registers (and pc)
    Load,     // may trap; a TLB hit is done in place (fast)
    Store,
    Branch,   // conditional: sets the next pc; taken, it leaves the block
    Jump,     // jal, jalr: set the next pc, end the block
  };
  // A memory op's TLB hit, done in place: the access without the
  // bookkeeping a possible trap needs (execute()). False on a miss, which
  // then runs as the interpreter runs it, slow path and all.
  using FastFn = bool (*)(RiscvHart&, const Decoded&);
  struct HotOp {
    ExecFn fn;
    Kind kind;
    FastFn fast = nullptr;  // loads and stores
  };
  template <class T, class E>
  static bool fast_load(RiscvHart& h, const Decoded& d) {
    T v;
    if (!h.load_hit(insn::ea(h, d), v)) [[unlikely]]
      return false;
    h.x_[d.rd] = static_cast<std::uint64_t>(static_cast<E>(v));  // rd != 0 (label_for)
    return true;
  }
  template <class T>
  static bool fast_store(RiscvHart& h, const Decoded& d) {
    return h.store_hit(insn::ea(h, d), static_cast<T>(h.x_[d.rs2]));
  }
  template <class T, class E>
  static constexpr HotOp load = {insn::load_into_x<T, E>, Kind::Load, fast_load<T, E>};
  template <class T>
  static constexpr HotOp store(ExecFn fn) {
    return {fn, Kind::Store, fast_store<T>};
  }
  static constexpr HotOp kHot[] = {
      {nullptr, Kind::Nop},
      {sem::i_lui, Kind::Pure},     {sem::i_auipc, Kind::Pure},   {sem::i_addi, Kind::Pure},
      {sem::i_slti, Kind::Pure},    {sem::i_sltiu, Kind::Pure},   {sem::i_xori, Kind::Pure},
      {sem::i_ori, Kind::Pure},     {sem::i_andi, Kind::Pure},    {sem::i_slli, Kind::Pure},
      {sem::i_srli, Kind::Pure},    {sem::i_srai, Kind::Pure},    {sem::i_add, Kind::Pure},
      {sem::i_sub, Kind::Pure},     {sem::i_sll, Kind::Pure},     {sem::i_slt, Kind::Pure},
      {sem::i_sltu, Kind::Pure},    {sem::i_xor, Kind::Pure},     {sem::i_srl, Kind::Pure},
      {sem::i_sra, Kind::Pure},     {sem::i_or, Kind::Pure},      {sem::i_and, Kind::Pure},
      {sem::i_addiw, Kind::Pure},   {sem::i_slliw, Kind::Pure},   {sem::i_srliw, Kind::Pure},
      {sem::i_sraiw, Kind::Pure},   {sem::i_addw, Kind::Pure},    {sem::i_subw, Kind::Pure},
      {sem::i_sllw, Kind::Pure},    {sem::i_srlw, Kind::Pure},    {sem::i_sraw, Kind::Pure},
      {sem::i_mul, Kind::Pure},     {sem::i_mulh, Kind::Pure},    {sem::i_mulhsu, Kind::Pure},
      {sem::i_mulhu, Kind::Pure},   {sem::i_div, Kind::Pure},     {sem::i_divu, Kind::Pure},
      {sem::i_rem, Kind::Pure},     {sem::i_remu, Kind::Pure},    {sem::i_mulw, Kind::Pure},
      {sem::i_divw, Kind::Pure},    {sem::i_divuw, Kind::Pure},   {sem::i_remw, Kind::Pure},
      {sem::i_remuw, Kind::Pure},
      load<std::uint8_t, std::int8_t>,   load<std::uint16_t, std::int16_t>,
      load<std::uint32_t, std::int32_t>, load<std::uint64_t, std::uint64_t>,
      load<std::uint8_t, std::uint8_t>,  load<std::uint16_t, std::uint16_t>,
      load<std::uint32_t, std::uint32_t>,
      store<std::uint8_t>(sem::i_sb),    store<std::uint16_t>(sem::i_sh),
      store<std::uint32_t>(sem::i_sw),   store<std::uint64_t>(sem::i_sd),
      {sem::i_beq, Kind::Branch},   {sem::i_bne, Kind::Branch},   {sem::i_blt, Kind::Branch},
      {sem::i_bge, Kind::Branch},   {sem::i_bltu, Kind::Branch},  {sem::i_bgeu, Kind::Branch},
      {sem::i_jal, Kind::Jump},     {sem::i_jalr, Kind::Jump},  // no misaligned targets with C
  };
  static constexpr unsigned kHotOps = sizeof(kHot) / sizeof(kHot[0]);

  template <unsigned I>
  static constexpr bool hot_may_leave() {
    return kTimed || kHot[I].kind == Kind::Load || kHot[I].kind == Kind::Store;
  }
  // Executes and retires (or traps) one instruction; false when the block
  // must end here: a taken conditional branch (the block goes on past one
  // that is not taken).
  template <unsigned I>
  static bool hot(RiscvHart& h, const RiscvOp& op) {
    constexpr HotOp k = kHot[I];
    const Decoded& d = op.d;
    if constexpr (k.kind == Kind::Branch) {
      const Addr fall_through = h.pc_ + d.len;
      if constexpr (kTimed) {
        h.execute<true>(d, d.raw, k.fn);
      } else {
        h.npc_ = fall_through;
        k.fn(h, d);
        ++h.cycles_;
        ++h.instret_;
        h.pc_ = h.npc_;
      }
      return h.pc_ == fall_through;
    } else if constexpr (kTimed) {
      if constexpr (k.kind == Kind::Pure || k.kind == Kind::Nop) {
        // Register-only ops cannot trap: what execute<true> does for them,
        // without its general bookkeeping (RiscvHart::observe_simple).
        const Addr pc = h.pc_;
        if constexpr (k.kind == Kind::Pure) k.fn(h, d);  // rd != 0 (label_for)
        ++h.cycles_;
        ++h.instret_;
        h.pc_ += d.len;
        h.observe_simple(d, pc);
      } else {
        h.execute<true>(d, d.raw, k.fn);
      }
      return true;
    } else if constexpr (k.kind == Kind::Nop) {
      // nothing but retiring
    } else if constexpr (k.kind == Kind::Pure) {
      k.fn(h, d);  // rd != 0 (label_for), so x0 stays zero
    } else if constexpr (k.kind == Kind::Load || k.kind == Kind::Store) {
      if (!k.fast(h, d)) [[unlikely]] {
        h.execute(d, d.raw, k.fn);
        return true;
      }
    } else {
      h.npc_ = h.pc_ + d.len;
      k.fn(h, d);
      h.x_[0] = 0;
      ++h.cycles_;
      ++h.instret_;
      h.pc_ = h.npc_;
      return true;
    }
    ++h.cycles_;
    ++h.instret_;
    h.pc_ += d.len;
    return true;
  }

  // The label for a decoded instruction: its hot op's, or the generic one.
  static const void* label_for(const Decoded& d, const void* const* labels) {
    // Every op of every block built asks, so the table is searched through
    // a map (a linear search was 3% of a Linux boot).
    static const std::unordered_map<ExecFn, unsigned> hot_index = [] {
      std::unordered_map<ExecFn, unsigned> m;
      for (unsigned i = 1; i < kHotOps; ++i) m.emplace(kHot[i].fn, i);
      return m;
    }();
    const auto it = hot_index.find(d.exec);
    if (it == hot_index.end()) return labels[0];
    const unsigned i = it->second;
    // A Pure op writing x0 only retires, except SLTI's HINTs (the
    // statistics-region markers).
    if (kHot[i].kind == Kind::Pure && d.rd == 0) return d.exec == sem::i_slti ? labels[0] : labels[threaded::kHotBase];
    // A load into x0 still accesses memory; the generic op keeps x0 zero.
    if (kHot[i].kind == Kind::Load && d.rd == 0) return labels[0];
    return labels[threaded::kHotBase + i];
  }

  // Jumps and SYSTEM/MISC-MEM instructions end a block, except inert CSR
  // accesses (below): the next pc is looked up again (after any CSR write
  // has changed interrupt enables, translation or privilege). A conditional branch ends it only when
  // taken (hot()), so a block runs on through branches not taken; one
  // without a hot op (which could not leave when taken) ends it too.
  // Everything else falls through.
  static bool ends_block(std::uint32_t raw, const void* label, const void* const* labels) {
    if ((raw & 3) != 3) raw = expand_compressed(static_cast<std::uint16_t>(raw));
    switch (raw & 0x7f) {
      case 0x63:  // BRANCH
        return label == labels[0];
      case 0x73:  // SYSTEM: CSRs, ECALL/EBREAK, xRET, WFI, fences of translation, HLV/HSV
        return !inert_csr_access(raw);
      case 0x67:  // JALR
      case 0x6f:  // JAL
      case 0x0f:  // MISC-MEM: FENCE, FENCE.I
        return true;
      default:
        return raw == 0;  // reserved compressed encoding: illegal
    }
  }

  // A Zicsr instruction that changes nothing a block depends on (interrupt
  // enables, translation, privilege, what the counters count), so the
  // block may run on past it: one that only reads (CSRRS/CSRRC and their
  // immediate forms with rs1/uimm = 0 do not write: Zicsr chapter), or
  // that writes a register only trap handlers and FP code read back (the
  // scratch, epc, cause and tval registers, fflags/frm/fcsr). Should it
  // trap, it leaves its block like any trapping op.
  static bool inert_csr_access(std::uint32_t raw) {
    const unsigned funct3 = (raw >> 12) & 7;
    if (funct3 == 0 || funct3 == 4) return false;  // ECALL, xRET, WFI, SFENCE.VMA...; HLV/HSV
    const bool writes = (funct3 & 3) == 1 || ((raw >> 15) & 31) != 0;
    if (!writes) return true;
    switch (raw >> 20) {
      case 0x001: case 0x002: case 0x003:  // fflags, frm, fcsr
      case 0x140: case 0x141: case 0x142: case 0x143:  // sscratch, sepc, scause, stval
      case 0x240: case 0x241: case 0x242: case 0x243:  // vsscratch, vsepc, vscause, vstval
      case 0x340: case 0x341: case 0x342: case 0x343:  // mscratch, mepc, mcause, mtval
        return true;
      default:
        return false;
    }
  }

  static std::uint32_t build(RiscvHart& h, const std::uint8_t* host, RiscvOp* out, std::uint32_t& bytes,
                             const void* const* labels) {
    const auto offset = static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(host) & (threaded::kPageSize - 1));
    const std::uint8_t* page = host - offset;
    std::uint32_t n = 0;
    // Stop before the page's last two bytes: a fetch there always takes the
    // interpreter's slow path (it may cross into the next page).
    unsigned off = offset;
    while (n < kMaxBlockOps && off <= threaded::kPageSize - 4) {
      std::uint32_t raw;
      std::memcpy(&raw, page + off, 4);
      if ((raw & 3) != 3) raw &= 0xffff;
      out[n].d = h.decode_cache_.lookup(raw);
      out[n].label = label_for(out[n].d, labels);
      ++n;
      off += out[n - 1].d.len;
      if (ends_block(raw, out[n - 1].label, labels)) break;
    }
    bytes = off - offset;
    return n;
  }
};

std::uint64_t RiscvHart::run_threaded(threaded::Context& context, std::uint64_t budget) {
  if (!context.cache) context.cache = std::make_unique<threaded::BlockCache<RiscvOp>>(bus_, context.capacity_bytes);
  auto* cache = dynamic_cast<threaded::BlockCache<RiscvOp>*>(context.cache.get());
  if (!cache) throw Error("threaded engine: harts of different ISAs in one machine are not supported");
  std::uint64_t done = 0;
  do {
    // The textual trace is the interpreter's, and so is observation without
    // a timing model (while a counter counts). A machine's harts all have a
    // model or none, so one cache never mixes the two instantiations' op
    // labels.
    if (trace_ || debugged() || (observed_ && !timing_)) done += interpret_once(budget - done);
    else if (timing_) done += threaded::run_blocks<RiscvIsaT<true>>(*this, *cache, budget - done);
    else done += threaded::run_blocks<RiscvIsaT<false>>(*this, *cache, budget - done);
  } while (take_loop_switch() && done < budget);
  return done;
}

}  // namespace orrery::riscv
