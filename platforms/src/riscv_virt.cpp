#include "orrery/platforms/riscv_virt.hpp"

#include <elf.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "orrery/core/loader.hpp"
#include "orrery/irqchip/aclint.hpp"
#include "orrery/irqchip/aplic.hpp"
#include "orrery/irqchip/imsic.hpp"
#include "orrery/irqchip/plic.hpp"
#include "orrery/platforms/goldfish_rtc.hpp"

#include <ctime>
#include "orrery/platforms/sifive_test.hpp"
#include "orrery/platforms/uart16550.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery {
namespace {

const ElfTarget kRiscv64{EM_RISCV, true, "RISC-V 64-bit", true};
constexpr Addr k2MiB = 2ull << 20;
constexpr Tick kConsolePollPeriod = 100'000'000;  // 100 us of guest time

// RISC-V mip bits the devices drive.
enum : unsigned { kMsip = 3, kMtip = 7, kSeip = 9, kMeip = 11 };

// ---- devices ----

void check_config(const RiscvVirtConfig& config) {
  if (config.harts == 0 || config.harts > kRiscvVirtMaxHarts)
    throw Error(fmt::format("-smp {}: the virt machine supports 1 to {} harts", config.harts, kRiscvVirtMaxHarts));
  if (config.ram_size < kRiscvVirtMinRam || config.ram_size > kRiscvVirtMaxRam || config.ram_size % 4096)
    throw Error(fmt::format("-m: RAM size {:#x} must be a multiple of 4 KiB between 1 MiB and 1 TiB", config.ram_size));
  std::vector<bool> used(virt_map::kVirtioSlots);
  for (const auto& v : config.virtio) {
    if (v.slot >= virt_map::kVirtioSlots || used[v.slot] || !v.make)
      throw Error(fmt::format("virtio-mmio slot {}: out of range, taken twice or without a device", v.slot));
    used[v.slot] = true;
  }
  if (config.aia_guests > virt_irq::kMaxAiaGuests)
    throw Error(fmt::format("aia-guests={}: the virt machine supports 0 to {} guest interrupt files per hart",
                            config.aia_guests, virt_irq::kMaxAiaGuests));
}

std::vector<riscv::RiscvHart*> add_harts(Machine& machine, const RiscvVirtConfig& config) {
  const unsigned count = config.harts;
  riscv::HartConfig hart_config;
  hart_config.multi_hart = count > 1;
  hart_config.timebase_hz = kVirtTimebaseHz;
  hart_config.has_h = config.hypervisor;
  // Guest external interrupt lines: one per IMSIC guest file.
  hart_config.geilen = (config.hypervisor && config.aia == VirtAia::AplicImsic) ? config.aia_guests : 0;
  std::vector<riscv::RiscvHart*> harts;
  for (unsigned i = 0; i < count; ++i)
    harts.push_back(
        &static_cast<riscv::RiscvHart&>(machine.add_hart(std::make_unique<riscv::RiscvHart>(i, machine, hart_config))));
  if (config.timing) {
    // Each hart has its own pipeline and L1s; the L2 and memory are shared.
    auto& memory = machine.keep(std::make_unique<timing::Memory>(*config.timing));
    machine.add_state("timing.memory", machine.keep(std::make_unique<StateOf<timing::Memory>>(memory)));
    for (riscv::RiscvHart* hart : harts) hart->attach_timing(memory, *config.timing);
  }
  return harts;
}

// CLINT: MSIP and MTIP of every hart; the harts' time CSR reads its mtime.
Aclint& add_clint(Machine& machine, const std::vector<riscv::RiscvHart*>& harts) {
  auto& clint = machine.own(std::make_unique<Aclint>(machine, static_cast<unsigned>(harts.size()), kVirtTimebaseHz));
  for (unsigned i = 0; i < harts.size(); ++i) {
    riscv::RiscvHart* hart = harts[i];
    clint.connect(i, [hart](bool l) { hart->set_interrupt_line(kMsip, l); },
                  [hart](bool l) { hart->set_interrupt_line(kMtip, l); });
    hart->set_time_source([&clint] { return clint.mtime(); });
  }
  clint.on_mtime_written([harts] {
    for (riscv::RiscvHart* hart : harts) hart->update_stimecmp();
  });
  machine.bus().add_mmio("riscv.aclint", virt_map::kClint, virt_map::kClintSize, clint);
  return clint;
}

// A device's interrupt wire: PLIC or APLIC source `id`.
using SourceLine = std::function<IrqLine(unsigned id)>;

// PLIC: context 2h is hart h's M-mode (MEIP), 2h+1 its S-mode (SEIP), as
// QEMU's virt configures it ("MS" per hart).
Plic& add_plic(Machine& machine, const std::vector<riscv::RiscvHart*>& harts) {
  const unsigned contexts = 2 * static_cast<unsigned>(harts.size());
  auto& plic =
      machine.own(std::make_unique<Plic>(virt_irq::kPlicSources, contexts, virt_irq::kPlicPriorityBits));
  for (unsigned i = 0; i < harts.size(); ++i) {
    riscv::RiscvHart* hart = harts[i];
    plic.connect(2 * i, [hart](bool l) { hart->set_interrupt_line(kMeip, l); });
    plic.connect(2 * i + 1, [hart](bool l) { hart->set_interrupt_line(kSeip, l); });
  }
  machine.bus().add_mmio("riscv.sifive.plic", virt_map::kPlic, virt_map::kPlicSize, plic);
  return plic;
}

// IMSICs (aia=aplic-imsic): the machine-level files of all harts in one
// region, the supervisor-level and guest files in another. Until the harts
// read them through their AIA CSRs, the M and S files still drive MEIP and
// SEIP; guest files are left for the hypervisor's hgeip.
// The hart's AIA CSRs reach an IMSIC interrupt file through this adapter.
class HartInterruptFile final : public riscv::InterruptFile {
 public:
  explicit HartInterruptFile(ImsicFile& file) : file_(file) {}
  bool read_indirect(unsigned iselect, std::uint64_t& value) const override {
    return file_.read_indirect(iselect, value);
  }
  bool write_indirect(unsigned iselect, std::uint64_t value) override { return file_.write_indirect(iselect, value); }
  std::uint32_t topei() const override { return file_.topei(); }
  std::uint32_t claim() override { return file_.claim(); }

