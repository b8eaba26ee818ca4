#include <cstdio>
#include "orrery/platforms/cli.hpp"

#include <boost/program_options.hpp>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <sstream>

#include "orrery/core/engine.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/core/timing.hpp"
#include "orrery/platforms/virtio_blk.hpp"
#include "orrery/platforms/virtio_mmio.hpp"
#include "orrery/platforms/virtio_rng.hpp"

namespace orrery {
namespace po = boost::program_options;

namespace {

po::options_description describe_base(CliOptions& o, std::string& memory, std::string& smp) {
  po::options_description d("Options (QEMU spellings where they overlap)", 100, 50);
  d.add_options()
      ("help,h", po::bool_switch(&o.help), "print this help and exit")
      ("version", po::bool_switch(&o.version), "print the version and exit")
      ("machine,M", po::value(&o.machine)->value_name("virt[,OPT...]"),
       "machine type (only 'virt' exists) and QEMU's options: dumpdtb=FILE, aia=none|aplic|aplic-imsic "
       "(interrupt controllers: PLIC, APLIC, or APLIC and IMSICs), aia-guests=N (0..7 guest files per IMSIC)")
      ("memory,m", po::value(&memory)->value_name("SIZE"), "guest RAM: 256M, 1G, ... (plain number = MiB; default 128M)")
      ("smp", po::value(&smp)->value_name("N"), "number of harts (default 1)")
      ("cpu", po::value(&o.cpu)->value_name("rv64[,h=on|off]"),
       "hart model: rv64 (RV64GC, M/S/U, Sv39/48/57, Sstc, Smstateen); h=on adds the hypervisor "
       "extension (default on, as in QEMU 7.2), h=off leaves it out")
      ("bios", po::value(&o.virt.bios)->value_name("none|default|FILE"),
       "M-mode firmware at 0x80000000 (ELF or raw); default: Debian's OpenSBI fw_dynamic.bin; "
       "'none' runs -kernel directly")
      ("kernel", po::value(&o.virt.kernel)->value_name("FILE"),
       "ELF at its load addresses, or raw at 0x80200000 after a firmware (0x80000000 with -bios none)")
      ("initrd", po::value(&o.virt.initrd)->value_name("FILE"),
       "initial ramdisk, placed where QEMU places it; /chosen gets linux,initrd-start/-end")
      ("append", po::value(&o.virt.append)->value_name("CMDLINE"), "kernel command line (/chosen bootargs)")
      ("dtb", po::value(&o.virt.dtb)->value_name("FILE"),
       "use this device tree blob instead of the generated one (-append/-initrd still update /chosen)")
      ("dump-dtb", po::value(&o.dump_dtb)->value_name("FILE"),
       "write the machine's device tree blob to FILE and exit (like QEMU's -M virt,dumpdtb=FILE)")
      ("nographic", "accepted for QEMU compatibility: the console is always the terminal "
       "(Ctrl-A X quits; Ctrl-A Ctrl-A sends Ctrl-A)")
      ("max-insns", po::value(&o.max_insns)->value_name("N"),
       "stop after N instructions (retired or trapped, all harts); exit status 124")
      ("trace", po::value(&o.trace)->value_name("FILE"),
       "write one line per retired instruction (Spike --log-commits layout + disassembly); '-' = stdout")
      ("rtc", po::value(&o.rtc)->value_name("base=utc|DATE[,clock=host|vm]"),
       "the RTC's start (utc = the host's time; or YYYY-MM-DD[THH:MM:SS]) and whether it then runs with the "
       "host's clock or with guest time (vm: runs are repeatable)")
      ("engine", po::value(&o.engine)->value_name("NAME"),
       "execution engine: threaded (pre-decoded blocks, default) or interp (the reference interpreter)")
      ("lockstep", po::bool_switch(&o.lockstep),
       "run the threaded engine and the interpreter side by side on two copies of the machine, compare "
       "them after every slice and stop at the first divergence (exit status 125)")
      ("timing", po::value(&o.timing)->value_name("PRESET|FILE|none"),
       "cycle-approximate timing model: a preset (small: single-issue in-order; dual: dual-issue in-order), "
       "an INI file (docs/timing.md), or none (default: one cycle per instruction, fastest)")
      ("stats", po::bool_switch(&o.stats),
       "print instructions retired, host seconds and MIPS at exit; with --timing also each hart's IPC, CPI "
       "stack, miss rates and MPKI (and those of the guest-marked region)")
      ("stats-json", po::value(&o.stats_json)->value_name("FILE"), "write the --stats figures to FILE as JSON");
  return d;
}

po::options_description describe_with_devices(CliOptions& o, std::string& memory, std::string& smp,
                                              std::vector<std::string>& drives, std::vector<std::string>& devices) {
  po::options_description d = describe_base(o, memory, smp);
  d.add_options()
      ("drive", po::value(&drives)->composing()->value_name("file=FILE[,format=raw][,if=virtio][,readonly=on]"),
       "a virtio-blk disk backed by a raw image (repeatable)")
      ("device", po::value(&devices)->composing()->value_name("virtio-rng-device"),
       "add a device; only virtio-rng-device (virtio entropy source) exists (repeatable)");
  return d;
}

// virtio devices take virt's slots from the last one down, as QEMU assigns
// them, so guests see the same addresses and PLIC sources.
void add_virtio_devices(CliOptions& o, const std::vector<std::string>& drives,
                        const std::vector<std::string>& devices) {
  constexpr unsigned kSlots = 8;
  if (drives.size() + devices.size() > kSlots)
    throw Error(fmt::format("too many virtio devices ({}); virt has {} virtio-mmio slots",
                            drives.size() + devices.size(), kSlots));
  unsigned next = kSlots;
  for (const std::string& text : drives) {
    const DriveConfig disk = parse_drive_option(text);
    if (!disk.readonly) o.not_repeatable.push_back(fmt::format("-drive {} (the guest writes the file)", text));
    o.virt.virtio.push_back({--next, [disk](Machine& m, IrqLine irq) -> Device& {
      return m.own(std::make_unique<VirtioMmio>(m.bus(), std::make_unique<VirtioBlk>(disk), std::move(irq)));
    }});
  }
  for (const std::string& name : devices) {
    if (name != "virtio-rng-device")
      throw Error(fmt::format("-device {}: unknown device (available: virtio-rng-device)", name));
    o.not_repeatable.push_back("-device virtio-rng-device (host entropy)");
    o.virt.virtio.push_back({--next, [](Machine& m, IrqLine irq) -> Device& {
      return m.own(std::make_unique<VirtioMmio>(m.bus(), std::make_unique<VirtioRng>(), std::move(irq)));
    }});
  }
}

// -cpu rv64[,h=on|off]: QEMU's spelling; the only model is rv64.
void parse_cpu(CliOptions& o) {
  std::string_view spec = o.cpu;
  const std::size_t comma = spec.find(',');
  if (spec.substr(0, comma) != "rv64") throw Error(fmt::format("-cpu {}: unknown CPU model (available: rv64)", o.cpu));
  std::string_view rest = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find(',');
    const std::string_view opt = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
    if (opt == "h=on" || opt == "h=true") {
      o.virt.hypervisor = true;
    } else if (opt == "h=off" || opt == "h=false") {
      o.virt.hypervisor = false;
    } else {
      throw Error(fmt::format("-cpu {}: unknown CPU option '{}' (available: h=on|off)", o.cpu, opt));
    }
  }
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// well-known days_from_civil arithmetic).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// -rtc base=utc|YYYY-MM-DD[THH:MM:SS][,clock=host|vm], as QEMU spells it.
void parse_rtc(CliOptions& o, const std::string& spec) {
  std::string_view rest = spec;
  while (!rest.empty()) {
    const std::size_t next = rest.find(',');
    const std::string_view opt = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
    if (opt == "base=utc") {
      o.virt.rtc_base_ns.reset();
    } else if (opt.starts_with("base=")) {
      const std::string text(opt.substr(5));
      int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
      const bool date_only = std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 &&
                             static_cast<std::size_t>(used) == text.size();
      const bool full = !date_only && std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
                                                  &sec, &used) == 6 && static_cast<std::size_t>(used) == text.size();
      if ((!date_only && !full) || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
        throw Error(fmt::format("-rtc {}: base must be utc or a date YYYY-MM-DD[THH:MM:SS] from 1970 on", spec));
      const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
      o.virt.rtc_base_ns = static_cast<std::uint64_t>(days * 86400 + h * 3600 + mi * 60 + sec) * 1'000'000'000ull;
    } else if (opt == "clock=host") {
      o.virt.rtc_follows_guest = false;
    } else if (opt == "clock=vm") {
      o.virt.rtc_follows_guest = true;
    } else {
      throw Error(fmt::format("-rtc {}: unknown option '{}' (available: base=utc|DATE, clock=host|vm)", spec, opt));
    }
  }
}

// -M virt[,dumpdtb=FILE][,aia=none|aplic|aplic-imsic][,aia-guests=N]: QEMU's
// machine options that mean something here.
void parse_machine(CliOptions& o) {
  std::string_view spec = o.machine;
  const std::size_t comma = spec.find(',');
  const std::string name(spec.substr(0, comma));
  if (name != "virt") throw Error(fmt::format("-M {}: unknown machine (available: virt)", name));
  std::string_view rest = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find(',');
    const std::string_view opt = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
    if (opt.starts_with("dumpdtb=") && opt.size() > 8) {
      o.dump_dtb = std::string(opt.substr(8));
    } else if (opt.starts_with("aia=")) {
      const std::string_view type = opt.substr(4);
      if (type == "none")
        o.virt.aia = VirtAia::None;
      else if (type == "aplic")
        o.virt.aia = VirtAia::Aplic;
      else if (type == "aplic-imsic")
        o.virt.aia = VirtAia::AplicImsic;
      else
        throw Error(fmt::format("-M {}: aia={}: not an AIA type (available: none, aplic, aplic-imsic)", o.machine, type));
    } else if (opt.starts_with("aia-guests=")) {
      const std::string_view n = opt.substr(11);
      unsigned guests = 0;
      auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), guests);
      if (ec != std::errc() || ptr != n.data() + n.size() || n.empty() || guests > virt_irq::kMaxAiaGuests)
        throw Error(fmt::format("-M {}: aia-guests={}: expected 0 to {} guest interrupt files", o.machine, n,
                                virt_irq::kMaxAiaGuests));
      o.virt.aia_guests = guests;
    } else {
      throw Error(fmt::format(
          "-M {}: unknown machine option '{}' (available: dumpdtb=FILE, aia=none|aplic|aplic-imsic, aia-guests=N)",
          o.machine, opt));
    }
  }
  o.machine = name;
}

}  // namespace

