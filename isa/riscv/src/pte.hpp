#pragma once
// Page-table entry bits and paging-mode geometry (privileged spec, "Sv39"
// and the modes after it), shared by the walker (mmu.cpp), the timing
// model's probe (timing_glue.cpp) and the monitor's dump (mappings.cpp).
#include <cstdint>

namespace orrery::riscv {

constexpr std::uint64_t kPteV = 1, kPteR = 2, kPteW = 4, kPteX = 8, kPteU = 16, kPteG = 32, kPteA = 64, kPteD = 128;
constexpr std::uint64_t kPpnMask = (1ull << 44) - 1;
// satp/vsatp/hgatp MODE 8, 9, 10: Sv39, Sv48, Sv57 (x4 for hgatp).
inline unsigned levels_for(unsigned mode) { return mode == 8 ? 3 : mode == 9 ? 4 : 5; }
// The virtual address width of a paging MODE (8, 9, 10): 39, 48, 57.
inline unsigned va_bits_for(unsigned mode) { return 12 + 9 * levels_for(mode); }
// A MODE satp/vsatp (hgatp: the x4 modes) can hold: Bare, Sv39, Sv48, Sv57.
inline bool valid_atp_mode(std::uint64_t atp) {
  const unsigned mode = static_cast<unsigned>(atp >> 60);
  return mode == 0 || (mode >= 8 && mode <= 10);
}

}  // namespace orrery::riscv
