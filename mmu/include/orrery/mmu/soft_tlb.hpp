#pragma once
// A software TLB in QEMU's style: direct-mapped, one entry per virtual page,
// with separate tags for read, write and execute so that a hit is one
// compare and the host address is the guest address plus an addend. Only
// pages backed by host memory whose permissions are uniform over the whole
// page are entered; everything else (MMIO, partially covered PMP regions,
// not-yet-dirty pages for writes) misses and takes the ISA's slow path.
// ISA-neutral: the ISA's walker decides what to enter.
#include <array>
#include <cstdint>

namespace orrery::mmu {

enum class Access : std::uint8_t { Read, Write, Execute };

// 1024 entries: with 256, a Linux boot spent a tenth of its host time
// refilling entries that conflicted (docs/performance.md, issue 7), and
// arrays a multiple of 1 MiB apart evicted each other on every access.
template <unsigned kPageBits = 12, unsigned kIndexBits = 10>
class SoftTlb {
 public:
  static constexpr std::uint64_t kPageSize = 1ull << kPageBits;
  static constexpr std::uint64_t kInvalid = ~std::uint64_t{0};
  // Marks a watched write tag; no virtual page number has bit 63 set.
  static constexpr std::uint64_t kWatched = std::uint64_t{1} << 63;

  struct Entry {
    std::uint64_t read_tag = kInvalid, write_tag = kInvalid, exec_tag = kInvalid;
    std::uintptr_t addend = 0;  // host address = guest virtual address + addend
  };

  // Host pointer for [va, va+size) if the page is entered for this access
  // and the access does not cross into the next page; nullptr otherwise.
  template <Access kAccess>
  std::uint8_t* lookup(std::uint64_t va, unsigned size) const {
    const Entry& e = entries_[index(va)];
    const std::uint64_t tag = kAccess == Access::Read ? e.read_tag : kAccess == Access::Write ? e.write_tag : e.exec_tag;
    if (tag != (va >> kPageBits) || (va & (kPageSize - 1)) > kPageSize - size) return nullptr;
    return reinterpret_cast<std::uint8_t*>(va + e.addend);
  }

  // Enter a page: host_page is the host address of the start of the guest
  // page containing va. A watched page (it holds decoded code) may be
  // written, but only through lookup_watched_write, which the ISA's store
  // slow path uses to tell the bus about the write first.
  void fill(std::uint64_t va, std::uint8_t* host_page, bool read, bool write, bool exec, bool watched = false) {
    Entry& e = entries_[index(va)];
    const std::uint64_t vpn = va >> kPageBits;
    if (filled_count_ < kTracked) filled_[filled_count_] = static_cast<std::uint16_t>(index(va));
    if (filled_count_ <= kTracked) ++filled_count_;
    e.read_tag = read ? vpn : kInvalid;
    e.write_tag = write ? (watched ? vpn | kWatched : vpn) : kInvalid;
    e.exec_tag = exec ? vpn : kInvalid;
    e.addend = reinterpret_cast<std::uintptr_t>(host_page) - (vpn << kPageBits);
  }

  // Host pointer for a write to a watched page (see fill), nullptr if the
  // page is not entered as such or the access crosses the page end.
  std::uint8_t* lookup_watched_write(std::uint64_t va, unsigned size) const {
    const Entry& e = entries_[index(va)];
    if (e.write_tag != ((va >> kPageBits) | kWatched) || (va & (kPageSize - 1)) > kPageSize - size) return nullptr;
    return reinterpret_cast<std::uint8_t*>(va + e.addend);
  }

  // A hart has a TLB per translation regime and flushes them all at once
  // (SFENCE.VMA, satp writes), mostly while only one or two hold anything
  // and often a few pages after the last flush: those entries are cleared
  // one by one, and only a well-used TLB is cleared whole.
  void flush() {
    if (filled_count_ <= kTracked) {
      for (unsigned i = 0; i < filled_count_; ++i) entries_[filled_[i]] = Entry{};
    } else {
      entries_.fill(Entry{});
    }
    filled_count_ = 0;
  }

  // Watch writes to host_page (the host address of a page start) in every
  // entry that maps it, wherever it is mapped: the page now holds decoded
  // code, and stores to it must leave the fast path (core Bus::mark_code).
  void watch_writes(const std::uint8_t* host_page) {
    const auto target = reinterpret_cast<std::uintptr_t>(host_page);
    if (filled_count_ <= kTracked) {
      for (unsigned i = 0; i < filled_count_; ++i) watch(entries_[filled_[i]], target);
    } else {
      for (Entry& e : entries_) watch(e, target);
    }
  }

 private:
  static unsigned index(std::uint64_t va) { return (va >> kPageBits) & ((1u << kIndexBits) - 1); }
  static void watch(Entry& e, std::uintptr_t host_page) {
    if (e.write_tag != kInvalid && !(e.write_tag & kWatched) && (e.write_tag << kPageBits) + e.addend == host_page)
      e.write_tag |= kWatched;
  }
  std::array<Entry, 1u << kIndexBits> entries_{};
  // The entries filled since the last flush, while there are at most
  // kTracked of them (filled_count_ = kTracked + 1: more).
  static constexpr unsigned kTracked = 32;
  static_assert(kIndexBits <= 16, "filled_ holds 16-bit indices");
  std::array<std::uint16_t, kTracked> filled_{};
  unsigned filled_count_ = 0;
};

}  // namespace orrery::mmu
