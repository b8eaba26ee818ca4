// Small files the platform tests hand to the machine as kernels and initrds.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "../elf_image.hpp"

namespace orrery::test {

// A path in the test temp directory unique to this process. ctest runs every
// test as its own process, two at a time; a shared name let one test truncate
// a kernel while another loaded it, which failed at random.
inline std::string process_temp_path(const std::string& stem) {
  return ::testing::TempDir() + "orrery_" + stem + "_" + std::to_string(::getpid());
}

// A raw image of little-endian instruction words.
inline std::string write_words(const std::string& stem, std::initializer_list<std::uint32_t> words) {
  const std::string path = process_temp_path(stem) + ".bin";
  std::ofstream out(path, std::ios::binary);
  for (std::uint32_t w : words) out.write(reinterpret_cast<const char*>(&w), sizeof w);
  return path;
}

// A RISC-V ELF64 executable with one PT_LOAD segment at `paddr` (also the
// entry): `filesz` zero bytes from the file, then zeros up to `memsz`.
inline std::string write_elf(const std::string& stem, std::uint64_t paddr, std::uint64_t filesz,
                             std::uint64_t memsz) {
  const std::vector<std::uint8_t> elf =
      make_elf(EM_RISCV, paddr, {ElfSegment{paddr, std::vector<std::uint8_t>(filesz), memsz}});
  const std::string path = process_temp_path(stem) + ".elf";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(elf.data()),
                                              static_cast<std::streamsize>(elf.size()));
  return path;
}

// `j .` forever.
inline std::string write_loop_kernel(const std::string& stem) { return write_words(stem, {0x0000006f}); }

}  // namespace orrery::test
