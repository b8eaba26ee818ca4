// The virt machine with QEMU 7.2's AIA options: -M virt,aia=aplic and
// -M virt,aia=aplic-imsic[,aia-guests=N].
#include <gtest/gtest.h>
#include <libfdt.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/irqchip/aplic.hpp"
#include "orrery/irqchip/imsic.hpp"
#include "orrery/platforms/riscv_virt.hpp"
#include "orrery/platforms/uart16550.hpp"
#include "orrery/riscv/hart.hpp"
#include "temp_image.hpp"

namespace orrery {
namespace {

constexpr unsigned kSeip = 9, kMeip = 11;

RiscvVirtConfig aia_config(VirtAia aia, unsigned harts, unsigned guests = 0) {
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = test::write_loop_kernel("virt_aia_loop");
  config.harts = harts;
  config.aia = aia;
  config.aia_guests = guests;
  return config;
}

Addr sourcecfg(unsigned id) { return Aplic::kSourcecfg + 4 * (id - 1); }
Addr target(unsigned id) { return Aplic::kTarget + 4 * (id - 1); }

// dtc's decompilation of a blob, with its warnings; "" if dtc is missing.
struct Dtc {
  int status = -1;
  std::string dts, warnings;
};
Dtc run_dtc(const std::vector<std::uint8_t>& blob, const char* name) {
  Dtc r;
  const std::string stem = test::process_temp_path(name);
  const std::string in = stem + ".dtb", out = stem + ".dts", err = stem + ".err";
  std::ofstream(in, std::ios::binary).write(reinterpret_cast<const char*>(blob.data()),
                                            static_cast<std::streamsize>(blob.size()));
  if (std::system("command -v dtc >/dev/null 2>&1") != 0) return r;
  r.status = std::system(("dtc -I dtb -O dts -o " + out + " " + in + " 2>" + err).c_str());
  std::stringstream dts, warnings;
  dts << std::ifstream(out).rdbuf();
  warnings << std::ifstream(err).rdbuf();
  r.dts = dts.str();
  r.warnings = warnings.str();
  return r;
}

// Every dtc warning is one QEMU 7.2's own tree gets too: interrupt
// controllers without #address-cells.
void expect_only_qemus_warnings(const std::string& warnings) {
  std::istringstream lines(warnings);
  for (std::string line; std::getline(lines, line);)
    EXPECT_NE(line.find("Warning (interrupt_provider)"), std::string::npos) << line;
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const std::size_t a = text.find(from);
  const std::size_t b = text.find(to, a == std::string::npos ? 0 : a);
  if (a == std::string::npos || b == std::string::npos) return "<not found>";
  return text.substr(a, b - a);
}

TEST(VirtAia, AplicImsicMapAndFiles) {
  Machine machine;
  StringBackend console;
  const RiscvVirtBoard board = build_riscv_virt(machine, aia_config(VirtAia::AplicImsic, 2, 2), console);
  EXPECT_EQ(board.plic, nullptr);
  ASSERT_NE(board.aplic_m, nullptr);
  ASSERT_NE(board.aplic_s, nullptr);
  ASSERT_NE(board.imsic_m, nullptr);
  ASSERT_NE(board.imsic_s, nullptr);
  const Bus& bus = machine.bus();
  const auto region = [&](Addr a) {
    const BusRegion* r = bus.find(a);
    return r ? std::make_pair(r->base, r->size) : std::make_pair(Addr{0}, std::uint64_t{0});
  };
  EXPECT_EQ(region(0x0c000000), std::make_pair(Addr{0x0c000000}, std::uint64_t{0x8000})) << "APLIC M";
  EXPECT_EQ(region(0x0d000000), std::make_pair(Addr{0x0d000000}, std::uint64_t{0x8000})) << "APLIC S";
  EXPECT_EQ(region(0x24000000), std::make_pair(Addr{0x24000000}, std::uint64_t{0x2000})) << "IMSIC M: a page a hart";
  EXPECT_EQ(region(0x28000000), std::make_pair(Addr{0x28000000}, std::uint64_t{0x8000}))
      << "IMSIC S: S + 2 guests = 3 pages, 4 a hart";
  EXPECT_EQ(bus.find(0x0c200000), nullptr) << "no PLIC";
  ASSERT_EQ(board.imsic.size(), 2u);
  for (unsigned h = 0; h < 2; ++h) {
    EXPECT_EQ(board.imsic[h].m, &board.imsic_m->file(h));
    EXPECT_EQ(board.imsic[h].s, &board.imsic_s->file(h));
    ASSERT_EQ(board.imsic[h].guests.size(), 2u);
    EXPECT_EQ(board.imsic[h].guests[1], &board.imsic_s->file(h, 2));
  }
  EXPECT_TRUE(board.aplic_m->msi_mode());
  EXPECT_EQ(board.aplic_m->children().size(), 1u);
  // Hart 1's guest 2 page is 0x2800_0000 + 1 * 0x4000 + 2 * 0x1000.
  Bus& b = machine.bus();
  ASSERT_TRUE(b.write(0x2800'6000, 4, 77));
  EXPECT_TRUE(board.imsic[1].guests[1]->pending(77));
  ASSERT_TRUE(b.write(0x2400'1000, 4, 3));
  EXPECT_TRUE(board.imsic[1].m->pending(3));
}

TEST(VirtAia, UartInterruptReachesSeipThroughAplicAndImsic) {
  Machine machine;
  StringBackend console;
  const RiscvVirtBoard board = build_riscv_virt(machine, aia_config(VirtAia::AplicImsic, 2, 1), console);
  auto& hart1 = static_cast<riscv::RiscvHart&>(*machine.harts()[1]);
  Bus& bus = machine.bus();
  const auto w = [&](Addr a, std::uint32_t v) { ASSERT_TRUE(bus.write(a, 4, v)); };
  // Firmware's part: MSI addresses (LHXW = 1 for two harts; S stride 2 pages,
  // LHXS = 1) and all sources to the S domain.
  w(virt_map::kAplicM + Aplic::kMmsiaddrcfg, virt_map::kImsicM >> 12);
  w(virt_map::kAplicM + Aplic::kMmsiaddrcfgh, 1u << 12);
  w(virt_map::kAplicM + Aplic::kSmsiaddrcfg, virt_map::kImsicS >> 12);
  w(virt_map::kAplicM + Aplic::kSmsiaddrcfgh, 1u << 20);
  for (unsigned id = 1; id <= virt_irq::kAplicSources; ++id) w(virt_map::kAplicM + sourcecfg(id), Aplic::kSourcecfgD);
  // The OS's part: UART (source 10) level-high to hart 1, EIID 12.
  w(virt_map::kAplicS + sourcecfg(virt_irq::kUart0), Aplic::kLevel1);
  w(virt_map::kAplicS + target(virt_irq::kUart0), 1u << 18 | 12);
  w(virt_map::kAplicS + Aplic::kSetienum, virt_irq::kUart0);
  w(virt_map::kAplicS + Aplic::kDomaincfg, Aplic::kDomaincfgIe);
  ImsicFile& s1 = *board.imsic[1].s;
  ASSERT_TRUE(s1.write_indirect(ImsicFile::kEie0, 1u << 12));
  ASSERT_TRUE(s1.write_indirect(ImsicFile::kEidelivery, 1));
  ASSERT_TRUE(bus.write(virt_map::kUart0 + Uart16550::kIer, 1, Uart16550::kIerRxData));
  EXPECT_FALSE(hart1.mip_ & (1u << kSeip));
  console.in = "k";
  board.uart->poll();
  EXPECT_TRUE(s1.pending(12));
  EXPECT_TRUE(hart1.mip_ & (1u << kSeip)) << "S file -> SEIP";
  EXPECT_FALSE(hart1.mip_ & (1u << kMeip));
  EXPECT_EQ(s1.claim(), 12u << 16 | 12u);
  EXPECT_FALSE(hart1.mip_ & (1u << kSeip));
  // The machine-level file drives MEIP.
  ImsicFile& m0 = *board.imsic[0].m;
  m0.write_indirect(ImsicFile::kEie0, 2);
  m0.write_indirect(ImsicFile::kEidelivery, 1);
  w(virt_map::kImsicM, 1);
  EXPECT_TRUE(static_cast<riscv::RiscvHart&>(*machine.harts()[0]).mip_ & (1u << kMeip));
}

TEST(VirtAia, AplicDirectModeDrivesMeipAndSeip) {
  Machine machine;
  StringBackend console;
  const RiscvVirtBoard board = build_riscv_virt(machine, aia_config(VirtAia::Aplic, 2), console);
  EXPECT_EQ(board.imsic_m, nullptr);
  EXPECT_TRUE(board.imsic.empty());
  EXPECT_EQ(machine.bus().find(virt_map::kImsicM), nullptr);
  EXPECT_FALSE(board.aplic_m->msi_mode());
  auto& hart1 = static_cast<riscv::RiscvHart&>(*machine.harts()[1]);
  Bus& bus = machine.bus();
  const auto w = [&](Addr a, std::uint32_t v) { ASSERT_TRUE(bus.write(a, 4, v)); };
  w(virt_map::kAplicM + sourcecfg(virt_irq::kRtc), Aplic::kSourcecfgD);
  w(virt_map::kAplicS + sourcecfg(virt_irq::kRtc), Aplic::kLevel1);
  w(virt_map::kAplicS + target(virt_irq::kRtc), 1u << 18 | 1);
  w(virt_map::kAplicS + Aplic::kSetienum, virt_irq::kRtc);
  w(virt_map::kAplicS + Aplic::kDomaincfg, Aplic::kDomaincfgIe);
  w(virt_map::kAplicS + Aplic::kIdc + 1 * Aplic::kIdcSize + Aplic::kIdelivery, 1);
  // The RTC's alarm in the past fires at once: IRQ_ENABLED, ALARM_HIGH, ALARM_LOW.
  w(virt_map::kRtc + 0x10, 1);
  w(virt_map::kRtc + 0x0c, 0);
  w(virt_map::kRtc + 0x08, 1);
  machine.run(100);
  EXPECT_TRUE(board.aplic_s->pending(virt_irq::kRtc));
  EXPECT_TRUE(hart1.mip_ & (1u << kSeip));
  EXPECT_FALSE(hart1.mip_ & (1u << kMeip));
  // Source 3 kept at machine level, to hart 1's MEIP.
  w(virt_map::kAplicM + sourcecfg(3), Aplic::kDetached);
  w(virt_map::kAplicM + target(3), 1u << 18 | 1);
  w(virt_map::kAplicM + Aplic::kSetienum, 3);
  w(virt_map::kAplicM + Aplic::kDomaincfg, Aplic::kDomaincfgIe);
  w(virt_map::kAplicM + Aplic::kIdc + 1 * Aplic::kIdcSize + Aplic::kIdelivery, 1);
  w(virt_map::kAplicM + Aplic::kSetipnum, 3);
  EXPECT_TRUE(hart1.mip_ & (1u << kMeip));
}

// The device tree of -M virt,aia=aplic-imsic,aia-guests=2 with one hart:
// the AIA nodes exactly as QEMU 7.2 writes them (dtc's rendering of
// `qemu-system-riscv64 -M virt,aia=aplic-imsic,aia-guests=2,dumpdtb=q.dtb`;
// with one hart the phandles agree too).
TEST(VirtAia, DeviceTreeMatchesQemu) {
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config = aia_config(VirtAia::AplicImsic, 1, 2);
  const RiscvVirtBoard board = build_riscv_virt(machine, config, console);
  const void* fdt = board.fdt.data();
  ASSERT_EQ(fdt_check_header(fdt), 0);
  const int serial = fdt_path_offset(fdt, "/soc/serial@10000000");
  ASSERT_GE(serial, 0);
  int len = 0;
  const auto* irq = static_cast<const fdt32_t*>(fdt_getprop(fdt, serial, "interrupts", &len));
  ASSERT_EQ(len, 8);
  EXPECT_EQ(fdt32_to_cpu(irq[0]), 10u);
  EXPECT_EQ(fdt32_to_cpu(irq[1]), 4u) << "IRQ_TYPE_LEVEL_HIGH";
  EXPECT_LT(fdt_path_offset(fdt, "/soc/plic@c000000"), 0);

  const Dtc dtc = run_dtc(board.fdt, "virt_aia_imsic");
  if (dtc.status == -1) GTEST_SKIP() << "dtc is not installed";
  ASSERT_EQ(dtc.status, 0) << dtc.warnings;
  expect_only_qemus_warnings(dtc.warnings);
  EXPECT_EQ(between(dtc.dts, "\t\taplic@d000000 {", "\t\tclint@2000000 {"),
            "\t\taplic@d000000 {\n"
            "\t\t\tphandle = <0x06>;\n"
            "\t\t\triscv,num-sources = <0x60>;\n"
            "\t\t\treg = <0x00 0xd000000 0x00 0x8000>;\n"
            "\t\t\tmsi-parent = <0x04>;\n"
            "\t\t\tinterrupt-controller;\n"
            "\t\t\t#interrupt-cells = <0x02>;\n"
            "\t\t\tcompatible = \"riscv,aplic\";\n"
            "\t\t};\n\n"
            "\t\taplic@c000000 {\n"
            "\t\t\tphandle = <0x05>;\n"
            "\t\t\triscv,delegate = <0x06 0x01 0x60>;\n"
            "\t\t\triscv,children = <0x06>;\n"
            "\t\t\triscv,num-sources = <0x60>;\n"
            "\t\t\treg = <0x00 0xc000000 0x00 0x8000>;\n"
            "\t\t\tmsi-parent = <0x03>;\n"
            "\t\t\tinterrupt-controller;\n"
            "\t\t\t#interrupt-cells = <0x02>;\n"
            "\t\t\tcompatible = \"riscv,aplic\";\n"
            "\t\t};\n\n"
            "\t\timsics@28000000 {\n"
            "\t\t\tphandle = <0x04>;\n"
            "\t\t\triscv,guest-index-bits = <0x02>;\n"
            "\t\t\triscv,ipi-id = <0x01>;\n"
            "\t\t\triscv,num-ids = <0xff>;\n"
            "\t\t\treg = <0x00 0x28000000 0x00 0x4000>;\n"
            "\t\t\tinterrupts-extended = <0x02 0x09>;\n"
            "\t\t\tmsi-controller;\n"
            "\t\t\tinterrupt-controller;\n"
            "\t\t\t#interrupt-cells = <0x00>;\n"
            "\t\t\tcompatible = \"riscv,imsics\";\n"
            "\t\t};\n\n"
            "\t\timsics@24000000 {\n"
            "\t\t\tphandle = <0x03>;\n"
            "\t\t\triscv,ipi-id = <0x01>;\n"
            "\t\t\triscv,num-ids = <0xff>;\n"
            "\t\t\treg = <0x00 0x24000000 0x00 0x1000>;\n"
            "\t\t\tinterrupts-extended = <0x02 0x0b>;\n"
            "\t\t\tmsi-controller;\n"
            "\t\t\tinterrupt-controller;\n"
            "\t\t\t#interrupt-cells = <0x00>;\n"
            "\t\t\tcompatible = \"riscv,imsics\";\n"
            "\t\t};\n\n");
  EXPECT_NE(dtc.dts.find("\t\tserial@10000000 {\n\t\t\tinterrupts = <0x0a 0x04>;\n\t\t\tinterrupt-parent = <0x06>;"),
            std::string::npos);
  EXPECT_NE(dtc.dts.find("\t\ttest@100000 {\n\t\t\tphandle = <0x07>;"), std::string::npos);
  EXPECT_NE(dtc.dts.find("regmap = <0x07>;"), std::string::npos);
}

TEST(VirtAia, DeviceTreeOfAplicAloneAndOfSeveralHarts) {
  VirtFdtParams p;
  p.ram_size = 128ull << 20;
  p.isa = {"rv64imafdc", "rv64imafdc"};
  p.mmu_type = "riscv,sv57";
  p.virtio_slots = {0};
  p.aia = VirtAia::Aplic;
  const std::vector<std::uint8_t> blob = make_virt_fdt(p);
  const void* fdt = blob.data();
  const auto cells = [&](const char* path, const char* prop) {
    std::vector<std::uint32_t> out;
    const int node = fdt_path_offset(fdt, path);
    int len = 0;
    const auto* v = node < 0 ? nullptr : static_cast<const fdt32_t*>(fdt_getprop(fdt, node, prop, &len));
    for (int i = 0; v && i < len / 4; ++i) out.push_back(fdt32_to_cpu(v[i]));
    return out;
  };
  const std::uint32_t intc0 = cells("/cpus/cpu@0/interrupt-controller", "phandle").at(0);
  const std::uint32_t intc1 = cells("/cpus/cpu@1/interrupt-controller", "phandle").at(0);
  EXPECT_EQ(cells("/soc/aplic@c000000", "interrupts-extended"),
            (std::vector<std::uint32_t>{intc0, 11, intc1, 11}));
  EXPECT_EQ(cells("/soc/aplic@d000000", "interrupts-extended"), (std::vector<std::uint32_t>{intc0, 9, intc1, 9}));
  const std::uint32_t aplic_s = cells("/soc/aplic@d000000", "phandle").at(0);
  EXPECT_EQ(cells("/soc/aplic@c000000", "riscv,delegate"), (std::vector<std::uint32_t>{aplic_s, 1, 96}));
  EXPECT_EQ(cells("/soc/virtio_mmio@10001000", "interrupt-parent"), std::vector<std::uint32_t>{aplic_s});
  EXPECT_EQ(cells("/soc/virtio_mmio@10001000", "interrupts"), (std::vector<std::uint32_t>{1, 4}));
  EXPECT_EQ(cells("/soc/rtc@101000", "interrupts"), (std::vector<std::uint32_t>{11, 4}));
  EXPECT_TRUE(cells("/soc/aplic@c000000", "msi-parent").empty());
  EXPECT_LT(fdt_path_offset(fdt, "/soc/imsics@24000000"), 0);
  EXPECT_LT(fdt_path_offset(fdt, "/soc/plic@c000000"), 0);
  EXPECT_EQ(cells("/soc/test@100000", "phandle"), std::vector<std::uint32_t>{7}) << "after the two APLIC domains";

  p.aia = VirtAia::AplicImsic;
  p.aia_guests = 2;
  const std::vector<std::uint8_t> blob2 = make_virt_fdt(p);
  fdt = blob2.data();
  EXPECT_EQ(cells("/soc/imsics@28000000", "reg"), (std::vector<std::uint32_t>{0, 0x28000000, 0, 0x8000}));
  EXPECT_EQ(cells("/soc/imsics@24000000", "reg"), (std::vector<std::uint32_t>{0, 0x24000000, 0, 0x2000}));
  EXPECT_EQ(cells("/soc/imsics@28000000", "interrupts-extended"),
            (std::vector<std::uint32_t>{intc0, 9, intc1, 9}));
  EXPECT_EQ(cells("/soc/imsics@24000000", "interrupts-extended"),
            (std::vector<std::uint32_t>{intc0, 11, intc1, 11}));
  EXPECT_EQ(cells("/soc/aplic@c000000", "msi-parent"), cells("/soc/imsics@24000000", "phandle"));
  EXPECT_EQ(cells("/soc/aplic@d000000", "msi-parent"), cells("/soc/imsics@28000000", "phandle"));
  EXPECT_TRUE(cells("/soc/aplic@d000000", "interrupts-extended").empty());
  const Dtc dtc = run_dtc(blob2, "virt_aia_2harts");
  if (dtc.status == -1) GTEST_SKIP() << "dtc is not installed";
  EXPECT_EQ(dtc.status, 0) << dtc.warnings;
  expect_only_qemus_warnings(dtc.warnings);

  p.aia_guests = 0;
  const std::vector<std::uint8_t> blob3 = make_virt_fdt(p);
  fdt = blob3.data();
  EXPECT_EQ(cells("/soc/imsics@28000000", "reg"), (std::vector<std::uint32_t>{0, 0x28000000, 0, 0x2000}));
  EXPECT_EQ(fdt_getprop(fdt, fdt_path_offset(fdt, "/soc/imsics@28000000"), "riscv,guest-index-bits", nullptr),
            nullptr)
      << "no guests: QEMU leaves the property out";
}

TEST(VirtAia, TooManyGuestsIsAnError) {
  Machine machine;
  StringBackend console;
  EXPECT_THROW(build_riscv_virt(machine, aia_config(VirtAia::AplicImsic, 1, 8), console), Error);
}

}  // namespace
}  // namespace orrery
