#pragma once
// The framing layer of GDB's remote serial protocol (GDB manual, appendix
// "Remote Serial Protocol", sections "Overview" and "Binary Data"): packets
// are `$payload#cc` with cc the modulo-256 sum of the payload in hex; '}'
// escapes '#', '$', '}' and '*' (XOR 0x20) in binary data; a lone 0x03 byte
// is an interrupt request (Ctrl-C); '+' and '-' acknowledge.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orrery::gdb {

// What the byte stream from the debugger contains, one item at a time.
struct RspEvent {
  enum class Kind { Packet, BadChecksum, Interrupt, Ack, Nak };
  Kind kind = Kind::Packet;
  std::string payload;  // Packet: the payload, run-length encoding expanded, escapes kept
};

class RspDecoder {
 public:
  // Bytes as they arrive; complete events are queued for next().
  void feed(std::span<const std::uint8_t> bytes);
  std::optional<RspEvent> next();
  // Longest payload accepted; a longer one is dropped as corrupt.
  static constexpr std::size_t kMaxPayload = 64 * 1024;

 private:
  enum class State { Idle, Payload, Checksum1, Checksum2 };
  void finish_packet();

  State state_ = State::Idle;
  std::string payload_;
  unsigned sum_ = 0;
  unsigned given_ = 0;
  bool overflow_ = false;
  std::vector<RspEvent> ready_;
  std::size_t ready_head_ = 0;
};

// `$payload#cc`, with '#', '$', '}' and '*' in the payload escaped.
std::string frame(std::string_view payload);

// Binary data of X/vFile packets: '}' x -> x ^ 0x20. nullopt if the data
// ends inside an escape.
std::optional<std::vector<std::uint8_t>> unescape_binary(std::string_view data);

// Hex as the protocol writes it: two lower-case digits a byte.
std::string to_hex(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);
// A register value in target (little-endian) byte order, `bytes` long.
std::string le_hex(std::uint64_t value, unsigned bytes);
std::optional<std::uint64_t> parse_le_hex(std::string_view hex);
// A number as addresses and lengths are written: big-endian hex digits.
std::optional<std::uint64_t> parse_number(std::string_view hex);

}  // namespace orrery::gdb
