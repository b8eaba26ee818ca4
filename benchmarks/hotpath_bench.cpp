// Hot-path micro-benchmarks: each runs one path of the engines in a tight
// guest loop (RAM loads and stores, CSR access, trap entry and exit, device
// MMIO, TLB hits and misses under Sv39), or calls the structure directly
// (block-cache lookup). A loop's figure is the time for 1M guest
// instructions; the loop's shape says how many of them take the path.
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/core/threaded/block_cache.hpp"
#include "orrery/riscv/hart.hpp"

using namespace orrery;
using namespace orrery::riscv;

namespace {

// Just enough of an assembler for the loops below (unprivileged spec,
// "Base Instruction Formats").
constexpr std::uint32_t r_type(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd, unsigned op) {
  return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr std::uint32_t i_type(int imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op) {
  return static_cast<std::uint32_t>(imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr std::uint32_t addi(unsigned rd, unsigned rs1, int imm) { return i_type(imm, rs1, 0, rd, 0x13); }
constexpr std::uint32_t ld(unsigned rd, unsigned rs1, int imm) { return i_type(imm, rs1, 3, rd, 0x03); }
constexpr std::uint32_t lw(unsigned rd, unsigned rs1, int imm) { return i_type(imm, rs1, 2, rd, 0x03); }
constexpr std::uint32_t sd(unsigned rs2, unsigned rs1, int imm) {
  return static_cast<std::uint32_t>((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 |
         static_cast<std::uint32_t>(imm & 0x1f) << 7 | 0x23;
}
constexpr std::uint32_t csrrw(unsigned rd, unsigned csr, unsigned rs1) { return i_type(static_cast<int>(csr), rs1, 1, rd, 0x73); }
constexpr std::uint32_t csrrs(unsigned rd, unsigned csr, unsigned rs1) { return i_type(static_cast<int>(csr), rs1, 2, rd, 0x73); }
// jal x0, offset (a backward jump of `back` bytes)
constexpr std::uint32_t j_back(int back) {
  const auto imm = static_cast<std::uint32_t>(-back);
  return (imm & 0x100000) << 11 | (imm & 0x7fe) << 20 | (imm & 0x800) << 9 | (imm & 0xff000) | 0x6f;
}
constexpr std::uint32_t kEcall = 0x00000073, kMret = 0x30200073, kSfenceVma = 0x12000073, kNop = 0x00000013;
constexpr unsigned kA0 = 10, kA1 = 11, kA3 = 13, kT0 = 5, kT1 = 6;
constexpr unsigned kMscratch = 0x340, kMepc = 0x341, kMtvec = 0x305, kMstatus = 0x300, kSatp = 0x180,
                   kPmpcfg0 = 0x3a0, kPmpaddr0 = 0x3b0, kMhartid = 0xf14;
constexpr Addr kRam = 0x80000000, kData = kRam + 0x8000, kPageTable = kRam + 0x10000, kMmio = 0x10000000;

// A device register: the cost of the MMIO dispatch, not of a device model.
class Register : public Device {
 public:
  std::string_view name() const override { return "bench-register"; }
  bool read(Addr, unsigned, std::uint64_t& value) override {
    value = value_;
    return true;
  }
  bool write(Addr, unsigned, std::uint64_t value) override {
    value_ = value;
    return true;
  }

 private:
  std::uint64_t value_ = 0;
};

// One hart on 1 MiB of RAM with `code` at its start and a register device.
struct Rig {
  Machine machine;
  Register device;
  std::uint8_t* ram;
  RiscvHart* hart;
  explicit Rig(const std::vector<std::uint32_t>& code) {
    ram = machine.bus().add_ram("ram", kRam, 1 << 20);
    machine.bus().add_mmio("register", kMmio, 0x1000, device);
    std::memcpy(ram, code.data(), code.size() * 4);
    hart = &static_cast<RiscvHart&>(machine.add_hart(std::make_unique<RiscvHart>(0, machine)));
    hart->reset(kRam);
  }
  // Run the set-up instructions before the loop.
  void prologue(std::uint64_t n) { hart->interpret(n); }
};

constexpr std::uint64_t kInsns = 1'000'000;

}  // namespace

TEST_CASE("memory and CSR paths (interpreter)", "[hotpath]") {
  {
    Rig rig({ld(kA1, kA3, 0), addi(kA0, kA0, 1), j_back(8)});
    rig.hart->set_x(kA3, kData);
    BENCHMARK("RAM load: ld; addi; j (1M insns)") { return rig.hart->interpret(kInsns); };
  }
  {
    Rig rig({sd(kA0, kA3, 0), addi(kA0, kA0, 1), j_back(8)});
    rig.hart->set_x(kA3, kData);
    BENCHMARK("RAM store: sd; addi; j (1M insns)") { return rig.hart->interpret(kInsns); };
  }
  {
    Rig rig({csrrw(kA1, kMscratch, kA0), csrrs(kA1, kMhartid, 0), addi(kA0, kA0, 1), j_back(12)});
    BENCHMARK("CSR access: csrrw mscratch; csrr mhartid; addi; j (1M insns)") {
      return rig.hart->interpret(kInsns);
    };
  }
  {
    Rig rig({lw(kA1, kA3, 0), addi(kA0, kA0, 1), j_back(8)});
    rig.hart->set_x(kA3, kMmio);
    BENCHMARK("device MMIO: lw from a device register; addi; j (1M insns)") {
      return rig.hart->interpret(kInsns);
    };
  }
  {
    // csrw mtvec (handler at +12); loop: ecall; j loop; handler: mepc += 4; mret
    Rig rig({csrrw(0, kMtvec, kT0), kEcall, j_back(4), csrrs(kT1, kMepc, 0), addi(kT1, kT1, 4),
             csrrw(0, kMepc, kT1), kMret});
    rig.hart->set_x(kT0, kRam + 12);
    rig.prologue(1);
    BENCHMARK("trap entry and exit: ecall; j + handler csrr; addi; csrw; mret (1M insns)") {
      return rig.hart->interpret(kInsns);
    };
  }
}

TEST_CASE("translation (interpreter, Sv39 in S-mode)", "[hotpath]") {
  // M-mode prologue: PMP allows all, satp = Sv39 with one 1 GiB identity
  // page for RAM, mret to the loop in S-mode.
  for (bool flush : {false, true}) {
    Rig rig({csrrw(0, kPmpaddr0, kT0), csrrw(0, kPmpcfg0, kT1), csrrw(0, kSatp, kA0), csrrs(0, kMstatus, kA1),
             csrrw(0, kMepc, kA3), kMret,
             // loop (at +24): [sfence.vma]; ld; addi; j loop
             flush ? kSfenceVma : kNop, ld(kA1, kT0, 0), addi(kA0, kA0, 1), j_back(12)});
    // Privileged spec, "Sv39": VPN[2] of 0x8000_0000 is 2; a leaf PTE with
    // V, R, W, X, A, D set.
    const std::uint64_t pte = (kRam >> 12) << 10 | 0xcf;
    std::memcpy(rig.ram + (kPageTable - kRam) + 2 * 8, &pte, 8);
    rig.hart->set_x(kT0, ~0ull >> 10);               // pmpaddr0: all of memory (NAPOT)
    rig.hart->set_x(kT1, 0x1f);                      // pmpcfg0: NAPOT, R, W, X
    rig.hart->set_x(kA0, 8ull << 60 | kPageTable >> 12);
    rig.hart->set_x(kA1, 1ull << 11);                // mstatus.MPP = S
    rig.hart->set_x(kA3, kRam + 24);
    rig.prologue(6);
    rig.hart->set_x(kT0, kData);
    if (flush) {
      BENCHMARK("TLB miss: sfence.vma; ld; addi; j, Sv39 (1M insns)") { return rig.hart->interpret(kInsns); };
    } else {
      BENCHMARK("TLB hit: nop; ld; addi; j, Sv39 (1M insns)") { return rig.hart->interpret(kInsns); };
    }
  }
}

TEST_CASE("threaded engine", "[hotpath]") {
  // loop: addi a0,a0,1; xor a1,a1,a0; bne a0,a2,loop  (a2 = 0: runs until the budget ends)
  Rig rig({0x00150513, 0x00a5c5b3, 0xfec51ce3});
  threaded::Context context;
  BENCHMARK("threaded: addi; xor; bne (1M insns)") { return rig.hart->run_threaded(context, kInsns); };
}

namespace {
struct BenchOp {
  const void* label = nullptr;
  std::uint64_t payload = 0;
};
}  // namespace

TEST_CASE("block cache", "[hotpath]") {
  Machine machine;
  std::uint8_t* ram = machine.bus().add_ram("ram", kRam, 16 << 20);
  for (unsigned blocks : {64u, 16384u}) {
    threaded::BlockCache<BenchOp> cache(machine.bus(), std::size_t{64} << 20);
    std::vector<const std::uint8_t*> starts;
    const BenchOp ops[2] = {};
    for (unsigned i = 0; i < blocks; ++i) {
      starts.push_back(ram + i * 64);
      cache.insert(starts.back(), 3, 16, ops, 2);
    }
    // Entered in the order built, so a large set defeats the jump table.
    BENCHMARK(blocks == 64 ? "BlockCache::find x64 (jump-table hits)" : "BlockCache::find x16384 (hash-table lookups)") {
      std::uintptr_t sum = 0;
      for (const std::uint8_t* host : starts) sum += reinterpret_cast<std::uintptr_t>(cache.find(host, 3));
      return sum;
    };
  }
}
