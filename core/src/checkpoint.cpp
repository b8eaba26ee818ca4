#include "orrery/core/checkpoint.hpp"

#include <boost/crc.hpp>
#include <cerrno>
#include <cstdio>
#include <fmt/format.h>
#include <memory>
#include <sys/stat.h>

namespace orrery {

namespace {

constexpr char kMagic[8] = {'O', 'R', 'R', 'E', 'R', 'Y', 'C', 'K'};
constexpr std::uint64_t kPageSize = 4096;
constexpr std::uint32_t kMaxSectionName = 256;

std::uint32_t crc32(const std::string& name, std::span<const std::uint8_t> payload) {
  boost::crc_32_type crc;
  crc.process_bytes(name.data(), name.size());
  crc.process_bytes(payload.data(), payload.size());
  return crc.checksum();
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

void StateReader::bytes(void* out, std::size_t size) {
  if (size > left()) fail(fmt::format("truncated: {} bytes wanted, {} left", size, left()));
  std::memcpy(out, data_.data() + pos_, size);
  pos_ += size;
}

std::string StateReader::string() {
  const std::uint64_t size = u64();
  if (size > left()) fail(fmt::format("truncated: a string of {} bytes, {} left", size, left()));
  std::string s(reinterpret_cast<const char*>(data_.data() + pos_), size);
  pos_ += size;
  return s;
}

void StateReader::expect_end() const {
  if (left() != 0) fail(fmt::format("{} bytes more than this version of orrery reads", left()));
}

void StateReader::fail(const std::string& problem) const {
  throw Error(fmt::format("section '{}': {}", what_, problem));
}

void StateReader::expect_size(std::size_t have) {
  const std::uint64_t size = u64();
  if (size != have)
    fail(fmt::format("a table of {} entries where this machine has {} (was it saved with other options?)", size,
                     have));
}

void StateReader::get_container(std::vector<bool>& v) {
  expect_size(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    bool b;
    get(b);
    v[i] = b;
  }
}

void CheckpointFile::add(std::string name, std::vector<std::uint8_t> payload) {
  if (!sections_.emplace(name, std::move(payload)).second)
    throw Error(fmt::format("checkpoint: section '{}' added twice", name));
  order_.push_back(std::move(name));
}

StateReader CheckpointFile::reader(const std::string& name) const {
  const auto it = sections_.find(name);
  if (it == sections_.end())
    throw Error(fmt::format("checkpoint '{}': no section '{}' (was it saved with other options?)", path_, name));
  return StateReader(it->second, name);
}

std::vector<std::string> CheckpointFile::names() const { return order_; }

void CheckpointFile::write(const std::string& path) const {
  // Written beside the target and renamed over it, so a failed or
  // interrupted save never leaves half a checkpoint under the name.
  const std::string tmp = path + ".tmp";
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(tmp.c_str(), "wb"));
  if (!f) throw Error(fmt::format("cannot write checkpoint '{}': {}", path, std::strerror(errno)));
  bool ok = std::fwrite(kMagic, 1, sizeof kMagic, f.get()) == sizeof kMagic;
  const std::uint32_t version = kFormatVersion;
  ok = ok && std::fwrite(&version, sizeof version, 1, f.get()) == 1;
  auto put_section = [&](const std::string& name, std::span<const std::uint8_t> payload) {
    const auto name_size = static_cast<std::uint32_t>(name.size());
    const std::uint64_t size = payload.size();
    const std::uint32_t crc = crc32(name, payload);
    ok = ok && std::fwrite(&name_size, sizeof name_size, 1, f.get()) == 1 &&
         std::fwrite(name.data(), 1, name.size(), f.get()) == name.size() &&
         std::fwrite(&size, sizeof size, 1, f.get()) == 1 &&
         // An empty payload may have no data pointer, which fwrite must not get.
         (payload.empty() || std::fwrite(payload.data(), 1, payload.size(), f.get()) == payload.size()) &&
         std::fwrite(&crc, sizeof crc, 1, f.get()) == 1;
  };
  for (const std::string& name : order_) put_section(name, sections_.at(name));
  put_section("end", {});
  ok = std::fflush(f.get()) == 0 && ok;
  const int err = errno;
  f.reset();
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int why = ok ? errno : err;
    std::remove(tmp.c_str());
    throw Error(fmt::format("cannot write checkpoint '{}': {}", path, std::strerror(why)));
  }
}

CheckpointFile CheckpointFile::read(const std::string& path) {
  auto bad = [&path](const std::string& problem) {
    return Error(fmt::format("checkpoint '{}': {}", path, problem));
  };
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) throw bad(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw bad("not a regular file");
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) throw bad(std::strerror(errno));
  std::vector<std::uint8_t> data(static_cast<std::size_t>(st.st_size));
  if (std::fread(data.data(), 1, data.size(), f.get()) != data.size()) throw bad("cannot read the whole file");

