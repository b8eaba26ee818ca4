#pragma once
// virtio block device (device ID 2, spec 5.2) backed by a raw host image,
// and the parser for QEMU's -drive option that configures it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "orrery/platforms/virtio_mmio.hpp"

namespace orrery {

// One -drive option.
struct DriveConfig {
  std::string file;       // host image (raw)
  bool readonly = false;  // readonly=on
  std::string id;         // id=NAME: accepted for QEMU compatibility, unused
  std::string serial;     // serial=STRING: the GET_ID string (Orrery extension, at most 20 bytes)
};

// Parse the value of QEMU's `-drive`, e.g.
//   file=disk.img,format=raw,if=virtio,readonly=on
// Keys: file (required), format (raw only; default raw), if (virtio only;
// default virtio), readonly (on/off, yes/no, true/false), id, serial. A comma
// inside a value is written ",," as in QEMU. Throws Error with a one-line
// message for unknown or repeated keys, a missing file, an unsupported
// format or interface, and malformed items.
DriveConfig parse_drive_option(std::string_view text);

// The block device. The image is opened when the device is constructed
// (read/write, or read-only for readonly=on) and locked against other
// writers with flock; its size must be a multiple of 512 bytes. Requests
// are served synchronously with pread/pwrite, so a write is in the file as
// soon as the guest sees it complete; FLUSH, and sync() at the end of the
// run, are fdatasync (docs/virtio.md, "Disk data").
class VirtioBlk final : public VirtioDevice {
 public:
  // Throws Error for a missing, unreadable or locked file, a directory, or a
  // size that is not a multiple of 512.
  explicit VirtioBlk(const DriveConfig& drive);
  ~VirtioBlk() override;
  VirtioBlk(const VirtioBlk&) = delete;
  VirtioBlk& operator=(const VirtioBlk&) = delete;

  std::string_view name() const override { return "virtio-blk"; }
  std::uint32_t device_id() const override { return virtio::kDeviceBlock; }
  std::uint64_t device_features() const override;
  unsigned num_queues() const override { return 1; }
  std::uint16_t queue_num_max() const override { return kQueueSize; }
  std::span<const std::uint8_t> config_space() const override { return config_; }
  void process(Virtqueue& queue) override;
  std::string sync() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  std::uint64_t capacity() const { return capacity_; }  // in 512-byte sectors
  bool readonly() const { return readonly_; }

  static constexpr std::uint16_t kQueueSize = 256;
  static constexpr std::uint64_t kSectorSize = 512;
  static constexpr std::size_t kIdBytes = 20;  // VIRTIO_BLK_ID_BYTES

  // Feature bits (spec 5.2.3).
  static constexpr unsigned kFeatureSegMax = 2;
  static constexpr unsigned kFeatureRo = 5;
  static constexpr unsigned kFeatureFlush = 9;

  // Request types and status values (spec 5.2.6).
  static constexpr std::uint32_t kTypeIn = 0, kTypeOut = 1, kTypeFlush = 4, kTypeGetId = 8;
  static constexpr std::uint8_t kStatusOk = 0, kStatusIoErr = 1, kStatusUnsupp = 2;

  // Configuration space offsets (struct virtio_blk_config, spec 5.2.4).
  static constexpr std::size_t kConfigCapacity = 0, kConfigSegMax = 12;

 private:
  std::uint8_t execute(const VirtqChain& chain, Virtqueue& queue, bool& layout_error);
  bool in_range(std::uint64_t sector, std::uint64_t bytes) const;
  std::uint32_t image_crc() const;

  std::string path_;
  int fd_ = -1;
  bool readonly_ = false;
  std::uint64_t capacity_ = 0;
  std::string serial_;
  std::array<std::uint8_t, 60> config_{};
  VirtqChain chain_;  // reused between requests
};

}  // namespace orrery
