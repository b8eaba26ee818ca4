// Code-page tracking in the bus (Bus::mark_code and the CodeWriteObserver),
// which the threaded engine's self-modifying-code handling rests on.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "orrery/core/bus.hpp"

namespace orrery {
namespace {

constexpr Addr kRamBase = 0x80000000;
constexpr std::uint64_t kPage = std::uint64_t{1} << Bus::kCodePageBits;

struct Notice {
  const std::uint8_t* page;
  const std::uint8_t* p;
  std::uint64_t len;
  std::uint8_t first_byte;  // *p when told: the write has not happened yet
  bool operator==(const Notice&) const = default;
};

// Records every call; answers `keep` (the page still holds code).
class RecordingObserver : public CodeWriteObserver {
 public:
  bool code_written(const std::uint8_t* host_page, const std::uint8_t* p, std::uint64_t len) override {
    notices.push_back(Notice{host_page, p, len, *p});
    return keep;
  }
  std::vector<Notice> notices;
  bool keep = true;
};

struct CodePages : ::testing::Test {
  CodePages() {
    ram = bus.add_ram("ram", kRamBase, 8 * kPage);
    bus.set_code_observer(&observer);
    bus.add_write_watcher([this](const std::uint8_t* page) { watched_a.push_back(page); });
    bus.add_write_watcher([this](const std::uint8_t* page) { watched_b.push_back(page); });
  }
  Bus bus;
  std::uint8_t* ram = nullptr;
  RecordingObserver observer;
  std::vector<const std::uint8_t*> watched_a, watched_b;
};

TEST_F(CodePages, MarkingCallsEveryWatcherOnceWithThePageStart) {
  EXPECT_FALSE(bus.is_code(ram + kPage));
  bus.mark_code(ram + kPage + 0x234);
  const std::vector<const std::uint8_t*> one{ram + kPage};
  EXPECT_EQ(watched_a, one);
  EXPECT_EQ(watched_b, one);
  EXPECT_TRUE(bus.is_code(ram + kPage));
  EXPECT_TRUE(bus.is_code(ram + 2 * kPage - 1));
  EXPECT_FALSE(bus.is_code(ram + kPage - 1));
  EXPECT_FALSE(bus.is_code(ram + 2 * kPage));
  EXPECT_EQ(bus.code_stats().marked, 1u);
  EXPECT_TRUE(observer.notices.empty()) << "marking writes nothing";
}

TEST_F(CodePages, MarkingTwiceIsIdempotent) {
  bus.mark_code(ram + kPage + 0x10);
  bus.mark_code(ram + kPage + 0xff0);
  bus.mark_code(ram + kPage);
  EXPECT_EQ(watched_a.size(), 1u);
  EXPECT_EQ(watched_b.size(), 1u);
  EXPECT_EQ(bus.code_stats().marked, 1u);
  bus.mark_code(ram + 3 * kPage + 8);
  const std::vector<const std::uint8_t*> two{ram + kPage, ram + 3 * kPage};
  EXPECT_EQ(watched_a, two);
  EXPECT_EQ(watched_b, two);
  EXPECT_EQ(bus.code_stats().marked, 2u);
  // One write clears the page once (the observer says no code is left):
  // a second mark would otherwise have been counted twice.
  observer.keep = false;
  ASSERT_TRUE(bus.write(kRamBase + kPage, 4, 0));
  EXPECT_EQ(bus.code_stats().invalidated, 1u);
  EXPECT_FALSE(bus.is_code(ram + kPage));
  EXPECT_TRUE(bus.is_code(ram + 3 * kPage));
}

TEST_F(CodePages, MarkingOutsideGuestMemoryThrows) {
  std::array<std::uint8_t, 16> elsewhere{};
  EXPECT_THROW(bus.mark_code(elsewhere.data()), Error);
  EXPECT_THROW(bus.mark_code(ram + 8 * kPage), Error) << "one past the end of RAM";
  EXPECT_TRUE(watched_a.empty());
}

TEST_F(CodePages, WriteToAMarkedPageTellsTheObserverFirst) {
  ram[kPage + 0x10] = 0xaa;
  bus.mark_code(ram + kPage);
  ASSERT_TRUE(bus.write(kRamBase + kPage + 0x10, 4, 0x11223344));
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_EQ(observer.notices[0], (Notice{ram + kPage, ram + kPage + 0x10, 4, 0xaa}));
  EXPECT_EQ(ram[kPage + 0x10], 0x44) << "the write itself still happens";
  for (unsigned size : {1u, 2u, 8u}) {
    ASSERT_TRUE(bus.write(kRamBase + kPage + 0xff8, size, 0));
    EXPECT_EQ(observer.notices.back(), (Notice{ram + kPage, ram + kPage + 0xff8, size, 0}));
  }
  EXPECT_EQ(observer.notices.size(), 4u);
}

TEST_F(CodePages, ObserverDecidesWhetherTheMarkStays) {
  bus.mark_code(ram + kPage);
  observer.keep = true;  // data beside code
  ASSERT_TRUE(bus.write(kRamBase + kPage + 0x800, 8, 1));
  EXPECT_TRUE(bus.is_code(ram + kPage));
  EXPECT_EQ(bus.code_stats().invalidated, 0u);
  ASSERT_TRUE(bus.write(kRamBase + kPage + 0x800, 8, 2));
  EXPECT_EQ(observer.notices.size(), 2u) << "a kept page keeps notifying";

  observer.keep = false;  // the last code on the page was overwritten
  ASSERT_TRUE(bus.write(kRamBase + kPage + 0x800, 8, 3));
  EXPECT_EQ(observer.notices.size(), 3u);
  EXPECT_FALSE(bus.is_code(ram + kPage));
  EXPECT_EQ(bus.code_stats().invalidated, 1u);
  ASSERT_TRUE(bus.write(kRamBase + kPage + 0x800, 8, 4));
  EXPECT_EQ(observer.notices.size(), 3u) << "an unmarked page no longer notifies";

  // Marked again, the watchers run again: TLB entries filled while the page
  // was unmarked write to it directly and must be caught.
  bus.mark_code(ram + kPage);
  EXPECT_EQ(watched_a.size(), 2u);
  EXPECT_EQ(watched_b.size(), 2u);
  EXPECT_EQ(bus.code_stats().marked, 2u);
  EXPECT_TRUE(bus.is_code(ram + kPage));
}

TEST_F(CodePages, WithoutAnObserverAWriteClearsTheMark) {
  bus.set_code_observer(nullptr);
  bus.mark_code(ram + kPage);
  ASSERT_TRUE(bus.write(kRamBase + kPage + 0x10, 1, 0));
  EXPECT_FALSE(bus.is_code(ram + kPage));
  EXPECT_EQ(bus.code_stats().invalidated, 1u);
}

TEST_F(CodePages, WriteAcrossTwoMarkedPagesNotifiesEachWithItsPart) {
  bus.mark_code(ram + kPage);
  bus.mark_code(ram + 2 * kPage);
  ASSERT_TRUE(bus.write(kRamBase + 2 * kPage - 2, 4, 0xdeadbeef));
  ASSERT_EQ(observer.notices.size(), 2u);
  EXPECT_EQ(observer.notices[0], (Notice{ram + kPage, ram + 2 * kPage - 2, 2, 0}));
  EXPECT_EQ(observer.notices[1], (Notice{ram + 2 * kPage, ram + 2 * kPage, 2, 0}));
}

TEST_F(CodePages, WriteAcrossIntoOneMarkedPageNotifiesOnlyThatPart) {
  bus.mark_code(ram + 2 * kPage);
  ASSERT_TRUE(bus.write(kRamBase + 2 * kPage - 3, 8, 0));
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_EQ(observer.notices[0], (Notice{ram + 2 * kPage, ram + 2 * kPage, 5, 0}));
}

TEST_F(CodePages, ImagesOverMarkedPagesNotify) {
  bus.mark_code(ram + 2 * kPage);
  bus.mark_code(ram + 4 * kPage);
  // Pages 1..4: only the marked 2 and 4 are reported, each with its part.
  std::vector<std::uint8_t> image(3 * kPage + 0x20, 0x5a);
  ram[2 * kPage] = 0x77;
  bus.write_image(kRamBase + kPage + 0x100, image, "img");
  ASSERT_EQ(observer.notices.size(), 2u);
  EXPECT_EQ(observer.notices[0], (Notice{ram + 2 * kPage, ram + 2 * kPage, kPage, 0x77}));
  EXPECT_EQ(observer.notices[1], (Notice{ram + 4 * kPage, ram + 4 * kPage, 0x120, 0}));
  EXPECT_EQ(ram[2 * kPage], 0x5a);

  observer.notices.clear();
  bus.zero_image(kRamBase + 2 * kPage + 0x40, 0x10, "bss");
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_EQ(observer.notices[0], (Notice{ram + 2 * kPage, ram + 2 * kPage + 0x40, 0x10, 0x5a}));
  EXPECT_EQ(ram[2 * kPage + 0x40], 0);

  observer.keep = false;
  observer.notices.clear();
  bus.zero_image(kRamBase + 4 * kPage, kPage, "bss");
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_FALSE(bus.is_code(ram + 4 * kPage));
  EXPECT_TRUE(bus.is_code(ram + 2 * kPage));
}

TEST_F(CodePages, NoteWriteNotifies) {
  bus.mark_code(ram + 3 * kPage);
  ram[3 * kPage + 0x30] = 0x42;
  bus.note_write(ram + 3 * kPage + 0x30, 8);
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_EQ(observer.notices[0], (Notice{ram + 3 * kPage, ram + 3 * kPage + 0x30, 8, 0x42}));
  bus.note_write(ram + 3 * kPage + 0x30, 0);
  EXPECT_EQ(observer.notices.size(), 1u) << "an empty write notifies nothing";
  // A DMA span crossing from an unmarked page into the marked one.
  bus.note_write(ram + 3 * kPage - 4, 12);
  ASSERT_EQ(observer.notices.size(), 2u);
  EXPECT_EQ(observer.notices[1], (Notice{ram + 3 * kPage, ram + 3 * kPage, 8, 0}));
  observer.keep = false;
  bus.note_write(ram + 4 * kPage - 1, 1);
  EXPECT_FALSE(bus.is_code(ram + 3 * kPage));
}

TEST_F(CodePages, UnmarkedPagesNeverNotify) {
  // Nothing marked at all.
  ASSERT_TRUE(bus.write(kRamBase + kPage, 8, 1));
  bus.note_write(ram + kPage, 8);
  // One page marked; every other page stays silent, whatever the writer.
  bus.mark_code(ram + 2 * kPage);
  ASSERT_TRUE(bus.write(kRamBase + kPage, 8, 1));
  ASSERT_TRUE(bus.write(kRamBase + 2 * kPage - 8, 8, 1));
  ASSERT_TRUE(bus.write(kRamBase + 3 * kPage, 8, 1));
  ASSERT_TRUE(bus.write(kRamBase, 1, 1));
  std::vector<std::uint8_t> image(kPage, 1);
  bus.write_image(kRamBase + 3 * kPage, image, "img");
  bus.write_image(kRamBase + kPage, image, "img");
  bus.zero_image(kRamBase + 5 * kPage, 3 * kPage, "bss");
  bus.note_write(ram + 3 * kPage, kPage);
  bus.note_write(ram + kPage + 0x10, 0x10);
  EXPECT_TRUE(observer.notices.empty());
  EXPECT_TRUE(bus.is_code(ram + 2 * kPage));
}

TEST_F(CodePages, SameOffsetInAnotherRegionIsNotCode) {
  std::uint8_t* other = bus.add_ram("other", 0x90000000, 4 * kPage);
  bus.mark_code(ram + kPage);
  EXPECT_FALSE(bus.is_code(other + kPage));
  ASSERT_TRUE(bus.write(0x90000000 + kPage, 4, 1));
  EXPECT_TRUE(observer.notices.empty());
  bus.mark_code(other + kPage);
  EXPECT_EQ(watched_a.back(), other + kPage);
  ASSERT_TRUE(bus.write(0x90000000 + kPage, 4, 1));
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_EQ(observer.notices[0].page, other + kPage);
}

TEST_F(CodePages, RomPagesCanBeMarkedAndImagesIntoThemNotify) {
  std::uint8_t* rom = bus.add_rom("rom", 0x1000, 2 * kPage);
  bus.mark_code(rom + kPage + 4);
  const std::vector<const std::uint8_t*> one{rom + kPage};
  EXPECT_EQ(watched_a, one);
  EXPECT_TRUE(bus.is_code(rom + kPage));
  EXPECT_FALSE(bus.is_code(rom));
  // The guest cannot write ROM, so nothing changes and nobody is told.
  EXPECT_FALSE(bus.write(0x1000 + kPage, 4, 1));
  EXPECT_TRUE(observer.notices.empty());
  // A loader can.
  std::vector<std::uint8_t> image(0x20, 0x13);
  bus.write_image(0x1000 + kPage + 0x10, image, "firmware");
  ASSERT_EQ(observer.notices.size(), 1u);
  EXPECT_EQ(observer.notices[0], (Notice{rom + kPage, rom + kPage + 0x10, 0x20, 0}));
  EXPECT_EQ(rom[kPage + 0x10], 0x13);
  bus.write_image(0x1000, image, "firmware");
  EXPECT_EQ(observer.notices.size(), 1u) << "the unmarked ROM page";
  observer.keep = false;
  bus.zero_image(0x1000 + kPage, 4, "firmware");
  EXPECT_EQ(observer.notices.size(), 2u);
  EXPECT_FALSE(bus.is_code(rom + kPage));
}

}  // namespace
}  // namespace orrery