std::uint64_t parse_memory_size(std::string_view text) {
  std::uint64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin) throw Error(fmt::format("-m {}: not a size (try 256M or 1G)", text));
  std::string_view suffix(ptr, static_cast<std::size_t>(end - ptr));
  unsigned shift = 20;  // no suffix: MiB
  if (!suffix.empty()) {
    switch (std::toupper(static_cast<unsigned char>(suffix[0]))) {
      case 'K': shift = 10; break;
      case 'M': shift = 20; break;
      case 'G': shift = 30; break;
      case 'T': shift = 40; break;
      default: throw Error(fmt::format("-m {}: unknown size suffix '{}'", text, suffix));
    }
    suffix.remove_prefix(1);
    if (suffix != "" && suffix != "B" && suffix != "iB")
      throw Error(fmt::format("-m {}: unknown size suffix", text));
  }
  if (value == 0 || value > (~std::uint64_t{0} >> shift)) throw Error(fmt::format("-m {}: size out of range", text));
  return value << shift;
}

std::string usage_text() {
  CliOptions o;
  std::string memory, smp;
  std::vector<std::string> drives, devices;
  std::ostringstream out;
  out << "usage: orrery -M virt[,dumpdtb=FILE][,aia=none|aplic|aplic-imsic][,aia-guests=N] [-m SIZE] [-smp N]\n"
         "              [-bios none|default|FILE] [-kernel FILE] [-initrd FILE] [-append CMDLINE] [-dtb FILE]\n"
         "              [options]\n\n"
      << describe_with_devices(o, memory, smp, drives, devices)
      << "\nExit status: the guest's (SiFive test finisher), 1 for an error, 2 for a bad command line,\n"
         "124 when --max-insns stopped the run, 125 when --lockstep found a divergence.\n";
  return out.str();
}

