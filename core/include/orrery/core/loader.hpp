#pragma once
#include <cstdint>
#include <string>

#include "orrery/core/bus.hpp"

namespace orrery {

// What the ISA expects of an ELF file (e_machine, class).
struct ElfTarget {
  std::uint16_t machine = 0;  // EM_*
  bool is64 = true;
  std::string name;           // for messages, e.g. "RISC-V 64-bit"
  bool little_endian = true;  // EI_DATA: ELFDATA2LSB
};

struct LoadedImage {
  Addr entry = 0;
  Addr low = 0;   // lowest loaded byte
  Addr high = 0;  // one past the highest loaded byte
};

// True if the file starts with the ELF magic. Throws Error if it is unreadable
// or not a regular file (a directory, a FIFO, a device).
bool is_elf_file(const std::string& path);

// Load every PT_LOAD segment at its physical address (p_paddr). Throws Error
// with a clear one-line message naming the file for a missing or unreadable
// file, a file that is not ELF, the wrong class, byte order or machine, an
// object that is not executable, a truncated header, program header table or
// segment, no loadable segment, or a segment not wholly inside RAM/ROM.
LoadedImage load_elf(Bus& bus, const std::string& path, const ElfTarget& target);

// Copy a raw binary to base. Throws Error as above, and for an empty file.
LoadedImage load_raw(Bus& bus, const std::string& path, Addr base);

}  // namespace orrery
