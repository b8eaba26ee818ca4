#include "orrery/core/loader.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <vector>

namespace orrery {
namespace {

// Refuse what is not a regular file before opening it: opening a FIFO for
// reading blocks until a writer comes (a hang, not an error), and a device
// such as /dev/zero never ends. A failing stat() is left to the open that
// follows, whose errno names the problem (ENOENT, ENOTDIR, EACCES, ...).
void check_openable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) throw Error(fmt::format("'{}' is a directory, not an image file", path));
  if (!S_ISREG(st.st_mode)) throw Error(fmt::format("'{}' is not a regular file", path));
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  check_openable(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  try {
    // Block reads: an istreambuf_iterator copy costs ~20 host instructions
    // a byte, which showed up in every Linux boot's profile.
    std::vector<std::uint8_t> data;
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) data.insert(data.end(), chunk, chunk + in.gcount());
    if (in.bad()) throw Error(fmt::format("cannot read '{}'", path));
    return data;
  } catch (const std::ios_base::failure& e) {
    // libstdc++ reports read errors (EIO, EISDIR) by throwing from the buffer.
    throw Error(fmt::format("cannot read '{}': {}", path, e.what()));
  }
}

// An image goes to RAM or ROM as a whole. Checked before anything is written,
// so the message can say which end is wrong: a start outside memory (an MMIO
// or unmapped address) or an end past the last byte of RAM (-m too small).
void check_fits(const Bus& bus, Addr pa, std::uint64_t len, const std::string& what) {
  if (len == 0) return;
  const BusRegion* r = bus.find(pa);
  if (r && r->host && r->contains(pa, len)) return;
  if (!r || !r->host)
    throw Error(fmt::format("{} ({:#x}-{:#x}) does not fit: {:#x} is not in guest RAM or ROM", what, pa, pa + len, pa));
  throw Error(fmt::format("{} ({:#x}-{:#x}, {} bytes) does not fit: it runs past the end of {} at {:#x}", what, pa,
                          pa + len, len, r->name, r->base + r->size));
}

// The names of the e_machine values someone is likely to hand us by mistake.
std::string machine_name(std::uint16_t machine) {
  switch (machine) {
    case EM_386: return "x86 (ELF machine 3)";
    case EM_X86_64: return "x86-64 (ELF machine 62)";
    case EM_ARM: return "32-bit Arm (ELF machine 40)";
    case EM_AARCH64: return "AArch64 (ELF machine 183)";
    case EM_RISCV: return "RISC-V (ELF machine 243)";
    case EM_MIPS: return "MIPS (ELF machine 8)";
    case EM_PPC: return "PowerPC (ELF machine 20)";
    case EM_PPC64: return "64-bit PowerPC (ELF machine 21)";
    case EM_S390: return "s390 (ELF machine 22)";
    case EM_LOONGARCH: return "LoongArch (ELF machine 258)";
    default: return fmt::format("ELF machine {}", machine);
  }
}

// RAII for libelf's handle over an in-memory copy of the file.
struct ElfHandle {
  Elf* elf = nullptr;
  ~ElfHandle() {
    if (elf) elf_end(elf);
  }
};

}  // namespace

