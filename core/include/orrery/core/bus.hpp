#pragma once
#include <cstddef>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/core/types.hpp"

namespace orrery {

// Host memory obtained with mmap (lazily committed, zero-filled), so a large
// guest RAM costs only what the guest touches.
class HostMemory {
 public:
  explicit HostMemory(std::uint64_t size);
  ~HostMemory();
  HostMemory(const HostMemory&) = delete;
  HostMemory& operator=(const HostMemory&) = delete;
  std::uint8_t* data() const { return data_; }
  std::uint64_t size() const { return size_; }

 private:
  std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
};

// One entry of the physical address map.
struct BusRegion {
  enum class Kind { Ram, Rom, Mmio };
  std::string name;
  Addr base = 0;
  std::uint64_t size = 0;
  Kind kind = Kind::Ram;
  std::uint8_t* host = nullptr;  // RAM/ROM backing
  Device* device = nullptr;      // MMIO target
  bool contains(Addr pa, std::uint64_t len) const {
    return pa >= base && len <= size && pa - base <= size - len;
  }
};

// The physical address space. RAM and ROM are backed by host memory and can
// be accessed directly through host pointers (the harts' fast path); MMIO
// regions dispatch to devices. Accesses that hit no region fail, and the
// caller reports them to the guest as access faults.
class Bus {
 public:
  Bus() = default;
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // Map RAM or ROM backed by fresh zeroed host memory. Throws Error on
  // overlap with an existing region.
  std::uint8_t* add_ram(std::string name, Addr base, std::uint64_t size);
  std::uint8_t* add_rom(std::string name, Addr base, std::uint64_t size);
  void add_mmio(std::string name, Addr base, std::uint64_t size, Device& device);

  const BusRegion* find(Addr pa) const;
  const std::vector<BusRegion>& regions() const { return regions_; }

  // Host pointer to [pa, pa+len) if it lies wholly inside one RAM region
  // (ROM too when for_write is false); nullptr otherwise.
  std::uint8_t* host_ptr(Addr pa, std::uint64_t len, bool for_write) const;

  // Generic accesses (any region kind). size is 1, 2, 4 or 8. A RAM access
  // may be misaligned; an MMIO access must be naturally aligned and inside
  // one device, otherwise it fails.
  bool read(Addr pa, unsigned size, std::uint64_t& value) const;
  bool write(Addr pa, unsigned size, std::uint64_t value);

  // Copy an image into RAM/ROM (loaders). Throws Error if any byte would land
  // outside RAM or ROM.
  void write_image(Addr pa, std::span<const std::uint8_t> bytes, const std::string& what);
  // Fill guest memory with zeros (ELF .bss); same checks as write_image.
  void zero_image(Addr pa, std::uint64_t len, const std::string& what);

  // The physical map, one region a line (like QEMU's `info mtree`).
  void print_map(std::ostream& out) const;

 private:
  void insert(BusRegion region);
  std::vector<BusRegion> regions_;  // sorted by base, non-overlapping
  std::vector<std::unique_ptr<HostMemory>> backing_;
};

}  // namespace orrery
