#include <array>
#include <stdexcept>
#include <string>

#include "orrery/riscv/csr.hpp"

namespace orrery::riscv {
namespace {

struct CsrTable {
  std::array<const CsrSpec*, 4096> by_number{};
  CsrTable() {
    for (auto group : {machine_csrs(), supervisor_csrs(), hypervisor_csrs(), stateen_csrs(), aia_csrs(), pmp_csrs(), fp_csrs(), counter_csrs()}) {
      for (const CsrSpec& s : group) {
        if (by_number[s.number]) throw std::logic_error("CSR defined twice: " + std::string(s.name));
        by_number[s.number] = &s;
      }
    }
  }
};

const CsrTable& table() {
  static const CsrTable t;
  return t;
}

}  // namespace

const CsrSpec* find_csr(std::uint16_t number) { return number < 4096 ? table().by_number[number] : nullptr; }

std::string_view csr_name(std::uint16_t number) {
  const CsrSpec* s = find_csr(number);
  return s ? s->name : std::string_view{};
}

std::optional<std::uint16_t> csr_number(std::string_view name) {
  for (const CsrSpec* s : table().by_number)
    if (s && s->name == name) return s->number;
  return std::nullopt;
}

}  // namespace orrery::riscv
