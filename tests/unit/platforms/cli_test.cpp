#include <gtest/gtest.h>

#include <vector>

#include "orrery/platforms/cli.hpp"

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

TEST(Cli, HelpListsEveryFlag) {
  const std::string help = usage_text();
  for (const char* flag : {"--machine", "--memory", "--smp", "--bios", "--kernel", "--nographic", "--max-insns",
                           "--trace", "--engine", "--stats", "--help", "--version", "--initrd", "--append",
                           "--dtb", "--dump-dtb", "--drive", "--device", "Ctrl-A", "aia=", "aia-guests="})
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
}

}  // namespace
}  // namespace orrery
