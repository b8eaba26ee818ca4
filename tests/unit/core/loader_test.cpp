#include <elf.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../elf_image.hpp"
#include "orrery/core/loader.hpp"

namespace orrery {
namespace {

namespace fs = std::filesystem;

using test::make_elf;
using Segment = test::ElfSegment;

class LoaderTest : public ::testing::Test {
 protected:
  LoaderTest() { bus_.add_ram("ram", 0x80000000, 0x10000); }
  std::string write_file(const std::vector<std::uint8_t>& data) {
    const std::string path = (fs::temp_directory_path() / ("orrery_loader_" + std::to_string(counter_++) + "_" +
                                                            std::to_string(::getpid())))
                                 .string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), data.size());
    files_.push_back(path);
    return path;
  }
  ~LoaderTest() override {
    for (auto& f : files_) fs::remove(f);
  }
  std::string error_of(auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  Bus bus_;
  std::vector<std::string> files_;
  int counter_ = 0;
  const ElfTarget target_{EM_RISCV, true, "RISC-V 64-bit"};
};

TEST_F(LoaderTest, LoadsSegmentsAndZeroesBss) {
  std::uint64_t v = 0xffffffffffffffffull;
  ASSERT_TRUE(bus_.write(0x80000104, 8, v));
  ASSERT_TRUE(bus_.write(0x8000010c, 8, v));
  const auto path = write_file(make_elf(EM_RISCV, 0x80000000, {{0x80000100, {1, 2, 3, 4}, 12}}));
  const LoadedImage img = load_elf(bus_, path, target_);
  EXPECT_EQ(img.entry, 0x80000000u);
  EXPECT_EQ(img.low, 0x80000100u);
  EXPECT_EQ(img.high, 0x8000010cu);
  ASSERT_TRUE(bus_.read(0x80000100, 8, v));
  EXPECT_EQ(v, 0x04030201u) << "file bytes then zero fill";
  ASSERT_TRUE(bus_.read(0x80000108, 4, v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(bus_.read(0x8000010c, 4, v));
  EXPECT_EQ(v, 0xffffffffu) << "bytes past p_memsz untouched";
}

TEST_F(LoaderTest, ClearErrors) {
  EXPECT_NE(error_of([&] { load_elf(bus_, "/nonexistent/file.elf", target_); }).find("cannot open"),
            std::string::npos);
  const auto not_elf = write_file({'h', 'e', 'l', 'l', 'o'});
  EXPECT_NE(error_of([&] { load_elf(bus_, not_elf, target_); }).find("not an ELF"), std::string::npos);
  const auto arm = write_file(make_elf(EM_AARCH64, 0x80000000, {{0x80000000, {1}, 1}}));
  EXPECT_NE(error_of([&] { load_elf(bus_, arm, target_); }).find("RISC-V 64-bit"), std::string::npos);
  const auto outside = write_file(make_elf(EM_RISCV, 0x1000, {{0x1000, {1, 2}, 2}}));
  EXPECT_NE(error_of([&] { load_elf(bus_, outside, target_); }).find("0x1000 is not in guest RAM or ROM"),
            std::string::npos);
  const auto too_big = write_file(make_elf(EM_RISCV, 0x80000000, {{0x8000fff0, {1}, 0x100}}));
  EXPECT_NE(error_of([&] { load_elf(bus_, too_big, target_); }).find("runs past the end of ram at 0x80010000"),
            std::string::npos);
  const auto whole = make_elf(EM_RISCV, 0x80000000, {{0x80000000, std::vector<std::uint8_t>(64, 7), 64}});
  const auto truncated = write_file(std::vector<std::uint8_t>(whole.begin(), whole.end() - 10));
  EXPECT_NE(error_of([&] { load_elf(bus_, truncated, target_); }).find("truncated"), std::string::npos);
  const auto empty = write_file({});
  EXPECT_NE(error_of([&] { load_raw(bus_, empty, 0x80000000); }).find("empty"), std::string::npos);
}

// Each malformed or foreign file gets a message that names it and says what
// is wrong, checked before libelf (which calls a cut-off header "not ELF",
// a cut-off program header table empty, and converts big-endian files).
TEST_F(LoaderTest, MalformedAndForeignElfFiles) {
  const auto good = make_elf(EM_RISCV, 0x80000000, {{0x80000000, std::vector<std::uint8_t>(16, 7), 16}});
  const auto message = [&](const std::vector<std::uint8_t>& bytes) {
    const auto path = write_file(bytes);
    return error_of([&] { load_elf(bus_, path, target_); });
  };
  const auto cut = [&](std::size_t n) { return std::vector<std::uint8_t>(good.begin(), good.begin() + n); };
  EXPECT_NE(message(cut(40)).find("is truncated: the ELF header needs 64 bytes, the file has 40"), std::string::npos);
  EXPECT_NE(message(cut(10)).find("is truncated"), std::string::npos);
  EXPECT_NE(message(cut(100)).find("is truncated: the program header table (offset 64, 1 x 56 bytes)"),
            std::string::npos);
  EXPECT_NE(message(cut(130)).find("is truncated: segment 0"), std::string::npos);

  auto patched = [&](std::size_t at, std::uint8_t value) {
    auto bytes = good;
    bytes[at] = value;
    return message(bytes);
  };
  EXPECT_NE(patched(EI_DATA, ELFDATA2MSB).find("is a big-endian ELF file; this machine needs RISC-V 64-bit"),
            std::string::npos);
  EXPECT_NE(patched(EI_DATA, 7).find("unknown data encoding 7"), std::string::npos);
  EXPECT_NE(patched(EI_CLASS, 3).find("unknown ELF class 3"), std::string::npos);
  EXPECT_NE(patched(EI_CLASS, ELFCLASS32).find("is a 32-bit ELF file; this machine needs RISC-V 64-bit"),
            std::string::npos);

  const auto x86 = make_elf(EM_X86_64, 0x80000000, {{0x80000000, {1}, 1}});
  EXPECT_NE(message(x86).find("is built for x86-64 (ELF machine 62) but this machine needs RISC-V 64-bit"),
            std::string::npos);
  const auto odd = make_elf(0x1234, 0x80000000, {{0x80000000, {1}, 1}});
  EXPECT_NE(message(odd).find("is built for ELF machine 4660"), std::string::npos);

  auto object = make_elf(EM_RISCV, 0, {});
  object[offsetof(Elf64_Ehdr, e_type)] = ET_REL;
  EXPECT_NE(message(object).find("is a relocatable object file"), std::string::npos);
  EXPECT_NE(message(make_elf(EM_RISCV, 0x80000000, {})).find("has no loadable segments"), std::string::npos);
}

TEST_F(LoaderTest, OnlyRegularFilesAreOpened) {
  const fs::path dir = fs::temp_directory_path() / ("orrery_loader_dir_" + std::to_string(::getpid()));
  fs::create_directory(dir);
  EXPECT_NE(error_of([&] { is_elf_file(dir.string()); }).find("is a directory"), std::string::npos);
  // A FIFO would block the open until a writer comes: refused before it.
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of([&] { is_elf_file(fifo); }).find("is not a regular file"), std::string::npos);
  EXPECT_NE(error_of([&] { load_raw(bus_, fifo, 0x80000000); }).find("is not a regular file"), std::string::npos);
  EXPECT_NE(error_of([&] { load_raw(bus_, "/dev/null", 0x80000000); }).find("is not a regular file"),
            std::string::npos);
  // A path through a regular file: ENOTDIR, which permissions cannot
  // override (unlike a chmod 000 file, which root reads anyway).
  const auto file = write_file({1, 2, 3});
  EXPECT_NE(error_of([&] { load_raw(bus_, file + "/child", 0x80000000); }).find("Not a directory"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST_F(LoaderTest, RawBinaryAtBase) {
  const auto path = write_file({0xaa, 0xbb});
  EXPECT_FALSE(is_elf_file(path));
  const LoadedImage img = load_raw(bus_, path, 0x80000010);
  EXPECT_EQ(img.entry, 0x80000010u);
  std::uint64_t v;
  ASSERT_TRUE(bus_.read(0x80000010, 2, v));
  EXPECT_EQ(v, 0xbbaau);
  EXPECT_NE(error_of([&] { load_raw(bus_, path, 0x8000ffff); }).find("runs past the end of ram at 0x80010000"),
            std::string::npos);
}

}  // namespace
}  // namespace orrery
