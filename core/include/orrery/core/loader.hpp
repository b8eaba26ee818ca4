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
};

struct LoadedImage {
  Addr entry = 0;
  Addr low = 0;   // lowest loaded byte
  Addr high = 0;  // one past the highest loaded byte
};

// True if the file starts with the ELF magic. Throws Error if it is unreadable.
bool is_elf_file(const std::string& path);

// Load every PT_LOAD segment at its physical address (p_paddr). Throws Error
// with a clear message for a missing or unreadable file, a file that is not
// ELF, the wrong class or machine, truncated segments, or a segment outside
// RAM/ROM.
LoadedImage load_elf(Bus& bus, const std::string& path, const ElfTarget& target);

// Copy a raw binary to base. Throws Error as above.
LoadedImage load_raw(Bus& bus, const std::string& path, Addr base);

}  // namespace orrery
