// The ISA-neutral halves of --trace and -d (core/trace.hpp): the filters a
// TraceWriter applies, the -d item list, and the bus's device lines.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "orrery/core/bus.hpp"
#include "orrery/core/trace.hpp"

namespace orrery {
namespace {

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  return text;
}

TEST(TraceWriter, SelectsByHartModeAndPcRanges) {
  TraceConfig c;
  c.pcs = {{0x1000, 0x2000}, {0x8000, 0x8004}};
  c.modes = 0b101;
  c.harts = 0b10;
  std::FILE* f = std::tmpfile();
  {
    TraceWriter w(f, c);
    EXPECT_TRUE(w.selects(1, 0, 0x1000));
    EXPECT_TRUE(w.selects(1, 2, 0x1fff));
    EXPECT_TRUE(w.selects(1, 0, 0x8003));
    EXPECT_FALSE(w.selects(1, 0, 0x2000)) << "ranges are half-open";
    EXPECT_FALSE(w.selects(1, 0, 0x0fff));
    EXPECT_FALSE(w.selects(1, 1, 0x1000)) << "mode 1 is not selected";
    EXPECT_FALSE(w.selects(0, 0, 0x1000)) << "hart 0 is not selected";
    EXPECT_FALSE(w.selects(64, 0, 0x1000));
  }
  std::fclose(f);
}

TEST(TraceWriter, CountsRetiredInstructions) {
  std::FILE* f = std::tmpfile();
  {
    TraceWriter w(f);
    EXPECT_EQ(w.next_index(), 0u);
    EXPECT_EQ(w.next_index(), 1u);
    EXPECT_FALSE(w.config().windowed());
    EXPECT_TRUE(w.selects(63, 31, ~Addr{0})) << "no filter: everything";
  }
  std::fclose(f);
}

TEST(DebugLog, CategoriesAsQemuSpellsThem) {
  using namespace log_category;
  EXPECT_EQ(parse_log_categories("int"), kInterrupt);
  EXPECT_EQ(parse_log_categories("int,exc,mmu,dev"), kInterrupt | kException | kMmu | kDevice);
  EXPECT_EQ(parse_log_categories("interrupt,exception,device"), kInterrupt | kException | kDevice);
  EXPECT_EQ(parse_log_categories("mmu,mmu"), kMmu);
}

TEST(DebugLog, BadCategoriesAreRefusedByName) {
  const auto message = [](std::string_view list) {
    try {
      parse_log_categories(list);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("int,nope"), "-d nope: unknown log item (available: int, exc, mmu, dev; '-d help' explains them)");
  EXPECT_NE(message("int,").find("empty log item"), std::string::npos);
  EXPECT_NE(message("").find("empty log item"), std::string::npos);
  EXPECT_NE(message("INT").find("unknown log item"), std::string::npos) << "QEMU's items are lower case";
}

TEST(DebugLog, HelpListsEveryItem) {
  const std::string help = log_categories_help();
  for (const char* item : {"int", "exc", "mmu", "dev"})
    EXPECT_NE(help.find(std::string("\n") + item), std::string::npos) << item;
}

class Register : public Device {
 public:
  std::string_view name() const override { return "reg"; }
  bool read(Addr offset, unsigned, std::uint64_t& value) override {
    value = 0xa5a5a5a5a5a5a5a5ull;  // more bits than asked for: the log shows the access's
    return offset < 8;
  }
  bool write(Addr offset, unsigned, std::uint64_t) override { return offset < 8; }
};

TEST(DebugLog, BusLogsDeviceAccessesOnly) {
  Bus bus;
  Register reg;
  bus.add_ram("ram", 0x1000, 0x1000);
  bus.add_mmio("uart", 0x10000000, 0x100, reg);
  std::FILE* f = std::tmpfile();
  {
    DebugLog log(f, log_category::kDevice);
    bus.set_log(&log, log.categories());
    std::uint64_t v = 0;
    ASSERT_TRUE(bus.write(0x1000, 8, 1));  // RAM: not a device access
    ASSERT_TRUE(bus.read(0x1000, 8, v));
    ASSERT_TRUE(bus.write(0x10000004, 4, 0x41));
    ASSERT_TRUE(bus.read(0x10000002, 2, v));
    EXPECT_FALSE(bus.read(0x10000010, 1, v));
    EXPECT_FALSE(bus.write(0x10000010, 1, 0x7));
    bus.set_log(nullptr, 0);
    EXPECT_TRUE(bus.write(0x10000000, 1, 0x42)) << "not logged any more";
  }
  EXPECT_EQ(contents(f),
            "dev: write uart+0x4 (pa 0x10000004) size 4 value 0x00000041\n"
            "dev: read uart+0x2 (pa 0x10000002) size 2 value 0xa5a5\n"
            "dev: read uart+0x10 (pa 0x10000010) size 1 value - refused\n"
            "dev: write uart+0x10 (pa 0x10000010) size 1 value 0x07 refused\n");
  std::fclose(f);
}

TEST(DebugLog, OtherCategoriesLeaveTheBusQuiet) {
  Bus bus;
  Register reg;
  bus.add_mmio("uart", 0x10000000, 0x100, reg);
  std::FILE* f = std::tmpfile();
  {
    DebugLog log(f, log_category::kInterrupt | log_category::kException | log_category::kMmu);
    bus.set_log(&log, log.categories());
    ASSERT_TRUE(bus.write(0x10000004, 4, 0x41));
  }
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

}  // namespace
}  // namespace orrery
