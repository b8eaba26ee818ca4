#include "orrery/platforms/virtio_rng.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>

namespace orrery {

std::size_t host_random(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

VirtioRng::VirtioRng(Source source) : source_(source ? std::move(source) : Source(host_random)) {}

void VirtioRng::process(Virtqueue& queue) {
  while (queue.pop(chain_)) {
    // The driver gives only device-writable buffers (spec 5.4.6, driver requirements).
    if (chain_.readable_size() != 0) {
      queue.fail(fmt::format("entropy request has {} device-readable bytes; its buffers must be device-writable",
                             chain_.readable_size()));
      return;
    }
    std::uint64_t filled = 0;
    for (const auto& span : chain_.writable_spans(0, std::min(chain_.writable_size(), kMaxBytesPerRequest))) {
      const std::size_t n = source_(span);
      filled += n;
      if (n < span.size()) break;
    }
    queue.push(chain_, static_cast<std::uint32_t>(filled));
  }
}

}  // namespace orrery