  std::size_t pos = 0;
  auto take = [&](void* out, std::size_t n, const char* what) {
    if (n > data.size() - pos) throw bad(fmt::format("truncated in {} (file of {} bytes)", what, data.size()));
    std::memcpy(out, data.data() + pos, n);
    pos += n;
  };
  char magic[sizeof kMagic];
  if (data.size() < sizeof magic || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    throw bad("not an orrery checkpoint (no ORRERYCK header)");
  take(magic, sizeof magic, "the header");
  std::uint32_t version = 0;
  take(&version, sizeof version, "the header");
  if (version != kFormatVersion)
    throw bad(fmt::format("format version {}; this orrery reads version {}", version, kFormatVersion));

  CheckpointFile file;
  file.path_ = path;
  for (;;) {
    std::uint32_t name_size = 0;
    take(&name_size, sizeof name_size, "a section header");
    if (name_size > kMaxSectionName) throw bad(fmt::format("corrupt: a section name of {} bytes", name_size));
    std::string name(name_size, '\0');
    take(name.data(), name_size, "a section header");
    std::uint64_t size = 0;
    take(&size, sizeof size, "a section header");
    if (size > data.size() - pos) throw bad(fmt::format("truncated in section '{}'", name));
    std::span<const std::uint8_t> payload(data.data() + pos, static_cast<std::size_t>(size));
    pos += static_cast<std::size_t>(size);
    std::uint32_t crc = 0;
    take(&crc, sizeof crc, "a section's CRC");
    if (crc != crc32(name, payload)) throw bad(fmt::format("corrupt: section '{}' fails its CRC-32", name));
    if (name == "end") break;
    if (file.has(name)) throw bad(fmt::format("corrupt: section '{}' twice", name));
    file.add(name, std::vector<std::uint8_t>(payload.begin(), payload.end()));
  }
  if (pos != data.size()) throw bad(fmt::format("{} bytes after the end section", data.size() - pos));
  return file;
}

std::vector<std::uint8_t> save_memory(const std::uint8_t* base, std::uint64_t size) {
  StateWriter out;
  out(size);
  static const std::uint8_t zero[kPageSize] = {};
  for (std::uint64_t page = 0; page * kPageSize < size; ++page) {
    const std::uint64_t n = std::min(kPageSize, size - page * kPageSize);
    const std::uint8_t* p = base + page * kPageSize;
    if (std::memcmp(p, zero, n) == 0) continue;
    out(page);
    out.bytes(p, n);
  }
  return out.take();
}

void load_memory(StateReader& in, std::uint8_t* base, std::uint64_t size) {
  if (in.u64() != size) in.fail("a memory of another size (was it saved with another -m?)");
  const std::uint64_t pages = (size + kPageSize - 1) / kPageSize;
  // Pages absent from the file are zero. Only those that are not zero now
  // are cleared: reading an untouched page of anonymous memory maps the
  // shared zero page, so a restored 4 GiB guest costs its used pages only.
  auto clear_until = [&](std::uint64_t from, std::uint64_t to) {
    static const std::uint8_t zero[kPageSize] = {};
    for (std::uint64_t page = from; page < to; ++page) {
      std::uint8_t* p = base + page * kPageSize;
      const std::uint64_t n = std::min(kPageSize, size - page * kPageSize);
      if (std::memcmp(p, zero, n) != 0) std::memset(p, 0, n);
    }
  };
  std::uint64_t next = 0;  // pages come in increasing order
  while (in.left() != 0) {
    const std::uint64_t page = in.u64();
    if (page < next || page >= pages) in.fail("a page outside the memory, or out of order");
    clear_until(next, page);
    in.bytes(base + page * kPageSize, std::min(kPageSize, size - page * kPageSize));
    next = page + 1;
  }
  clear_until(next, pages);
}

}  // namespace orrery
