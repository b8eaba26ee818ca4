#pragma once
// virtio entropy device (device ID 4, spec 5.4): fills the driver's
// device-writable buffers from the host's getrandom().
#include <cstdint>
#include <functional>
#include <span>

#include "orrery/platforms/virtio_mmio.hpp"

namespace orrery {

class VirtioRng final : public VirtioDevice {
 public:
  // Fills a buffer with random bytes and returns how many it filled. The
  // default reads the host's getrandom(); tests may substitute a source.
  using Source = std::function<std::size_t(std::span<std::uint8_t>)>;
  explicit VirtioRng(Source source = {});

  std::string_view name() const override { return "virtio-rng"; }
  std::uint32_t device_id() const override { return virtio::kDeviceEntropy; }
  std::uint64_t device_features() const override { return 0; }
  unsigned num_queues() const override { return 1; }
  void process(Virtqueue& queue) override;

  // At most this many bytes per request; the device may use less than the
  // whole buffer (spec 5.4.6, device requirements), which bounds the work one request causes.
  static constexpr std::uint64_t kMaxBytesPerRequest = 64 * 1024;

 private:
  Source source_;
  VirtqChain chain_;
};

// The host's getrandom(); returns the bytes filled (all of them unless the
// host fails).
std::size_t host_random(std::span<std::uint8_t> out);

}  // namespace orrery
