// Cross-checks the decode tables and the disassembler against GNU binutils:
// data/all_insns.S lists every instruction Orrery decodes; the build
// assembles it with riscv64-linux-gnu-as and disassembles it with objdump
// (-M no-aliases). Each encoding must decode to the same mnemonic, and for
// 32-bit instructions to the same operands.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "orrery/riscv/decode.hpp"

namespace orrery::riscv {
namespace {

#ifdef ORRERY_OBJDUMP_LISTING

// Drop objdump's "# address" comments and "<symbol>" annotations, and all
// blanks. (String operations rather than std::regex: GCC 12's sanitizer
// builds warn inside <regex>.)
std::string normalise(const std::string& s) {
  std::string out;
  bool in_symbol = false;
  for (char c : s) {
    if (c == '#') break;
    if (c == '<') in_symbol = true;
    if (!in_symbol && c != ' ' && c != '\t') out += c;
    if (c == '>') in_symbol = false;
  }
  return out;
}

std::string erase_all(std::string s, const std::string& what) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what)) s.erase(pos, what.size());
  return s;
}

std::string without_ordering_suffix(std::string m) {
  for (const char* suffix : {".aqrl", ".aq", ".rl"}) {
    const std::string sfx(suffix);
    if (m.size() > sfx.size() && m.compare(m.size() - sfx.size(), sfx.size(), sfx) == 0)
      return m.substr(0, m.size() - sfx.size());
  }
  return m;
}

struct Line {
  std::uint64_t pc;
  std::uint32_t raw;
  std::string mnemonic, operands;
};

std::vector<std::string> split_tabs(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t tab; (tab = text.find('\t', start)) != std::string::npos; start = tab + 1)
    parts.push_back(text.substr(start, tab - start));
  parts.push_back(text.substr(start));
  return parts;
}

std::vector<Line> read_listing() {
  std::ifstream in(ORRERY_OBJDUMP_LISTING);
  std::vector<Line> lines;
  // "  1c:\tfeb502e3          \tbeq\ta0,a1,0 <start>"
  std::string text;
  while (std::getline(in, text)) {
    const auto parts = split_tabs(text);
    if (parts.size() < 3 || parts[0].empty() || parts[0].back() != ':') continue;
    const std::string hex = normalise(parts[1]);
    if (hex.size() != 4 && hex.size() != 8) continue;
    lines.push_back({std::stoull(parts[0].substr(0, parts[0].size() - 1), nullptr, 16),
                     static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16)), parts[2],
                     parts.size() > 3 ? parts[3] : ""});
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
    seen.insert(without_ordering_suffix(mnemonic));
    if (d.len == 2) continue;  // objdump prints compressed operands in their short form
    // objdump prints branch targets without 0x.
    if (d.spec()->operands.find("target") != std::string_view::npos)
      operands = erase_all(operands, "0x");
    EXPECT_EQ(normalise(operands), normalise(l.operands));
  }
  // Every table entry appears in the listing at least once.
  for (auto table : {rv64i_insns(), rv64m_insns(), rv64a_insns(), rv64f_insns(), rv64d_insns(), zicsr_insns(),
                     system_insns(), hypervisor_insns()})
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
