#include "orrery/riscv/decode.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>
#include <vector>

#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

struct Pattern {
  std::uint32_t mask = 0, match = 0;
};

// "0000000 ..... ..... 000 ..... 0110011" -> mask/match, most significant bit
// first. A malformed pattern is a bug in a table, caught when the tables are
// built (every test run builds them).
Pattern parse_pattern(std::string_view text, unsigned width, std::string_view name) {
  Pattern p;
  unsigned bits = 0;
  for (char c : text) {
    if (c == ' ') continue;
    if (c != '0' && c != '1' && c != '.')
      throw std::logic_error("bad character in encoding pattern of " + std::string(name));
    p.mask <<= 1;
    p.match <<= 1;
    if (c != '.') {
      p.mask |= 1;
      p.match |= (c == '1');
    }
    ++bits;
  }
  if (bits != width) throw std::logic_error("encoding pattern of " + std::string(name) + " has the wrong width");
  return p;
}

struct Entry32 {
  Pattern pat;
  const InsnSpec* spec;
  std::uint16_t index;  // in Tables::specs
};
struct Entry16 {
  Pattern pat;
  const CompressedSpec* spec;
  std::uint16_t index;  // in Tables::compressed
};

// The handler for encodings that match no table entry.
void exec_illegal(RiscvHart& hart, const Decoded& d) { hart.illegal(d); }

const InsnSpec kIllegal{"illegal", "................................", Imm::None, "", exec_illegal};

struct Tables {
  // 32-bit encodings bucketed by major opcode (raw[6:2]); compressed ones by
  // quadrant and funct3. Each bucket is sorted most specific first so that
  // e.g. c.jr is tried before c.mv.
  std::vector<Entry32> major[32];
  std::vector<Entry16> quadrant[3][8];
  // Decoded::spec_index and compressed_index point here; index 0 is the
  // illegal instruction and "no compressed form".
  std::vector<const InsnSpec*> specs{&kIllegal};
  std::vector<const CompressedSpec*> compressed{nullptr};

  Tables() {
    for (auto table : {rv64i_insns(), rv64m_insns(), rv64a_insns(), rv64f_insns(), rv64d_insns(), zicsr_insns(),
                       system_insns(), hypervisor_insns()}) {
      for (const InsnSpec& s : table) {
        const Pattern p = parse_pattern(s.pattern, 32, s.mnemonic);
        if ((p.mask & 0x7f) != 0x7f || (p.match & 3) != 3)
          throw std::logic_error("32-bit pattern without a fixed opcode: " + std::string(s.mnemonic));
        major[(p.match >> 2) & 31].push_back({p, &s, index_of(specs, &s)});
      }
    }
    for (const CompressedSpec& s : rvc_insns()) {
      const Pattern p = parse_pattern(s.pattern, 16, s.mnemonic);
      if ((p.mask & 0xe003) != 0xe003 || (p.match & 3) == 3)
        throw std::logic_error("16-bit pattern without a fixed quadrant/funct3: " + std::string(s.mnemonic));
      quadrant[p.match & 3][p.match >> 13].push_back({p, &s, index_of(compressed, &s)});
    }
    auto by_specificity = [](const auto& a, const auto& b) {
      return std::popcount(a.pat.mask) > std::popcount(b.pat.mask);
    };
    for (auto& bucket : major) std::stable_sort(bucket.begin(), bucket.end(), by_specificity);
    for (auto& q : quadrant)
      for (auto& bucket : q) std::stable_sort(bucket.begin(), bucket.end(), by_specificity);
  }

  template <class Spec>
  static std::uint16_t index_of(std::vector<const Spec*>& list, const Spec* spec) {
    if (list.size() > 0xffff) throw std::logic_error("more instruction table entries than Decoded can index");
    list.push_back(spec);
    return static_cast<std::uint16_t>(list.size() - 1);
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

std::int64_t sext(std::uint64_t value, unsigned bits) {
  const unsigned shift = 64 - bits;
  return static_cast<std::int64_t>(value << shift) >> shift;
}

std::int64_t extract_imm(Imm kind, std::uint32_t r) {
  switch (kind) {
    case Imm::None: return 0;
    case Imm::I: return sext(r >> 20, 12);
    case Imm::S: return sext(((r >> 25) << 5) | ((r >> 7) & 0x1f), 12);
    case Imm::B:
      return sext(((r >> 31) << 12) | (((r >> 7) & 1) << 11) | (((r >> 25) & 0x3f) << 5) | (((r >> 8) & 0xf) << 1),
                  13);
    case Imm::U: return sext(r & 0xfffff000u, 32);
    case Imm::J:
      return sext(((r >> 31) << 20) | (((r >> 12) & 0xff) << 12) | (((r >> 20) & 1) << 11) |
                      (((r >> 21) & 0x3ff) << 1),
                  21);
    case Imm::Shamt6: return (r >> 20) & 0x3f;
    case Imm::Shamt5: return (r >> 20) & 0x1f;
    case Imm::Csr:
    case Imm::Fence: return (r >> 20) & 0xfff;
  }
  return 0;
}

Decoded decode32(std::uint32_t raw) {
  Decoded d;
  d.raw = raw;
  d.len = 4;
  d.rd = (raw >> 7) & 31;
  d.rs1 = (raw >> 15) & 31;
  d.rs2 = (raw >> 20) & 31;
  d.rs3 = (raw >> 27) & 31;
  d.rm = (raw >> 12) & 7;
  const InsnSpec* spec = &kIllegal;
  if ((raw & 3) == 3) {
    for (const Entry32& e : tables().major[(raw >> 2) & 31]) {
      if ((raw & e.pat.mask) == e.pat.match) {
        spec = e.spec;
        d.spec_index = e.index;
        break;
      }
    }
  }
  d.exec = spec->exec;
  // At most 32 significant bits (U-type), so the narrowing keeps the value.
  d.imm = static_cast<std::int32_t>(extract_imm(spec->imm, raw));
  return d;
}

}  // namespace

Decoded decode(std::uint32_t raw) {
  if ((raw & 3) == 3) {
    Decoded d = decode32(raw);
    classify(d, raw);
    return d;
  }
  const std::uint16_t half = static_cast<std::uint16_t>(raw);
  for (const Entry16& e : tables().quadrant[half & 3][half >> 13]) {
    if ((half & e.pat.mask) != e.pat.match) continue;
    const std::uint32_t expanded = e.spec->expand(half);
    Decoded d = expanded ? decode32(expanded) : decode32(0);
    if (d.spec_index == 0) break;  // illegal
    d.raw = half;
    d.len = 2;
    d.compressed_index = e.index;
    classify(d, expanded);
    return d;
  }
  Decoded d = decode32(0);
  d.raw = half;
  d.len = 2;
  classify(d, 0);
  return d;
}

std::uint32_t expand_compressed(std::uint16_t half) {
  for (const Entry16& e : tables().quadrant[half & 3][half >> 13])
    if ((half & e.pat.mask) == e.pat.match) return e.spec->expand(half);
  return 0;
}

const InsnSpec* Decoded::spec() const { return tables().specs[spec_index]; }

std::string_view Decoded::cname() const {
  return compressed_index ? tables().compressed[compressed_index]->mnemonic : std::string_view{};
}

DecodeCache::DecodeCache() { entries_.fill(decode(0)); }

}  // namespace orrery::riscv

