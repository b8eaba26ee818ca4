// Checkpoint archives and files (core/checkpoint.hpp): round trips, and
// every kind of damage a file can have refused with its reason.
#include "orrery/core/checkpoint.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "orrery/core/machine.hpp"

namespace orrery {
namespace {

struct Padded {  // a struct with padding saves its fields, not its bytes
  std::uint64_t a = 0;
  bool b = false;
  template <class Ar>
  void state(Ar& ar) {
    ar(a, b);
  }
};

struct Everything {
  std::uint32_t word = 0;
  bool flag = false;
  std::uint64_t array[3] = {};
  std::array<std::uint16_t, 2> std_array{};
  std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(4);
  std::vector<bool> bits = std::vector<bool>(5);
  std::vector<Padded> padded = std::vector<Padded>(2);
  std::string text;
  template <class Ar>
  void state(Ar& ar) {
    ar(word, flag, array, std_array, bytes, bits, padded, text);
  }
};

std::string temp_path(const char* name) { return testing::TempDir() + name + std::to_string(::getpid()); }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(StateArchive, RoundTripsEveryKindOfField) {
  Everything in;
  in.word = 0xdeadbeef;
  in.flag = true;
  in.array[2] = 7;
  in.std_array[1] = 9;
  in.bytes = {1, 2, 3, 4};
  in.bits[3] = true;
  in.padded[1] = {42, true};
  in.text = "hello";
  StateWriter w;
  w(in);
  // Fields only: no padding bytes reach the file.
  EXPECT_EQ(w.data().size(), 4u + 1 + 24 + 4 + (8 + 4) + (8 + 5) + (8 + 2 * 9) + (8 + 5));
  Everything out;
  StateReader r(w.data(), "test");
  r(out);
  r.expect_end();
  EXPECT_EQ(out.word, in.word);
  EXPECT_TRUE(out.flag);
  EXPECT_EQ(out.array[2], 7u);
  EXPECT_EQ(out.std_array[1], 9);
  EXPECT_EQ(out.bytes, in.bytes);
  EXPECT_EQ(out.bits, in.bits);
  EXPECT_EQ(out.padded[1].a, 42u);
  EXPECT_TRUE(out.padded[1].b);
  EXPECT_EQ(out.text, "hello");
}

TEST(StateArchive, RefusesTruncationSizesAndBadBooleans) {
  StateWriter w;
  w(std::uint32_t{1});
  std::uint64_t big = 0;
  StateReader short_reader(w.data(), "hart.0");
  EXPECT_EQ(error_of([&] { short_reader(big); }), "section 'hart.0': truncated: 8 bytes wanted, 4 left");

  StateWriter v;
  v(std::vector<std::uint32_t>(3));
  std::vector<std::uint32_t> two(2);
  StateReader vr(v.data(), "device.1.plic");
  EXPECT_NE(error_of([&] { vr(two); }).find("a table of 3 entries where this machine has 2"), std::string::npos);

  const std::uint8_t two_byte[] = {2};
  bool b = false;
  StateReader br(two_byte, "x");
  EXPECT_NE(error_of([&] { br(b); }).find("neither 0 nor 1"), std::string::npos);

  StateWriter extra;
  extra(std::uint64_t{1}, std::uint8_t{2});
  StateReader er(extra.data(), "machine");
  std::uint64_t one = 0;
  er(one);
  EXPECT_NE(error_of([&] { er.expect_end(); }).find("1 bytes more"), std::string::npos);

  StateWriter s;
  s(std::uint64_t{1000});  // a string's length with nothing after it
  StateReader sr(s.data(), "platform");
  EXPECT_NE(error_of([&] { sr.string(); }).find("truncated: a string of 1000 bytes"), std::string::npos);
}

TEST(CheckpointFile, WritesAndReadsSections) {
  const std::string path = temp_path("ck_roundtrip");
  CheckpointFile f;
  f.add("a", {1, 2, 3});
  f.add("b", {});
  EXPECT_NE(error_of([&] { f.add("a", {}); }).find("added twice"), std::string::npos);
  f.write(path);
  const CheckpointFile g = CheckpointFile::read(path);
  EXPECT_EQ(g.names(), (std::vector<std::string>{"a", "b"}));
  StateReader r = g.reader("a");
  std::uint8_t bytes[3];
  r.bytes(bytes, 3);
  EXPECT_EQ(bytes[2], 3);
  EXPECT_NE(error_of([&] { g.reader("c"); }).find("no section 'c'"), std::string::npos);
  std::remove(path.c_str());
}

class DamagedFile : public testing::Test {
 protected:
  void SetUp() override {
    CheckpointFile f;
    f.add("machine", std::vector<std::uint8_t>(64, 0x5a));
    f.write(path_);
    std::ifstream in(path_, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(in), {});
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string read_with(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
    return error_of([&] { CheckpointFile::read(path_); });
  }
  std::string path_ = temp_path("ck_damaged");
  std::string bytes_;
};

TEST_F(DamagedFile, EveryDamageIsNamed) {
  EXPECT_EQ(read_with(bytes_), "<no error>");
  std::string flipped = bytes_;
  flipped[40] ^= 1;  // inside the payload
  EXPECT_NE(read_with(flipped).find("section 'machine' fails its CRC-32"), std::string::npos);
  EXPECT_NE(read_with(bytes_.substr(0, bytes_.size() - 3)).find("truncated"), std::string::npos);
  EXPECT_NE(read_with(bytes_.substr(0, 40)).find("truncated in section 'machine'"), std::string::npos);
  EXPECT_NE(read_with("#!/bin/sh\n").find("not an orrery checkpoint"), std::string::npos);
  EXPECT_NE(read_with("").find("not an orrery checkpoint"), std::string::npos);
  std::string version = bytes_;
  version[8] = 2;
  EXPECT_NE(read_with(version).find("format version 2; this orrery reads version 1"), std::string::npos);
  EXPECT_NE(read_with(bytes_ + "x").find("1 bytes after the end section"), std::string::npos);
  std::string huge_name = bytes_;
  huge_name[13] = 1;  // the first section name's length, 7 + 256
  EXPECT_NE(read_with(huge_name).find("a section name of"), std::string::npos);
  EXPECT_NE(error_of([] { CheckpointFile::read("/nonexistent/ck"); }).find("No such file"), std::string::npos);
  EXPECT_NE(error_of([] { CheckpointFile::read("/"); }).find("not a regular file"), std::string::npos);
  EXPECT_NE(error_of([] { CheckpointFile().write("/nonexistent/dir/ck"); }).find("cannot write checkpoint"),
            std::string::npos);
}

TEST(CheckpointMemory, KeepsOnlyNonZeroPagesAndClearsTheRest) {
  std::vector<std::uint8_t> ram(5 * 4096 + 100);
  ram[4096 + 7] = 1;
  ram[5 * 4096 + 99] = 2;  // the short last page
  const std::vector<std::uint8_t> saved = save_memory(ram.data(), ram.size());
  EXPECT_EQ(saved.size(), 8u + (8 + 4096) + (8 + 100));
  std::vector<std::uint8_t> other(ram.size(), 0xee);
  StateReader in(saved, "memory.ram");
  load_memory(in, other.data(), other.size());
  EXPECT_EQ(other, ram);

  std::vector<std::uint8_t> smaller(4096);
  StateReader wrong_size(saved, "memory.ram");
  EXPECT_NE(error_of([&] { load_memory(wrong_size, smaller.data(), smaller.size()); }).find("another size"),
            std::string::npos);
  StateWriter bad;
  bad(std::uint64_t{4096}, std::uint64_t{1});  // page 1 of a one-page memory
  StateReader outside(bad.data(), "memory.ram");
  EXPECT_NE(error_of([&] { load_memory(outside, smaller.data(), smaller.size()); }).find("outside the memory"),
            std::string::npos);
}

class NoStateHart final : public Hart {
 public:
  NoStateHart() : Hart(0) {}
  std::string_view isa_name() const override { return "none"; }
  void reset(Addr) override {}
  Addr pc() const override { return 0; }
  std::uint64_t retired() const override { return 0; }
  std::uint64_t cycles() const override { return 0; }
  std::uint64_t interpret(std::uint64_t budget) override { return budget; }
  void set_interrupt_line(unsigned, bool) override {}
};

TEST(MachineCheckpoint, NamesWhatItCannotDo) {
  Machine m;
  m.add_hart(std::make_unique<NoStateHart>());
  EXPECT_EQ(error_of([&] { m.save_checkpoint(); }), "hart 0 cannot be checkpointed");

  Machine two;
  two.add_hart(std::make_unique<NoStateHart>());
  CheckpointFile f;
  StateWriter w;
  w(std::uint64_t{2}, Tick{1000}, std::uint64_t{10000}, Tick{0}, std::uint64_t{0}, std::uint64_t{0});
  f.add("machine", w.take());
  EXPECT_NE(error_of([&] { two.load_checkpoint(f); }).find("saved with 2 harts, this machine has 1"),
            std::string::npos);

  Machine ran;
  ran.add_hart(std::make_unique<NoStateHart>());
  ran.run(5);
  EXPECT_EQ(error_of([&] { ran.load_checkpoint(f); }), "a checkpoint loads into a machine that has not run");
}

}  // namespace
}  // namespace orrery
