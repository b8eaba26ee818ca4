#include "orrery/core/loader.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <vector>

namespace orrery {
namespace {

void check_openable(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(fmt::format("'{}' is a directory, not an image file", path));
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
  if (elf_version(EV_CURRENT) == EV_NONE) throw Error("libelf initialisation failed");
  ElfHandle h;
  h.elf = elf_memory(reinterpret_cast<char*>(data.data()), data.size());
  if (!h.elf || elf_kind(h.elf) != ELF_K_ELF) throw Error(fmt::format("'{}' is not an ELF file", path));

  const int cls = gelf_getclass(h.elf);
  if (cls != (target.is64 ? ELFCLASS64 : ELFCLASS32))
    throw Error(fmt::format("'{}' is a {}-bit ELF file; this machine needs {}", path, cls == ELFCLASS64 ? 64 : 32,
                            target.name));
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(h.elf, &ehdr)) throw Error(fmt::format("'{}': corrupt ELF header: {}", path, elf_errmsg(-1)));
  if (ehdr.e_machine != target.machine)
    throw Error(fmt::format("'{}' is built for ELF machine {} but this machine needs {} (e_machine {})", path,
                            ehdr.e_machine, target.name, target.machine));
  if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)
    throw Error(fmt::format("'{}' is not an executable ELF file", path));

  std::size_t phnum = 0;
  if (elf_getphdrnum(h.elf, &phnum) != 0) throw Error(fmt::format("'{}': corrupt program headers", path));

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
    bus.write_image(ph.p_paddr, std::span(data.data() + ph.p_offset, ph.p_filesz), what);
    bus.zero_image(ph.p_paddr + ph.p_filesz, ph.p_memsz - ph.p_filesz, what);
    image.low = std::min(image.low, Addr{ph.p_paddr});
    image.high = std::max(image.high, Addr{ph.p_paddr + ph.p_memsz});
    loaded_any = true;
  }
  if (!loaded_any) throw Error(fmt::format("'{}' has no loadable segments", path));
  return image;
}

LoadedImage load_raw(Bus& bus, const std::string& path, Addr base) {
  std::vector<std::uint8_t> data = read_file(path);
  if (data.empty()) throw Error(fmt::format("'{}' is empty", path));
  bus.write_image(base, data, fmt::format("'{}'", path));
  return LoadedImage{base, base, base + data.size()};
}

}  // namespace orrery
