// The remote serial protocol's framing (GDB manual, "Remote Serial Protocol").
#include "orrery/platforms/gdb_rsp.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orrery::gdb {
namespace {

std::vector<RspEvent> decode(std::string_view bytes) {
  RspDecoder d;
  d.feed(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  std::vector<RspEvent> out;
  while (auto e = d.next()) out.push_back(*e);
  return out;
}

TEST(GdbRsp, FramesWithTheModulo256Checksum) {
  EXPECT_EQ(frame("OK"), "$OK#9a");
  EXPECT_EQ(frame(""), "$#00");
  // '#', '$', '}' and '*' are escaped with '}' and XOR 0x20.
  EXPECT_EQ(frame("a#b"), "$a}\x03" "b#43");
}

TEST(GdbRsp, DecodesPacketsAcksAndInterrupts) {
  const auto events = decode("+$g#67-\x03$m0,4#fd");
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].kind, RspEvent::Kind::Ack);
  EXPECT_EQ(events[1].kind, RspEvent::Kind::Packet);
  EXPECT_EQ(events[1].payload, "g");
  EXPECT_EQ(events[2].kind, RspEvent::Kind::Nak);
  EXPECT_EQ(events[3].kind, RspEvent::Kind::Interrupt);
  EXPECT_EQ(events[4].payload, "m0,4");
}

TEST(GdbRsp, ABadChecksumIsReported) {
  const auto events = decode("$g#00$g#zz");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, RspEvent::Kind::BadChecksum);
  EXPECT_EQ(events[1].kind, RspEvent::Kind::BadChecksum);
}

TEST(GdbRsp, PacketsMaySplitAcrossReads) {
  RspDecoder d;
  const std::string whole = "$qSupported#37";
  for (const char c : whole) d.feed(std::span(reinterpret_cast<const std::uint8_t*>(&c), 1));
  const auto e = d.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->payload, "qSupported");
  EXPECT_FALSE(d.next());
}

TEST(GdbRsp, RunLengthEncodingExpands) {
  // "0* " is '0' and then ' ' (32) - 29 = 3 more: "0000".
  const std::string payload = "0* ";
  unsigned sum = 0;
  for (char c : payload) sum += static_cast<unsigned char>(c);
  const auto events = decode("$" + payload + "#" + fmt::format("{:02x}", sum & 0xff));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, "0000");
}

TEST(GdbRsp, AnOversizedPacketIsDroppedNotStored) {
  std::string big(RspDecoder::kMaxPayload + 10, 'a');
  unsigned sum = 0;
  for (char c : big) sum += static_cast<unsigned char>(c);
  const auto events = decode("$" + big + "#" + fmt::format("{:02x}", sum & 0xff));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, RspEvent::Kind::BadChecksum);
}

TEST(GdbRsp, HexAndBinaryHelpers) {
  EXPECT_EQ(to_hex(std::vector<std::uint8_t>{0x00, 0xab, 0x7f}), "00ab7f");
  EXPECT_EQ(*from_hex("00ab7F"), (std::vector<std::uint8_t>{0x00, 0xab, 0x7f}));
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
  EXPECT_EQ(le_hex(0x80000000, 8), "0000008000000000");
  EXPECT_EQ(*parse_le_hex("0000008000000000"), 0x80000000u);
  EXPECT_EQ(*parse_number("80200000"), 0x80200000u);
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("12345678901234567"));
  EXPECT_EQ(*unescape_binary("a}\x03" "b"), (std::vector<std::uint8_t>{'a', '#', 'b'}));
  EXPECT_FALSE(unescape_binary("a}"));
}

}  // namespace
}  // namespace orrery::gdb
