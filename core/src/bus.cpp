#include "orrery/core/bus.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <iomanip>

#include "orrery/core/trace.hpp"

namespace orrery {

HostMemory::HostMemory(std::uint64_t size) : size_(size) {
  if (size == 0) throw Error("cannot map a memory region of size 0");
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw Error(fmt::format("cannot allocate {} bytes of guest memory", size));
  data_ = static_cast<std::uint8_t*>(p);
}

HostMemory::~HostMemory() {
  if (data_) ::munmap(data_, size_);
}

void Bus::insert(BusRegion region) {
  if (region.size == 0 || region.base + region.size - 1 < region.base)
    throw Error(fmt::format("region {} at {:#x} has an invalid size {:#x}", region.name, region.base, region.size));
  for (const auto& r : regions_) {
    const Addr end = region.base + (region.size - 1);
    const Addr rend = r.base + (r.size - 1);
    if (region.base <= rend && r.base <= end)
      throw Error(fmt::format("region {} [{:#x}, {:#x}] overlaps {} [{:#x}, {:#x}]", region.name, region.base, end,
                              r.name, r.base, rend));
  }
  auto pos = std::lower_bound(regions_.begin(), regions_.end(), region.base,
                              [](const BusRegion& r, Addr base) { return r.base < base; });
  regions_.insert(pos, std::move(region));
}

namespace {
// RAM and ROM start on page boundaries: software TLBs and the threaded
// engine's blocks and code marks work in whole 4 KiB pages of both the
// guest and the host mapping.
void check_page_aligned(const std::string& name, Addr base) {
  if (base % (Addr{1} << Bus::kCodePageBits))
    throw Error(fmt::format("region {} at {:#x}: RAM and ROM must start on a 4 KiB boundary", name, base));
}
}  // namespace

std::uint8_t* Bus::add_ram(std::string name, Addr base, std::uint64_t size) {
  check_page_aligned(name, base);
  auto mem = std::make_unique<HostMemory>(size);
  std::uint8_t* host = mem->data();
  insert(BusRegion{std::move(name), base, size, BusRegion::Kind::Ram, host, nullptr, {}});
  backing_.push_back(std::move(mem));
  return host;
}

std::uint8_t* Bus::add_rom(std::string name, Addr base, std::uint64_t size) {
  check_page_aligned(name, base);
  auto mem = std::make_unique<HostMemory>(size);
  std::uint8_t* host = mem->data();
  insert(BusRegion{std::move(name), base, size, BusRegion::Kind::Rom, host, nullptr, {}});
  backing_.push_back(std::move(mem));
  return host;
}

void Bus::add_mmio(std::string name, Addr base, std::uint64_t size, Device& device) {
  insert(BusRegion{std::move(name), base, size, BusRegion::Kind::Mmio, nullptr, &device, {}});
}

const BusRegion* Bus::find(Addr pa) const {
  // Accesses cluster in one region (RAM, or one device): try the last hit
  // before the binary search.
  if (last_found_ < regions_.size() && regions_[last_found_].contains(pa, 1)) return &regions_[last_found_];
  auto it = std::upper_bound(regions_.begin(), regions_.end(), pa,
                             [](Addr a, const BusRegion& r) { return a < r.base; });
  if (it == regions_.begin()) return nullptr;
  --it;
  if (!it->contains(pa, 1)) return nullptr;
  last_found_ = static_cast<std::size_t>(it - regions_.begin());
  return &*it;
}

std::uint8_t* Bus::host_ptr(Addr pa, std::uint64_t len, bool for_write) const {
  const BusRegion* r = find(pa);
  if (!r || !r->host || !r->contains(pa, len)) return nullptr;
  if (for_write && r->kind != BusRegion::Kind::Ram) return nullptr;
  return r->host + (pa - r->base);
}

bool Bus::read(Addr pa, unsigned size, std::uint64_t& value) const {
  const BusRegion* r = find(pa);
  if (!r || !r->contains(pa, size)) return false;
  if (r->host) {
    value = 0;
    std::memcpy(&value, r->host + (pa - r->base), size);
    return true;
  }
  if (pa & (size - 1)) return false;
  const bool ok = r->device->read(pa - r->base, size, value);
  if (log_devices_) [[unlikely]]
    log_device_access(*r, pa, size, value, false, ok);
  return ok;
}

bool Bus::write(Addr pa, unsigned size, std::uint64_t value) {
  const BusRegion* r = find(pa);
  if (!r || !r->contains(pa, size)) return false;
  if (r->kind == BusRegion::Kind::Ram) {
    if (marked_pages_ != 0) invalidate_code(const_cast<BusRegion&>(*r), pa - r->base, size);
    std::memcpy(r->host + (pa - r->base), &value, size);
    return true;
  }
  if (r->kind == BusRegion::Kind::Rom) return false;
  if (pa & (size - 1)) return false;
  const bool ok = r->device->write(pa - r->base, size, value);
  if (log_devices_) [[unlikely]]
    log_device_access(*r, pa, size, value, true, ok);
  return ok;
}

void Bus::set_log(DebugLog* log, unsigned categories) {
  log_ = log;
  log_devices_ = log && (categories & log_category::kDevice);
}

void Bus::log_device_access(const BusRegion& r, Addr pa, unsigned size, std::uint64_t value, bool write,
                            bool ok) const {
  // A failed read returns no value; the device refused the access (the
  // hart raises an access fault).
  const std::uint64_t mask = size >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * size)) - 1;
  const std::string shown = ok || write ? fmt::format("0x{:0{}x}", value & mask, size * 2) : "-";
  log_->line(fmt::format("dev: {} {}+0x{:x} (pa 0x{:x}) size {} value {}{}", write ? "write" : "read", r.name,
                         pa - r.base, pa, size, shown, ok ? "" : " refused"));
}

