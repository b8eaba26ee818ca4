#include <cstdio>
#include "orrery/platforms/cli.hpp"

#include <boost/program_options.hpp>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <sstream>
#include <typeinfo>
#include <utility>

#include "orrery/core/engine.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/core/timing.hpp"
#include "orrery/platforms/gdb_session.hpp"
#include "orrery/platforms/trace_options.hpp"
#include "orrery/platforms/virtio_blk.hpp"
#include "orrery/platforms/virtio_mmio.hpp"
#include "orrery/platforms/virtio_rng.hpp"

namespace orrery {
namespace po = boost::program_options;

namespace {

// The flags whose values cli.cpp checks itself after Boost has stored them
// as text (Boost's own number parsing takes "-1" for 2^64 - 1).
struct RawValues {
  std::string memory, smp, max_insns;
  std::vector<std::string> drives, devices;
  bool gdb_default = false;  // -s
  std::vector<std::string> save_at;  // --save-at INSNS FILE
  TraceFlags trace;
  std::string log_items;  // -d
};

po::options_description describe_base(CliOptions& o, RawValues& raw) {
  po::options_description d("Options (QEMU spellings where they overlap)", 100, 50);
  d.add_options()
      ("help,h", po::bool_switch(&o.help), "print this help and exit")
      ("version", po::bool_switch(&o.version), "print the version and exit")
      ("machine,M", po::value(&o.machine)->value_name("virt[,OPT...]"),
       "machine type (only 'virt' exists) and QEMU's options: dumpdtb=FILE, aia=none|aplic|aplic-imsic "
       "(interrupt controllers: PLIC, APLIC, or APLIC and IMSICs), aia-guests=N (0..7 guest files per IMSIC)")
      ("memory,m", po::value(&raw.memory)->value_name("SIZE"),
       "guest RAM: 256M, 1.5G, ... (plain number = MiB; default 128M; 1M to 1T)")
      ("smp", po::value(&raw.smp)->value_name("N"), "number of harts (default 1; up to 64)")
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
      ("max-insns", po::value(&raw.max_insns)->value_name("N"),
       "stop after N instructions (retired or trapped, all harts); exit status 124")
      ("trace", po::value(&o.trace)->value_name("FILE"),
       "write one line per retired instruction (Spike --log-commits layout + disassembly); '-' = stdout")
      ("trace-pc", po::value(&raw.trace.pcs)->composing()->value_name("LO-HI|LO+LEN"),
       "trace only instructions whose virtual pc is in [LO, HI) (0x hex or decimal; repeatable: any of them)")
      ("trace-priv", po::value(&raw.trace.modes)->value_name("M,S,U,VS,VU"),
       "trace only instructions executed in these modes (HS = S)")
      ("trace-hart", po::value(&raw.trace.harts)->value_name("N[,N...]"), "trace only these harts")
      ("trace-window", po::value(&raw.trace.window)->value_name("START-END|START+N"),
       "trace only retired instructions START to END-1, counted from 0 over all harts in the order they ran "
       "(the unfiltered trace's line numbers); START- runs to the end")
      ("trace-mem", po::bool_switch(&raw.trace.mem),
       "add each instruction's memory accesses as Spike does: ' mem 0xADDR' (read), ' mem 0xADDR 0xVALUE' (write)")
      ("trace-csr", po::bool_switch(&raw.trace.csr), "add the CSR a CSR instruction wrote as Spike does: ' c768_mstatus 0x...'")
      ("trace-spike", po::bool_switch(&raw.trace.spike),
       "leave out the ' ; disassembly' suffix, so that lines compare with Spike's --log-commits")
      (",d", po::value(&raw.log_items)->value_name("ITEM[,ITEM...]"),
       "log events as QEMU's -d: int (interrupts), exc (exceptions), mmu (translation faults), dev (device "
       "accesses); '-d help' explains them")
      (",D", po::value(&o.log_file)->value_name("FILE"), "write the -d log to FILE instead of stderr")
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
      ("stats-json", po::value(&o.stats_json)->value_name("FILE"), "write the --stats figures to FILE as JSON")
      ("gdb", po::value(&o.gdb)->value_name("tcp::PORT"),
       "accept a GDB connection on PORT (tcp:HOST:PORT for one address); docs/design/gdb-stub.md")
      (",s", po::bool_switch(&raw.gdb_default), "the same as -gdb tcp::1234")
      (",S", po::bool_switch(&o.gdb_wait), "with -s or -gdb: wait for the debugger before the first instruction")
      ("save-at", po::value(&raw.save_at)->multitoken()->value_name("INSNS FILE"),
       "save a checkpoint to FILE at the first slice boundary after INSNS instructions (all harts) and run on; "
       "docs/checkpoints.md")
      ("load", po::value(&o.load)->value_name("FILE"),
       "start from a checkpoint; give the machine options it was saved with (instruction counts continue)");
  return d;
}

po::options_description describe_with_devices(CliOptions& o, RawValues& raw) {
  po::options_description d = describe_base(o, raw);
  d.add_options()
      ("drive", po::value(&raw.drives)->composing()->value_name("file=FILE[,format=raw][,if=virtio][,readonly=on]"),
       "a virtio-blk disk backed by a raw image (repeatable)")
      ("device", po::value(&raw.devices)->composing()->value_name("virtio-rng-device"),
       "add a device; only virtio-rng-device (virtio entropy source) exists (repeatable)");
  return d;
}

// The comma-separated options after a -M, -cpu or -rtc value. An empty one
// (a stray or trailing comma) is refused rather than skipped, as -drive does.
std::vector<std::string_view> split_options(std::string_view list, std::string_view flag, std::string_view spec) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t next = list.find(',');
    const std::string_view opt = list.substr(0, next);
    if (opt.empty()) throw Error(fmt::format("{} {}: empty option (stray comma?)", flag, spec));
    out.push_back(opt);
    if (next == std::string_view::npos) return out;
    list.remove_prefix(next + 1);
  }
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
  if (comma == std::string_view::npos) return;
  for (const std::string_view opt : split_options(spec.substr(comma + 1), "-cpu", o.cpu)) {
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
  if (spec.empty()) throw Error("-rtc needs a value, e.g. -rtc base=utc or -rtc base=2020-01-01,clock=vm");
  for (const std::string_view opt : split_options(spec, "-rtc", spec)) {
    if (opt == "base=utc") {
      o.virt.rtc_base_ns.reset();
    } else if (opt.starts_with("base=")) {
      const std::string text(opt.substr(5));
      int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
      const bool date_only = std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 &&
                             static_cast<std::size_t>(used) == text.size();
      const bool full = !date_only && std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
                                                  &sec, &used) == 6 && static_cast<std::size_t>(used) == text.size();
      if ((!date_only && !full) || y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59)
        throw Error(fmt::format("-rtc {}: base must be utc or a date YYYY-MM-DD[THH:MM:SS] from 1970 on", spec));
      // Days in the month, so that 2021-02-29 is refused rather than taken
      // for March 1st.
      constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      if (d > kMonthDays[mo - 1] + (mo == 2 && leap))
        throw Error(fmt::format("-rtc {}: {:04}-{:02} has no day {}", spec, y, mo, d));
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
  std::vector<std::string_view> opts;
  if (comma != std::string_view::npos) opts = split_options(spec.substr(comma + 1), "-M", spec);
  for (const std::string_view opt : opts) {
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
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  std::uint64_t whole = 0;
  const auto [after_whole, ec] = std::from_chars(p, end, whole);
  if (after_whole == p) throw Error(fmt::format("-m {}: not a size (try 256M or 1G)", text));
  if (ec != std::errc()) throw Error(fmt::format("-m {}: size out of range", text));
  p = after_whole;
  // A decimal fraction, as QEMU accepts (1.5G). Six places at most keep the
  // arithmetic below exact in 64 bits: fraction < 2^20, shift <= 40.
  std::uint64_t fraction = 0, scale = 1;
  if (p != end && *p == '.') {
    const char* digits = ++p;
    for (; p != end && *p >= '0' && *p <= '9'; ++p) {
      if (scale == 1'000'000) throw Error(fmt::format("-m {}: at most 6 decimal places", text));
      fraction = fraction * 10 + static_cast<std::uint64_t>(*p - '0');
      scale *= 10;
    }
    if (p == digits) throw Error(fmt::format("-m {}: not a size (try 256M or 1G)", text));
  }
  std::string_view suffix(p, static_cast<std::size_t>(end - p));
  unsigned shift = 20;  // no suffix: MiB
  if (!suffix.empty()) {
    switch (std::toupper(static_cast<unsigned char>(suffix[0]))) {
      case 'K': shift = 10; break;
      case 'M': shift = 20; break;
      case 'G': shift = 30; break;
      case 'T': shift = 40; break;
      default: throw Error(fmt::format("-m {}: unknown size suffix '{}' (K, M, G or T)", text, suffix));
    }
    if (suffix.substr(1) != "" && suffix.substr(1) != "B" && suffix.substr(1) != "iB")
      throw Error(fmt::format("-m {}: unknown size suffix '{}' (K, M, G or T)", text, suffix));
  }
  if (whole > (~std::uint64_t{0} >> shift)) throw Error(fmt::format("-m {}: size out of range", text));
  const std::uint64_t fraction_bytes = fraction << shift;
  if (fraction_bytes % scale != 0) throw Error(fmt::format("-m {}: not a whole number of bytes", text));
  const std::uint64_t bytes = (whole << shift) + fraction_bytes / scale;
  if (bytes == 0) throw Error(fmt::format("-m {}: size out of range", text));
  return bytes;
}

std::string usage_text() {
  CliOptions o;
  RawValues raw;
  std::ostringstream out;
  out << "usage: orrery -M virt[,dumpdtb=FILE][,aia=none|aplic|aplic-imsic][,aia-guests=N] [-m SIZE] [-smp N]\n"
         "              [-bios none|default|FILE] [-kernel FILE] [-initrd FILE] [-append CMDLINE] [-dtb FILE]\n"
         "              [options]\n\n"
      << describe_with_devices(o, raw)
      << "\nExit status: the guest's (SiFive test finisher), 1 for an error, 2 for a bad command line,\n"
         "124 when --max-insns stopped the run, 125 when --lockstep found a divergence.\n";
  return out.str();
}

namespace {

// -smp N: QEMU's topology spellings (cpus=, sockets=, cores=, threads=,
// maxcpus=) describe nothing this machine models, so they are refused by name
// rather than called "not a number".
unsigned parse_smp(const std::string& text) {
  if (text.find_first_of(",=") != std::string::npos)
    throw Error(fmt::format("-smp {}: give the number of harts only; QEMU's topology options (cpus=, sockets=, "
                            "cores=, threads=, maxcpus=) are not supported",
                            text));
  unsigned n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ptr != text.data() + text.size() || (ec != std::errc() && ec != std::errc::result_out_of_range) ||
      ptr == text.data())
    throw Error(fmt::format("-smp {}: expected a number of harts from 1 to {}", text, kRiscvVirtMaxHarts));
  if (ec == std::errc::result_out_of_range || n == 0 || n > kRiscvVirtMaxHarts)
    throw Error(fmt::format("-smp {}: the virt machine supports 1 to {} harts", text, kRiscvVirtMaxHarts));
  return n;
}

std::uint64_t parse_max_insns(const std::string& text, std::string_view flag = "--max-insns") {
  std::uint64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ptr == text.data() || ptr != text.data() + text.size() || ec != std::errc() || n == 0)
    throw Error(fmt::format("{} {}: expected a number of instructions from 1 to {}", flag, text,
                            ~std::uint64_t{0}));
  return n;
}

}  // namespace

namespace {

// Boost's messages for option errors, built here. Its what() substitutes the
// option's name and value into a template until no placeholder is left, so
// an argument such as "-%canonical_option%" made it loop forever (found by
// tests/fuzz's cli harness; regressions/cli/boost-placeholder-hang). The
// option's name alone is safe to ask for.
std::string usage_error(const po::error& e) {
  const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
  if (!named) return e.what();  // a fixed text, nothing substituted
  const std::string name = named->get_option_name();
  if (dynamic_cast<const po::unknown_option*>(&e)) return fmt::format("unrecognised option '{}'", name);
  if (dynamic_cast<const po::ambiguous_option*>(&e)) return fmt::format("option '{}' is ambiguous", name);
  if (dynamic_cast<const po::multiple_occurrences*>(&e))
    return fmt::format("option '{}' cannot be specified more than once", name);
  if (dynamic_cast<const po::validation_error*>(&e)) return fmt::format("the argument for option '{}' is invalid", name);
  if (const auto* syntax = dynamic_cast<const po::invalid_syntax*>(&e)) {
    switch (syntax->kind()) {
      case po::invalid_syntax::missing_parameter:
        return fmt::format("the required argument for option '{}' is missing", name);
      case po::invalid_syntax::extra_parameter:
        return fmt::format("option '{}' does not take any arguments", name);
      default: return fmt::format("option '{}' is not written as options are (--name, -name or --name=value)", name);
    }
  }
  return fmt::format("option '{}' is invalid", name);
}

// --save-at INSNS FILE and --load FILE.
void parse_checkpoint_options(CliOptions& o, const po::variables_map& vm, const RawValues& raw) {
  if (vm.count("save-at")) {
    if (raw.save_at.size() != 2 || raw.save_at[1].empty())
      throw Error("--save-at needs an instruction count and a file: --save-at INSNS FILE");
    o.save_at = parse_max_insns(raw.save_at[0], "--save-at");
    o.save_file = raw.save_at[1];
  }
  if (vm.count("load") && o.load.empty()) throw Error("--load needs a checkpoint file");
  if (o.lockstep && (!o.save_file.empty() || !o.load.empty()))
    throw Error("--lockstep and checkpoints (--save-at, --load) cannot be combined");
}

}  // namespace

namespace {

// The --trace-* filters (which need --trace) and -d/-D.
void parse_trace_and_log(CliOptions& o, const RawValues& raw, const po::variables_map& vm) {
  if (o.trace.empty()) {
    for (const char* flag : {"trace-pc", "trace-priv", "trace-hart", "trace-window", "trace-mem", "trace-csr",
                             "trace-spike"}) {
      if (vm.count(flag) && !vm[flag].defaulted())
        throw Error(fmt::format("--{} needs --trace FILE", flag));
    }
  }
  o.trace_config = parse_trace_flags(raw.trace, o.virt.harts);
  if (vm.count("-d")) o.log_categories = parse_log_categories(raw.log_items);
  if (vm.count("-D") && !o.log_categories) throw Error("-D sets where the -d log goes: give -d ITEMS too");
}

}  // namespace

CliOptions parse_command_line(int argc, const char* const* argv) {
  CliOptions o;
  RawValues raw;
  po::options_description d = describe_with_devices(o, raw);
  po::variables_map vm;
  try {
    // allow_long_disguise accepts QEMU's single-dash long options (-kernel).
    // No prefix guessing: -m must not be taken for --machine or --max-insns.
    const auto style = (po::command_line_style::default_style | po::command_line_style::allow_long_disguise) &
                       ~po::command_line_style::allow_guessing;
    const po::parsed_options parsed = po::command_line_parser(argc, argv).options(d).style(style).run();
    // Boost keeps a word that belongs to no flag as a positional option and
    // store() then drops it: "orrery -bios none kernel.elf" would run nothing.
    for (const po::option& opt : parsed.options)
      if (opt.position_key >= 0 && !opt.value.empty())
        throw Error(fmt::format("unexpected argument '{}': every file needs its flag (-kernel FILE, -bios FILE, ...)",
                                opt.value.front()));
    po::store(parsed, vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw Error(usage_error(e));
  }
  if (o.help || o.version) return o;
  if (raw.log_items == "help") {
    o.log_help = true;
    return o;
  }
  // A flag given an empty value ('-kernel ""', usually an unset shell
  // variable) would otherwise mean "not given".
  for (const auto& [name, what] : {std::pair{"machine", "-M needs a machine type (available: virt)"},
                                   std::pair{"memory", "-m needs a size, e.g. -m 256M"},
                                   std::pair{"smp", "-smp needs a number of harts"},
                                   std::pair{"cpu", "-cpu needs a CPU model (available: rv64)"},
                                   std::pair{"kernel", "-kernel needs a file name"},
                                   std::pair{"initrd", "-initrd needs a file name"},
                                   std::pair{"dtb", "-dtb needs a file name"},
                                   std::pair{"trace", "--trace needs a file name ('-' for stdout)"},
                                   std::pair{"trace-priv", "--trace-priv needs modes, e.g. --trace-priv S,U"},
                                   std::pair{"trace-hart", "--trace-hart needs hart numbers, e.g. --trace-hart 0,2"},
                                   std::pair{"trace-window", "--trace-window needs a range, e.g. 1000-2000"},
                                   std::pair{"-d", "-d needs log items, e.g. -d int,exc ('-d help' lists them)"},
                                   std::pair{"-D", "-D needs a file name"},
                                   std::pair{"max-insns", "--max-insns needs a number"},
                                   std::pair{"engine", "--engine needs a name (available: interp, threaded)"},
                                   std::pair{"timing", "--timing needs a preset (small, dual), a file or none"}}) {
    if (!vm.count(name)) continue;
    const po::variable_value& v = vm[name];
    if (v.value().type() == typeid(std::string) && v.as<std::string>().empty()) throw Error(what);
  }
  parse_machine(o);
  parse_cpu(o);
  if (vm.count("rtc")) parse_rtc(o, o.rtc);
  // The machine's limits are checked here as well as when it is built, so
  // that a size or count it cannot take is a usage error (exit status 2).
  if (!raw.memory.empty()) {
    o.virt.ram_size = parse_memory_size(raw.memory);
    if (o.virt.ram_size < kRiscvVirtMinRam || o.virt.ram_size > kRiscvVirtMaxRam || o.virt.ram_size % 4096)
      throw Error(fmt::format("-m {}: RAM size must be a multiple of 4 KiB between 1 MiB and 1 TiB", raw.memory));
  }
  if (!raw.smp.empty()) o.virt.harts = parse_smp(raw.smp);
  if (!raw.max_insns.empty()) o.max_insns = parse_max_insns(raw.max_insns);
  if (o.virt.bios.empty()) throw Error("-bios needs 'none', 'default' or a file name");
  if (o.virt.kernel.empty() && !o.virt.initrd.empty()) throw Error("-initrd needs -kernel");
  if (o.virt.kernel.empty() && !o.virt.append.empty()) throw Error("-append needs -kernel");
  if (o.dump_dtb.empty() && vm.count("dump-dtb")) throw Error("--dump-dtb needs a file name");
  add_virtio_devices(o, raw.drives, raw.devices);
  try {
    make_engine(o.engine);  // validates the name
  } catch (const Error& e) {
    throw Error(fmt::format("--engine: {}", e.what()));
  }
  if (o.timing != "none") {
    try {
      o.virt.timing = timing::load_config(o.timing);
    } catch (const Error& e) {
      // The config's own messages start with the file's name.
      const std::string_view what = e.what();
      if (what.starts_with("--timing")) throw;
      throw Error(fmt::format("--timing {}", what));
    }
  }
  if (vm.count("stats-json") && o.stats_json.empty()) throw Error("--stats-json needs a file name");
  parse_trace_and_log(o, raw, vm);
  if (raw.gdb_default && o.gdb.empty()) o.gdb = "tcp::1234";
  if (vm.count("gdb") && o.gdb.empty()) throw Error("-gdb needs tcp::PORT");
  if (!o.gdb.empty()) gdb::parse_endpoint(o.gdb);  // validates it
  if (o.gdb_wait && o.gdb.empty()) throw Error("-S waits for a debugger: give -s or -gdb tcp::PORT too");
  if (o.lockstep && !o.gdb.empty()) throw Error("--lockstep and a debugger (-s, -gdb) cannot be combined");
  parse_checkpoint_options(o, vm, raw);
  return o;
}

}  // namespace orrery
