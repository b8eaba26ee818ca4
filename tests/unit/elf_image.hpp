// ELF64 executables built in memory, for the loader and platform tests.
#pragma once

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace orrery::test {

struct ElfSegment {
  Elf64_Addr paddr;
  std::vector<std::uint8_t> bytes;  // the file's part; memsz - bytes.size() more are zeros
  Elf64_Xword memsz;
};

// A minimal little-endian ELF64 executable: header, program headers (one
// PT_LOAD a segment, at its own vaddr = paddr), then the segments' data.
inline std::vector<std::uint8_t> make_elf(std::uint16_t machine, Elf64_Addr entry,
                                          const std::vector<ElfSegment>& segs, unsigned char cls = ELFCLASS64) {
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = cls;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = machine;
  eh.e_version = EV_CURRENT;
  eh.e_entry = entry;
  eh.e_phoff = sizeof(Elf64_Ehdr);
  eh.e_ehsize = sizeof(Elf64_Ehdr);
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = static_cast<Elf64_Half>(segs.size());
  std::vector<std::uint8_t> out(sizeof eh + segs.size() * sizeof(Elf64_Phdr));
  std::memcpy(out.data(), &eh, sizeof eh);
  for (std::size_t i = 0; i < segs.size(); ++i) {
    Elf64_Phdr ph{};
    ph.p_type = PT_LOAD;
    ph.p_offset = out.size();
    ph.p_vaddr = ph.p_paddr = segs[i].paddr;
    ph.p_filesz = segs[i].bytes.size();
    ph.p_memsz = segs[i].memsz;
    ph.p_flags = PF_R | PF_W | PF_X;
    out.insert(out.end(), segs[i].bytes.begin(), segs[i].bytes.end());
    std::memcpy(out.data() + sizeof eh + i * sizeof ph, &ph, sizeof ph);
  }
  return out;
}

}  // namespace orrery::test