void Bus::write_image(Addr pa, std::span<const std::uint8_t> bytes, const std::string& what) {
  if (bytes.empty()) return;
  const BusRegion* r = find(pa);
  if (!r || !r->host || !r->contains(pa, bytes.size()))
    throw Error(fmt::format("{}: {} bytes at {:#x} do not fit in guest RAM or ROM", what, bytes.size(), pa));
  if (marked_pages_ != 0) invalidate_code(const_cast<BusRegion&>(*r), pa - r->base, bytes.size());
  std::memcpy(r->host + (pa - r->base), bytes.data(), bytes.size());
}

void Bus::zero_image(Addr pa, std::uint64_t len, const std::string& what) {
  if (len == 0) return;
  const BusRegion* r = find(pa);
  if (!r || !r->host || !r->contains(pa, len))
    throw Error(fmt::format("{}: {} bytes at {:#x} do not fit in guest RAM or ROM", what, len, pa));
  if (marked_pages_ != 0) invalidate_code(const_cast<BusRegion&>(*r), pa - r->base, len);
  std::memset(r->host + (pa - r->base), 0, len);
}

bool Bus::phys_of_host(const std::uint8_t* p, Addr& pa) const {
  if (last_found_ >= regions_.size() || !regions_[last_found_].holds_host(p)) {
    std::size_t i = 0;
    while (i < regions_.size() && !regions_[i].holds_host(p)) ++i;
    if (i == regions_.size()) return false;
    last_found_ = i;
  }
  const BusRegion& r = regions_[last_found_];
  pa = r.base + static_cast<Addr>(p - r.host);
  return true;
}

BusRegion* Bus::region_of_host(const std::uint8_t* p) {
  for (auto& r : regions_)
    if (r.holds_host(p)) return &r;
  return nullptr;
}

void Bus::mark_code(const std::uint8_t* p) {
  BusRegion* r = region_of_host(p);
  if (!r) throw Error("mark_code: host address outside guest RAM/ROM");
  if (r->code_pages.empty()) r->code_pages.assign(((r->size - 1) >> kCodePageBits) + 1, 0);
  std::uint8_t& flag = r->code_pages[static_cast<std::uint64_t>(p - r->host) >> kCodePageBits];
  if (flag) return;
  flag = 1;
  ++marked_pages_;
  ++code_stats_.marked;
  const std::uint8_t* page = r->host + ((static_cast<std::uint64_t>(p - r->host) >> kCodePageBits) << kCodePageBits);
  for (const auto& watch : watchers_) watch(page);
}

bool Bus::is_code_slow(const std::uint8_t* p) const {
  for (const auto& r : regions_) {
    if (!r.holds_host(p)) continue;
    return !r.code_pages.empty() && r.code_pages[static_cast<std::uint64_t>(p - r.host) >> kCodePageBits];
  }
  return false;
}

void Bus::note_write_slow(const std::uint8_t* p, std::uint64_t len) {
  if (len == 0) return;
  BusRegion* r = region_of_host(p);
  if (r) invalidate_code(*r, static_cast<std::uint64_t>(p - r->host), len);
}

void Bus::invalidate_code(BusRegion& r, std::uint64_t off, std::uint64_t len) {
  if (r.code_pages.empty() || len == 0) return;
  const std::uint64_t end = std::min(off + len, r.size);
  for (std::uint64_t page = off >> kCodePageBits; page <= (end - 1) >> kCodePageBits; ++page) {
    if (!r.code_pages[page]) continue;
    const std::uint64_t page_start = page << kCodePageBits;
    const std::uint64_t from = std::max(off, page_start);
    const std::uint64_t to = std::min(end, page_start + (std::uint64_t{1} << kCodePageBits));
    if (code_observer_ && code_observer_->code_written(r.host + page_start, r.host + from, to - from)) continue;
    r.code_pages[page] = 0;
    --marked_pages_;
    ++code_stats_.invalidated;
  }
}

void Bus::print_map(std::ostream& out) const {
  for (const auto& r : regions_) {
    const char* kind = r.kind == BusRegion::Kind::Ram ? "ram" : r.kind == BusRegion::Kind::Rom ? "rom" : "mmio";
    out << fmt::format("{:016x}-{:016x} {:<4} {}\n", r.base, r.base + r.size - 1, kind, r.name);
  }
}

}  // namespace orrery
