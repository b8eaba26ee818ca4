// The virt machine's flattened device tree, in the shape QEMU 7.2 generates
// (compare: qemu-system-riscv64 -M virt,dumpdtb=q.dtb; dtc -I dtb q.dtb;
// with aia=aplic or aia=aplic-imsic[,aia-guests=N] for the AIA nodes).
// Nodes for devices Orrery does not model (fw-cfg, flash, PCIe, the
// platform bus, the PMU node) are left out, and so are virtio-mmio slots
// with no device.
#include <libfdt.h>

#include <fmt/format.h>

#include <cstring>
#include <initializer_list>

#include "orrery/pmu/pmu.hpp"
#include "orrery/irqchip/imsic.hpp"
#include "orrery/platforms/riscv_virt.hpp"

namespace orrery {
namespace {

// Sequential-write builder over libfdt; every libfdt error becomes an Error.
class FdtWriter {
 public:
  FdtWriter() : buf_(64 * 1024) { check(fdt_create(buf_.data(), static_cast<int>(buf_.size())), "create"); }

  void begin(const std::string& name) { check(fdt_begin_node(buf_.data(), name.c_str()), name.c_str()); }
  void end() { check(fdt_end_node(buf_.data()), "end node"); }
  void prop(const char* name, const void* data, std::size_t len) {
    check(fdt_property(buf_.data(), name, data, static_cast<int>(len)), name);
  }
  void empty(const char* name) { prop(name, nullptr, 0); }
  void u32(const char* name, std::uint32_t v) { check(fdt_property_u32(buf_.data(), name, v), name); }
  void cells(const char* name, std::initializer_list<std::uint32_t> values) { cells(name, std::vector(values)); }
  void cells(const char* name, const std::vector<std::uint32_t>& values) {
    std::vector<fdt32_t> be;
    for (std::uint32_t v : values) be.push_back(cpu_to_fdt32(v));
    prop(name, be.data(), be.size() * sizeof(fdt32_t));
  }
  void str(const char* name, const std::string& s) { prop(name, s.c_str(), s.size() + 1); }
  // A string list: "a\0b\0".
  void strs(const char* name, std::initializer_list<const char*> list) {
    std::string joined;
    for (const char* s : list) joined.append(s).push_back('\0');
    prop(name, joined.data(), joined.size());
  }
  // reg with #address-cells = #size-cells = 2.
  void reg64(Addr base, std::uint64_t size) {
    cells("reg", {hi(base), lo(base), hi(size), lo(size)});
  }

  std::vector<std::uint8_t> finish() {
    check(fdt_end_node(buf_.data()), "root");
    check(fdt_finish(buf_.data()), "finish");
    buf_.resize(fdt_totalsize(buf_.data()));
    return std::move(buf_);
  }
  void start_tree() {
    check(fdt_finish_reservemap(buf_.data()), "reservemap");
    begin("");
  }

