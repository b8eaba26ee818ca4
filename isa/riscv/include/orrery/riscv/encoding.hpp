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
  kEcallVS = 10,
  kInsnGuestPageFault = 20,
  kLoadGuestPageFault = 21,
  kVirtualInsn = 22,
  kStoreGuestPageFault = 23,
};
constexpr std::uint64_t kInterruptBit = 1ull << 63;

namespace mstatus {
constexpr std::uint64_t SIE = 1ull << 1;
constexpr std::uint64_t MIE = 1ull << 3;
constexpr std::uint64_t SPIE = 1ull << 5;
constexpr std::uint64_t MPIE = 1ull << 7;
constexpr std::uint64_t SPP = 1ull << 8;
constexpr unsigned MPP_SHIFT = 11;
constexpr std::uint64_t MPP = 3ull << MPP_SHIFT;
constexpr unsigned FS_SHIFT = 13;
constexpr std::uint64_t FS = 3ull << FS_SHIFT;
constexpr std::uint64_t MPRV = 1ull << 17;
constexpr std::uint64_t SUM = 1ull << 18;
constexpr std::uint64_t MXR = 1ull << 19;
constexpr std::uint64_t TVM = 1ull << 20;
constexpr std::uint64_t TW = 1ull << 21;
constexpr std::uint64_t TSR = 1ull << 22;
constexpr std::uint64_t UXL = 3ull << 32;
constexpr std::uint64_t SXL = 3ull << 34;
constexpr std::uint64_t GVA = 1ull << 38;  // H: mtval holds a guest virtual address
constexpr std::uint64_t MPV = 1ull << 39;  // H: the trapped mode was virtualised
constexpr std::uint64_t SD = 1ull << 63;
}  // namespace mstatus

// hstatus fields (privileged spec, "Hypervisor Status Register").
namespace hstatus {
constexpr std::uint64_t GVA = 1ull << 6;
constexpr std::uint64_t SPV = 1ull << 7;
constexpr std::uint64_t SPVP = 1ull << 8;
constexpr std::uint64_t HU = 1ull << 9;
constexpr unsigned VGEIN_SHIFT = 12;
constexpr std::uint64_t VGEIN = 0x3full << VGEIN_SHIFT;
constexpr std::uint64_t VTVM = 1ull << 20;
constexpr std::uint64_t VTW = 1ull << 21;
constexpr std::uint64_t VTSR = 1ull << 22;
constexpr std::uint64_t VSXL = 3ull << 32;
constexpr std::uint64_t VSXL_64 = 2ull << 32;  // VS-mode XLEN is 64, read-only
}  // namespace hstatus

// Interrupt numbers (bits of mip/mie; privileged spec, "Machine Interrupt
// Registers").
enum Irq : unsigned {
  kIrqSSI = 1, kIrqVSSI = 2, kIrqMSI = 3, kIrqSTI = 5, kIrqVSTI = 6, kIrqMTI = 7,
  kIrqSEI = 9, kIrqVSEI = 10, kIrqMEI = 11, kIrqSGEI = 12, kIrqLCOFI = 13,
};
// The VS-level interrupts, which H makes read-only one in mideleg.
constexpr std::uint64_t kVsIrqs = (1ull << 2) | (1ull << 6) | (1ull << 10);
constexpr std::uint64_t irq_bit(Irq irq) { return 1ull << irq; }
// Major interrupts 13-63: local and custom interrupts (AIA, "Defined major
// interrupts"). The hart raises none itself; mvien/mvip and hvien/hvip
// inject them as virtual interrupts.
constexpr std::uint64_t kLocalIrqs = ~std::uint64_t{0x1fff};

// hvictl fields (AIA, "Virtual interrupts for VS level").
namespace hvictl {
constexpr std::uint64_t VTI = 1ull << 30;
constexpr unsigned IID_SHIFT = 16;
constexpr std::uint64_t IID = 0xfffull << IID_SHIFT;
constexpr std::uint64_t DPR = 1ull << 9;
constexpr std::uint64_t IPRIOM = 1ull << 8;
constexpr std::uint64_t IPRIO = 0xff;
constexpr std::uint64_t kWritable = VTI | IID | DPR | IPRIOM | IPRIO;
}  // namespace hvictl

// Smstateen bits of the *stateen0 registers (bit 63 in every *stateenN).
namespace stateen {
constexpr std::uint64_t SE = 1ull << 63;
constexpr std::uint64_t ENVCFG = 1ull << 62;
constexpr std::uint64_t CSRIND = 1ull << 60;
constexpr std::uint64_t AIA = 1ull << 59;
constexpr std::uint64_t IMSIC = 1ull << 58;
}  // namespace stateen

namespace menvcfg {
constexpr std::uint64_t FIOM = 1ull << 0;
constexpr std::uint64_t STCE = 1ull << 63;  // Sstc: stimecmp enabled below M
}  // namespace menvcfg

// misa extension bits.
constexpr std::uint64_t misa_ext(char letter) { return 1ull << (letter - 'A'); }
constexpr std::uint64_t kMisaMxl64 = 2ull << 62;

}  // namespace orrery::riscv
