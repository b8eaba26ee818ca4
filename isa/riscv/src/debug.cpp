// The hart as GDB sees it: registers by GDB's riscv numbers, the target
// description, and side-effect-free translation (core/debug.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"
#include "pte.hpp"

namespace orrery::riscv {
namespace {

constexpr std::array<const char*, 32> kXNames = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
constexpr std::array<const char*, 32> kFNames = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",  "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3",  "fa4",  "fa5", "fa6", "fa7",  "fs2",  "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8",  "fs9",  "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

bool in(std::span<const CsrSpec> group, const CsrSpec* spec) {
  return spec >= group.data() && spec < group.data() + group.size();
}

// A virtual address the current paging mode can produce: bits above the
// mode's width copy its top bit (privileged spec, "Sv39" and the modes
// after it). Other addresses fault and translate to nothing.
bool canonical(Addr va, unsigned bits) {
  const std::int64_t sva = static_cast<std::int64_t>(va << (64 - bits)) >> (64 - bits);
  return static_cast<Addr>(sva) == va;
}
unsigned va_bits(std::uint64_t atp) { return va_bits_for(static_cast<unsigned>(atp >> 60)); }

}  // namespace

// The CSRs this hart has: the hypervisor, AIA and Smstateen groups only
// when it implements them (their `accessible` checks also depend on the
// current privilege, which must not hide them from a debugger).
const CsrSpec* RiscvHart::debug_csr(unsigned regno) const {
  if (regno < kGdbCsr0 || regno >= kGdbCsr0 + 4096) return nullptr;
  const CsrSpec* spec = find_csr(static_cast<std::uint16_t>(regno - kGdbCsr0));
  if (!spec) return nullptr;
  if (in(hypervisor_csrs(), spec) && !config_.has_h) return nullptr;
  if (in(stateen_csrs(), spec) && !config_.has_smstateen) return nullptr;
  if (in(aia_csrs(), spec) && (!aia_m_ || !aia_s_)) return nullptr;
  return spec;
}

unsigned RiscvHart::register_bytes(unsigned regno) const {
  if (regno <= kGdbPc || regno == kGdbPriv) return 8;
  if (regno >= kGdbF0 && regno < kGdbF0 + 32) return 8;
  return debug_csr(regno) ? 8 : 0;
}

bool RiscvHart::read_register(unsigned regno, std::uint64_t& value) const {
  if (regno < 32) {
    value = x_[regno];
  } else if (regno == kGdbPc) {
    value = pc_;
  } else if (regno >= kGdbF0 && regno < kGdbF0 + 32) {
    value = f_[regno - kGdbF0];
  } else if (regno == kGdbPriv) {
    value = priv_ | (virt_ ? 4u : 0u);
  } else if (const CsrSpec* spec = debug_csr(regno)) {
    value = spec->read(*this);
  } else {
    return false;
  }
  return true;
}

bool RiscvHart::write_register(unsigned regno, std::uint64_t value) {
  if (regno < 32) {
    if (regno != 0) x_[regno] = value;
  } else if (regno == kGdbPc) {
    pc_ = npc_ = value;
    request_block_exit();  // the threaded engine must not go on in the old block
  } else if (regno >= kGdbF0 && regno < kGdbF0 + 32) {
    f_[regno - kGdbF0] = value;
  } else if (regno == kGdbPriv) {
    const Priv p = static_cast<Priv>(value & 3);
    if (p == 2 || ((value & 4) && (!config_.has_h || p == kPrivM))) return false;
    set_mode(p, (value & 4) != 0);
  } else if (const CsrSpec* spec = debug_csr(regno); spec && spec->write) {
    // The CSR's own write: WARL legalisation and side effects (TLB flushes
    // on satp or mstatus, PMU reprogramming) as for the guest's writes.
    spec->write(*this, value);
    request_block_exit();
  } else {
    return false;
  }
  return true;
}

std::optional<Addr> RiscvHart::debug_translate(Addr va) const {
  const Ctx ctx = data_ctx();
  if (ctx.priv != kPrivM) {
    const std::uint64_t first = ctx.virt ? vsatp_ : satp_;
    if ((first >> 60) != 0 && !canonical(va, va_bits(first))) return std::nullopt;
    // Bare VS-stage: the G-stage takes guest physical addresses 2 bits
    // wider than the mode's virtual ones, zero-extended (privileged spec,
    // "Guest Physical Address Translation").
    if (ctx.virt && (first >> 60) == 0 && (hgatp_ >> 60) != 0 && (va >> (va_bits(hgatp_) + 2)) != 0)
      return std::nullopt;
  }
  Addr pa = 0;
  bool ok = false;
  probe_translate(va, ctx, false, nullptr, 0, pa, ok);
  if (!ok) return std::nullopt;
  return pa;
}

std::optional<std::string> RiscvHart::target_xml(std::string_view annex) const {
  if (annex != "target.xml") return std::nullopt;
  std::string xml =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
      "<architecture>riscv:rv64</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
  for (unsigned r = 0; r < 32; ++r)
    xml += fmt::format("  <reg name=\"{}\" bitsize=\"64\" type=\"{}\" regnum=\"{}\"/>\n", kXNames[r],
                       r == 1 || r == 2 ? (r == 1 ? "code_ptr" : "data_ptr") : "int", r);
  xml += fmt::format("  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{}\"/>\n</feature>\n", kGdbPc);
  xml += "<feature name=\"org.gnu.gdb.riscv.fpu\">\n";
  for (unsigned r = 0; r < 32; ++r)
    xml += fmt::format("  <reg name=\"{}\" bitsize=\"64\" type=\"ieee_double\" regnum=\"{}\"/>\n", kFNames[r],
                       kGdbF0 + r);
  for (const std::uint16_t n : {csr::fflags, csr::frm, csr::fcsr})
    xml += fmt::format("  <reg name=\"{}\" bitsize=\"32\" type=\"int\" regnum=\"{}\"/>\n", csr_name(n), kGdbCsr0 + n);
  xml += "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n";
  for (unsigned n = 0; n < 4096; ++n) {
    if (n == csr::fflags || n == csr::frm || n == csr::fcsr || !debug_csr(kGdbCsr0 + n)) continue;
    xml += fmt::format("  <reg name=\"{}\" bitsize=\"64\" type=\"int\" regnum=\"{}\"/>\n", csr_name(n),
                       kGdbCsr0 + n);
  }
  xml += fmt::format(
      "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
      "  <reg name=\"priv\" bitsize=\"64\" type=\"int\" regnum=\"{}\"/>\n</feature>\n</target>\n",
      kGdbPriv);
  return xml;
}

}  // namespace orrery::riscv
