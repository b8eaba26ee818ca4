#pragma once
// Architectural constants from the RISC-V privileged specification
// (version 1.12, "Machine-Level ISA").
#include <cstdint>

namespace orrery::riscv {

enum Priv : std::uint8_t { kPrivU = 0, kPrivS = 1, kPrivM = 3 };

// mcause exception codes (privileged spec, Table 3.6).
enum Cause : std::uint64_t {
  kInsnMisaligned = 0,
  kInsnAccessFault = 1,
  kIllegalInsn = 2,
  kBreakpoint = 3,
  kLoadMisaligned = 4,
  kLoadAccessFault = 5,
  kStoreMisaligned = 6,
  kStoreAccessFault = 7,
  kEcallU = 8,
  kEcallS = 9,
  kEcallM = 11,
  kInsnPageFault = 12,
  kLoadPageFault = 13,
  kStorePageFault = 15,
};
constexpr std::uint64_t kInterruptBit = 1ull << 63;

namespace mstatus {
constexpr std::uint64_t SIE = 1ull << 1;
constexpr std::uint64_t MIE = 1ull << 3;
constexpr std::uint64_t SPIE = 1ull << 5;
constexpr std::uint64_t MPIE = 1ull << 7;
constexpr unsigned MPP_SHIFT = 11;
constexpr std::uint64_t MPP = 3ull << MPP_SHIFT;
constexpr unsigned FS_SHIFT = 13;
constexpr std::uint64_t FS = 3ull << FS_SHIFT;
constexpr std::uint64_t SD = 1ull << 63;
}  // namespace mstatus

// misa extension bits.
constexpr std::uint64_t misa_ext(char letter) { return 1ull << (letter - 'A'); }
constexpr std::uint64_t kMisaMxl64 = 2ull << 62;

}  // namespace orrery::riscv
