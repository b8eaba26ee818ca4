#pragma once
// Control and status registers: a table of accessors indexed by CSR number,
// filled by one file per architectural area (csr_machine.cpp, csr_fp.cpp,
// csr_counters.cpp). Numbers not in the table do not exist and raise
// illegal-instruction in every mode (privileged spec 2.1), which is how
// firmware probes for extensions.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace orrery::riscv {

class RiscvHart;

enum class CsrFault : std::uint8_t { None, Illegal, Virtual };

struct CsrSpec {
  std::uint16_t number;
  std::string_view name;
  std::uint64_t (*read)(const RiscvHart&);
  // nullptr for read-only registers whose number does not already say so.
  void (*write)(RiscvHart&, std::uint64_t);
  // Extra access condition beyond privilege (e.g. mstatus.FS != Off): which
  // exception, if any, the access raises.
  CsrFault (*accessible)(const RiscvHart&, std::uint16_t number) = nullptr;
  // The value CSRRS/CSRRC modify, when it differs from what a read returns
  // (mip.SEIP reads as software bit OR external signal, but read-modify-
  // write instructions use the software bit alone).
  std::uint64_t (*read_for_update)(const RiscvHart&) = nullptr;
  // A condition only writes must meet (e.g. hvictl.VTI makes VS-mode writes
  // to stimecmp virtual-instruction exceptions); checked after `accessible`.
  CsrFault (*write_accessible)(const RiscvHart&) = nullptr;
};

// CSR numbers used across files.
namespace csr {
constexpr std::uint16_t fflags = 0x001, frm = 0x002, fcsr = 0x003;
constexpr std::uint16_t cycle = 0xC00, time = 0xC01, instret = 0xC02;
constexpr std::uint16_t mstatus = 0x300, misa = 0x301, mie = 0x304, mtvec = 0x305;
constexpr std::uint16_t mcountinhibit = 0x320;
constexpr std::uint16_t mscratch = 0x340, mepc = 0x341, mcause = 0x342, mtval = 0x343, mip = 0x344;
constexpr std::uint16_t mcycle = 0xB00, minstret = 0xB02;
constexpr std::uint16_t mvendorid = 0xF11, marchid = 0xF12, mimpid = 0xF13, mhartid = 0xF14, mconfigptr = 0xF15;
}  // namespace csr

std::span<const CsrSpec> machine_csrs();
std::span<const CsrSpec> fp_csrs();
std::span<const CsrSpec> counter_csrs();
std::span<const CsrSpec> supervisor_csrs();
std::span<const CsrSpec> pmp_csrs();
std::span<const CsrSpec> hypervisor_csrs();
std::span<const CsrSpec> stateen_csrs();
std::span<const CsrSpec> aia_csrs();

// The table of all CSRs this hart implements.
const CsrSpec* find_csr(std::uint16_t number);
std::optional<std::uint16_t> csr_number(std::string_view name);
std::string_view csr_name(std::uint16_t number);  // empty if unknown

}  // namespace orrery::riscv
