// The hart's lines in the -d log (core/trace.hpp's DebugLog): traps taken
// (int, exc) and translation faults (mmu). Only called when the category is
// on, so nothing here is on a hot path.
#include <fmt/format.h>
#include <iterator>
#include <string>
#include <string_view>

#include "orrery/core/trace.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {

namespace {

// mcause names (privileged spec, "Machine Cause Register" table).
std::string_view exception_name(std::uint64_t code) {
  static constexpr std::string_view kNames[] = {
      "instruction address misaligned", "instruction access fault", "illegal instruction", "breakpoint",
      "load address misaligned", "load access fault", "store/AMO address misaligned", "store/AMO access fault",
      "environment call from U/VU", "environment call from S/HS", "environment call from VS",
      "environment call from M", "instruction page fault", "load page fault", "", "store/AMO page fault", "", "",
      "", "", "instruction guest-page fault", "load guest-page fault", "virtual instruction",
      "store/AMO guest-page fault"};
  const std::string_view name = code < std::size(kNames) ? kNames[code] : "";
  return name.empty() ? "reserved exception" : name;
}

std::string_view interrupt_name(std::uint64_t code) {
  static constexpr std::string_view kNames[] = {
      "", "supervisor software", "virtual supervisor software", "machine software", "", "supervisor timer",
      "virtual supervisor timer", "machine timer", "", "supervisor external", "virtual supervisor external",
      "machine external", "supervisor guest external", "counter overflow"};
  const std::string_view name = code < std::size(kNames) ? kNames[code] : "";
  return name.empty() ? "local" : name;
}

// satp/vsatp (sv39) or hgatp (sv39x4) MODE, as the spec names the scheme.
std::string scheme(std::uint64_t atp, bool gstage) {
  const unsigned mode = static_cast<unsigned>(atp >> 60);
  const unsigned bits = mode == 8 ? 39 : mode == 9 ? 48 : mode == 10 ? 57 : 0;
  if (bits == 0) return "bare";
  return fmt::format("sv{}{}", bits, gstage ? "x4" : "");
}

std::string_view access_name(mmu::Access a) {
  return a == mmu::Access::Execute ? "fetch" : a == mmu::Access::Read ? "load" : "store/AMO";
}

}  // namespace

void RiscvHart::log_trap(std::uint64_t code, std::uint64_t tval, bool interrupt, unsigned from_mode, Addr epc) {
  const std::string_view from = kModeNames[from_mode], to = kModeNames[mode_index()];
  if (interrupt) {
    log_->line(fmt::format("int: hart {}: {} interrupt (cause {}) at epc 0x{:016x}, {} -> {}, handler 0x{:016x}",
                           id(), interrupt_name(code), code, epc, from, to, pc_));
  } else {
    log_->line(fmt::format(
        "exc: hart {}: {} (cause {}) at epc 0x{:016x}, tval 0x{:016x}, {} -> {}, handler 0x{:016x}", id(),
        exception_name(code), code, epc, tval, from, to, pc_));
  }
}

void RiscvHart::log_xlate_fault(mmu::Access access, Xlate kind, Addr va, Addr gpa, Regime regime) {
  // The regime is the stage whose walk failed; a guest-page fault met while
  // walking the VS-stage's tables is the G-stage's, on the table's address.
  std::string where;
  if (regime == Regime::Satp) where = fmt::format("{} (satp 0x{:016x})", scheme(satp_, false), satp_);
  else if (regime == Regime::Vsatp && kind != Xlate::GuestPageFault)
    where = fmt::format("VS-stage {} (vsatp 0x{:016x})", scheme(vsatp_, false), vsatp_);
  else
    where = fmt::format("G-stage {} (hgatp 0x{:016x}){}", scheme(hgatp_, true), hgatp_,
                        regime == Regime::Vsatp ? " reading a VS-stage page table" : "");
  const std::string_view what = kind == Xlate::PageFault        ? "page fault"
                                : kind == Xlate::GuestPageFault ? "guest-page fault"
                                                                : "access fault in the page-table walk";
  const std::string gpa_text = kind == Xlate::GuestPageFault ? fmt::format(", gpa 0x{:016x}", gpa) : "";
  log_->line(fmt::format("mmu: hart {}: {} {} at va 0x{:016x}{}, {}", id(), access_name(access), what, va, gpa_text,
                         where));
}

}  // namespace orrery::riscv
