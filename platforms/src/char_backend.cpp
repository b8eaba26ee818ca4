#include "orrery/platforms/char_backend.hpp"

#include <unistd.h>

#include <cerrno>

namespace orrery {

void StdioBackend::write(std::uint8_t byte) {
  buffer_ += static_cast<char>(byte);
  if (byte == '\n' || buffer_.size() >= 4096) flush();
}

void StdioBackend::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // stdout closed: drop output rather than fail the guest
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

}  // namespace orrery
