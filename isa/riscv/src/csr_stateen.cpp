// Smstateen/Ssstateen: the state-enable CSRs (RISC-V "Smstateen" spec).
// mstateen0-3 gate S/HS access (and with it VS/U), hstateen0-3 gate VS
// access; a bit clear in mstateenN is read-only zero in hstateenN and
// sstateenN, and a bit clear in hstateenN reads zero in sstateenN when V=1.
// Bit 63 of each register gates the lower-level registers of the same
// number; in stateen0: 62 ENVCFG (senvcfg/henvcfg); 60 CSRIND, 59 AIA and
// 58 IMSIC gate the AIA CSRs (csr_aia.cpp) on harts that have them. C (0),
// FCSR (1, Zfinx), JVT (2, Zcmt) and CONTEXT (57, Sdtrig) gate state this
// hart does not have: read-only zero.
#include <array>
#include <string>
#include <vector>

#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {

using u64 = std::uint64_t;

CsrFault RiscvHart::stateen_fault(unsigned index, u64 bit) const {
  if (!config_.has_smstateen || priv_ == kPrivM) return CsrFault::None;
  if (!(mstateen_[index] & bit)) return CsrFault::Illegal;
  if (virt_ && !(hstateen_[index] & bit)) return CsrFault::Virtual;
  return CsrFault::None;
}

namespace {

// CSRIND, IMSIC and AIA exist when the hart has AIA interrupt files (the
// CSRs they gate: siselect/sireg; stopei/vstopei; stopi, vstopi, hvien,
// hvictl, hviprio1/2 and the iprio array).
u64 writable_bits(const RiscvHart& h, unsigned index) {
  if (index != 0) return stateen::SE;
  u64 bits = stateen::SE | stateen::ENVCFG;
  if (h.aia_s_file()) bits |= stateen::CSRIND | stateen::IMSIC | stateen::AIA;
  return bits;
}

CsrFault mstateen_exists(const RiscvHart& h, std::uint16_t) {
  return h.config().has_smstateen ? CsrFault::None : CsrFault::Illegal;
}

template <unsigned kN>
CsrFault hstateen_accessible(const RiscvHart& h, std::uint16_t) {
  if (!h.config().has_smstateen || !h.config().has_h) return CsrFault::Illegal;
  return h.stateen_fault(kN, stateen::SE) == CsrFault::Illegal ? CsrFault::Illegal : CsrFault::None;
}

template <unsigned kN>
CsrFault sstateen_accessible(const RiscvHart& h, std::uint16_t) {
  if (!h.config().has_smstateen) return CsrFault::Illegal;
  return h.stateen_fault(kN, stateen::SE);
}

template <unsigned kN>
u64 read_mstateen(const RiscvHart& h) {
  return h.mstateen_[kN];
}
template <unsigned kN>
void write_mstateen(RiscvHart& h, u64 v) {
  h.mstateen_[kN] = v & writable_bits(h, kN);
}
template <unsigned kN>
u64 read_hstateen(const RiscvHart& h) {
  return h.hstateen_[kN] & h.mstateen_[kN];
}
template <unsigned kN>
void write_hstateen(RiscvHart& h, u64 v) {
  h.hstateen_[kN] = v & writable_bits(h, kN) & h.mstateen_[kN];
}
template <unsigned kN>
u64 read_sstateen(const RiscvHart& h) {
  u64 v = h.sstateen_[kN] & h.mstateen_[kN];
  if (h.virt()) v &= h.hstateen_[kN];
  return v;
}
// sstateen bits gate state U-mode can reach (C, FCSR with Zfinx, JVT with
// Zcmt); this hart has none of it, so every sstateen bit is read-only zero
// while the registers themselves exist and are gated by SE.
template <unsigned kN>
void write_sstateen(RiscvHart& h, u64 v) {
  constexpr u64 kUserStateBits = 0;
  u64 allowed = kUserStateBits & h.mstateen_[kN];
  if (h.virt()) allowed &= h.hstateen_[kN];
  h.sstateen_[kN] = (h.sstateen_[kN] & ~allowed) | (v & allowed);
}

template <unsigned... kN>
std::vector<CsrSpec> build(std::integer_sequence<unsigned, kN...>) {
  static std::array<std::string, 3 * sizeof...(kN)> names{("mstateen" + std::to_string(kN))...,
                                                          ("hstateen" + std::to_string(kN))...,
                                                          ("sstateen" + std::to_string(kN))...};
  constexpr unsigned n = sizeof...(kN);
  std::vector<CsrSpec> v = {
      CsrSpec{static_cast<std::uint16_t>(0x30C + kN), names[kN], read_mstateen<kN>, write_mstateen<kN>,
              mstateen_exists}...};
  const std::vector<CsrSpec> h = {
      CsrSpec{static_cast<std::uint16_t>(0x60C + kN), names[n + kN], read_hstateen<kN>, write_hstateen<kN>,
              hstateen_accessible<kN>}...};
  const std::vector<CsrSpec> s = {
      CsrSpec{static_cast<std::uint16_t>(0x10C + kN), names[2 * n + kN], read_sstateen<kN>, write_sstateen<kN>,
              sstateen_accessible<kN>}...};
  v.insert(v.end(), h.begin(), h.end());
  v.insert(v.end(), s.begin(), s.end());
  return v;
}

}  // namespace

std::span<const CsrSpec> stateen_csrs() {
  static const std::vector<CsrSpec> table = build(std::make_integer_sequence<unsigned, 4>{});
  return table;
}

}  // namespace orrery::riscv
