#pragma once
// virtio over MMIO, modern interface (Version 2), with split virtqueues.
// Written from the OASIS VIRTIO 1.1/1.2 specification; section numbers in
// the comments are VIRTIO 1.2's (2.1 device status, 2.7 split virtqueues,
// 4.2 MMIO transport; 1.1 numbers split virtqueues 2.6).
//
// Pieces:
//   VirtioMmio    the transport: a Device mapped at one 0x1000-byte slot. It
//                 implements the register block, feature negotiation, status
//                 and reset, queue setup, notification and the interrupt.
//   Virtqueue     one split virtqueue: pops descriptor chains from the
//                 available ring, pushes completions to the used ring and
//                 decides whether the driver wants a used-buffer interrupt.
//   VirtqChain    one popped request: its device-readable and device-writable
//                 buffers, already checked and translated to host memory.
//   VirtioDevice  what a device type (block, entropy, ...) implements.
//
// Guest memory safety: every ring and buffer is reached through the Bus and
// must lie in RAM (not ROM, not MMIO, not unmapped). Anything the driver gets
// wrong -- a buffer outside RAM or overflowing the address space, a chain
// that loops or is longer than the queue, a device-writable buffer before a
// device-readable one, a bad queue size or misaligned ring -- is a device
// error: the transport sets DEVICE_NEEDS_RESET in Status, stops using the
// device until the driver resets it, and (after DRIVER_OK, spec 2.1.2) raises
// a configuration-change interrupt. Host memory outside RAM is never touched.
//
// Requests are processed synchronously: a QueueNotify write runs the device
// until the available ring is empty, completes every request and raises the
// interrupt before the store instruction retires.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/bus.hpp"
#include "orrery/core/device.hpp"

namespace orrery {

namespace virtio {

// Device IDs (spec 5).
constexpr std::uint32_t kDeviceBlock = 2;
constexpr std::uint32_t kDeviceEntropy = 4;

// Transport-level feature bits (spec 6).
constexpr unsigned kFeatureIndirectDesc = 28;  // VIRTIO_F_INDIRECT_DESC
constexpr unsigned kFeatureEventIdx = 29;      // VIRTIO_F_EVENT_IDX
constexpr unsigned kFeatureVersion1 = 32;      // VIRTIO_F_VERSION_1
constexpr std::uint64_t bit(unsigned n) { return std::uint64_t{1} << n; }

// Device status bits (spec 2.1).
constexpr std::uint32_t kStatusAcknowledge = 1;
constexpr std::uint32_t kStatusDriver = 2;
constexpr std::uint32_t kStatusDriverOk = 4;
constexpr std::uint32_t kStatusFeaturesOk = 8;
constexpr std::uint32_t kStatusNeedsReset = 0x40;
constexpr std::uint32_t kStatusFailed = 0x80;

// InterruptStatus bits (spec 4.2.2).
constexpr std::uint32_t kInterruptUsedBuffer = 1;
constexpr std::uint32_t kInterruptConfigChange = 2;

// Descriptor flags and ring flags (spec 2.7.5, 2.7.6, 2.7.8).
constexpr std::uint16_t kDescNext = 1;
constexpr std::uint16_t kDescWrite = 2;
constexpr std::uint16_t kDescIndirect = 4;
constexpr std::uint16_t kAvailNoInterrupt = 1;
constexpr std::uint16_t kUsedNoNotify = 1;

// MMIO register offsets (spec 4.2.2, table "MMIO Device Register Layout").
enum MmioReg : std::uint32_t {
  kMagicValue = 0x000,
  kVersion = 0x004,
  kDeviceId = 0x008,
  kVendorId = 0x00c,
  kDeviceFeatures = 0x010,
  kDeviceFeaturesSel = 0x014,
  kDriverFeatures = 0x020,
  kDriverFeaturesSel = 0x024,
  kQueueSel = 0x030,
  kQueueNumMax = 0x034,
  kQueueNum = 0x038,
  kQueueReady = 0x044,
  kQueueNotify = 0x050,
  kInterruptStatus = 0x060,
  kInterruptAck = 0x064,
  kStatus = 0x070,
  kQueueDescLow = 0x080,
  kQueueDescHigh = 0x084,
  kQueueDriverLow = 0x090,
  kQueueDriverHigh = 0x094,
  kQueueDeviceLow = 0x0a0,
  kQueueDeviceHigh = 0x0a4,
  kShmSel = 0x0ac,
  kShmLenLow = 0x0b0,
  kShmLenHigh = 0x0b4,
  kShmBaseLow = 0x0b8,
  kShmBaseHigh = 0x0bc,
  kQueueReset = 0x0c0,
  kConfigGeneration = 0x0fc,
  kConfig = 0x100,
};

constexpr std::uint32_t kMagic = 0x74726976;  // "virt"
constexpr std::uint32_t kMmioVersion = 2;     // modern (non-legacy) interface
// The vendor ID QEMU reports ("QEMU"). Drivers do not match on it; Orrery
// uses the same value so guests that print it behave as under QEMU.
constexpr std::uint32_t kVendor = 0x554d4551;
// Size of one transport slot (registers + device configuration space).
constexpr std::uint64_t kMmioSlotSize = 0x1000;
// The largest queue size a split virtqueue can have (spec 2.7).
constexpr std::uint16_t kMaxQueueSize = 32768;

}  // namespace virtio

class VirtioMmio;
class Virtqueue;

// One descriptor chain popped from a queue. Its buffers are split into the
// device-readable part and the device-writable part (spec 2.7.5: readable
// descriptors come first); each part is a byte stream made of host spans
// that all lie in guest RAM. Devices must not assume any particular
// arrangement of descriptors (spec 2.7.4, Message Framing), so they address the streams by
// offset rather than by descriptor.
class VirtqChain {
 public:
  std::uint16_t head() const { return head_; }
  std::uint64_t readable_size() const { return readable_size_; }
  std::uint64_t writable_size() const { return writable_size_; }