 private:
  ImsicFile& file_;
};

void add_imsics(Machine& machine, const std::vector<riscv::RiscvHart*>& harts, unsigned guests,
                RiscvVirtBoard& board) {
  const unsigned n = static_cast<unsigned>(harts.size());
  auto& m = machine.own(std::make_unique<Imsic>(n, 0, virt_irq::kImsicIds));
  auto& s = machine.own(std::make_unique<Imsic>(n, guests, virt_irq::kImsicIds));
  for (unsigned i = 0; i < n; ++i) {
    riscv::RiscvHart* hart = harts[i];
    m.file(i).connect([hart](bool l) { hart->set_interrupt_line(kMeip, l); });
    s.file(i).connect([hart](bool l) { hart->set_interrupt_line(kSeip, l); });
    RiscvVirtBoard::HartImsic files{&m.file(i), &s.file(i), {}};
    for (unsigned g = 1; g <= guests; ++g) {
      files.guests.push_back(&s.file(i, g));
      // Guest file g drives the hart's hgeip bit g (AIA, "Guest external interrupts").
      s.file(i, g).connect([hart, g](bool l) { hart->set_guest_external_line(g, l); });
    }
    auto adapt = [&machine](ImsicFile* f) -> riscv::InterruptFile* {
      return &machine.keep(std::make_unique<HartInterruptFile>(*f));
    };
    std::vector<riscv::InterruptFile*> guest_files;
    for (ImsicFile* g : files.guests) guest_files.push_back(adapt(g));
    hart->attach_interrupt_files(adapt(files.m), adapt(files.s), std::move(guest_files));
    board.imsic.push_back(std::move(files));
  }
  machine.bus().add_mmio("riscv.imsic.m", virt_map::kImsicM, m.size(), m);
  machine.bus().add_mmio("riscv.imsic.s", virt_map::kImsicS, s.size(), s);
  board.imsic_m = &m;
  board.imsic_s = &s;
}

// APLIC (aia=aplic or aplic-imsic): a machine-level root domain that takes
// the wires, with a supervisor-level child; firmware delegates the sources
// to the child (QEMU's device tree says so with riscv,delegate). With IMSICs
// both domains forward MSIs by bus writes; without, they deliver directly:
// the M domain's IDC h drives hart h's MEIP, the S domain's its SEIP.
void add_aplic(Machine& machine, const std::vector<riscv::RiscvHart*>& harts, const RiscvVirtConfig& config,
               RiscvVirtBoard& board) {
  const bool msi = config.aia == VirtAia::AplicImsic;
  AplicConfig c;
  c.sources = virt_irq::kAplicSources;
  c.harts = static_cast<unsigned>(harts.size());
  c.direct = !msi;
  c.msi = msi;
  c.priority_bits = virt_irq::kAplicPriorityBits;
  auto& m = machine.own(std::make_unique<Aplic>(c));
  c.machine_level = false;
  c.guests = msi ? config.aia_guests : 0;
  auto& s = machine.own(std::make_unique<Aplic>(c));
  m.add_child(s);
  if (msi) {
    Bus& bus = machine.bus();
    m.set_msi_writer([&bus](Addr address, std::uint32_t data) { bus.write(address, 4, data); });
  } else {
    for (unsigned i = 0; i < harts.size(); ++i) {
      riscv::RiscvHart* hart = harts[i];
      m.connect(i, [hart](bool l) { hart->set_interrupt_line(kMeip, l); });
      s.connect(i, [hart](bool l) { hart->set_interrupt_line(kSeip, l); });
    }
  }
  machine.bus().add_mmio("riscv.aplic.m", virt_map::kAplicM, virt_map::kAplicSize, m);
  machine.bus().add_mmio("riscv.aplic.s", virt_map::kAplicS, virt_map::kAplicSize, s);
  board.aplic_m = &m;
  board.aplic_s = &s;
}

// The interrupt controllers the devices' wires go to.
SourceLine add_irqchips(Machine& machine, const std::vector<riscv::RiscvHart*>& harts, const RiscvVirtConfig& config,
                        RiscvVirtBoard& board) {
  if (config.aia == VirtAia::None) {
    Plic* plic = board.plic = &add_plic(machine, harts);
    return [plic](unsigned id) -> IrqLine { return [plic, id](bool level) { plic->set_source(id, level); }; };
  }
  if (config.aia == VirtAia::AplicImsic) add_imsics(machine, harts, config.aia_guests, board);
  add_aplic(machine, harts, config, board);
  Aplic* aplic = board.aplic_m;
  return [aplic](unsigned id) -> IrqLine { return [aplic, id](bool level) { aplic->set_source(id, level); }; };
}

// Input reaches the guest even while every hart waits in WFI: a periodic
// event polls the console and lets the UART raise its interrupt. It runs
// only while the console has something to do (input may still come, or an
// interactive terminal's output to flush), so a batch run with stdin at end
// of file schedules nothing. When every hart waits for an interrupt, guest
// time would otherwise race through these polls at host speed: the console
// may then wait up to one period of host time for input, so an idle guest
// (a shell prompt) runs no faster than real time instead of spinning a core.
//
// A checkpoint keeps the next poll's deadline, so a restored run's slices
// end where the uninterrupted run's did.
class ConsolePoll final : public Stateful {
 public:
  ConsolePoll(Machine& machine, CharBackend& console, Uart16550& uart)
      : machine_(machine), console_(console), uart_(uart), event_(machine.events(), [this](Tick) { poll(); }) {}
  void poll() {
    const auto& harts = machine_.harts();
    const bool idle = std::all_of(harts.begin(), harts.end(), [](const auto& h) { return h->idle(); });
    const bool again = console_.service(idle ? kConsolePollPeriod / 1000 : 0);
    uart_.poll();
    if (again) event_.arm(machine_.now() + kConsolePollPeriod);
  }
  void save_state(StateWriter& out) const override { out(event_.deadline()); }
  void load_state(StateReader& in) override {
    Tick deadline = EventQueue::kNever;
    in(deadline);
    event_.restore(deadline);
    // The saving run's console had nothing more to do (its input had
    // ended); this run's may, so it is asked at once.
    if (deadline == EventQueue::kNever) poll();
  }