bool is_elf_file(const std::string& path) {
  check_openable(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  char magic[SELFMAG] = {};
  in.read(magic, SELFMAG);
  return in.gcount() == SELFMAG && std::memcmp(magic, ELFMAG, SELFMAG) == 0;
}

LoadedImage load_elf(Bus& bus, const std::string& path, const ElfTarget& target) {
  std::vector<std::uint8_t> data = read_file(path);
  // The identification bytes are checked here rather than left to libelf,
  // which calls a cut-off header "not ELF" and converts a big-endian file
  // to host order without complaint.
  if (data.size() < SELFMAG || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0)
    throw Error(fmt::format("'{}' is not an ELF file", path));
  if (data.size() < EI_NIDENT)
    throw Error(fmt::format("'{}' is truncated: {} bytes, less than the ELF identification", path, data.size()));
  const unsigned cls = data[EI_CLASS];
  if (cls != ELFCLASS32 && cls != ELFCLASS64)
    throw Error(fmt::format("'{}' is not a valid ELF file: unknown ELF class {}", path, cls));
  if (cls != (target.is64 ? ELFCLASS64 : ELFCLASS32))
    throw Error(fmt::format("'{}' is a {}-bit ELF file; this machine needs {}", path, cls == ELFCLASS64 ? 64 : 32,
                            target.name));
  const unsigned encoding = data[EI_DATA];
  if (encoding != ELFDATA2LSB && encoding != ELFDATA2MSB)
    throw Error(fmt::format("'{}' is not a valid ELF file: unknown data encoding {}", path, encoding));
  if ((encoding == ELFDATA2LSB) != target.little_endian)
    throw Error(fmt::format("'{}' is a {}-endian ELF file; this machine needs {} ({}-endian)", path,
                            encoding == ELFDATA2LSB ? "little" : "big", target.name,
                            target.little_endian ? "little" : "big"));
  const std::size_t ehdr_size = cls == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
  if (data.size() < ehdr_size)
    throw Error(fmt::format("'{}' is truncated: the ELF header needs {} bytes, the file has {}", path, ehdr_size,
                            data.size()));

  if (elf_version(EV_CURRENT) == EV_NONE) throw Error("libelf initialisation failed");
  ElfHandle h;
  h.elf = elf_memory(reinterpret_cast<char*>(data.data()), data.size());
  if (!h.elf || elf_kind(h.elf) != ELF_K_ELF) throw Error(fmt::format("'{}' is not an ELF file", path));
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(h.elf, &ehdr)) throw Error(fmt::format("'{}': corrupt ELF header: {}", path, elf_errmsg(-1)));
  if (ehdr.e_machine != target.machine)
    throw Error(fmt::format("'{}' is built for {} but this machine needs {} (e_machine {})", path,
                            machine_name(ehdr.e_machine), target.name, target.machine));
  if (ehdr.e_type == ET_REL)
    throw Error(fmt::format("'{}' is a relocatable object file, not an executable (link it first)", path));
  if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)
    throw Error(fmt::format("'{}' is not an executable ELF file (e_type {})", path, ehdr.e_type));

  // e_phnum itself, not elf_getphdrnum(): libelf reports a program header
  // table cut off by the end of the file as empty, and an absent one as an
  // error. Only the PN_XNUM escape (the count lives in section 0) needs it.
  std::size_t phnum = ehdr.e_phnum;
  if (phnum == PN_XNUM && elf_getphdrnum(h.elf, &phnum) != 0)
    throw Error(fmt::format("'{}': corrupt program headers", path));
  const std::size_t phdr_size = cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
  if (phnum != 0) {
    if (ehdr.e_phentsize != phdr_size)
      throw Error(fmt::format("'{}': corrupt program headers: e_phentsize {}, expected {}", path, ehdr.e_phentsize,
                              phdr_size));
    if (ehdr.e_phoff > data.size() || phnum > (data.size() - ehdr.e_phoff) / phdr_size)
      throw Error(fmt::format("'{}' is truncated: the program header table (offset {}, {} x {} bytes) runs past the "
                              "end of the file ({} bytes)",
                              path, ehdr.e_phoff, phnum, phdr_size, data.size()));
  }

  LoadedImage image;
  image.entry = ehdr.e_entry;
  image.low = ~Addr{0};
  bool loaded_any = false;
  for (std::size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(h.elf, static_cast<int>(i), &ph))
      throw Error(fmt::format("'{}': corrupt program header {}", path, i));
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz) throw Error(fmt::format("'{}': segment {} has p_filesz > p_memsz", path, i));
    if (ph.p_offset > data.size() || ph.p_filesz > data.size() - ph.p_offset)
      throw Error(fmt::format("'{}' is truncated: segment {} extends past the end of the file", path, i));
    const std::string what = fmt::format("'{}' segment {}", path, i);
    if (ph.p_paddr + ph.p_memsz < ph.p_paddr) throw Error(what + " wraps around the address space");
    check_fits(bus, ph.p_paddr, ph.p_memsz, what);
    bus.write_image(ph.p_paddr, std::span(data.data() + ph.p_offset, ph.p_filesz), what);
    bus.zero_image(ph.p_paddr + ph.p_filesz, ph.p_memsz - ph.p_filesz, what);
    image.low = std::min(image.low, Addr{ph.p_paddr});
    image.high = std::max(image.high, Addr{ph.p_paddr + ph.p_memsz});
    loaded_any = true;
  }
  if (!loaded_any) throw Error(fmt::format("'{}' has no loadable segments (no PT_LOAD program header)", path));
  return image;
}

LoadedImage load_raw(Bus& bus, const std::string& path, Addr base) {
  std::vector<std::uint8_t> data = read_file(path);
  if (data.empty()) throw Error(fmt::format("'{}' is empty", path));
  const std::string what = fmt::format("'{}'", path);
  check_fits(bus, base, data.size(), what);
  bus.write_image(base, data, what);
  return LoadedImage{base, base, base + data.size()};
}

}  // namespace orrery