  // Copy from the readable stream at `offset`; returns the bytes copied
  // (fewer than out.size() at the end of the stream).
  std::size_t read(std::uint64_t offset, std::span<std::uint8_t> out) const;
  // Copy into the writable stream at `offset`; returns the bytes copied.
  std::size_t write(std::uint64_t offset, std::span<const std::uint8_t> in) const;
  // The host spans covering [offset, offset+len) of a stream, clipped to its
  // end. For devices that move data with pread/pwrite.
  std::vector<std::span<std::uint8_t>> readable_spans(std::uint64_t offset, std::uint64_t len) const;
  std::vector<std::span<std::uint8_t>> writable_spans(std::uint64_t offset, std::uint64_t len) const;

  // Number of descriptors that described buffers (for tests and statistics).
  unsigned descriptors() const { return descriptors_; }

 private:
  friend class Virtqueue;
  static std::vector<std::span<std::uint8_t>> slice(const std::vector<std::span<std::uint8_t>>& spans,
                                                    std::uint64_t offset, std::uint64_t len);
  void clear();

  std::uint16_t head_ = 0;
  unsigned descriptors_ = 0;
  // Device writes reach guest RAM through host pointers, past Bus::write;
  // every writable span handed out is reported to the bus first, so
  // decoded code there is invalidated (Bus::note_write).
  Bus* bus_ = nullptr;
  std::vector<std::span<std::uint8_t>> readable_, writable_;
  std::uint64_t readable_size_ = 0, writable_size_ = 0;
};

// A split virtqueue (spec 2.7). The transport configures it from the queue
// registers; devices only call pop, push and fail.
class Virtqueue {
 public:
  unsigned index() const { return index_; }
  std::uint32_t size() const { return num_; }

  // Take the next available chain. Returns false when the ring is empty or
  // the driver made an error (then the device is marked DEVICE_NEEDS_RESET
  // and every later pop fails until reset).
  bool pop(VirtqChain& chain);
  // Return a chain to the driver with `written` bytes written to its
  // device-writable part.
  void push(const VirtqChain& chain, std::uint32_t written);
  // Report a driver error the device found in a request (wrong layout,
  // wrong direction): DEVICE_NEEDS_RESET.
  void fail(std::string_view why);
  bool broken() const;
  // Checkpoints: the registers and ring indices; the transport finds the
  // rings' host addresses again on load.
  template <class Ar>
  void state(Ar& ar) {
    ar(num_, ready_, desc_addr_, driver_addr_, device_addr_, last_avail_, used_idx_, batch_start_);
  }

 private:
  friend class VirtioMmio;

  // Queue registers (spec 4.2.2).
  std::uint32_t num_max_ = 0;
  std::uint32_t num_ = 0;  // as written; validated when the queue is enabled
  bool ready_ = false;
  Addr desc_addr_ = 0, driver_addr_ = 0, device_addr_ = 0;

  // Runtime state, valid while ready_.
  VirtioMmio* transport_ = nullptr;
  unsigned index_ = 0;
  std::uint8_t* desc_ = nullptr;   // descriptor table: 16 * num bytes
  std::uint8_t* avail_ = nullptr;  // available ring: 6 + 2 * num bytes
  std::uint8_t* used_ = nullptr;   // used ring: 6 + 8 * num bytes
  std::uint16_t last_avail_ = 0;   // next available-ring slot the device reads
  std::uint16_t used_idx_ = 0;     // the used ring's idx as the device last wrote it
  std::uint16_t batch_start_ = 0;  // used idx when the current notification batch began