 private:
  Machine& machine_;
  CharBackend& console_;
  Uart16550& uart_;
  OwnedEvent event_;
};

Uart16550& add_uart(Machine& machine, const SourceLine& irq, CharBackend& console) {
  auto& uart = machine.own(std::make_unique<Uart16550>(console));
  uart.set_irq(irq(virt_irq::kUart0));
  machine.bus().add_mmio("serial", virt_map::kUart0, virt_map::kUartSize, uart);
  auto& poller = machine.keep(std::make_unique<ConsolePoll>(machine, console, uart));
  machine.add_state("console", poller);
  poller.poll();
  return uart;
}

GoldfishRtc& add_rtc(Machine& machine, const RiscvVirtConfig& config, const SourceLine& irq) {
  GoldfishRtc::Clock clock;  // default: the host's wall clock
  if (config.rtc_base_ns || config.rtc_follows_guest) {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    const std::uint64_t host_ns =
        static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
    const std::uint64_t base = config.rtc_base_ns.value_or(host_ns);
    if (config.rtc_follows_guest) {
      clock = [&machine, base] { return base + machine.now() / (kTicksPerSecond / 1'000'000'000ull); };
    } else {
      // A fixed start that then runs with the host's clock.
      clock = [base, host_ns] {
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        return base + (static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000ull +
                       static_cast<std::uint64_t>(now.tv_nsec) - host_ns);
      };
    }
  }
  auto& rtc = machine.own(std::make_unique<GoldfishRtc>(machine, std::move(clock)));
  rtc.set_irq(irq(virt_irq::kRtc));
  machine.bus().add_mmio("goldfish_rtc", virt_map::kRtc, virt_map::kRtcSize, rtc);
  return rtc;
}

std::vector<unsigned> add_virtio(Machine& machine, const SourceLine& irq, const std::vector<VirtioMmioSlot>& slots) {
  std::vector<unsigned> used;
  for (const auto& s : slots) {
    Device& dev = s.make(machine, irq(virt_irq::kVirtio0 + s.slot));
    machine.bus().add_mmio(fmt::format("virtio-mmio.{}", s.slot), virt_map::kVirtio + s.slot * virt_map::kVirtioSize,
                           virt_map::kVirtioSize, dev);
    used.push_back(s.slot);
  }
  std::sort(used.begin(), used.end());
  return used;
}

// ---- images ----

std::string firmware_path(const std::string& bios) {
  const std::string path = bios == "default" ? kDefaultBios : bios;
  if (path == kDefaultBios) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      throw Error(fmt::format(
          "default firmware {} not found: install Debian's OpenSBI (apt-get install opensbi), "
          "or give -bios FILE, or -bios none to run -kernel directly",
          path));
  }
  return path;
}

struct Range {
  std::string what;  // for messages: "-kernel FILE"
  Addr low, high;
};

// Two images must not share a byte: the later one would silently overwrite
// the earlier (QEMU refuses overlapping ROM blobs too, "rom: requested
// regions overlap"). Each image's range is its lowest to its highest loaded
// byte, as the device tree placement sees it.
void check_no_overlap(const std::vector<Range>& loaded, const Range& image) {
  for (const Range& r : loaded)
    if (image.low < r.high && r.low < image.high)
      throw Error(fmt::format("{} ({:#x}-{:#x}) overlaps {} ({:#x}-{:#x})", image.what, image.low, image.high, r.what,
                              r.low, r.high));
}

// Load one image for `flag`; a loader's message (which names the file) gets
// the flag in front, so it is clear which of -bios, -kernel and -initrd
// it is about.
template <class Load>
Range load_for(const char* flag, const std::string& path, std::vector<Range>& loaded, Load load, Addr& entry) {
  LoadedImage image;
  try {
    image = load();
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", flag, e.what()));
  }
  Range r{fmt::format("{} {}", flag, path), image.low, image.high};
  check_no_overlap(loaded, r);
  loaded.push_back(r);
  entry = image.entry;
  return r;
}

LoadedImage load_image(Bus& bus, const std::string& path, Addr raw_base) {
  return is_elf_file(path) ? load_elf(bus, path, kRiscv64) : load_raw(bus, path, raw_base);
}

// Load firmware, kernel and initrd as QEMU 7.2's virt does (hw/riscv/virt.c
// virt_machine_done, hw/riscv/boot.c), recording what went where.
std::vector<Range> load_images(Machine& machine, const RiscvVirtConfig& config, RiscvVirtBoard& board) {
  Bus& bus = machine.bus();
  std::vector<Range> ranges;
  // The firmware: an ELF at its addresses, raw at the start of DRAM.
  Addr firmware_end = virt_map::kDram;
  board.firmware_entry = virt_map::kDram;
  if (config.bios != "none") {
    const std::string path = firmware_path(config.bios);
    firmware_end = load_for("-bios", path, ranges, [&] { return load_image(bus, path, virt_map::kDram); },
                            board.firmware_entry)
                       .high;
  }
  // The kernel: an ELF at its addresses; raw at the first 2 MiB boundary
  // after the firmware (0x8020_0000 after OpenSBI, 0x8000_0000 without one).
  board.kernel_entry = 0;
  if (!config.kernel.empty()) {
    const Addr raw_base = (firmware_end + k2MiB - 1) & ~(k2MiB - 1);
    load_for("-kernel", config.kernel, ranges, [&] { return load_image(bus, config.kernel, raw_base); },
             board.kernel_entry);
    // -bios none: the ROM jumps straight to the kernel.
    if (config.bios == "none") board.firmware_entry = board.kernel_entry;
  }
  // The initrd: half-way into RAM for small machines, 128 MiB past the
  // kernel's entry otherwise, "so that the kernel does not clobber it when
  // it decompresses" (hw/riscv/boot.c, riscv_load_initrd).
  board.initrd_start = board.initrd_end = 0;
  if (!config.initrd.empty()) {
    const Addr start = board.kernel_entry + std::min<std::uint64_t>(config.ram_size / 2, 128ull << 20);
    Addr unused = 0;
    const Range rd =
        load_for("-initrd", config.initrd, ranges, [&] { return load_raw(bus, config.initrd, start); }, unused);
    board.initrd_start = rd.low;
    board.initrd_end = rd.high;
  }
  return ranges;
}

// The -dtb blob. The file is checked before it is opened: opening a FIFO
// would wait for a writer forever.
std::vector<std::uint8_t> read_file(const std::string& path, const char* flag) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw Error(fmt::format("{} {}: cannot open: {}", flag, path, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) throw Error(fmt::format("{} {}: is a directory", flag, path));
  if (!S_ISREG(st.st_mode)) throw Error(fmt::format("{} {}: not a regular file", flag, path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{} {}: cannot open: {}", flag, path, std::strerror(errno)));
  std::vector<std::uint8_t> bytes;
  char chunk[1 << 16];  // block reads (see core/src/loader.cpp)
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) bytes.insert(bytes.end(), chunk, chunk + in.gcount());
  if (in.bad()) throw Error(fmt::format("{} {}: read error", flag, path));
  if (bytes.empty()) throw Error(fmt::format("{} {}: is empty", flag, path));
  return bytes;
}

std::vector<std::uint8_t> device_tree(const Machine& machine, const RiscvVirtConfig& config,
                                      const std::vector<unsigned>& virtio, const RiscvVirtBoard& board) {
  if (!config.dtb.empty()) {
    // QEMU 7.2 uses a -dtb blob as it is, except that -append and -initrd
    // still update /chosen.
    std::vector<std::uint8_t> blob = read_file(config.dtb, "-dtb");
    try {
      return patch_fdt_chosen(std::move(blob), config.append, board.initrd_start, board.initrd_end);
    } catch (const Error& e) {
      throw Error(fmt::format("-dtb {}: {}", config.dtb, e.what()));
    }
  }
  VirtFdtParams p;
  p.ram_size = config.ram_size;
  for (const auto& h : machine.harts()) p.isa.emplace_back(h->isa_name());
  p.mmu_type = config.mmu_type;
  p.virtio_slots = virtio;
  p.aia = config.aia;
  p.aia_guests = config.aia_guests;
  p.bootargs = config.append;
  p.initrd_start = board.initrd_start;
  p.initrd_end = board.initrd_end;
  return make_virt_fdt(p);
}

Addr place_fdt(const RiscvVirtConfig& config, const std::vector<std::uint8_t>& fdt, const std::vector<Range>& ranges) {
  const Addr at = fdt_load_address(config.ram_size, fdt.size());
  for (const Range& r : ranges)
    if (at < r.high && r.low < at + fdt.size())
      throw Error(fmt::format("-m {} MiB is too small: the device tree at {:#x} would overlap {} ({:#x}-{:#x})",
                              config.ram_size >> 20, at, r.what, r.low, r.high));
  return at;
}

// Everything a (re)boot writes to memory, then every hart to the ROM.
void boot(Machine& machine, const RiscvVirtConfig& config, const std::vector<unsigned>& virtio, RiscvVirtBoard& board) {
  const std::vector<Range> ranges = load_images(machine, config, board);
  board.fdt = device_tree(machine, config, virtio, board);
  board.fdt_addr = place_fdt(config, board.fdt, ranges);
  machine.bus().write_image(board.fdt_addr, board.fdt, "the device tree");
  const std::vector<std::uint8_t> rom = make_reset_rom(board.firmware_entry, board.fdt_addr, board.kernel_entry);
  // An image linked into the boot ROM's range (0x1000) loads there, but the
  // reset code written next would replace its first bytes.
  check_no_overlap(ranges, {"the reset ROM", virt_map::kMrom, virt_map::kMrom + rom.size()});
  machine.bus().write_image(virt_map::kMrom, rom, "the reset ROM");
  for (auto& h : machine.harts()) h->reset(virt_map::kMrom);
}

}  // namespace

RiscvVirtBoard build_riscv_virt(Machine& machine, const RiscvVirtConfig& config, CharBackend& console) {
  check_config(config);
  Bus& bus = machine.bus();
  bus.add_rom("riscv_virt_board.mrom", virt_map::kMrom, virt_map::kMromSize);
  bus.add_ram("riscv_virt_board.ram", virt_map::kDram, config.ram_size);
  bus.add_mmio("riscv.sifive.test", virt_map::kTest, virt_map::kTestSize,
               machine.own(std::make_unique<SifiveTest>(machine)));

  RiscvVirtBoard board;
  const auto harts = add_harts(machine, config);
  board.clint = &add_clint(machine, harts);
  const SourceLine irq = add_irqchips(machine, harts, config, board);
  board.uart = &add_uart(machine, irq, console);
  board.rtc = &add_rtc(machine, config, irq);
  const std::vector<unsigned> virtio = add_virtio(machine, irq, config.virtio);

  boot(machine, config, virtio, board);
  machine.set_reset_handler([config, virtio](Machine& m) {
    RiscvVirtBoard again;
    boot(m, config, virtio, again);
  });
  return board;
}

}  // namespace orrery
