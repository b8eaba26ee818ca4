#include <gtest/gtest.h>

#include <string>

#include <sstream>

#include "orrery/core/bus.hpp"

namespace orrery {
namespace {

class RecordingDevice : public Device {
 public:
  std::string_view name() const override { return "rec"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override {
    last_offset = offset;
    last_size = size;
    value = 0x1122334455667788ull;
    return true;
  }
  bool write(Addr offset, unsigned size, std::uint64_t value) override {
    last_offset = offset;
    last_size = size;
    last_value = value;
    return offset < 0x10;  // the upper part of the window reports a bus error
  }
  Addr last_offset = ~Addr{0};
  unsigned last_size = 0;
  std::uint64_t last_value = 0;
};

TEST(Bus, RamReadWriteAnyAlignment) {
  Bus bus;
  bus.add_ram("ram", 0x1000, 0x1000);
  ASSERT_TRUE(bus.write(0x1003, 8, 0x0102030405060708ull));
  std::uint64_t v = 0;
  ASSERT_TRUE(bus.read(0x1003, 8, v));
  EXPECT_EQ(v, 0x0102030405060708ull);
  ASSERT_TRUE(bus.read(0x1004, 2, v));
  EXPECT_EQ(v, 0x0607u);
}

TEST(Bus, AccessesOutsideRegionsFail) {
  Bus bus;
  bus.add_ram("ram", 0x1000, 0x1000);
  std::uint64_t v;
  EXPECT_FALSE(bus.read(0xfff, 1, v));
  EXPECT_FALSE(bus.read(0x2000, 1, v));
  EXPECT_FALSE(bus.read(0x1ffc, 8, v)) << "straddles the end of RAM";
  EXPECT_FALSE(bus.write(0x0, 4, 1));
  EXPECT_FALSE(bus.read(~Addr{0} - 2, 8, v)) << "wraps around the address space";
}

TEST(Bus, RomIsReadOnly) {
  Bus bus;
  std::uint8_t* rom = bus.add_rom("rom", 0x0, 0x100);
  rom[4] = 0xab;
  std::uint64_t v;
  ASSERT_TRUE(bus.read(4, 1, v));
  EXPECT_EQ(v, 0xabu);
  EXPECT_FALSE(bus.write(4, 1, 0));
  EXPECT_EQ(bus.host_ptr(4, 1, true), nullptr);
  EXPECT_NE(bus.host_ptr(4, 1, false), nullptr);
}

TEST(Bus, MmioDispatchesWithOffsetsAndRequiresAlignment) {
  Bus bus;
  RecordingDevice dev;
  bus.add_mmio("dev", 0x10000, 0x100, dev);
  std::uint64_t v;
  ASSERT_TRUE(bus.read(0x10008, 4, v));
  EXPECT_EQ(dev.last_offset, 8u);
  EXPECT_EQ(dev.last_size, 4u);
  ASSERT_TRUE(bus.write(0x10004, 4, 0xdead));
  EXPECT_EQ(dev.last_value, 0xdeadu);
  EXPECT_FALSE(bus.write(0x10020, 4, 1)) << "device reported a bus error";
  EXPECT_FALSE(bus.read(0x10002, 4, v)) << "misaligned MMIO access";
  EXPECT_FALSE(bus.read(0x100fc, 8, v)) << "access beyond the device window";
  EXPECT_EQ(bus.host_ptr(0x10000, 4, false), nullptr);
}

TEST(Bus, OverlappingRegionsAreRejected) {
  Bus bus;
  bus.add_ram("a", 0x1000, 0x1000);
  EXPECT_THROW(bus.add_ram("b", 0x0, 0x1800), Error);
  EXPECT_THROW(bus.add_ram("c", 0x0, 0x1001), Error);
  EXPECT_NO_THROW(bus.add_ram("d", 0x2000, 0x1000));
  EXPECT_THROW(bus.add_ram("e", ~Addr{0} - 0xfff, 0x2000), Error) << "wraps";
}

TEST(Bus, RamAndRomStartOnPageBoundaries) {
  // Software TLBs and the threaded engine's code pages are whole 4 KiB pages.
  Bus bus;
  try {
    bus.add_ram("odd", 0x80000800, 0x1000);
    FAIL() << "an unaligned RAM base was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("4 KiB boundary"), std::string::npos) << e.what();
  }
  EXPECT_THROW(bus.add_rom("odd", 0x10, 0x1000), Error);
  EXPECT_NO_THROW(bus.add_ram("ok", 0x80000000, 0x100)) << "sizes need not be whole pages";
}

TEST(Bus, ImagesMustFitInMemory) {
  Bus bus;
  bus.add_ram("ram", 0x1000, 0x100);
  std::vector<std::uint8_t> data(0x80, 0x5a);
  EXPECT_NO_THROW(bus.write_image(0x1080, data, "img"));
  EXPECT_THROW(bus.write_image(0x1081, data, "img"), Error);
  EXPECT_THROW(bus.zero_image(0x0, 4, "bss"), Error);
  std::uint64_t v;
  ASSERT_TRUE(bus.read(0x10ff, 1, v));
  EXPECT_EQ(v, 0x5au);
}

TEST(Bus, PrintsTheMapSortedByAddress) {
  Bus bus;
  RecordingDevice dev;
  bus.add_ram("ram", 0x80000000, 0x1000);
  bus.add_mmio("uart", 0x10000000, 0x100, dev);
  std::ostringstream out;
  bus.print_map(out);
  EXPECT_EQ(out.str(),
            "0000000010000000-00000000100000ff mmio uart\n"
            "0000000080000000-0000000080000fff ram  ram\n");
}

}  // namespace
}  // namespace orrery
