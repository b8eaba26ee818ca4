// Small files the platform tests hand to the machine as kernels and initrds.
#pragma once

#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>

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
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = EM_RISCV;
  eh.e_version = EV_CURRENT;
  eh.e_entry = paddr;
  eh.e_phoff = sizeof eh;
  eh.e_ehsize = sizeof eh;
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = 1;
  Elf64_Phdr ph{};
  ph.p_type = PT_LOAD;
  ph.p_flags = PF_R | PF_W | PF_X;
  ph.p_offset = sizeof eh + sizeof ph;
  ph.p_vaddr = ph.p_paddr = paddr;
  ph.p_filesz = filesz;
  ph.p_memsz = memsz;
  const std::string path = process_temp_path(stem) + ".elf";
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(&eh), sizeof eh);
  out.write(reinterpret_cast<const char*>(&ph), sizeof ph);
  for (std::uint64_t i = 0; i < filesz; ++i) out.put('\0');
  return path;
}

// `j .` forever.
inline std::string write_loop_kernel(const std::string& stem) { return write_words(stem, {0x0000006f}); }

}  // namespace orrery::test
