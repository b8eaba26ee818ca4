// Cross-checks the decode tables and the disassembler against GNU binutils:
// data/all_insns.S lists every instruction Orrery decodes; the build
// assembles it with riscv64-linux-gnu-as and disassembles it with objdump
// (-M no-aliases). Each encoding must decode to the same mnemonic, and for
// 32-bit instructions to the same operands.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "orrery/riscv/decode.hpp"

namespace orrery::riscv {
namespace {

#ifdef ORRERY_OBJDUMP_LISTING

std::string normalise(std::string s) {
  s = std::regex_replace(s, std::regex("\\s*#.*$"), "");  // objdump's computed-address comments
  s = std::regex_replace(s, std::regex(" ?<[^>]*>"), "");
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t') out += c;
  return out;
}

struct Line {
  std::uint64_t pc;
  std::uint32_t raw;
  std::string mnemonic, operands;
};

std::vector<Line> read_listing() {
  std::ifstream in(ORRERY_OBJDUMP_LISTING);
  std::vector<Line> lines;
  // "  1c:\tfeb502e3          \tbeq\ta0,a1,0 <start>"
  const std::regex re(R"(^\s*([0-9a-f]+):\s+([0-9a-f]{4,8})\s+(\S+)\s*(.*)$)");
  std::string text;
  while (std::getline(in, text)) {
    std::smatch m;
    if (!std::regex_match(text, m, re)) continue;
    lines.push_back({std::stoull(m[1], nullptr, 16), static_cast<std::uint32_t>(std::stoul(m[2], nullptr, 16)), m[3],
                     m[4]});
  }
  return lines;
}

TEST(Objdump, EveryListedInstructionDecodesAndDisassemblesAlike) {
  const auto lines = read_listing();
  ASSERT_GT(lines.size(), 200u) << "listing missing or truncated: " << ORRERY_OBJDUMP_LISTING;
  std::set<std::string> seen;
  for (const Line& l : lines) {
    const Decoded d = decode(l.raw);
    const std::string ours = disassemble(d, l.pc);
    const auto space = ours.find(' ');
    const std::string mnemonic = ours.substr(0, space);
    std::string operands = space == std::string::npos ? "" : ours.substr(space);
    SCOPED_TRACE(fmt::format("{:#x}: {:08x} objdump '{} {}', orrery '{}'", l.pc, l.raw, l.mnemonic, l.operands, ours));
    EXPECT_EQ(mnemonic, l.mnemonic);
    seen.insert(std::regex_replace(mnemonic, std::regex("\\.(aq|rl|aqrl)$"), ""));
    if (d.len == 2) continue;  // objdump prints compressed operands in their short form
    // objdump prints branch targets without 0x.
    if (d.spec->operands.find("target") != std::string_view::npos)
      operands = std::regex_replace(operands, std::regex("0x"), "");
    EXPECT_EQ(normalise(operands), normalise(l.operands));
  }
  // Every table entry appears in the listing at least once.
  for (auto table : {rv64i_insns(), rv64m_insns(), rv64a_insns(), rv64f_insns(), rv64d_insns(), zicsr_insns(),
                     system_insns()})
    for (const InsnSpec& s : table) EXPECT_TRUE(seen.count(std::string(s.mnemonic))) << s.mnemonic << " not covered";
  for (const CompressedSpec& s : rvc_insns())
    EXPECT_TRUE(seen.count(std::string(s.mnemonic))) << s.mnemonic << " not covered";
}

#else
TEST(Objdump, EveryListedInstructionDecodesAndDisassemblesAlike) {
  GTEST_SKIP() << "riscv64-linux-gnu binutils not found at configure time";
}
#endif

}  // namespace
}  // namespace orrery::riscv
