#pragma once
#include <cstdint>
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/char_backend.hpp"

namespace orrery {

// The RISC-V `virt` machine, following QEMU's memory map. This foundation
// version has RAM, the NS16550A UART and the SiFive test finisher; the
// interrupt controllers, timers, virtio and the device tree come with the
// full-system work.
struct RiscvVirtConfig {
  std::uint64_t ram_size = 128ull << 20;  // QEMU's default -m
  unsigned harts = 1;
  std::string bios = "none";  // "none" or a firmware file (ELF or raw)
  std::string kernel;         // ELF or raw binary
};

namespace virt_map {
constexpr Addr kTest = 0x0010'0000, kTestSize = 0x1000;
constexpr Addr kUart0 = 0x1000'0000, kUartSize = 0x100;
constexpr Addr kDram = 0x8000'0000;
constexpr Addr kKernelWithFirmware = 0x8020'0000;  // where -kernel goes when a firmware runs first
}  // namespace virt_map

constexpr unsigned kRiscvVirtMaxHarts = 64;

// Populate `machine` (which must be empty) and load the images. Throws Error
// for bad configurations and files.
void build_riscv_virt(Machine& machine, const RiscvVirtConfig& config, CharBackend& console);

}  // namespace orrery
