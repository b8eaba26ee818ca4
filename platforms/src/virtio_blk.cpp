#include "orrery/platforms/virtio_blk.hpp"

#include "orrery/core/checkpoint.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <utility>
#include <vector>

namespace orrery {

// ---------------------------------------------------------------------------
// -drive parsing

namespace {

// Split QEMU-style "k=v,k=v" where ",," stands for a literal comma.
std::vector<std::string> split_items(std::string_view text) {
  std::vector<std::string> items(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ',') {
      if (i + 1 < text.size() && text[i + 1] == ',') {
        items.back() += ',';
        ++i;
      } else {
        items.emplace_back();
      }
    } else {
      items.back() += text[i];
    }
  }
  return items;
}

bool parse_bool(std::string_view v, bool& out) {
  if (v == "on" || v == "yes" || v == "true") {
    out = true;
    return true;
  }
  if (v == "off" || v == "no" || v == "false") {
    out = false;
    return true;
  }
  return false;
}

}  // namespace

DriveConfig parse_drive_option(std::string_view text) {
  const auto fail = [&](std::string_view why) { return Error(fmt::format("-drive {}: {}", text, why)); };
  if (text.empty()) throw Error("-drive needs a value, e.g. -drive file=disk.img,format=raw,if=virtio");
  DriveConfig drive;
  std::vector<std::string> seen;
  bool have_file = false;
  for (const std::string& item : split_items(text)) {
    const auto eq = item.find('=');
    if (item.empty()) throw fail("empty item (stray comma?)");
    if (eq == std::string::npos) throw fail(fmt::format("'{}' is not key=value", item));
    const std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    for (const auto& k : seen)
      if (k == key) throw fail(fmt::format("'{}' given twice", key));
    seen.push_back(key);
    if (key == "file") {
      if (value.empty()) throw fail("file= needs a file name");
      drive.file = value;
      have_file = true;
    } else if (key == "format") {
      if (value != "raw") throw fail(fmt::format("format={}: only raw images are supported", value));
    } else if (key == "if") {
      if (value != "virtio") throw fail(fmt::format("if={}: only if=virtio is supported", value));
    } else if (key == "readonly") {
      if (!parse_bool(value, drive.readonly)) throw fail(fmt::format("readonly={}: expected on or off", value));
    } else if (key == "id") {
      drive.id = value;
    } else if (key == "serial") {
      if (value.size() > VirtioBlk::kIdBytes)
        throw fail(fmt::format("serial={}: at most {} bytes", value, VirtioBlk::kIdBytes));
      drive.serial = value;
    } else {
      throw fail(fmt::format("unknown option '{}' (supported: file, format, if, readonly, id, serial)", key));
    }
  }
  if (!have_file) throw fail("missing file=FILE");
  return drive;
}

// ---------------------------------------------------------------------------
// VirtioBlk

namespace {

template <class T>
void put_le(std::span<std::uint8_t> bytes, std::size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);  // host is little-endian
}

