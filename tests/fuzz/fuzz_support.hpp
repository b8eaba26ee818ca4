#pragma once
// What the fuzz harnesses share: a reader over the fuzzer's bytes, files in
// a per-process temp directory, and a small virt machine.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <span>
#include <string>
#include <string_view>

#include "orrery/platforms/riscv_virt.hpp"

namespace orrery::fuzz {

// Takes little-endian values off the front of the input; past its end every
// value is zero, so any input is a complete test case.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  template <class T>
  T take() {
    T value{};
    const std::size_t n = std::min(sizeof(T), left());
    std::memcpy(&value, data_ + pos_, n);
    pos_ += n;
    return value;
  }
  std::span<const std::uint8_t> take_bytes(std::size_t n) {
    n = std::min(n, left());
    const std::span<const std::uint8_t> bytes(data_ + pos_, n);
    pos_ += n;
    return bytes;
  }
  std::span<const std::uint8_t> rest() { return take_bytes(left()); }
  std::size_t left() const { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A path for `stem` in the temp directory, unique to this process (several
// fuzzers, or a fuzzer and the tests, may run at once).
inline std::string temp_path(std::string_view stem) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/orrery_fuzz_" + std::string(stem) + "_" +
         std::to_string(::getpid());
}

inline std::string write_file(std::string_view stem, std::span<const std::uint8_t> bytes) {
  const std::string path = temp_path(stem);
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// A raw kernel that spins (`j .`), written once per process.
inline const std::string& loop_kernel() {
  static const std::string path = [] {
    const std::uint8_t j_self[] = {0x6f, 0x00, 0x00, 0x00};
    return write_file("loop_kernel", j_self);
  }();
  return path;
}

// The machine the harnesses build on: no firmware, the spinning kernel,
// 4 MiB of RAM (enough for the device tree at its end), and a clock that
// follows guest time from a fixed start, so every run of an input repeats.
inline RiscvVirtConfig base_config() {
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = loop_kernel();
  config.ram_size = 4ull << 20;
  config.rtc_base_ns = 1'600'000'000ull * 1'000'000'000ull;
  config.rtc_follows_guest = true;
  return config;
}

}  // namespace orrery::fuzz