CliOptions parse_command_line(int argc, const char* const* argv) {
  CliOptions o;
  std::string memory, smp;
  std::vector<std::string> drives, devices;
  po::options_description d = describe_with_devices(o, memory, smp, drives, devices);
  po::variables_map vm;
  try {
    // allow_long_disguise accepts QEMU's single-dash long options (-kernel).
    // No prefix guessing: -m must not be taken for --machine or --max-insns.
    const auto style = (po::command_line_style::default_style | po::command_line_style::allow_long_disguise) &
                       ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(argc, argv).options(d).style(style).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw Error(e.what());
  }
  if (o.help || o.version) return o;
  parse_machine(o);
  parse_cpu(o);
  if (!o.rtc.empty()) parse_rtc(o, o.rtc);
  if (!memory.empty()) o.virt.ram_size = parse_memory_size(memory);
  if (!smp.empty()) {
    unsigned n = 0;
    auto [ptr, ec] = std::from_chars(smp.data(), smp.data() + smp.size(), n);
    if (ec != std::errc() || ptr != smp.data() + smp.size() || n == 0)
      throw Error(fmt::format("-smp {}: expected a positive number of harts", smp));
    o.virt.harts = n;
  }
  if (o.virt.bios.empty()) throw Error("-bios needs 'none', 'default' or a file name");
  if (o.virt.kernel.empty() && !o.virt.initrd.empty()) throw Error("-initrd needs -kernel");
  if (o.virt.kernel.empty() && !o.virt.append.empty()) throw Error("-append needs -kernel");
  if (o.dump_dtb.empty() && vm.count("dump-dtb")) throw Error("--dump-dtb needs a file name");
  add_virtio_devices(o, drives, devices);
  make_engine(o.engine);  // validates the name
  if (o.timing != "none") o.virt.timing = timing::load_config(o.timing);
  if (vm.count("stats-json") && o.stats_json.empty()) throw Error("--stats-json needs a file name");
  return o;
}

}  // namespace orrery
