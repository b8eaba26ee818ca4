#include "orrery/platforms/riscv_virt.hpp"

#include <elf.h>

#include <fmt/format.h>

#include "orrery/core/loader.hpp"
#include "orrery/platforms/sifive_test.hpp"
#include "orrery/platforms/uart16550.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery {
namespace {

const ElfTarget kRiscv64{EM_RISCV, true, "RISC-V 64-bit"};

LoadedImage load_image(Bus& bus, const std::string& path, Addr raw_base) {
  return is_elf_file(path) ? load_elf(bus, path, kRiscv64) : load_raw(bus, path, raw_base);
}

// Load firmware and kernel as QEMU's virt does and return the entry point.
// Every call reloads them, so a guest-requested reset starts afresh.
Addr load_images(Machine& machine, const RiscvVirtConfig& config) {
  Bus& bus = machine.bus();
  if (config.bios != "none") {
    const LoadedImage fw = load_image(bus, config.bios, virt_map::kDram);
    if (!config.kernel.empty()) load_image(bus, config.kernel, virt_map::kKernelWithFirmware);
    return fw.entry;
  }
  if (config.kernel.empty()) throw Error("nothing to run: give -kernel FILE (or a firmware with -bios FILE)");
  return load_image(bus, config.kernel, virt_map::kDram).entry;
}

void reset_harts(Machine& machine, Addr entry) {
  for (auto& h : machine.harts()) {
    auto& hart = static_cast<riscv::RiscvHart&>(*h);
    hart.reset(entry);
    // Boot protocol of QEMU's reset vector: a0 = hart ID, a1 = device tree
    // address (none is generated yet, so 0).
    hart.set_x(10, hart.id());
    hart.set_x(11, 0);
  }
}

}  // namespace

void build_riscv_virt(Machine& machine, const RiscvVirtConfig& config, CharBackend& console) {
  if (config.harts == 0 || config.harts > kRiscvVirtMaxHarts)
    throw Error(fmt::format("-smp {}: the virt machine supports 1 to {} harts", config.harts, kRiscvVirtMaxHarts));
  if (config.ram_size < (1ull << 20) || config.ram_size > (1ull << 40) || config.ram_size % 4096)
    throw Error(fmt::format("-m: RAM size {:#x} must be a multiple of 4 KiB between 1 MiB and 1 TiB", config.ram_size));

  Bus& bus = machine.bus();
  bus.add_ram("riscv_virt_board.ram", virt_map::kDram, config.ram_size);
  bus.add_mmio("serial", virt_map::kUart0, virt_map::kUartSize,
               machine.own(std::make_unique<Uart16550>(console)));
  bus.add_mmio("riscv.sifive.test", virt_map::kTest, virt_map::kTestSize,
               machine.own(std::make_unique<SifiveTest>(machine)));

  riscv::HartConfig hart_config;
  hart_config.multi_hart = config.harts > 1;
  for (unsigned i = 0; i < config.harts; ++i)
    machine.add_hart(std::make_unique<riscv::RiscvHart>(i, machine, hart_config));

  reset_harts(machine, load_images(machine, config));
  machine.set_reset_handler([config](Machine& m) { reset_harts(m, load_images(m, config)); });
}

}  // namespace orrery
