#include "orrery/platforms/virtio_mmio.hpp"

#include "orrery/core/checkpoint.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

namespace orrery {

using namespace virtio;

namespace {

// Ring fields are little-endian, like the host (types.hpp asserts it).
// memcpy keeps the accesses free of alignment assumptions.
std::uint16_t load16(const std::uint8_t* p) {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
std::uint32_t load32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
void store16(std::uint8_t* p, std::uint16_t v) { std::memcpy(p, &v, sizeof v); }
void store32(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, sizeof v); }

// Split-ring layout (spec 2.7, alignment and size table): sizes and alignments of the three areas.
constexpr std::uint64_t kDescSize = 16;
std::uint64_t desc_table_bytes(std::uint32_t num) { return kDescSize * num; }
std::uint64_t avail_ring_bytes(std::uint32_t num) { return 6 + 2ull * num; }  // flags, idx, ring[num], used_event
std::uint64_t used_ring_bytes(std::uint32_t num) { return 6 + 8ull * num; }   // flags, idx, ring[num], avail_event
constexpr Addr kDescAlign = 16, kAvailAlign = 2, kUsedAlign = 4;

// A chain's buffers may total at most 2^32 bytes (spec 2.7.5, descriptor table driver requirements).
constexpr std::uint64_t kMaxChainBytes = std::uint64_t{1} << 32;

void set_low(Addr& a, std::uint32_t v) { a = (a & ~Addr{0xffff'ffff}) | v; }
void set_high(Addr& a, std::uint32_t v) { a = (a & Addr{0xffff'ffff}) | (Addr{v} << 32); }

}  // namespace

// ---------------------------------------------------------------------------
// VirtqChain

void VirtqChain::clear() {
  head_ = 0;
  descriptors_ = 0;
  readable_.clear();
  writable_.clear();
  readable_size_ = writable_size_ = 0;
}

std::vector<std::span<std::uint8_t>> VirtqChain::slice(const std::vector<std::span<std::uint8_t>>& spans,
                                                       std::uint64_t offset, std::uint64_t len) {
  std::vector<std::span<std::uint8_t>> out;
  for (const auto& s : spans) {
    if (len == 0) break;
    if (offset >= s.size()) {
      offset -= s.size();
      continue;
    }
    const std::uint64_t n = std::min<std::uint64_t>(s.size() - offset, len);
    out.push_back(s.subspan(offset, n));
    offset = 0;
    len -= n;
  }
  return out;
}

std::vector<std::span<std::uint8_t>> VirtqChain::readable_spans(std::uint64_t offset, std::uint64_t len) const {
  return slice(readable_, offset, len);
}

std::vector<std::span<std::uint8_t>> VirtqChain::writable_spans(std::uint64_t offset, std::uint64_t len) const {
  auto spans = slice(writable_, offset, len);
  if (bus_)
    for (const auto& s : spans) bus_->note_write(s.data(), s.size());
  return spans;
}

std::size_t VirtqChain::read(std::uint64_t offset, std::span<std::uint8_t> out) const {
  std::size_t done = 0;
  for (const auto& s : slice(readable_, offset, out.size())) {
    std::memcpy(out.data() + done, s.data(), s.size());
    done += s.size();
  }
  return done;
}

std::size_t VirtqChain::write(std::uint64_t offset, std::span<const std::uint8_t> in) const {
  std::size_t done = 0;
  for (const auto& s : slice(writable_, offset, in.size())) {
    if (bus_) bus_->note_write(s.data(), s.size());
    std::memcpy(s.data(), in.data() + done, s.size());
    done += s.size();
  }
  return done;
}

// ---------------------------------------------------------------------------
// Virtqueue

void Virtqueue::reset_registers() {
  num_ = num_max_;
  ready_ = false;
  desc_addr_ = driver_addr_ = device_addr_ = 0;
  desc_ = avail_ = used_ = nullptr;
  last_avail_ = used_idx_ = batch_start_ = 0;
}

bool Virtqueue::broken() const { return transport_->needs_reset(); }

void Virtqueue::fail(std::string_view why) { transport_->device_error(fmt::format("queue {}: {}", index_, why)); }

bool Virtqueue::enable() {
  // Split virtqueues have power-of-two sizes (spec 2.7); the transport
  // bounds them by QueueNumMax (spec 4.2.2).
  if (num_ == 0 || num_ > num_max_ || (num_ & (num_ - 1)) != 0) {
    fail(fmt::format("queue size {} is not a power of two between 1 and {}", num_, num_max_));
    return false;
  }
  struct Area {
    const char* what;
    Addr addr;
    std::uint64_t bytes;
    Addr align;
    std::uint8_t** host;
  };
  const Area areas[] = {
      {"descriptor table", desc_addr_, desc_table_bytes(num_), kDescAlign, &desc_},
      {"available ring", driver_addr_, avail_ring_bytes(num_), kAvailAlign, &avail_},
      {"used ring", device_addr_, used_ring_bytes(num_), kUsedAlign, &used_},
  };
  for (const Area& a : areas) {
    if (a.addr % a.align != 0) {
      fail(fmt::format("{} at {:#x} is not {}-byte aligned", a.what, a.addr, a.align));
      return false;
    }
    // for_write = true: RAM only, never ROM or MMIO. The rings stay valid
    // while the queue is ready, since the bus map does not change.
    *a.host = transport_->bus_.host_ptr(a.addr, a.bytes, true);
    if (!*a.host) {
      fail(fmt::format("{} at {:#x} ({} bytes) is not in guest RAM", a.what, a.addr, a.bytes));
      return false;
    }
  }
  last_avail_ = used_idx_ = batch_start_ = 0;
  return true;
}

void VirtioMmio::save_state(StateWriter& out) const {
  out(status_, device_features_sel_, driver_features_sel_, driver_features_, queue_sel_, shm_sel_,
      interrupt_status_, config_generation_, irq_level_, last_error_, queues_);
  device_->save_state(out);
}

void VirtioMmio::load_state(StateReader& in) {
  in(status_, device_features_sel_, driver_features_sel_, driver_features_, queue_sel_, shm_sel_, interrupt_status_,
     config_generation_, irq_level_, last_error_, queues_);
  for (Virtqueue& q : queues_) {
    q.desc_ = q.avail_ = q.used_ = nullptr;
    if (!q.ready_) continue;
    // The rings' host addresses, found again; enable() also restarts the
    // ring indices, which are the saved ones.
    const std::uint16_t last_avail = q.last_avail_, used_idx = q.used_idx_, batch_start = q.batch_start_;
    const std::uint32_t status = status_;
    if (!q.enable() || status_ != status) in.fail(fmt::format("queue {} cannot be enabled again", q.index_));
    q.last_avail_ = last_avail;
    q.used_idx_ = used_idx;
    q.batch_start_ = batch_start;
  }
  device_->load_state(in);
  if (irq_) irq_(irq_level_);
}

bool Virtqueue::pop(VirtqChain& chain) {
  chain.clear();
  if (!ready_ || broken()) return false;
  const std::uint16_t avail_idx = load16(avail_ + 2);
  const std::uint16_t pending = static_cast<std::uint16_t>(avail_idx - last_avail_);
  if (pending == 0) {
    publish_avail_event();
    return false;
  }
  if (pending > num_) {
    fail(fmt::format("available ring index {} is {} entries ahead of the device's {}, more than the queue size {}",
                     avail_idx, pending, last_avail_, num_));
    return false;
  }
  const std::uint16_t head = load16(avail_ + 4 + 2 * (last_avail_ & (num_ - 1)));
  ++last_avail_;
  if (head >= num_) {
    fail(fmt::format("available ring names descriptor {}, beyond the queue size {}", head, num_));
    return false;
  }
  chain.head_ = head;
  return walk(head, chain);
}

bool Virtqueue::walk(std::uint16_t head, VirtqChain& chain) {
  const std::uint8_t* table = desc_;
  std::uint32_t table_size = num_;
  bool indirect = false;
  bool seen_writable = false;
  std::uint32_t steps = 0;
  std::uint32_t i = head;
  for (;;) {
    // A chain visits each descriptor of its table at most once; more steps
    // than the table has entries means a loop.
    if (++steps > table_size) {
      fail(fmt::format("descriptor chain from {} loops or is longer than its {}table ({} entries)", head,
                       indirect ? "indirect " : "", table_size));
      return false;
    }
    const std::uint8_t* d = table + kDescSize * i;
    const Addr addr = load64(d);
    const std::uint32_t len = load32(d + 8);
    const std::uint16_t flags = load16(d + 12);
    const std::uint16_t next = load16(d + 14);

    if (flags & kDescIndirect) {  // spec 2.7.5.3, Indirect Descriptors
      if (!transport_->negotiated(kFeatureIndirectDesc)) {
        fail("indirect descriptor without VIRTIO_F_INDIRECT_DESC negotiated");
        return false;
      }
      if (indirect) {
        fail("indirect descriptor inside an indirect table");
        return false;
      }
      if (flags & kDescNext) {
        fail("indirect descriptor has NEXT set");
        return false;
      }
      if (len == 0 || len % kDescSize != 0) {
        fail(fmt::format("indirect table length {} is not a non-zero multiple of 16", len));
        return false;
      }
      table = transport_->bus_.host_ptr(addr, len, true);
      if (!table) {
        fail(fmt::format("indirect table at {:#x} ({} bytes) is not in guest RAM", addr, len));
        return false;
      }
      // The WRITE flag of the descriptor naming the table is ignored.
      table_size = len / kDescSize;
      indirect = true;
      steps = 0;
      i = 0;
      continue;
    }

    const bool writable = flags & kDescWrite;
    if (!writable && seen_writable) {  // spec 2.7.5, descriptor table driver requirements
      fail(fmt::format("descriptor chain from {} has a device-readable buffer after a device-writable one", head));
      return false;
    }
    seen_writable |= writable;
    // A chain may not be longer than the queue (spec 2.7.5, driver requirements); this also
    // bounds the work a single indirect table can cause.
    if (++chain.descriptors_ > num_) {
      fail(fmt::format("descriptor chain from {} has more than {} buffers (the queue size)", head, num_));
      return false;
    }
    if (!add_buffer(addr, len, writable, chain)) return false;
    if (!(flags & kDescNext)) return true;
    if (next >= table_size) {
      fail(fmt::format("descriptor {} chains to {}, beyond its {}table of {} entries", i, next,
                       indirect ? "indirect " : "", table_size));
      return false;
    }
    i = next;
  }
}

bool Virtqueue::add_buffer(Addr addr, std::uint32_t len, bool writable, VirtqChain& chain) {
  if (len == 0) return true;
  if (addr + (len - 1) < addr) {
    fail(fmt::format("buffer at {:#x} ({} bytes) wraps around the address space", addr, len));
    return false;
  }
  if (chain.readable_size_ + chain.writable_size_ + len > kMaxChainBytes) {
    fail("descriptor chain describes more than 4 GiB");
    return false;
  }
  auto& spans = writable ? chain.writable_ : chain.readable_;
  const Bus& bus = transport_->bus_;
  chain.bus_ = &transport_->bus_;
  Addr pa = addr;
  std::uint64_t left = len;
  // The buffer may cross from one RAM region into an adjacent one; every
  // byte must be RAM.
  while (left) {
    const BusRegion* r = bus.find(pa);
    if (!r || r->kind != BusRegion::Kind::Ram) {
      fail(fmt::format("buffer at {:#x} ({} bytes) is not in guest RAM: {:#x} is {}", addr, len, pa,
                       r ? fmt::format("in {}", r->name) : std::string("unmapped")));
      return false;
    }
    const std::uint64_t n = std::min<std::uint64_t>(left, r->size - (pa - r->base));
    std::uint8_t* host = bus.host_ptr(pa, n, true);
    if (!host) {  // cannot happen after the checks above; never guess
      fail(fmt::format("buffer at {:#x} is not in guest RAM", pa));
      return false;
    }
    spans.emplace_back(host, n);
    pa += n;
    left -= n;
  }
  (writable ? chain.writable_size_ : chain.readable_size_) += len;
  return true;
}

void Virtqueue::push(const VirtqChain& chain, std::uint32_t written) {
  if (!ready_) return;
  written = static_cast<std::uint32_t>(std::min<std::uint64_t>(written, chain.writable_size_));
  std::uint8_t* elem = used_ + 4 + 8 * (used_idx_ & (num_ - 1));
  transport_->bus_.note_write(elem, 8);
  transport_->bus_.note_write(used_ + 2, 2);
  store32(elem, chain.head_);
  store32(elem + 4, written);
  ++used_idx_;
  // The element is complete before idx makes it visible (spec 2.7.8, The Virtqueue Used Ring).
  store16(used_ + 2, used_idx_);
}

bool Virtqueue::take_interrupt() {
  const std::uint16_t old_idx = batch_start_;
  const std::uint16_t new_idx = used_idx_;
  batch_start_ = used_idx_;
  if (!ready_ || old_idx == new_idx) return false;
  if (transport_->negotiated(kFeatureEventIdx)) {
    // Interrupt when the used index moved past used_event (spec 2.7.7,
    // Used Buffer Notification Suppression).
    const std::uint16_t used_event = load16(avail_ + 4 + 2 * num_);
    return static_cast<std::uint16_t>(new_idx - used_event - 1) < static_cast<std::uint16_t>(new_idx - old_idx);
  }
  return !(load16(avail_) & kAvailNoInterrupt);  // spec 2.7.7, without EVENT_IDX
}

void Virtqueue::publish_avail_event() {
  // With EVENT_IDX, ask to be notified as soon as the driver makes the next
  // buffer available (spec 2.7.10, Available Buffer Notification Suppression).
  if (ready_ && transport_->negotiated(kFeatureEventIdx)) {
    transport_->bus_.note_write(used_ + 4 + 8 * num_, 2);
    store16(used_ + 4 + 8 * num_, last_avail_);
  }
}

// ---------------------------------------------------------------------------
// VirtioMmio

VirtioMmio::VirtioMmio(Bus& bus, std::unique_ptr<VirtioDevice> device, InterruptCallback irq)
    : bus_(bus), device_(std::move(device)), irq_(std::move(irq)) {
  if (!device_) throw Error("virtio-mmio: no device");
  queues_.resize(device_->num_queues());
  for (unsigned i = 0; i < queues_.size(); ++i) {
    Virtqueue& q = queues_[i];
    q.transport_ = this;
    q.index_ = i;
    q.num_max_ = std::min<std::uint32_t>(device_->queue_num_max(), kMaxQueueSize);
    q.reset_registers();
  }
  log_ = [this](std::string_view message) {
    std::fprintf(stderr, "orrery: %.*s: %.*s\n", static_cast<int>(device_->name().size()), device_->name().data(),
                 static_cast<int>(message.size()), message.data());
  };
}

std::uint64_t VirtioMmio::offered_features() const {
  return device_->device_features() | bit(kFeatureVersion1) | bit(kFeatureIndirectDesc) | bit(kFeatureEventIdx);
}

Virtqueue* VirtioMmio::selected() { return queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr; }

void VirtioMmio::reset() {
  status_ = 0;
  device_features_sel_ = driver_features_sel_ = 0;
  driver_features_ = 0;
  queue_sel_ = shm_sel_ = 0;
  interrupt_status_ = 0;
  for (Virtqueue& q : queues_) q.reset_registers();
  last_error_.clear();
  device_->reset();
  update_irq();
}

void VirtioMmio::update_irq() {
  const bool level = interrupt_status_ != 0;
  if (level == irq_level_) return;
  irq_level_ = level;
  if (irq_) irq_(level);
}

void VirtioMmio::raise(std::uint32_t bits) {
  interrupt_status_ |= bits;
  update_irq();
}

void VirtioMmio::device_error(std::string_view why) {
  last_error_ = std::string(why);
  if (log_) log_(fmt::format("{} (device needs reset)", why));
  const bool first = !needs_reset();
  status_ |= kStatusNeedsReset;
  // Spec 2.1.2: after DRIVER_OK, DEVICE_NEEDS_RESET comes with a
  // configuration change notification.
  if (first && (status_ & kStatusDriverOk)) raise(kInterruptConfigChange);
}

void VirtioMmio::config_changed() {
  ++config_generation_;
  if (status_ & kStatusDriverOk) raise(kInterruptConfigChange);
}

bool VirtioMmio::read(Addr offset, unsigned size, std::uint64_t& value) {
  value = 0;
  if (offset >= kConfig) {
    // Device configuration space: 8-, 16-, 32- (and 64-) bit accesses;
    // bytes past its end read as zero.
    const auto config = device_->config_space();
    for (unsigned i = 0; i < size; ++i) {
      const Addr at = offset - kConfig + i;
      if (at < config.size()) value |= std::uint64_t{config[at]} << (8 * i);
    }
    return true;
  }
  // Registers are 32 bits wide and accessed only as such (spec 4.2.2, driver requirements);
  // other widths read as zero, as on QEMU.
  if (size == 4) value = read_register(static_cast<std::uint32_t>(offset));
  return true;
}

bool VirtioMmio::write(Addr offset, unsigned size, std::uint64_t value) {
  if (offset >= kConfig) {
    device_->write_config(static_cast<std::uint32_t>(offset - kConfig), size, value);
    return true;
  }
  if (size == 4) write_register(static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(value));
  return true;  // other widths are ignored
}

std::uint32_t VirtioMmio::read_register(std::uint32_t offset) {
  Virtqueue* q = selected();
  switch (offset) {
    case kMagicValue: return kMagic;
    case kVersion: return kMmioVersion;
    case kDeviceId: return device_->device_id();
    case kVendorId: return kVendor;
    case kDeviceFeatures:
      if (device_features_sel_ > 1) return 0;
      return static_cast<std::uint32_t>(offered_features() >> (32 * device_features_sel_));
    case kQueueNumMax: return q ? q->num_max_ : 0;
    case kQueueNum: return q ? q->num_ : 0;
    case kQueueReady: return q && q->ready_ ? 1 : 0;
    case kInterruptStatus: return interrupt_status_;
    case kStatus: return status_;
    case kQueueDescLow: return q ? static_cast<std::uint32_t>(q->desc_addr_) : 0;
    case kQueueDescHigh: return q ? static_cast<std::uint32_t>(q->desc_addr_ >> 32) : 0;
    case kQueueDriverLow: return q ? static_cast<std::uint32_t>(q->driver_addr_) : 0;
    case kQueueDriverHigh: return q ? static_cast<std::uint32_t>(q->driver_addr_ >> 32) : 0;
    case kQueueDeviceLow: return q ? static_cast<std::uint32_t>(q->device_addr_) : 0;
    case kQueueDeviceHigh: return q ? static_cast<std::uint32_t>(q->device_addr_ >> 32) : 0;
    // No shared memory regions: a non-existent region has length -1
    // (spec 4.2.2).
    case kShmLenLow:
    case kShmLenHigh:
    case kShmBaseLow:
    case kShmBaseHigh: return 0xffff'ffff;
    case kConfigGeneration: return config_generation_;
    default: return 0;  // write-only and reserved registers
  }
}

void VirtioMmio::write_register(std::uint32_t offset, std::uint32_t value) {
  Virtqueue* q = selected();
  // Queue registers are fixed while the queue is ready.
  Virtqueue* idle_q = q && !q->ready_ ? q : nullptr;
  switch (offset) {
    case kDeviceFeaturesSel: device_features_sel_ = value; break;
    case kDriverFeaturesSel: driver_features_sel_ = value; break;
    case kDriverFeatures:
      // Features are fixed once FEATURES_OK is set (spec 3.1.1).
      if ((status_ & kStatusFeaturesOk) || driver_features_sel_ > 1) break;
      if (driver_features_sel_ == 0)
        driver_features_ = (driver_features_ & ~std::uint64_t{0xffff'ffff}) | value;
      else
        driver_features_ = (driver_features_ & 0xffff'ffff) | (std::uint64_t{value} << 32);
      break;
    case kQueueSel: queue_sel_ = value; break;
    case kQueueNum:
      if (idle_q) idle_q->num_ = value;
      break;
    case kQueueReady:
      if (!q) break;
      if (value & 1) {
        if (!q->ready_ && !needs_reset() && q->enable()) q->ready_ = true;
      } else {
        q->ready_ = false;
      }
      break;
    case kQueueNotify: notify(value); break;
    case kInterruptAck:
      interrupt_status_ &= ~value;
      update_irq();
      break;
    case kStatus: write_status(value); break;
    case kQueueDescLow:
      if (idle_q) set_low(idle_q->desc_addr_, value);
      break;
    case kQueueDescHigh:
      if (idle_q) set_high(idle_q->desc_addr_, value);
      break;
    case kQueueDriverLow:
      if (idle_q) set_low(idle_q->driver_addr_, value);
      break;
    case kQueueDriverHigh:
      if (idle_q) set_high(idle_q->driver_addr_, value);
      break;
    case kQueueDeviceLow:
      if (idle_q) set_low(idle_q->device_addr_, value);
      break;
    case kQueueDeviceHigh:
      if (idle_q) set_high(idle_q->device_addr_, value);
      break;
    case kShmSel: shm_sel_ = value; break;
    default: break;  // read-only and reserved registers
  }
}

void VirtioMmio::write_status(std::uint32_t value) {
  value &= 0xff;
  if (value == 0) {  // spec 2.4 and 4.2.2: writing 0 resets the device
    reset();
    return;
  }
  // DEVICE_NEEDS_RESET belongs to the device: the driver can neither set nor
  // clear it.
  std::uint32_t next = (value & ~kStatusNeedsReset) | (status_ & kStatusNeedsReset);
  if ((next & kStatusFeaturesOk) && !(status_ & kStatusFeaturesOk)) {
    // Spec 2.2.2 / 3.1.1: accept only a subset of the offered features that
    // includes VIRTIO_F_VERSION_1; otherwise FEATURES_OK stays clear and the
    // driver sees the refusal when it reads Status back.
    const bool ok = (driver_features_ & ~offered_features()) == 0 &&
                    (driver_features_ & bit(kFeatureVersion1)) != 0 && device_->accept_features(driver_features_);
    if (!ok) next &= ~kStatusFeaturesOk;
  }
  const bool starting = (next & kStatusDriverOk) && !(status_ & kStatusDriverOk);
  if (starting && !(next & kStatusFeaturesOk)) {
    status_ = next & ~kStatusDriverOk;
    device_error("DRIVER_OK set without successful feature negotiation (FEATURES_OK)");
    return;
  }
  status_ = next;
  if (starting) {
    // Buffers made available before DRIVER_OK are picked up now.
    for (unsigned i = 0; i < queues_.size(); ++i) notify(i);
  }
}

void VirtioMmio::notify(std::uint32_t index) {
  if (index >= queues_.size()) return;
  Virtqueue& q = queues_[index];
  // No buffers are consumed before DRIVER_OK (spec 2.1.2) or while the
  // device needs a reset.
  if (!q.ready_ || !(status_ & kStatusDriverOk) || needs_reset()) return;
  device_->process(q);
  if (q.take_interrupt()) raise(kInterruptUsedBuffer);
}

}  // namespace orrery