bool pread_all(int fd, std::span<std::uint8_t> buf, std::uint64_t offset) {
  while (!buf.empty()) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // error, or the image shrank under us
    buf = buf.subspan(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool pwrite_all(int fd, std::span<const std::uint8_t> buf, std::uint64_t offset) {
  while (!buf.empty()) {
    const ssize_t n = ::pwrite(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buf = buf.subspan(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace

VirtioBlk::VirtioBlk(const DriveConfig& drive)
    : path_(drive.file), readonly_(drive.readonly), serial_(drive.serial) {
  const std::string& path = drive.file;
  if (serial_.size() > kIdBytes) throw Error(fmt::format("drive {}: serial longer than {} bytes", path, kIdBytes));
  fd_ = ::open(path.c_str(), (readonly_ ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    std::string hint;
    if (!readonly_ && (err == EACCES || err == EROFS)) hint = " (use readonly=on for a read-only image)";
    throw Error(fmt::format("drive {}: cannot open: {}{}", path, std::strerror(err), hint));
  }
  // From here on, errors must close the descriptor.
  auto fail = [&](const std::string& why) {
    ::close(fd_);
    fd_ = -1;
    return Error(fmt::format("drive {}: {}", path, why));
  };
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw fail(fmt::format("cannot stat: {}", std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) throw fail("is a directory");
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) throw fail("not a regular file or block device");
  // A writer excludes everyone else; readers exclude writers (as QEMU's
  // image locking does).
  if (::flock(fd_, (readonly_ ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0)
    throw fail(errno == EWOULDBLOCK ? std::string("is in use by another process (locked)")
                                    : fmt::format("cannot lock: {}", std::strerror(errno)));
  const off_t size = ::lseek(fd_, 0, SEEK_END);  // also right for block devices
  if (size < 0) throw fail(fmt::format("cannot determine the size: {}", std::strerror(errno)));
  if (static_cast<std::uint64_t>(size) % kSectorSize != 0)
    throw fail(fmt::format("size {} bytes is not a multiple of {} (virtio-blk works in 512-byte sectors)", size,
                           kSectorSize));
  capacity_ = static_cast<std::uint64_t>(size) / kSectorSize;

  put_le<std::uint64_t>(config_, kConfigCapacity, capacity_);
  // A request carries header and status besides its data segments.
  put_le<std::uint32_t>(config_, kConfigSegMax, kQueueSize - 2);
}

VirtioBlk::~VirtioBlk() {
  if (fd_ >= 0) ::close(fd_);
}

// Every write already reached the file (pwrite, no cache of ours), so the
// host's page cache holds it even if the process is killed; what is left
// is stable storage, as QEMU flushes its drives when it stops.
std::string VirtioBlk::sync() {
  if (readonly_ || ::fdatasync(fd_) == 0) return {};
  return fmt::format("drive {}: cannot write back to the disk: {}", path_, std::strerror(errno));
}

std::uint64_t VirtioBlk::device_features() const {
  std::uint64_t f = virtio::bit(kFeatureSegMax) | virtio::bit(kFeatureFlush);
  if (readonly_) f |= virtio::bit(kFeatureRo);
  return f;
}

bool VirtioBlk::in_range(std::uint64_t sector, std::uint64_t bytes) const {
  const std::uint64_t sectors = bytes / kSectorSize;
  return sector <= capacity_ && sectors <= capacity_ - sector;
}

void VirtioBlk::process(Virtqueue& queue) {
  while (queue.pop(chain_)) {
    bool layout_error = false;
    const std::uint8_t status = execute(chain_, queue, layout_error);
    if (layout_error) return;  // the queue reported the error; the device needs a reset
    // The status byte is the last byte of the device-writable part.
    chain_.write(chain_.writable_size() - 1, std::span<const std::uint8_t>(&status, 1));
    // Used length: the whole device-writable part, which ends with the
    // status byte.
    queue.push(chain_, static_cast<std::uint32_t>(std::min<std::uint64_t>(chain_.writable_size(), 0xffff'ffff)));
  }
}

std::uint8_t VirtioBlk::execute(const VirtqChain& chain, Virtqueue& queue, bool& layout_error) {
  // struct virtio_blk_req (spec 5.2.6, Device Operation): le32 type, le32 reserved, le64
  // sector (device-readable), data, u8 status (device-writable).
  constexpr std::uint64_t kHeader = 16;
  const auto bad = [&](std::string_view why) {
    queue.fail(why);
    layout_error = true;
    return kStatusIoErr;
  };
  if (chain.readable_size() < kHeader)
    return bad(fmt::format("block request has {} device-readable bytes, fewer than its 16-byte header",
                           chain.readable_size()));
  if (chain.writable_size() < 1) return bad("block request has no device-writable status byte");
  std::array<std::uint8_t, kHeader> header{};
  chain.read(0, header);
  std::uint32_t type;
  std::uint64_t sector;
  std::memcpy(&type, header.data(), sizeof type);
  std::memcpy(&sector, header.data() + 8, sizeof sector);

  switch (type) {
    case kTypeIn: {
      // Data must be device-writable: readable bytes after the header mean
      // the driver got the direction wrong.
      if (chain.readable_size() != kHeader)
        return bad(fmt::format("read request has {} device-readable data bytes; its data buffer must be "
                               "device-writable",
                               chain.readable_size() - kHeader));
      const std::uint64_t len = chain.writable_size() - 1;
      if (len % kSectorSize != 0 || !in_range(sector, len)) return kStatusIoErr;
      std::uint64_t offset = sector * kSectorSize;
      for (const auto& span : chain.writable_spans(0, len)) {
        if (!pread_all(fd_, span, offset)) return kStatusIoErr;
        offset += span.size();
      }
      return kStatusOk;
    }
    case kTypeOut: {
      if (chain.writable_size() != 1)
        return bad(fmt::format("write request has {} device-writable bytes besides the status; its data buffer must be "
                               "device-readable",
                               chain.writable_size() - 1));
      const std::uint64_t len = chain.readable_size() - kHeader;
      // A read-only device writes nothing (5.2.6, device requirements).
      if (readonly_ || len % kSectorSize != 0 || !in_range(sector, len)) return kStatusIoErr;
      std::uint64_t offset = sector * kSectorSize;
      for (const auto& span : chain.readable_spans(kHeader, len)) {
        if (!pwrite_all(fd_, span, offset)) return kStatusIoErr;
        offset += span.size();
      }
      return kStatusOk;
    }
    case kTypeFlush:
      if (readonly_) return kStatusOk;  // nothing of ours to write back
      return ::fdatasync(fd_) == 0 ? kStatusOk : kStatusIoErr;
    case kTypeGetId: {
      // Up to 20 bytes, NUL-padded when the string is shorter.
      std::array<std::uint8_t, kIdBytes> id{};
      std::memcpy(id.data(), serial_.data(), serial_.size());
      const std::uint64_t room = std::min<std::uint64_t>(chain.writable_size() - 1, kIdBytes);
      chain.write(0, std::span<const std::uint8_t>(id.data(), room));
      return kStatusOk;
    }
    default: return kStatusUnsupp;
  }
}

// The image is the host's file, not part of the checkpoint: what is saved
// is its size and a CRC-32 of its contents, and a restored run refuses an
// image that changed since (the guest's view of its disk would be wrong).
std::uint32_t VirtioBlk::image_crc() const {
  boost::crc_32_type crc;
  std::vector<std::uint8_t> buf(1 << 20);
  const std::uint64_t bytes = capacity_ * kSectorSize;
  for (std::uint64_t offset = 0; offset < bytes; offset += buf.size()) {
    const std::span<std::uint8_t> chunk(buf.data(), std::min<std::uint64_t>(buf.size(), bytes - offset));
    if (!pread_all(fd_, chunk, offset))
      throw Error(fmt::format("drive '{}': cannot read the image: {}", path_, std::strerror(errno)));
    crc.process_bytes(chunk.data(), chunk.size());
  }
  return crc.checksum();
}

void VirtioBlk::save_state(StateWriter& out) const { out(path_, capacity_, readonly_, image_crc()); }

void VirtioBlk::load_state(StateReader& in) {
  std::string path;
  std::uint64_t capacity = 0;
  bool readonly = false;
  std::uint32_t crc = 0;
  in(path, capacity, readonly, crc);
  if (capacity != capacity_ || crc != image_crc())
    in.fail(fmt::format("the drive's image '{}' is not what it was when the checkpoint was saved (from '{}')", path_,
                        path));
  if (readonly != readonly_) in.fail(fmt::format("drive '{}' was saved with readonly={}", path_, readonly ? "on" : "off"));
}

}  // namespace orrery
