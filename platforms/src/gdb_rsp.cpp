#include "orrery/platforms/gdb_rsp.hpp"

#include <fmt/format.h>

namespace orrery::gdb {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void RspDecoder::feed(std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t b : bytes) {
    const char c = static_cast<char>(b);
    switch (state_) {
      case State::Idle:
        if (c == '$') {
          state_ = State::Payload;
          payload_.clear();
          sum_ = 0;
          overflow_ = false;
        } else if (b == 0x03) {
          ready_.push_back({RspEvent::Kind::Interrupt, {}});
        } else if (c == '+') {
          ready_.push_back({RspEvent::Kind::Ack, {}});
        } else if (c == '-') {
          ready_.push_back({RspEvent::Kind::Nak, {}});
        }  // anything else between packets is noise, as in gdbserver
        break;
      case State::Payload:
        if (c == '#') {
          state_ = State::Checksum1;
          break;
        }
        sum_ = (sum_ + b) & 0xff;
        // Run-length encoding ("Overview"): '*' and a count byte n repeat the
        // previous character n - 29 times. gdb does not send it, but may.
        if (!payload_.empty() && payload_.back() == '*' && payload_.size() >= 2 && b >= 29 + 3) {
          payload_.pop_back();
          const char repeated = payload_.back();
          if (payload_.size() + (b - 29) <= kMaxPayload) {
            payload_.append(b - 29, repeated);
          } else {
            overflow_ = true;
          }
          break;
        }
        if (payload_.size() < kMaxPayload) {
          payload_ += c;
        } else {
          overflow_ = true;
        }
        break;
      case State::Checksum1:
        given_ = static_cast<unsigned>(hex_digit(c)) << 4;
        if (hex_digit(c) < 0) given_ = 0x100;  // never matches
        state_ = State::Checksum2;
        break;
      case State::Checksum2:
        given_ = hex_digit(c) < 0 ? 0x100 : given_ | static_cast<unsigned>(hex_digit(c));
        finish_packet();
        state_ = State::Idle;
        break;
    }
  }
}

void RspDecoder::finish_packet() {
  if (overflow_ || given_ != sum_) {
    ready_.push_back({RspEvent::Kind::BadChecksum, {}});
  } else {
    ready_.push_back({RspEvent::Kind::Packet, std::move(payload_)});
  }
  payload_.clear();
}

std::optional<RspEvent> RspDecoder::next() {
  if (ready_head_ == ready_.size()) {
    ready_.clear();
    ready_head_ = 0;
    return std::nullopt;
  }
  return std::move(ready_[ready_head_++]);
}

std::string frame(std::string_view payload) {
  std::string out = "$";
  unsigned sum = 0;
  for (const char c : payload) {
    if (c == '#' || c == '$' || c == '}' || c == '*') {
      out += '}';
      out += static_cast<char>(c ^ 0x20);
      sum += static_cast<unsigned char>('}') + static_cast<unsigned char>(c ^ 0x20);
    } else {
      out += c;
      sum += static_cast<unsigned char>(c);
    }
  }
  return out + fmt::format("#{:02x}", sum & 0xff);
}

std::optional<std::vector<std::uint8_t>> unescape_binary(std::string_view data) {
  std::vector<std::uint8_t> out;
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '}') {
      out.push_back(static_cast<std::uint8_t>(data[i]));
      continue;
    }
    if (++i == data.size()) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(data[i] ^ 0x20));
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string le_hex(std::uint64_t value, unsigned bytes) {
  std::vector<std::uint8_t> le(bytes);
  for (unsigned i = 0; i < bytes; ++i) le[i] = static_cast<std::uint8_t>(i < 8 ? value >> (8 * i) : 0);
  return to_hex(le);
}

std::optional<std::uint64_t> parse_le_hex(std::string_view hex) {
  const auto bytes = from_hex(hex);
  if (!bytes || bytes->empty() || bytes->size() > 8) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes->size(); ++i) v |= std::uint64_t{(*bytes)[i]} << (8 * i);
  return v;
}

std::optional<std::uint64_t> parse_number(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : hex) {
    const int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<unsigned>(d);
  }
  return v;
}

}  // namespace orrery::gdb
