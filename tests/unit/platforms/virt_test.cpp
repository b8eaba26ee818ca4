#include <gtest/gtest.h>
#include <libfdt.h>
#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/irqchip/aclint.hpp"
#include "orrery/irqchip/plic.hpp"
#include "orrery/platforms/riscv_virt.hpp"
#include "orrery/platforms/uart16550.hpp"
#include "orrery/riscv/hart.hpp"
#include "temp_image.hpp"

namespace orrery {
namespace {

std::string write_loop_kernel() { return test::write_loop_kernel("virt_loop"); }

std::uint64_t read64(Bus& bus, Addr a) {
  std::uint64_t v = 0;
  EXPECT_TRUE(bus.read(a, 8, v));
  return v;
}

TEST(ResetRom, EncodesTheBootProtocol) {
  const auto rom = make_reset_rom(0x80000000, 0x87e00000, 0x80200000);
  std::uint32_t insn[kResetRomInstructions];
  std::memcpy(insn, rom.data(), sizeof insn);
  // Cross-checked with riscv64-linux-gnu-objdump.
  EXPECT_EQ(insn[0], 0x00000297u);  // auipc t0, 0
  EXPECT_EQ(insn[1], 0x02828613u);  // addi a2, t0, 40
  EXPECT_EQ(insn[2], 0xf1402573u);  // csrr a0, mhartid
  EXPECT_EQ(insn[3], 0x0202b583u);  // ld a1, 32(t0)
  EXPECT_EQ(insn[4], 0x0182b283u);  // ld t0, 24(t0)
  EXPECT_EQ(insn[5], 0x00028067u);  // jr t0
  std::uint64_t info[6];
  std::memcpy(info, rom.data() + kResetRomInfoOffset, sizeof info);
  EXPECT_EQ(info[0], 0x4942534fu) << "OpenSBI's fw_dynamic magic";
  EXPECT_EQ(info[1], 2u) << "version";
  EXPECT_EQ(info[2], 0x80200000u) << "next_addr";
  EXPECT_EQ(info[3], 1u) << "next_mode S";
  EXPECT_EQ(info[4], 0u) << "options";
  EXPECT_EQ(info[5], 0u) << "boot_hart";
}

TEST(VirtBoot, HartsRunTheRomIntoTheKernelWithBootArguments) {
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = write_loop_kernel();
  config.harts = 2;
  const RiscvVirtBoard board = build_riscv_virt(machine, config, console);
  EXPECT_EQ(board.firmware_entry, 0x80000000u);
  EXPECT_EQ(board.fdt_addr, 0x87e00000u) << "128 MiB: the last 2 MiB boundary below the end of RAM";
  for (auto& h : machine.harts()) EXPECT_EQ(h->pc(), 0x1000u);
  machine.run(2 * kResetRomInstructions);
  for (auto& h : machine.harts()) {
    auto& hart = static_cast<riscv::RiscvHart&>(*h);
    EXPECT_EQ(hart.pc(), 0x80000000u);
    EXPECT_EQ(hart.x(10), hart.id()) << "a0 = mhartid";
    EXPECT_EQ(hart.x(11), board.fdt_addr) << "a1 = device tree";
    EXPECT_EQ(hart.x(12), virt_map::kMrom + kResetRomInfoOffset) << "a2 = fw_dynamic_info";
  }
  EXPECT_EQ(read64(machine.bus(), board.fdt_addr) & 0xffffffff, 0xedfe0dd0u) << "FDT magic, big-endian";
}

TEST(VirtBoot, RawKernelGoesAfterTheFirmwareAndNextAddrPointsAtIt) {
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config;
  config.bios = write_loop_kernel();  // any raw image serves as firmware
  config.kernel = write_loop_kernel();
  config.ram_size = 256ull << 20;
  const RiscvVirtBoard board = build_riscv_virt(machine, config, console);
  EXPECT_EQ(board.firmware_entry, 0x80000000u);
  EXPECT_EQ(board.kernel_entry, 0x80200000u);
  EXPECT_EQ(read64(machine.bus(), virt_map::kMrom + kResetRomInfoOffset + 16), 0x80200000u);
  EXPECT_EQ(board.fdt_addr, 0x8fe00000u);
}

TEST(VirtBoot, InitrdIsPlacedAsQemuPlacesIt) {
  const std::string initrd = test::process_temp_path("virt_initrd") + ".img";
  std::ofstream(initrd, std::ios::binary) << "0123456789";
  for (auto [ram, start] : {std::pair{128ull << 20, 0x84000000ull}, std::pair{1ull << 30, 0x88000000ull}}) {
    Machine machine;
    StringBackend console;
    RiscvVirtConfig config;
    config.bios = "none";
    config.kernel = write_loop_kernel();
    config.initrd = initrd;
    config.ram_size = ram;
    const RiscvVirtBoard board = build_riscv_virt(machine, config, console);
    EXPECT_EQ(board.initrd_start, start) << "kernel entry + min(RAM / 2, 128 MiB)";
    EXPECT_EQ(board.initrd_end, start + 10);
    const void* fdt = board.fdt.data();
    const int chosen = fdt_path_offset(fdt, "/chosen");
    ASSERT_GE(chosen, 0);
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-start", &len));
    ASSERT_EQ(len, 4) << "one cell below 4 GiB, as QEMU writes it";
    EXPECT_EQ(fdt32_to_cpu(*p), start);
  }
}

TEST(VirtBoot, FdtPlacement) {
  EXPECT_EQ(fdt_load_address(128ull << 20, 0x1000), 0x87e00000u);
  EXPECT_EQ(fdt_load_address(128ull << 20, 0x200000), 0x87e00000u);
  EXPECT_EQ(fdt_load_address(128ull << 20, 0x200001), 0x87c00000u);
  EXPECT_EQ(fdt_load_address(4ull << 30, 0x1000), 0xbfe00000u) << "below 3 GiB";
}

TEST(VirtBoot, MissingDefaultFirmwareIsAClearError) {
  // Only meaningful where Debian's opensbi is not installed.
  if (std::ifstream(kDefaultBios)) GTEST_SKIP() << "opensbi is installed";
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config;
  try {
    build_riscv_virt(machine, config, console);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("apt-get install opensbi"), std::string::npos) << e.what();
  }
}

std::string build_error(const RiscvVirtConfig& config) {
  Machine machine;
  StringBackend console;
  try {
    build_riscv_virt(machine, config, console);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Images must not share a byte: the later one would silently overwrite the
// earlier (QEMU refuses overlapping ROM blobs too).
TEST(VirtBoot, OverlappingImagesAreRefused) {
  RiscvVirtConfig config;
  config.bios = test::write_elf("virt_fw", 0x80000000, 16, 16);
  config.kernel = test::write_elf("virt_kernel", 0x80000000, 16, 16);
  EXPECT_NE(build_error(config).find(fmt::format("-kernel {} (0x80000000-0x80000010) overlaps -bios {} "
                                                 "(0x80000000-0x80000010)",
                                                 config.kernel, config.bios)),
            std::string::npos)
      << build_error(config);

  // An ELF linked into the boot ROM loads, but the reset code would replace it.
  config.bios = "none";
  config.kernel = test::write_elf("virt_rom_kernel", 0x1000, 16, 16);
  EXPECT_NE(build_error(config).find(fmt::format("overlaps -kernel {} (0x1000-0x1010)", config.kernel)),
            std::string::npos)
      << build_error(config);

  // The initrd goes RAM/2 past the kernel's entry; a bss reaching beyond that
  // would be zeroed over it by the kernel.
  config.kernel = test::write_elf("virt_bss_kernel", 0x80000000, 16, 80ull << 20);
  config.initrd = test::write_words("virt_small_initrd", {1});
  EXPECT_NE(build_error(config).find(fmt::format("-initrd {} (0x84000000-0x84000004) overlaps -kernel {} "
                                                 "(0x80000000-0x85000000)",
                                                 config.initrd, config.kernel)),
            std::string::npos)
      << build_error(config);
}

// Loader errors name the flag the file came with, and an image that does not
// fit says where RAM ends.
TEST(VirtBoot, ImageErrorsNameTheirFlag) {
  RiscvVirtConfig config;
  config.bios = "none";
  config.ram_size = 2ull << 20;
  config.kernel = test::process_temp_path("virt_big_kernel") + ".bin";
  {
    std::ofstream out(config.kernel, std::ios::binary);
    out.seekp((3 << 20) - 1);
    out.put(0);
  }
  EXPECT_NE(build_error(config).find(fmt::format("-kernel: '{}' (0x80000000-0x80300000, 3145728 bytes) does not "
                                                 "fit: it runs past the end of riscv_virt_board.ram at 0x80200000",
                                                 config.kernel)),
            std::string::npos)
      << build_error(config);
  std::remove(config.kernel.c_str());
  config.ram_size = 128ull << 20;
  config.kernel = write_loop_kernel();
  config.initrd = test::process_temp_path("virt_no_initrd");
  EXPECT_EQ(build_error(config).find("-initrd: cannot open '" + config.initrd + "'"), 0u) << build_error(config);
  config.initrd.clear();
  config.bios = config.kernel + "/child";
  EXPECT_EQ(build_error(config).find("-bios: cannot open '" + config.bios + "': Not a directory"), 0u)
      << build_error(config);
  config.bios = "none";
  config.dtb = test::process_temp_path("virt_empty_dtb");
  std::ofstream(config.dtb, std::ios::binary).flush();
  EXPECT_EQ(build_error(config), fmt::format("-dtb {}: is empty", config.dtb));
  std::ofstream(config.dtb, std::ios::binary) << "not a blob";
  EXPECT_EQ(build_error(config), fmt::format("-dtb {}: not a valid device tree blob", config.dtb));
  std::remove(config.dtb.c_str());
}

TEST(VirtBoot, DevicesAreWiredToTheHarts) {
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = write_loop_kernel();
  config.harts = 2;
  const RiscvVirtBoard board = build_riscv_virt(machine, config, console);
  auto& hart1 = static_cast<riscv::RiscvHart&>(*machine.harts()[1]);
  Bus& bus = machine.bus();
  // MSIP of hart 1 through the CLINT.
  ASSERT_TRUE(bus.write(virt_map::kClint + 4, 4, 1));
  EXPECT_TRUE(hart1.mip_ & (1u << 3));
  // UART RX interrupt -> PLIC source 10 -> hart 1's S context (3) -> SEIP.
  ASSERT_TRUE(bus.write(virt_map::kPlic + 4 * virt_irq::kUart0, 4, 1));
  ASSERT_TRUE(bus.write(virt_map::kPlic + Plic::kEnableBase + 3 * Plic::kEnableStride, 4, 1u << virt_irq::kUart0));
  ASSERT_TRUE(bus.write(virt_map::kUart0 + Uart16550::kIer, 1, Uart16550::kIerRxData));
  EXPECT_FALSE(hart1.mip_ & (1u << 9));
  console.in = "k";
  board.uart->poll();
  EXPECT_TRUE(hart1.mip_ & (1u << 9));
  EXPECT_FALSE(hart1.mip_ & (1u << 11)) << "M context not enabled";
  std::uint64_t v = 0;
  ASSERT_TRUE(bus.read(virt_map::kPlic + Plic::kContextBase + 3 * Plic::kContextStride + 4, 4, v));
  EXPECT_EQ(v, virt_irq::kUart0);
  ASSERT_TRUE(bus.read(virt_map::kUart0, 1, v));
  EXPECT_EQ(v, static_cast<std::uint64_t>('k'));
  // The time CSR source is the CLINT's mtime.
  EXPECT_EQ(board.clint->mtime(), 0u);
}

TEST(VirtBoot, ConsoleInputArrivesWhileTheGuestRuns) {
  // Input written to the console's pipe while the guest spins reaches the
  // UART through the periodic console event, with no guest access: the RX
  // interrupt rises and PLIC source 10 becomes pending.
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  {
    StdioBackend console(in[0], out[1]);
    Machine machine;
    RiscvVirtConfig config;
    config.bios = "none";
    config.kernel = write_loop_kernel();
    build_riscv_virt(machine, config, console);
    EXPECT_FALSE(machine.events().empty()) << "a console poll is scheduled while input may come";
    Bus& bus = machine.bus();
    ASSERT_TRUE(bus.write(virt_map::kUart0 + Uart16550::kIer, 1, Uart16550::kIerRxData));
    machine.run(1000);
    std::uint64_t v = 0;
    ASSERT_TRUE(bus.read(virt_map::kPlic + Plic::kPendingBase, 4, v));
    EXPECT_EQ(v, 0u);
    ASSERT_EQ(write(in[1], "z", 1), 1);
    machine.run(200'000);  // past the next 100 us poll
    ASSERT_TRUE(bus.read(virt_map::kPlic + Plic::kPendingBase, 4, v));
    EXPECT_EQ(v, 1u << virt_irq::kUart0);
    ASSERT_TRUE(bus.read(virt_map::kUart0, 1, v));
    EXPECT_EQ(v, static_cast<std::uint64_t>('z'));
    close(in[1]);
    machine.run(200'000);
    EXPECT_FALSE(console.input_open()) << "end of file seen";
    EXPECT_TRUE(machine.events().empty()) << "polling stops at end of input";
  }
  close(in[0]);
  close(out[0]);
  close(out[1]);
}

TEST(VirtBoot, VirtioSlotsAreMappedWiredAndDescribed) {
  struct Probe final : Device {
    std::string_view name() const override { return "probe"; }
    bool read(Addr, unsigned, std::uint64_t& v) override {
      v = 0x74726976;
      return true;
    }
    bool write(Addr, unsigned, std::uint64_t) override { return true; }
    IrqLine irq;
  };
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = write_loop_kernel();
  Probe* probe = nullptr;
  config.virtio.push_back({3, [&](Machine& m, IrqLine irq) -> Device& {
                             probe = &m.own(std::make_unique<Probe>());
                             probe->irq = std::move(irq);
                             return *probe;
                           }});
  const RiscvVirtBoard board = build_riscv_virt(machine, config, console);
  ASSERT_NE(probe, nullptr);
  std::uint64_t v = 0;
  ASSERT_TRUE(machine.bus().read(0x10004000, 4, v));
  EXPECT_EQ(v, 0x74726976u);
  EXPECT_FALSE(machine.bus().read(0x10001000, 4, v)) << "empty slots are not mapped";
  probe->irq(true);
  ASSERT_TRUE(machine.bus().read(virt_map::kPlic + Plic::kPendingBase, 4, v));
  EXPECT_EQ(v, 1u << 4) << "slot 3 interrupts through source 4";
  const void* fdt = board.fdt.data();
  const int node = fdt_path_offset(fdt, "/soc/virtio_mmio@10004000");
  ASSERT_GE(node, 0);
  EXPECT_LT(fdt_path_offset(fdt, "/soc/virtio_mmio@10001000"), 0);
  int len = 0;
  const auto* irq = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "interrupts", &len));
  ASSERT_EQ(len, 4);
  EXPECT_EQ(fdt32_to_cpu(*irq), 4u);

  RiscvVirtConfig twice = config;
  twice.virtio.push_back(config.virtio[0]);
  Machine m2;
  EXPECT_THROW(build_riscv_virt(m2, twice, console), Error);
}

// The generated tree: the nodes and properties QEMU 7.2's virt has.
TEST(VirtFdt, ShapeFollowsQemu) {
  VirtFdtParams p;
  p.ram_size = 256ull << 20;
  p.isa = {"rv64imafdc", "rv64imafdc"};
  p.mmu_type = "riscv,sv57";
  p.bootargs = "console=ttyS0 earlycon";
  const std::vector<std::uint8_t> blob = make_virt_fdt(p);
  const void* fdt = blob.data();
  ASSERT_EQ(fdt_check_header(fdt), 0);
  const auto str = [&](const char* path, const char* prop) {
    const int node = fdt_path_offset(fdt, path);
    if (node < 0) return std::string("<no node>");
    int len = 0;
    const char* v = static_cast<const char*>(fdt_getprop(fdt, node, prop, &len));
    return v ? std::string(v, static_cast<std::size_t>(len)) : std::string("<no property>");
  };
  const auto cells = [&](const char* path, const char* prop) {
    std::vector<std::uint32_t> out;
    const int node = fdt_path_offset(fdt, path);
    int len = 0;
    const auto* v = node < 0 ? nullptr : static_cast<const fdt32_t*>(fdt_getprop(fdt, node, prop, &len));
    for (int i = 0; v && i < len / 4; ++i) out.push_back(fdt32_to_cpu(v[i]));
    return out;
  };
  using namespace std::string_literals;
  EXPECT_EQ(str("/", "compatible"), "riscv-virtio\0"s);
  EXPECT_EQ(str("/", "model"), "riscv-virtio,qemu\0"s);
  EXPECT_EQ(str("/chosen", "stdout-path"), "/soc/serial@10000000\0"s);
  EXPECT_EQ(str("/chosen", "bootargs"), "console=ttyS0 earlycon\0"s);
  EXPECT_EQ(cells("/memory@80000000", "reg"), (std::vector<std::uint32_t>{0, 0x80000000, 0, 0x10000000}));
  EXPECT_EQ(cells("/cpus", "timebase-frequency"), std::vector<std::uint32_t>{10000000});
  EXPECT_EQ(str("/cpus/cpu@1", "riscv,isa"), "rv64imafdc\0"s);
  EXPECT_EQ(str("/cpus/cpu@1", "mmu-type"), "riscv,sv57\0"s);
  EXPECT_EQ(str("/cpus/cpu@1/interrupt-controller", "compatible"), "riscv,cpu-intc\0"s);
  EXPECT_EQ(cells("/cpus/cpu-map/cluster0/core1", "cpu"), cells("/cpus/cpu@1", "phandle"));
  const std::uint32_t intc0 = cells("/cpus/cpu@0/interrupt-controller", "phandle").at(0);
  const std::uint32_t intc1 = cells("/cpus/cpu@1/interrupt-controller", "phandle").at(0);
  EXPECT_EQ(cells("/soc/clint@2000000", "interrupts-extended"),
            (std::vector<std::uint32_t>{intc0, 3, intc0, 7, intc1, 3, intc1, 7}));
  EXPECT_EQ(cells("/soc/plic@c000000", "interrupts-extended"),
            (std::vector<std::uint32_t>{intc0, 11, intc0, 9, intc1, 11, intc1, 9}));
  EXPECT_EQ(str("/soc/plic@c000000", "compatible"), "sifive,plic-1.0.0\0riscv,plic0\0"s);
  EXPECT_EQ(cells("/soc/plic@c000000", "riscv,ndev"), std::vector<std::uint32_t>{95});
  const std::uint32_t plic = cells("/soc/plic@c000000", "phandle").at(0);
  EXPECT_EQ(cells("/soc/serial@10000000", "interrupt-parent"), std::vector<std::uint32_t>{plic});
  EXPECT_EQ(cells("/soc/serial@10000000", "interrupts"), std::vector<std::uint32_t>{10});
  EXPECT_EQ(cells("/soc/serial@10000000", "clock-frequency"), std::vector<std::uint32_t>{0x384000});
  EXPECT_EQ(str("/soc/rtc@101000", "compatible"), "google,goldfish-rtc\0"s);
  EXPECT_EQ(cells("/soc/rtc@101000", "interrupts"), std::vector<std::uint32_t>{11});
  EXPECT_EQ(str("/soc/test@100000", "compatible"), "sifive,test1\0sifive,test0\0syscon\0"s);
  const std::uint32_t test = cells("/soc/test@100000", "phandle").at(0);
  EXPECT_EQ(cells("/poweroff", "regmap"), std::vector<std::uint32_t>{test});
  EXPECT_EQ(cells("/poweroff", "value"), std::vector<std::uint32_t>{0x5555});
  EXPECT_EQ(cells("/reboot", "value"), std::vector<std::uint32_t>{0x7777});
  EXPECT_LT(fdt_path_offset(fdt, "/soc/virtio_mmio@10001000"), 0) << "no virtio devices configured";
  EXPECT_EQ(str("/chosen", "linux,initrd-start"), "<no property>");
}

TEST(VirtFdt, PatchChosenOfAGivenBlob) {
  VirtFdtParams p;
  p.ram_size = 128ull << 20;
  p.isa = {"rv64imafdc"};
  p.mmu_type = "riscv,sv39";
  const auto patched = patch_fdt_chosen(make_virt_fdt(p), "root=/dev/vda", 0x84000000, 0x84001000);
  const void* fdt = patched.data();
  const int chosen = fdt_path_offset(fdt, "/chosen");
  ASSERT_GE(chosen, 0);
  EXPECT_STREQ(static_cast<const char*>(fdt_getprop(fdt, chosen, "bootargs", nullptr)), "root=/dev/vda");
  EXPECT_NE(fdt_getprop(fdt, chosen, "linux,initrd-end", nullptr), nullptr);
  EXPECT_THROW(patch_fdt_chosen({1, 2, 3}, "x", 0, 0), Error);
}

}  // namespace
}  // namespace orrery
