// Random instruction streams from random privilege and translation states,
// on both engines in lockstep: the interpreter is the oracle for the
// threaded engine, and the sanitizers for the host.
//
// The input sets the state the way a guest would: a prologue at the start of
// RAM writes a list of CSRs (any implemented CSR, any value: mstatus.MPP/MPV
// pick the privilege and virtualization mode MRET enters; satp, vsatp and
// hgatp pick the paging modes, with their root pointers folded into the
// input's pages, so the input's bytes are the page tables too) and MRETs to
// the input's body at 0x8000_1000. The body is code, data and page tables
// at once.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

#include "fuzz_support.hpp"
#include "orrery/core/engine.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/core/trace.hpp"
#include "orrery/platforms/lockstep.hpp"
#include "orrery/riscv/csr.hpp"

namespace {

using orrery::Addr;
namespace csr = orrery::riscv::csr;

constexpr Addr kRam = 0x8000'0000;
constexpr Addr kPool = kRam + 0x400;             // the prologue's 64-bit constants
constexpr Addr kMHandler = kRam + 0xc00;         // M traps: skip the instruction
constexpr Addr kSHandler = kRam + 0xd00;         // S/VS traps: the same with sepc
constexpr Addr kBody = kRam + 0x1000;            // the input's code, data and page tables
constexpr std::size_t kBodyPages = 64;
constexpr unsigned kMaxCsrWrites = 48;
constexpr std::uint64_t kMaxInsns = 4000;

constexpr std::uint16_t kSatp = 0x180, kVsatp = 0x280, kHgatp = 0x680;
constexpr std::uint16_t kStvec = 0x105, kVstvec = 0x205, kPmpcfg2 = 0x3a2, kPmpaddr15 = 0x3bf;

// Instruction encodings (RISC-V unprivileged ISA, chapter 34 "RV32/64G
// Instruction Set Listings").
constexpr unsigned kT0 = 5, kS0 = 8;
std::uint32_t i_type(std::uint32_t op, unsigned rd, unsigned f3, unsigned rs1, std::int32_t imm) {
  return static_cast<std::uint32_t>(imm) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
std::uint32_t ld(unsigned rd, unsigned rs1, std::int32_t off) { return i_type(0x03, rd, 3, rs1, off); }
std::uint32_t csrw(std::uint16_t csr, unsigned rs1) { return i_type(0x73, 0, 1, rs1, csr); }
std::uint32_t csrr(unsigned rd, std::uint16_t csr) { return i_type(0x73, rd, 2, 0, csr); }
std::uint32_t addi(unsigned rd, unsigned rs1, std::int32_t imm) { return i_type(0x13, rd, 0, rs1, imm); }
std::uint32_t auipc(unsigned rd) { return 0x17 | rd << 7; }
constexpr std::uint32_t kMret = 0x30200073, kSret = 0x10200073;

// Every CSR the hart implements, in number order.
const std::vector<std::uint16_t>& implemented_csrs() {
  static const std::vector<std::uint16_t> list = [] {
    std::vector<std::uint16_t> v;
    for (unsigned n = 0; n < 4096; ++n)
      if (orrery::riscv::find_csr(static_cast<std::uint16_t>(n))) v.push_back(static_cast<std::uint16_t>(n));
    return v;
  }();
  return list;
}

// Root pointers land on the input's pages: a PPN elsewhere would only ever
// read zeros (invalid PTEs). hgatp's root is 16 KiB and 16 KiB-aligned
// (Sv*x4, privileged spec 9.5.1), so it lands on the body's 16 KiB
// boundaries, the first of which is body page 3.
std::uint64_t fold_root(std::uint16_t number, std::uint64_t value) {
  constexpr std::uint64_t kPpnMask = (std::uint64_t{1} << 44) - 1;
  constexpr std::uint64_t kBodyPpn = kBody >> 12, kGstagePpn = (kBodyPpn + 3) & ~std::uint64_t{3};
  constexpr std::uint64_t kGstageRoots = (kBodyPpn + kBodyPages - kGstagePpn) / 4;
  std::uint64_t ppn = value & kPpnMask;
  ppn = number == kHgatp ? kGstagePpn + (ppn % kGstageRoots) * 4 : kBodyPpn + ppn % kBodyPages;
  return (value & ~kPpnMask) | ppn;
}

struct Program {
  std::vector<std::uint32_t> code;
  std::vector<std::uint64_t> pool;
  void set(std::uint16_t number, std::uint64_t value) {
    code.push_back(ld(kT0, kS0, static_cast<std::int32_t>(kPool - kRam + 8 * pool.size())));
    code.push_back(csrw(number, kT0));
    pool.push_back(value);
  }
};

Program prologue(orrery::fuzz::Input& in) {
  Program p;
  p.code.push_back(auipc(kS0));  // s0 = its own address, 0x8000_0000
  p.set(orrery::riscv::csr::mtvec, kMHandler);
  p.set(kStvec, kSHandler);
  p.set(kVstvec, kSHandler);
  // S and U may touch everything unless the input narrows it (PMP entry 15,
  // NAPOT over the whole address space, RWX).
  p.set(kPmpaddr15, ~std::uint64_t{0} >> 10);
  p.set(kPmpcfg2, std::uint64_t{0x1f} << 56);
  const auto& csrs = implemented_csrs();
  const unsigned writes = in.take<std::uint8_t>() % (kMaxCsrWrites + 1);
  for (unsigned i = 0; i < writes; ++i) {
    // A CSR number; one the hart lacks stands for an implemented one, so
    // that every choice writes something.
    std::uint16_t number = in.take<std::uint16_t>() & 0xfff;
    if (!orrery::riscv::find_csr(number)) number = csrs[number % csrs.size()];
    std::uint64_t value = in.take<std::uint64_t>();
    if (number == kSatp || number == kVsatp || number == kHgatp) value = fold_root(number, value);
    p.set(number, value);
  }
  p.set(csr::mepc, kBody);
  p.code.push_back(kMret);
  return p;
}

void put32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t v) {
  for (unsigned i = 0; i < 4; ++i) bytes[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// The first kBody + body bytes of RAM.
std::vector<std::uint8_t> ram_image(orrery::fuzz::Input& in) {
  const Program p = prologue(in);
  std::vector<std::uint8_t> ram(kBody - kRam);
  for (std::size_t i = 0; i < p.code.size(); ++i) put32(ram, 4 * i, p.code[i]);
  for (std::size_t i = 0; i < p.pool.size(); ++i)
    for (unsigned b = 0; b < 8; ++b) ram[kPool - kRam + 8 * i + b] = static_cast<std::uint8_t>(p.pool[i] >> (8 * b));
  // Trap handlers that step over the trapping instruction and return, so a
  // faulting stream goes on (an instruction fetch fault may repeat until
  // the instruction limit).
  const std::uint32_t m_handler[] = {csrr(kT0, csr::mepc), addi(kT0, kT0, 4), csrw(csr::mepc, kT0), kMret};
  const std::uint32_t s_handler[] = {csrr(kT0, 0x141), addi(kT0, kT0, 4), csrw(0x141, kT0), kSret};
  for (std::size_t i = 0; i < 4; ++i) {
    put32(ram, kMHandler - kRam + 4 * i, m_handler[i]);
    put32(ram, kSHandler - kRam + 4 * i, s_handler[i]);
  }
  const auto body = in.take_bytes(kBodyPages * 4096);
  ram.insert(ram.end(), body.begin(), body.end());
  return ram;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  orrery::fuzz::Input in(data, size);
  orrery::RiscvVirtConfig config = orrery::fuzz::base_config();
  config.harts = 1 + (in.take<std::uint8_t>() & 1);
  const std::vector<std::uint8_t> ram = ram_image(in);

  orrery::Machine a, b;
  a.set_engine(orrery::make_engine("threaded"));
  b.set_engine(orrery::make_engine("interp"));
  orrery::StringBackend console_a, console_b;
  orrery::build_riscv_virt(a, config, console_a);
  orrery::build_riscv_virt(b, config, console_b);
  a.bus().write_image(kRam, ram, "the fuzz program");
  b.bus().write_image(kRam, ram, "the fuzz program");

  // For triage: ORRERY_FUZZ_TRACE=FILE writes the interpreter's instruction
  // trace (as --trace does) while replaying an input.
  std::unique_ptr<orrery::TraceWriter> trace;
  if (const char* path = std::getenv("ORRERY_FUZZ_TRACE")) {
    trace = std::make_unique<orrery::TraceWriter>(path);
    for (auto& h : b.harts()) h->set_trace(trace.get());
  }

  std::ostringstream out, err;
  const orrery::LockstepResult r = orrery::run_lockstep(a, console_a, b, console_b, kMaxInsns, out, err);
  if (trace) trace->flush();
  if (r.diverged) {
    std::fputs(err.str().c_str(), stderr);
    std::abort();  // the engines disagree: a finding
  }
  return 0;
}