  static std::uint32_t hi(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
  static std::uint32_t lo(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

 private:
  static void check(int err, const char* what) {
    if (err < 0) throw Error(fmt::format("device tree: {}: {}", what, fdt_strerror(err)));
  }
  std::vector<std::uint8_t> buf_;
};

// Phandles as QEMU numbers them: cpu N and its interrupt controller first,
// then the interrupt controllers (the PLIC; or the M and S IMSICs, then the
// M and S APLIC domains), then the test device.
struct Phandles {
  Phandles(unsigned harts, VirtAia aia) {
    std::uint32_t next = 2 * harts + 1;
    if (aia == VirtAia::None) {
      plic = next++;
    } else {
      if (aia == VirtAia::AplicImsic) {
        imsic_m = next++;
        imsic_s = next++;
      }
      aplic_m = next++;
      aplic_s = next++;
    }
    test = next;
  }
  static std::uint32_t cpu(unsigned h) { return 2 * h + 1; }
  static std::uint32_t intc(unsigned h) { return 2 * h + 2; }
  // The devices' interrupt parent: the PLIC, or the APLIC's S domain.
  std::uint32_t irqchip() const { return plic ? plic : aplic_s; }
  std::uint32_t plic = 0, imsic_m = 0, imsic_s = 0, aplic_m = 0, aplic_s = 0, test = 0;
};

// A device's interrupt: one cell for the PLIC; the APLIC's binding adds the
// trigger type (4, IRQ_TYPE_LEVEL_HIGH).
void device_irq(FdtWriter& w, const VirtFdtParams& p, const Phandles& ph, unsigned id) {
  if (p.aia == VirtAia::None)
    w.u32("interrupts", id);
  else
    w.cells("interrupts", {id, 4});
  w.u32("interrupt-parent", ph.irqchip());
}

void write_cpus(FdtWriter& w, const VirtFdtParams& p) {
  const unsigned harts = static_cast<unsigned>(p.isa.size());
  w.begin("cpus");
  w.u32("#address-cells", 1);
  w.u32("#size-cells", 0);
  w.u32("timebase-frequency", static_cast<std::uint32_t>(kVirtTimebaseHz));
  for (unsigned h = 0; h < harts; ++h) {
    w.begin(fmt::format("cpu@{:x}", h));
    w.u32("phandle", Phandles::cpu(h));
    w.str("device_type", "cpu");
    w.u32("reg", h);
    w.str("status", "okay");
    w.str("compatible", "riscv");
    w.str("riscv,isa", p.isa[h]);
    w.str("mmu-type", p.mmu_type);
    w.begin("interrupt-controller");
    w.u32("#interrupt-cells", 1);
    w.empty("interrupt-controller");
    w.str("compatible", "riscv,cpu-intc");
    w.u32("phandle", Phandles::intc(h));
    w.end();
    w.end();
  }
  w.begin("cpu-map");
  w.begin("cluster0");
  for (unsigned h = 0; h < harts; ++h) {
    w.begin(fmt::format("core{}", h));
    w.u32("cpu", Phandles::cpu(h));
    w.end();
  }
  w.end();
  w.end();
  w.end();
}

// Contexts 2h (M-mode, MEIP = 11) and 2h+1 (S-mode, SEIP = 9) of hart h.
void write_plic(FdtWriter& w, unsigned harts, const Phandles& ph) {
  std::vector<std::uint32_t> plic_irqs;
  for (unsigned h = 0; h < harts; ++h) plic_irqs.insert(plic_irqs.end(), {Phandles::intc(h), 11, Phandles::intc(h), 9});
  w.begin(fmt::format("plic@{:x}", virt_map::kPlic));
  w.u32("phandle", ph.plic);
  // The highest source ID (the binding's "number of interrupt sources"),
  // 95; QEMU 7.2 writes 96, one past its last source.
  w.u32("riscv,ndev", virt_irq::kPlicSources - 1);
  w.reg64(virt_map::kPlic, virt_map::kPlicSize);
  w.cells("interrupts-extended", plic_irqs);
  w.empty("interrupt-controller");
  w.strs("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
  w.u32("#address-cells", 0);
  w.u32("#interrupt-cells", 1);
  w.end();
}

// interrupts-extended naming one interrupt (MEIP 11 or SEIP 9) of every hart.
std::vector<std::uint32_t> every_hart(unsigned harts, std::uint32_t irq) {
  std::vector<std::uint32_t> cells;
  for (unsigned h = 0; h < harts; ++h) cells.insert(cells.end(), {Phandles::intc(h), irq});
  return cells;
}

// QEMU 7.2's AIA nodes, in its order: the S then M APLIC domains, then (with
// IMSICs) the S then M IMSICs. The M domain delegates sources 1..96 to the
// S domain (riscv,delegate = <child first last>).
void write_aia(FdtWriter& w, const VirtFdtParams& p, const Phandles& ph) {
  const unsigned harts = static_cast<unsigned>(p.isa.size());
  const bool msi = p.aia == VirtAia::AplicImsic;
  for (const bool machine : {false, true}) {
    const Addr base = machine ? virt_map::kAplicM : virt_map::kAplicS;
    w.begin(fmt::format("aplic@{:x}", base));
    w.u32("phandle", machine ? ph.aplic_m : ph.aplic_s);
    if (machine) {
      w.cells("riscv,delegate", {ph.aplic_s, 1, virt_irq::kAplicSources});
      w.u32("riscv,children", ph.aplic_s);
    }
    w.u32("riscv,num-sources", virt_irq::kAplicSources);
    w.reg64(base, virt_map::kAplicSize);
    if (msi)
      w.u32("msi-parent", machine ? ph.imsic_m : ph.imsic_s);
    else
      w.cells("interrupts-extended", every_hart(harts, machine ? 11 : 9));
    w.empty("interrupt-controller");
    w.u32("#interrupt-cells", 2);
    w.str("compatible", "riscv,aplic");
    w.end();
  }
  if (!msi) return;
  for (const bool machine : {false, true}) {
    const Addr base = machine ? virt_map::kImsicM : virt_map::kImsicS;
    const unsigned guest_bits = machine ? 0 : Imsic::guest_index_bits(p.aia_guests);
    w.begin(fmt::format("imsics@{:x}", base));
    w.u32("phandle", machine ? ph.imsic_m : ph.imsic_s);
    if (guest_bits) w.u32("riscv,guest-index-bits", guest_bits);
    w.u32("riscv,ipi-id", virt_irq::kImsicIpiId);
    w.u32("riscv,num-ids", virt_irq::kImsicIds);
    w.reg64(base, std::uint64_t{harts} * (Imsic::kPageSize << guest_bits));
    w.cells("interrupts-extended", every_hart(harts, machine ? 11 : 9));
    w.empty("msi-controller");
    w.empty("interrupt-controller");
    w.u32("#interrupt-cells", 0);
    w.str("compatible", "riscv,imsics");
    w.end();
  }
}

void write_soc(FdtWriter& w, const VirtFdtParams& p, const Phandles& ph) {
  const unsigned harts = static_cast<unsigned>(p.isa.size());
  w.begin("soc");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "simple-bus");
  w.empty("ranges");

  w.begin(fmt::format("rtc@{:x}", virt_map::kRtc));
  device_irq(w, p, ph, virt_irq::kRtc);
  w.reg64(virt_map::kRtc, virt_map::kRtcSize);
  w.str("compatible", "google,goldfish-rtc");
  w.end();

  w.begin(fmt::format("serial@{:x}", virt_map::kUart0));
  device_irq(w, p, ph, virt_irq::kUart0);
  w.u32("clock-frequency", 0x384000);  // 3.6864 MHz, QEMU's value
  w.reg64(virt_map::kUart0, virt_map::kUartSize);
  w.str("compatible", "ns16550a");
  w.end();

  w.begin(fmt::format("test@{:x}", virt_map::kTest));
  w.u32("phandle", ph.test);
  w.reg64(virt_map::kTest, virt_map::kTestSize);
  w.strs("compatible", {"sifive,test1", "sifive,test0", "syscon"});
  w.end();

  for (unsigned slot : p.virtio_slots) {
    const Addr base = virt_map::kVirtio + slot * virt_map::kVirtioSize;
    w.begin(fmt::format("virtio_mmio@{:x}", base));
    device_irq(w, p, ph, virt_irq::kVirtio0 + slot);
    w.reg64(base, virt_map::kVirtioSize);
    w.str("compatible", "virtio,mmio");
    w.end();
  }

  std::vector<std::uint32_t> clint_irqs;
  for (unsigned h = 0; h < harts; ++h)
    clint_irqs.insert(clint_irqs.end(), {Phandles::intc(h), 3, Phandles::intc(h), 7});
  if (p.aia == VirtAia::None)
    write_plic(w, harts, ph);
  else
    write_aia(w, p, ph);

  w.begin(fmt::format("clint@{:x}", virt_map::kClint));
  w.cells("interrupts-extended", clint_irqs);
  w.reg64(virt_map::kClint, virt_map::kClintSize);
  w.strs("compatible", {"sifive,clint0", "riscv,clint0"});
  w.end();

  w.end();
}

void write_chosen(FdtWriter& w, const VirtFdtParams& p) {
  w.begin("chosen");
  w.str("stdout-path", fmt::format("/soc/serial@{:x}", virt_map::kUart0));
  if (!p.bootargs.empty()) w.str("bootargs", p.bootargs);
  if (p.initrd_end) {
    // One cell, as QEMU writes them, while the addresses fit (readers take
    // the property's length as the number's size); two cells above 4 GiB.
    if (p.initrd_end >> 32) {
      w.cells("linux,initrd-start", {FdtWriter::hi(p.initrd_start), FdtWriter::lo(p.initrd_start)});
      w.cells("linux,initrd-end", {FdtWriter::hi(p.initrd_end), FdtWriter::lo(p.initrd_end)});
    } else {
      w.u32("linux,initrd-start", static_cast<std::uint32_t>(p.initrd_start));
      w.u32("linux,initrd-end", static_cast<std::uint32_t>(p.initrd_end));
    }
  }
  w.end();
}

// syscon-poweroff and syscon-reboot drive the SiFive test device: Linux's
// poweroff writes 0x5555 (pass), reboot 0x7777.
void write_syscon(FdtWriter& w, const Phandles& ph) {
  w.begin("poweroff");
  w.u32("value", 0x5555);
  w.u32("offset", 0);
  w.u32("regmap", ph.test);
  w.str("compatible", "syscon-poweroff");
  w.end();
  w.begin("reboot");
  w.u32("value", 0x7777);
  w.u32("offset", 0);
  w.u32("regmap", ph.test);
  w.str("compatible", "syscon-reboot");
  w.end();
}

}  // namespace

// The SBI PMU's map (OpenSBI reads it from /pmu, compatible "riscv,pmu",
// and removes it before Linux sees the tree): which Orrery selector
// (mhpmevent value) each SBI hardware or cache event is, and which counters
// may count it. Counters 3-31 count anything; cycles and instructions may
// also use mcycle (0) and minstret (2). Raw events (perf's rNN) are
// selectors with bits 55:8 clear (docs/pmu.md).
void write_pmu(FdtWriter& w) {
  constexpr std::uint32_t kProgrammable = 0xfffffff8u;
  std::vector<std::uint32_t> to_counters, to_event;
  for (const pmu::SbiMapping& m : pmu::sbi_mappings()) {
    const std::uint32_t fixed = m.sbi_event == 1 ? 1u : m.sbi_event == 2 ? 4u : 0u;
    to_counters.insert(to_counters.end(), {m.sbi_event, m.sbi_event, kProgrammable | fixed});
    to_event.insert(to_event.end(), {m.sbi_event, 0, m.code});
  }
  w.begin("pmu");
  w.str("compatible", "riscv,pmu");
  w.cells("riscv,event-to-mhpmevent", to_event);
  w.cells("riscv,event-to-mhpmcounters", to_counters);
  w.cells("riscv,raw-event-to-mhpmcounters", {0, 0, 0xffffffffu, 0xffffff00u, kProgrammable});
  w.end();
}

std::vector<std::uint8_t> make_virt_fdt(const VirtFdtParams& p) {
  const Phandles ph(static_cast<unsigned>(p.isa.size()), p.aia);
  FdtWriter w;
  w.start_tree();
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "riscv-virtio");
  w.str("model", "riscv-virtio,qemu");
  write_chosen(w, p);
  write_syscon(w, ph);
  w.begin(fmt::format("memory@{:x}", virt_map::kDram));
  w.str("device_type", "memory");
  w.reg64(virt_map::kDram, p.ram_size);
  w.end();
  write_cpus(w, p);
  write_pmu(w);
  write_soc(w, p, ph);
  return w.finish();
}

std::vector<std::uint8_t> patch_fdt_chosen(std::vector<std::uint8_t> blob, const std::string& bootargs,
                                           Addr initrd_start, Addr initrd_end) {
  if (blob.size() < sizeof(fdt_header) || fdt_check_header(blob.data()) != 0 ||
      fdt_totalsize(blob.data()) > blob.size())
    throw Error("not a valid device tree blob");
  // The whole structure, not just the header: libfdt's read-write functions
  // trust the blob, and fdt_open_into on blocks that overlap copied a
  // negative size (found by tests/fuzz's loader harness;
  // regressions/loader/dtb-overlapping-blocks).
  if (const int err = fdt_check_full(blob.data(), fdt_totalsize(blob.data())); err != 0)
    throw Error(fmt::format("not a valid device tree blob: {}", fdt_strerror(err)));
  if (bootargs.empty() && !initrd_end) return blob;
  std::vector<std::uint8_t> out(fdt_totalsize(blob.data()) + bootargs.size() + 1024);
  const auto check = [](int err) {
    if (err < 0) throw Error(fmt::format("cannot update /chosen: {}", fdt_strerror(err)));
    return err;
  };
  check(fdt_open_into(blob.data(), out.data(), static_cast<int>(out.size())));
  int chosen = fdt_path_offset(out.data(), "/chosen");
  if (chosen < 0) chosen = check(fdt_add_subnode(out.data(), 0, "chosen"));
  if (!bootargs.empty()) check(fdt_setprop_string(out.data(), chosen, "bootargs", bootargs.c_str()));
  if (initrd_end) {
    if (initrd_end >> 32) {
      check(fdt_setprop_u64(out.data(), chosen, "linux,initrd-start", initrd_start));
      check(fdt_setprop_u64(out.data(), chosen, "linux,initrd-end", initrd_end));
    } else {
      check(fdt_setprop_u32(out.data(), chosen, "linux,initrd-start", static_cast<std::uint32_t>(initrd_start)));
      check(fdt_setprop_u32(out.data(), chosen, "linux,initrd-end", static_cast<std::uint32_t>(initrd_end)));
    }
  }
  check(fdt_pack(out.data()));
  out.resize(fdt_totalsize(out.data()));
  return out;
}

Addr fdt_load_address(std::uint64_t ram_size, std::uint64_t fdt_size) {
  // QEMU 7.2 (hw/riscv/boot.c): as high as possible, away from the kernel
  // and initrd, yet below 3 GiB so that 32-bit code can reach it; 2 MiB
  // aligned.
  constexpr Addr k3GiB = 3ull << 30, k2MiB = 2ull << 20;
  const Addr dram_end = virt_map::kDram + ram_size;
  const Addr top = virt_map::kDram < k3GiB ? std::min(dram_end, k3GiB) : dram_end;
  if (fdt_size > top - virt_map::kDram) throw Error("the device tree does not fit in RAM");
  return (top - fdt_size) & ~(k2MiB - 1);
}

}  // namespace orrery
