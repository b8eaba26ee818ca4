// PMP configuration and address registers (privileged spec, "Physical
// Memory Protection CSRs"). On RV64 only the even pmpcfg registers exist;
// each holds eight entries' configuration bytes.
#include <array>
#include <string>
#include <vector>

#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;
constexpr std::uint8_t kLocked = 0x80, kModeTor = 1u << 3, kModeMask = 3u << 3;
constexpr unsigned kEntries = RiscvHart::kPmpEntries;

bool locked(const RiscvHart& h, unsigned i) { return h.pmpcfg_[i] & kLocked; }

template <unsigned kFirst>
u64 read_cfg(const RiscvHart& h) {
  u64 v = 0;
  for (unsigned i = 0; i < 8; ++i) v |= u64{h.pmpcfg_[kFirst + i]} << (8 * i);
  return v;
}
template <unsigned kFirst>
void write_cfg(RiscvHart& h, u64 v) {
  for (unsigned i = 0; i < 8; ++i) {
    if (locked(h, kFirst + i)) continue;  // locked entries ignore writes until reset
    std::uint8_t b = static_cast<std::uint8_t>(v >> (8 * i)) & 0x9f;  // bits 6:5 are reserved
    if ((b & 3) == 2) b &= ~2;                                       // W without R is reserved
    h.pmpcfg_[kFirst + i] = b;
  }
  h.pmp_changed();
}

u64 read_addr(const RiscvHart& h, unsigned i) { return h.pmpaddr_[i]; }
void write_addr(RiscvHart& h, unsigned i, u64 v) {
  // A locked entry's address is frozen, and so is the one below a locked
  // TOR entry, which forms its lower bound.
  if (locked(h, i)) return;
  if (i + 1 < kEntries && locked(h, i + 1) && (h.pmpcfg_[i + 1] & kModeMask) == kModeTor) return;
  h.pmpaddr_[i] = v & ((1ull << 54) - 1);
  h.pmp_changed();
}

template <unsigned kIndex>
u64 read_addr_n(const RiscvHart& h) {
  return read_addr(h, kIndex);
}
template <unsigned kIndex>
void write_addr_n(RiscvHart& h, u64 v) {
  write_addr(h, kIndex, v);
}

template <unsigned... kI>
std::vector<CsrSpec> addr_specs(std::integer_sequence<unsigned, kI...>) {
  static std::array<std::string, sizeof...(kI)> names{("pmpaddr" + std::to_string(kI))...};
  return {CsrSpec{static_cast<std::uint16_t>(0x3B0 + kI), names[kI], read_addr_n<kI>, write_addr_n<kI>}...};
}

std::vector<CsrSpec> build() {
  std::vector<CsrSpec> v = addr_specs(std::make_integer_sequence<unsigned, kEntries>{});
  v.push_back({0x3A0, "pmpcfg0", read_cfg<0>, write_cfg<0>});
  v.push_back({0x3A2, "pmpcfg2", read_cfg<8>, write_cfg<8>});
  return v;
}

}  // namespace

std::span<const CsrSpec> pmp_csrs() {
  static const std::vector<CsrSpec> table = build();
  return table;
}

}  // namespace orrery::riscv
