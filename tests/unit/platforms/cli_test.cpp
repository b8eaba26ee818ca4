#include <gtest/gtest.h>

#include <vector>

#include "orrery/platforms/cli.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery {
namespace {

CliOptions parse(std::vector<const char*> args) {
  args.insert(args.begin(), "orrery");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

std::string error_of(std::vector<const char*> args) {
  try {
    parse(std::move(args));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Cli, QemuSpellingsParse) {
  const CliOptions o =
      parse({"-M", "virt", "-m", "256M", "-bios", "none", "-kernel", "prog.elf", "-nographic", "-smp", "2"});
  EXPECT_EQ(o.machine, "virt");
  EXPECT_EQ(o.virt.ram_size, 256ull << 20);
  EXPECT_EQ(o.virt.bios, "none");
  EXPECT_EQ(o.virt.kernel, "prog.elf");
  EXPECT_EQ(o.virt.harts, 2u);
}

TEST(Cli, OrreryFlagsParse) {
  const CliOptions o = parse({"-kernel", "k", "--max-insns", "1000", "--trace", "t.log", "--engine", "interp",
                              "--stats"});
  EXPECT_EQ(o.max_insns, 1000u);
  EXPECT_EQ(o.trace, "t.log");
  EXPECT_EQ(o.engine, "interp");
  EXPECT_TRUE(o.stats);
}

TEST(Cli, BootFlagsParse) {
  const CliOptions o = parse({"-kernel", "Image", "-initrd", "rootfs.cpio", "-append", "console=ttyS0 quiet",
                              "-dtb", "board.dtb", "--dump-dtb", "out.dtb"});
  EXPECT_EQ(o.virt.initrd, "rootfs.cpio");
  EXPECT_EQ(o.virt.append, "console=ttyS0 quiet");
  EXPECT_EQ(o.virt.dtb, "board.dtb");
  EXPECT_EQ(o.dump_dtb, "out.dtb");
  EXPECT_EQ(o.virt.bios, kDefaultBios) << "QEMU loads its OpenSBI unless told otherwise";
  const CliOptions m = parse({"-M", "virt,dumpdtb=q.dtb"});
  EXPECT_EQ(m.machine, "virt");
  EXPECT_EQ(m.dump_dtb, "q.dtb");
  EXPECT_EQ(m.virt.aia, VirtAia::None) << "the PLIC by default";
}

TEST(Cli, AiaMachineOptions) {
  const CliOptions a = parse({"-M", "virt,aia=aplic"});
  EXPECT_EQ(a.machine, "virt");
  EXPECT_EQ(a.virt.aia, VirtAia::Aplic);
  const CliOptions b = parse({"-M", "virt,aia=aplic-imsic,aia-guests=2,dumpdtb=q.dtb"});
  EXPECT_EQ(b.virt.aia, VirtAia::AplicImsic);
  EXPECT_EQ(b.virt.aia_guests, 2u);
  EXPECT_EQ(b.dump_dtb, "q.dtb");
  EXPECT_EQ(parse({"-M", "virt,aia=aplic,aia=none"}).virt.aia, VirtAia::None);
  EXPECT_EQ(parse({"-M", "virt,aia-guests=7"}).virt.aia_guests, 7u);
  EXPECT_NE(error_of({"-M", "virt,aia=imsic"}).find("not an AIA type"), std::string::npos);
  EXPECT_NE(error_of({"-M", "virt,aia-guests=8"}).find("aia-guests=8"), std::string::npos);
  EXPECT_NE(error_of({"-M", "virt,aia-guests=two"}).find("aia-guests"), std::string::npos);
  EXPECT_NE(error_of({"-M", "virt,aia-guests="}).find("aia-guests"), std::string::npos);
}

TEST(Cli, MemorySizes) {
  EXPECT_EQ(parse_memory_size("128"), 128ull << 20);
  EXPECT_EQ(parse_memory_size("512K"), 512ull << 10);
  EXPECT_EQ(parse_memory_size("1G"), 1ull << 30);
  EXPECT_EQ(parse_memory_size("2GiB"), 2ull << 30);
  EXPECT_EQ(parse_memory_size("1t"), 1ull << 40);
  EXPECT_THROW(parse_memory_size(""), Error);
  EXPECT_THROW(parse_memory_size("G"), Error);
  EXPECT_THROW(parse_memory_size("12Q"), Error);
  EXPECT_THROW(parse_memory_size("0"), Error);
  EXPECT_THROW(parse_memory_size("99999999999T"), Error);
}

TEST(Cli, BadInputGivesOneLineErrors) {
  EXPECT_NE(error_of({"-kernel", "k", "--frobnicate"}).find("frobnicate"), std::string::npos);
  EXPECT_NE(error_of({"-M", "sifive_u"}).find("unknown machine"), std::string::npos);
  EXPECT_NE(error_of({"-smp", "0"}).find("-smp"), std::string::npos);
  EXPECT_NE(error_of({"-smp", "two"}).find("-smp"), std::string::npos);
  EXPECT_NE(error_of({"--engine", "jit"}).find("unknown engine"), std::string::npos);
  EXPECT_NE(error_of({"-m", "lots"}).find("-m lots"), std::string::npos);
  EXPECT_NE(error_of({"--max-insns", "many"}).find("max-insns"), std::string::npos);
  EXPECT_NE(error_of({"-kernel"}).find("kernel"), std::string::npos);
  EXPECT_NE(error_of({"-initrd", "r"}).find("-initrd needs -kernel"), std::string::npos);
  EXPECT_NE(error_of({"-append", "x"}).find("-append needs -kernel"), std::string::npos);
  EXPECT_NE(error_of({"-M", "virt,acpi=on"}).find("unknown machine option"), std::string::npos);
  EXPECT_NE(error_of({"-M", "virt,dumpdtb="}).find("unknown machine option"), std::string::npos);
  EXPECT_NE(error_of({"-bios", ""}).find("-bios"), std::string::npos);
  EXPECT_NE(error_of({"--dump-dtb"}).find("dump-dtb"), std::string::npos);
  // No prefix guessing: -m is memory, never --machine or --max-insns.
  EXPECT_EQ(parse({"-m", "64"}).virt.ram_size, 64ull << 20);
}

TEST(Cli, MemorySizesWithFractions) {
  // QEMU's decimal fractions; a plain number is still MiB.
  EXPECT_EQ(parse_memory_size("1.5G"), 1536ull << 20);
  EXPECT_EQ(parse_memory_size("1.5"), 1536ull << 10);
  EXPECT_EQ(parse_memory_size("0.5K"), 512u);
  EXPECT_EQ(parse_memory_size("2.25T"), 9ull << 38);
  EXPECT_THROW(parse_memory_size("1.3M"), Error) << "not a whole number of bytes";
  EXPECT_THROW(parse_memory_size("1.1234567G"), Error) << "more than 6 decimal places";
  EXPECT_THROW(parse_memory_size("1.G"), Error);
  EXPECT_THROW(parse_memory_size(".5G"), Error);
  EXPECT_THROW(parse_memory_size("1.5.2G"), Error);
  EXPECT_THROW(parse_memory_size("128M,slots=2"), Error);
}

// Values the machine cannot take are usage errors (exit status 2), caught
// while parsing rather than when the machine is built.
TEST(Cli, OutOfRangeValuesAreUsageErrors) {
  const auto has = [](const std::string& error, const std::string& text) {
    return error.find(text) != std::string::npos;
  };
  EXPECT_TRUE(has(error_of({"-m", "1K"}), "-m 1K: RAM size must be a multiple of 4 KiB between 1 MiB and 1 TiB"));
  EXPECT_TRUE(has(error_of({"-m", "2T"}), "between 1 MiB and 1 TiB"));
  EXPECT_TRUE(has(error_of({"-m", "4097K"}), "multiple of 4 KiB"));
  EXPECT_EQ(parse({"-m", "1T"}).virt.ram_size, kRiscvVirtMaxRam);
  EXPECT_TRUE(has(error_of({"-smp", "65"}), "-smp 65: the virt machine supports 1 to 64 harts"));
  EXPECT_TRUE(has(error_of({"-smp", "99999999999"}), "1 to 64 harts"));
  EXPECT_TRUE(has(error_of({"-smp", "-1"}), "-smp -1: expected a number of harts"));
  EXPECT_TRUE(has(error_of({"-smp", "2,sockets=1"}), "topology options"));
  EXPECT_EQ(parse({"-smp", "64"}).virt.harts, 64u);
  // Boost would read "-1" as 2^64 - 1; 0 would silently mean "no limit".
  EXPECT_TRUE(has(error_of({"--max-insns", "-1"}), "--max-insns -1: expected a number of instructions"));
  EXPECT_TRUE(has(error_of({"--max-insns", "0"}), "--max-insns 0"));
  EXPECT_TRUE(has(error_of({"--max-insns", "1e6"}), "--max-insns 1e6"));
  EXPECT_EQ(parse({"--max-insns", "18446744073709551615"}).max_insns, ~std::uint64_t{0});
  EXPECT_TRUE(has(error_of({"-rtc", "base=2021-02-29"}), "2021-02 has no day 29"));
  EXPECT_TRUE(has(error_of({"-rtc", "base=2100-02-29"}), "2100-02 has no day 29"));
  EXPECT_TRUE(has(error_of({"-rtc", "base=2020-04-31"}), "2020-04 has no day 31"));
  EXPECT_TRUE(parse({"-rtc", "base=2000-02-29"}).virt.rtc_base_ns.has_value());
  EXPECT_EQ(error_of({"--engine", "jit"}).rfind("--engine: unknown engine 'jit'", 0), 0u);
}

TEST(Cli, EmptyValuesStrayWordsAndStrayCommasAreRefused) {
  const auto has = [](const std::string& error, const std::string& text) {
    return error.find(text) != std::string::npos;
  };
  // An empty value (usually an unset shell variable) would mean "not given".
  EXPECT_EQ(error_of({"-bios", "none", "-kernel", ""}), "-kernel needs a file name");
  EXPECT_EQ(error_of({"-kernel", "k", "-initrd", ""}), "-initrd needs a file name");
  EXPECT_EQ(error_of({"-kernel", "k", "-dtb", ""}), "-dtb needs a file name");
  EXPECT_TRUE(has(error_of({"-kernel", "k", "--trace", ""}), "--trace needs a file name"));
  EXPECT_TRUE(has(error_of({"-m", ""}), "-m needs a size"));
  EXPECT_TRUE(has(error_of({"-smp", ""}), "-smp needs a number"));
  EXPECT_TRUE(has(error_of({"-M", ""}), "-M needs a machine type"));
  EXPECT_TRUE(has(error_of({"-cpu", ""}), "-cpu needs a CPU model"));
  EXPECT_TRUE(has(error_of({"-rtc", ""}), "-rtc needs a value"));
  EXPECT_TRUE(has(error_of({"--engine", ""}), "--engine needs a name"));
  EXPECT_TRUE(has(error_of({"--timing", ""}), "--timing needs a preset"));
  EXPECT_EQ(parse({"-kernel", "k", "-append", ""}).virt.append, "") << "an empty command line is fine";
  // A word that belongs to no flag is not silently dropped.
  EXPECT_TRUE(has(error_of({"-bios", "none", "k.elf"}), "unexpected argument 'k.elf'"));
  EXPECT_TRUE(has(error_of({"-M", "virt,"}), "-M virt,: empty option (stray comma?)"));
  EXPECT_TRUE(has(error_of({"-M", "virt,,aia=aplic"}), "empty option"));
  EXPECT_TRUE(has(error_of({"-cpu", "rv64,"}), "-cpu rv64,: empty option"));
  EXPECT_TRUE(has(error_of({"-rtc", "base=utc,"}), "-rtc base=utc,: empty option"));
  EXPECT_EQ(parse({"-cpu", "rv64,h=off"}).virt.hypervisor, false);
}

TEST(Cli, HelpListsEveryFlag) {
  const std::string help = usage_text();
  for (const char* flag : {"--machine", "--memory", "--smp", "--bios", "--kernel", "--nographic", "--max-insns",
                           "--trace", "--engine", "--stats", "--help", "--version", "--initrd", "--append",
                           "--dtb", "--dump-dtb", "--drive", "--device", "Ctrl-A", "aia=", "aia-guests=",
                           "--trace-pc", "--trace-priv", "--trace-hart", "--trace-window", "--trace-mem",
                           "--trace-csr", "--trace-spike", "-d ITEM", "-D FILE", "-d help"})
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
}

TEST(Cli, TraceFiltersParse) {
  const CliOptions o = parse({"-kernel", "k", "-smp", "4", "--trace", "t.log", "--trace-pc", "0x80000000-0x80001000",
                              "--trace-pc", "0x1000+16", "--trace-priv", "s,VU,hs", "--trace-hart", "0,3",
                              "--trace-window", "1000+500", "--trace-mem", "--trace-csr", "--trace-spike"});
  const TraceConfig& c = o.trace_config;
  ASSERT_EQ(c.pcs.size(), 2u);
  EXPECT_EQ(c.pcs[0].lo, 0x80000000u);
  EXPECT_EQ(c.pcs[0].hi, 0x80001000u);
  EXPECT_EQ(c.pcs[1].lo, 0x1000u);
  EXPECT_EQ(c.pcs[1].hi, 0x1010u);
  EXPECT_EQ(c.modes, (1u << riscv::RiscvHart::kModeS) | (1u << riscv::RiscvHart::kModeVU));
  EXPECT_EQ(c.harts, 0b1001u);
  EXPECT_EQ(c.window_begin, 1000u);
  EXPECT_EQ(c.window_end, 1500u);
  EXPECT_TRUE(c.mem);
  EXPECT_TRUE(c.csr);
  EXPECT_FALSE(c.disasm);
}

TEST(Cli, TraceDefaultsTraceEverything) {
  const TraceConfig c = parse({"-kernel", "k", "--trace", "t.log"}).trace_config;
  EXPECT_TRUE(c.pcs.empty());
  EXPECT_EQ(c.modes, ~0u);
  EXPECT_EQ(c.harts, ~0ull);
  EXPECT_FALSE(c.windowed());
  EXPECT_FALSE(c.mem);
  EXPECT_FALSE(c.csr);
  EXPECT_TRUE(c.disasm);
  const TraceConfig open = parse({"-kernel", "k", "--trace", "t", "--trace-window", "0x10-"}).trace_config;
  EXPECT_EQ(open.window_begin, 16u);
  EXPECT_EQ(open.window_end, ~0ull);
}

TEST(Cli, TraceFiltersNeedTrace) {
  for (const char* flag : {"--trace-mem", "--trace-csr", "--trace-spike"})
    EXPECT_EQ(error_of({"-kernel", "k", flag}), std::string(flag) + " needs --trace FILE");
  EXPECT_EQ(error_of({"-kernel", "k", "--trace-pc", "0-4"}), "--trace-pc needs --trace FILE");
  EXPECT_EQ(error_of({"-kernel", "k", "--trace-priv", "M"}), "--trace-priv needs --trace FILE");
  EXPECT_EQ(error_of({"-kernel", "k", "--trace-hart", "0"}), "--trace-hart needs --trace FILE");
  EXPECT_EQ(error_of({"-kernel", "k", "--trace-window", "0-4"}), "--trace-window needs --trace FILE");
}

TEST(Cli, MalformedTraceFilters) {
  const auto err = [](const char* flag, const char* value) {
    return error_of({"-kernel", "k", "-smp", "2", "--trace", "t", flag, value});
  };
  EXPECT_EQ(err("--trace-pc", "0x1000"), "--trace-pc 0x1000: expected LO-HI or LO+LEN (hex with 0x, or decimal)");
  EXPECT_EQ(err("--trace-pc", "0x2000-0x1000"),
            "--trace-pc 0x2000-0x1000: the end must be above the start (the range is [start, end))");
  EXPECT_EQ(err("--trace-pc", "0x1000+0"), "--trace-pc 0x1000+0: the length is 0");
  EXPECT_EQ(err("--trace-pc", "0xffffffffffffffff+2"), "--trace-pc 0xffffffffffffffff+2: the range runs past 2^64");
  EXPECT_TRUE(has(err("--trace-pc", "0x1000-"), "expected LO-HI or LO+LEN")) << "only the window is open-ended";
  EXPECT_TRUE(has(err("--trace-pc", "zz-0x10"), "expected LO-HI"));
  EXPECT_TRUE(has(err("--trace-pc", "-5-10"), "expected LO-HI"));
  EXPECT_EQ(err("--trace-priv", "M,H"), "--trace-priv M,H: unknown mode 'H' (available: M, S or HS, U, VS, VU)");
  EXPECT_EQ(err("--trace-priv", "M,"), "--trace-priv M,: empty mode (stray comma?)");
  EXPECT_EQ(err("--trace-hart", "2"), "--trace-hart 2: no hart 2 (the machine has harts 0 to 1; see -smp)");
  EXPECT_EQ(err("--trace-hart", "0,x"), "--trace-hart 0,x: 'x' is not a hart number");
  EXPECT_EQ(err("--trace-window", "10"),
            "--trace-window 10: expected START-END, START+COUNT or START- (decimal or 0x hex)");
  EXPECT_TRUE(has(err("--trace-window", "10-10"), "the end must be above the start"));
  EXPECT_EQ(err("--trace-priv", ""), "--trace-priv needs modes, e.g. --trace-priv S,U");
}

TEST(Cli, DebugLogFlags) {
  const CliOptions o = parse({"-kernel", "k", "-d", "int,exception,mmu,dev", "-D", "log.txt"});
  EXPECT_EQ(o.log_categories, log_category::kInterrupt | log_category::kException | log_category::kMmu |
                                  log_category::kDevice);
  EXPECT_EQ(o.log_file, "log.txt");
  EXPECT_EQ(parse({"-kernel", "k", "-d", "exc"}).log_file, "") << "stderr";
  EXPECT_EQ(parse({"-kernel", "k"}).log_categories, 0u);
  EXPECT_TRUE(parse({"-d", "help"}).log_help);
  EXPECT_TRUE(has(error_of({"-kernel", "k", "-d", "int,cpu"}), "-d cpu: unknown log item"));
  EXPECT_EQ(error_of({"-kernel", "k", "-d", ""}), "-d needs log items, e.g. -d int,exc ('-d help' lists them)");
  EXPECT_EQ(error_of({"-kernel", "k", "-D", "log.txt"}), "-D sets where the -d log goes: give -d ITEMS too");
  EXPECT_EQ(error_of({"-kernel", "k", "-d", "int", "-D", ""}), "-D needs a file name");
  EXPECT_EQ(parse({"-kernel", "k", "-dtb", "x.dtb"}).virt.dtb, "x.dtb") << "-dtb is not -d tb";
}

}  // namespace
}  // namespace orrery
