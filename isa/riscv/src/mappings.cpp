// The monitor's `info mem` / `info tlb`: the current address space's
// mappings, read from the page tables without side effects, in QEMU's
// RISC-V `info mem` layout (vaddr, paddr, size, attributes rwxugad).
#include <fmt/format.h>

#include <cstring>

#include "orrery/core/bus.hpp"
#include "orrery/riscv/hart.hpp"
#include "pte.hpp"

namespace orrery::riscv {
namespace {

// Contiguous leaves with the same attributes are shown as one range.
class MappingPrinter {
 public:
  explicit MappingPrinter(std::size_t max_lines) : max_lines_(max_lines) {}
  void add(Addr va, Addr pa, std::uint64_t size, std::uint64_t attrs) {
    if (size_ && va == va_ + size_ && pa == pa_ + size_ && attrs == attrs_) {
      size_ += size;
      return;
    }
    flush();
    va_ = va, pa_ = pa, size_ = size, attrs_ = attrs;
  }
  std::string finish() {
    flush();
    if (lines_ == 0) out_ += "no valid mappings\n";
    if (lines_ > max_lines_) out_ += fmt::format("... and {} more ranges\n", lines_ - max_lines_);
    return std::move(out_);
  }

 private:
  void flush() {
    if (!size_) return;
    if (++lines_ > max_lines_) return;
    std::string flags;
    for (const auto& [bit, c] : {std::pair{kPteR, 'r'}, std::pair{kPteW, 'w'}, std::pair{kPteX, 'x'},
                                 std::pair{kPteU, 'u'}, std::pair{kPteG, 'g'}, std::pair{kPteA, 'a'},
                                 std::pair{kPteD, 'd'}})
      flags += (attrs_ & bit) ? c : '-';
    out_ += fmt::format("{:016x} {:016x} {:016x} {}\n", va_, pa_, size_, flags);
  }
  std::string out_ = "vaddr            paddr            size             attr\n"
                     "---------------- ---------------- ---------------- -------\n";
  std::size_t max_lines_, lines_ = 0;
  Addr va_ = 0, pa_ = 0;
  std::uint64_t size_ = 0, attrs_ = 0;
};

}  // namespace

std::string RiscvHart::describe_mappings() const {
  const Ctx ctx = data_ctx();
  if (ctx.priv == kPrivM) return "M-mode: no translation, addresses are physical\n";
  const std::uint64_t atp = ctx.virt ? vsatp_ : satp_;
  const unsigned mode = static_cast<unsigned>(atp >> 60);
  const char* space = ctx.virt ? "vsatp (VS-stage; paddr is guest physical)" : "satp";
  if (mode == 0) return fmt::format("{}: Bare, virtual addresses are {}physical\n", space, ctx.virt ? "guest " : "");
  const unsigned levels = levels_for(mode);
  const unsigned va_bits = va_bits_for(mode);
  MappingPrinter printer(4096);
  // A guest's tables may point back at themselves: the walk reads at most
  // this many entries, so the monitor always answers.
  constexpr std::uint64_t kMaxEntries = 1u << 22;
  std::uint64_t entries = 0;
  // Table addresses of the VS-stage are guest physical: the G-stage maps them.
  const auto table_host = [&](Addr table) -> const std::uint8_t* {
    if (ctx.virt && (hgatp_ >> 60) != 0) {
      bool ok = false;
      Addr pa = 0;
      probe_stage((hgatp_ & kPpnMask) << 12, levels_for(static_cast<unsigned>(hgatp_ >> 60)), 11, false, table,
                  nullptr, 0, 0, pa, ok);
      if (!ok) return nullptr;
      table = pa;
    }
    return bus_.host_ptr(table, 4096, false);
  };
  // Depth-first, in address order; `prefix` holds the VA bits above level.
  const auto walk = [&](const auto& self, Addr table, int level, Addr prefix) -> void {
    const std::uint8_t* host = table_host(table);
    if (!host) return;
    for (unsigned i = 0; i < 512 && entries < kMaxEntries; ++i, ++entries) {
      std::uint64_t entry;
      std::memcpy(&entry, host + i * 8, 8);
      if (!(entry & kPteV) || (!(entry & kPteR) && (entry & kPteW))) continue;
      const Addr va_unextended = prefix | (Addr{i} << (12 + 9 * level));
      const Addr ppn_base = ((entry >> 10) & kPpnMask) << 12;
      if (entry & (kPteR | kPteX)) {
        // Bits above the mode's width copy its top bit.
        const auto va = static_cast<Addr>(static_cast<std::int64_t>(va_unextended << (64 - va_bits)) >> (64 - va_bits));
        printer.add(va, ppn_base, std::uint64_t{1} << (12 + 9 * level), entry & 0xff);
      } else if (level > 0) {
        self(self, ppn_base, level - 1, va_unextended);
      }
    }
  };
  walk(walk, (atp & kPpnMask) << 12, static_cast<int>(levels) - 1, 0);
  const std::string cut =
      entries < kMaxEntries ? "" : fmt::format("(the walk stopped after {} entries)\n", kMaxEntries);
  return fmt::format("{} mode Sv{}\n", space, va_bits) + printer.finish() + cut;
}

std::string RiscvHart::disassemble_at(std::span<const std::uint8_t> bytes, Addr pc, unsigned& length) const {
  length = 0;
  if (bytes.size() < 2) return {};
  std::uint32_t raw = static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8;
  if ((raw & 3) == 3) {
    if (bytes.size() < 4) return {};
    raw |= static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
    length = 4;
  } else {
    length = 2;
  }
  return disassemble(raw, pc);
}

}  // namespace orrery::riscv
