#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/core/types.hpp"

namespace orrery {

class DebugLog;

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
  bool holds_host(const std::uint8_t* p) const { return host && p >= host && p < host + size; }
  // One flag per 4 KiB page of RAM/ROM: decoded code exists for the page
  // (Bus::mark_code). Empty until the first page is marked.
  std::vector<std::uint8_t> code_pages;
};

// Told when guest memory that holds decoded code is written (the threaded
// engine's block cache). Page addresses are host addresses of the 4 KiB
// page start, which is what the cache keys blocks by.
class CodeWriteObserver {
 public:
  virtual ~CodeWriteObserver() = default;
  // [p, p+len) inside the page at host_page is about to be written.
  // Returns whether the page still holds decoded code afterwards (a write
  // to data beside the code leaves it alone).
  virtual bool code_written(const std::uint8_t* host_page, const std::uint8_t* p, std::uint64_t len) = 0;
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
  // overlap with an existing region or a base that is not 4 KiB aligned.
  std::uint8_t* add_ram(std::string name, Addr base, std::uint64_t size);
  std::uint8_t* add_rom(std::string name, Addr base, std::uint64_t size);
  void add_mmio(std::string name, Addr base, std::uint64_t size, Device& device);

  const BusRegion* find(Addr pa) const;
  // The physical address of host byte p of RAM or ROM (the timing model
  // indexes its caches physically); false when p is not guest memory.
  bool phys_of_host(const std::uint8_t* p, Addr& pa) const;
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

  // ---- Code pages (self-modifying code; docs/design/threaded-engine.md §6) ----
  // An engine that caches decoded code marks each page it decodes. Guest
  // stores to a marked page then leave every hart's TLB fast path (the
  // write watchers) and reach write() or note_write(), which tell the
  // observer before the bytes change; the mark is cleared once no code is
  // left on the page.
  // Writers that bypass write() with a host pointer (AMOs, page-table A/D
  // updates, device DMA) call note_write(). QEMU protects pages holding
  // translated code the same way.
  static constexpr unsigned kCodePageBits = 12;
  void set_code_observer(CodeWriteObserver* observer) { code_observer_ = observer; }
  // fn(host_page) must make every cached translation of that page route
  // writes through write()/note_write().
  void add_write_watcher(std::function<void(const std::uint8_t*)> fn) { watchers_.push_back(std::move(fn)); }
  // Mark the page holding host address p (inside RAM or ROM) as code.
  void mark_code(const std::uint8_t* p);
  // Does the page at host address p hold decoded code? Cheap when no page
  // does (the interpreter never marks any).
  bool is_code(const std::uint8_t* p) const { return marked_pages_ != 0 && is_code_slow(p); }
  // [p, p+len) of host memory inside RAM was or is about to be written
  // other than through write()/write_image().
  void note_write(const std::uint8_t* p, std::uint64_t len) {
    if (marked_pages_ != 0) note_write_slow(p, len);
  }
  struct CodeStats {
    std::uint64_t marked = 0;       // pages marked over the run
    std::uint64_t invalidated = 0;  // marks cleared: a write left no code on the page
  };
  const CodeStats& code_stats() const { return code_stats_; }

  // The physical map, one region a line (like QEMU's `info mtree`).
  void print_map(std::ostream& out) const;

  // Log MMIO accesses to `log` (-d dev) when categories has
  // log_category::kDevice; nullptr: no log.
  void set_log(DebugLog* log, unsigned categories);

 private:
  void insert(BusRegion region);
  bool is_code_slow(const std::uint8_t* p) const;
  void note_write_slow(const std::uint8_t* p, std::uint64_t len);
  // Clears the marks of the pages of r overlapping [off, off+len).
  void invalidate_code(BusRegion& r, std::uint64_t off, std::uint64_t len);
  void log_device_access(const BusRegion& r, Addr pa, unsigned size, std::uint64_t value, bool write, bool ok) const;
  DebugLog* log_ = nullptr;
  bool log_devices_ = false;
  BusRegion* region_of_host(const std::uint8_t* p);
  std::vector<BusRegion> regions_;
  mutable std::size_t last_found_ = 0;  // find()'s last hit (one host thread uses a bus)
  CodeWriteObserver* code_observer_ = nullptr;
  std::vector<std::function<void(const std::uint8_t*)>> watchers_;
  std::uint64_t marked_pages_ = 0;  // pages marked now
  CodeStats code_stats_;  // sorted by base, non-overlapping
  std::vector<std::unique_ptr<HostMemory>> backing_;
};

}  // namespace orrery