  void reset_registers();
  // Validate the registers and cache host pointers to the rings; false on a
  // driver error (reported to the transport).
  bool enable();
  bool walk(std::uint16_t head, VirtqChain& chain);
  bool add_buffer(Addr addr, std::uint32_t len, bool writable, VirtqChain& chain);
  // Whether the driver wants a used-buffer interrupt for the entries pushed
  // since the last call (spec 2.7.7, Used Buffer Notification Suppression).
  bool take_interrupt();
  void publish_avail_event();
};

// A device type behind the transport (block, entropy, ...).
class VirtioDevice {
 public:
  virtual ~VirtioDevice() = default;
  virtual std::string_view name() const = 0;
  virtual std::uint32_t device_id() const = 0;
  // Device-specific feature bits offered to the driver. The transport adds
  // VIRTIO_F_VERSION_1 and the ring features it implements.
  virtual std::uint64_t device_features() const = 0;
  // Called when the driver sets FEATURES_OK; returning false refuses the
  // combination (FEATURES_OK stays clear). The transport has already checked
  // that the driver accepted only offered bits and VERSION_1.
  virtual bool accept_features(std::uint64_t /*features*/) { return true; }
  virtual unsigned num_queues() const = 0;
  virtual std::uint16_t queue_num_max() const { return 256; }
  // The device configuration space (little-endian), read at 0x100.
  virtual std::span<const std::uint8_t> config_space() const { return {}; }
  // A driver write to the configuration space (offset relative to 0x100).
  virtual void write_config(std::uint32_t /*offset*/, unsigned /*size*/, std::uint64_t /*value*/) {}
  // The driver notified `queue` (after DRIVER_OK): consume available chains
  // with queue.pop and complete them with queue.push.
  virtual void process(Virtqueue& queue) = 0;
  // Device reset (driver wrote 0 to Status, or machine reset).
  virtual void reset() {}
  // The run is over: as Device::sync (an error message, empty on success).
  virtual std::string sync() { return {}; }
  // Checkpoints (core/checkpoint.hpp): what the device holds beyond its
  // configuration; the transport saves the queues.
  virtual void save_state(StateWriter& /*out*/) const {}
  virtual void load_state(StateReader& /*in*/) {}
};

// The virtio-mmio transport (spec 4.2), one per slot.
class VirtioMmio final : public Device {
 public:
  using InterruptCallback = std::function<void(bool level)>;
  using LogCallback = std::function<void(std::string_view message)>;

  // `bus` is the machine's bus, through which every ring and buffer is
  // reached. The transport owns the device.
  VirtioMmio(Bus& bus, std::unique_ptr<VirtioDevice> device, InterruptCallback irq = {});
  VirtioMmio(const VirtioMmio&) = delete;
  VirtioMmio& operator=(const VirtioMmio&) = delete;

  std::string_view name() const override { return "virtio-mmio"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  std::string sync() override { return device_->sync(); }
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  // The interrupt line (level = InterruptStatus != 0), e.g. a PLIC source.
  // Called whenever the level changes.
  void set_interrupt(InterruptCallback irq) { irq_ = std::move(irq); }
  // Where device errors are reported (default: one line on stderr).
  void set_log(LogCallback log) { log_ = std::move(log); }

  VirtioDevice& device() { return *device_; }
  std::uint32_t status() const { return status_; }
  std::uint32_t interrupt_status() const { return interrupt_status_; }
  bool interrupt_level() const { return interrupt_status_ != 0; }
  std::uint64_t driver_features() const { return driver_features_; }
  bool negotiated(unsigned feature) const { return (driver_features_ & virtio::bit(feature)) != 0; }
  bool needs_reset() const { return status_ & virtio::kStatusNeedsReset; }
  const std::string& last_error() const { return last_error_; }

  // Device-side events.
  void device_error(std::string_view why);  // DEVICE_NEEDS_RESET (spec 2.1.2)
  void config_changed();                    // bump ConfigGeneration, config interrupt
  std::uint64_t offered_features() const;

 private:
  friend class Virtqueue;
  std::uint32_t read_register(std::uint32_t offset);
  void write_register(std::uint32_t offset, std::uint32_t value);
  void write_status(std::uint32_t value);
  void notify(std::uint32_t queue);
  void raise(std::uint32_t bits);
  void update_irq();
  Virtqueue* selected();

  Bus& bus_;
  std::unique_ptr<VirtioDevice> device_;
  InterruptCallback irq_;
  LogCallback log_;
  std::vector<Virtqueue> queues_;

  std::uint32_t status_ = 0;
  std::uint32_t device_features_sel_ = 0;
  std::uint32_t driver_features_sel_ = 0;
  std::uint64_t driver_features_ = 0;
  std::uint32_t queue_sel_ = 0;
  std::uint32_t shm_sel_ = 0;
  std::uint32_t interrupt_status_ = 0;
  std::uint32_t config_generation_ = 0;
  bool irq_level_ = false;
  std::string last_error_;
};

}  // namespace orrery
