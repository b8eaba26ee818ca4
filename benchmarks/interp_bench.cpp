// Hot-path micro-benchmarks: decoding, the decode cache, and the
// interpreter loop on a tight integer kernel.
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>

#include "orrery/core/machine.hpp"
#include "orrery/riscv/hart.hpp"

using namespace orrery;
using namespace orrery::riscv;

TEST_CASE("decode", "[decode]") {
  const std::uint32_t words[] = {0x00b50533, 0x0005b503, 0x02b50533, 0xfeb51ee3, 0x4501, 0x00f6f6d3};
  BENCHMARK("decode() a mix of 6 encodings") {
    std::uint64_t sum = 0;
    for (auto w : words) sum += decode(w).imm + decode(w).rd;
    return sum;
  };
  DecodeCache cache;
  BENCHMARK("DecodeCache::lookup hit x6") {
    std::uint64_t sum = 0;
    for (auto w : words) sum += cache.lookup(w).rd;
    return sum;
  };
}

TEST_CASE("interpreter", "[interp]") {
  Machine machine;
  std::uint8_t* ram = machine.bus().add_ram("ram", 0x80000000, 1 << 20);
  // loop: addi a0,a0,1; xor a1,a1,a0; bne a0,a2,loop  (a2 = 0: runs until the budget ends)
  const std::uint32_t loop[] = {0x00150513, 0x00a5c5b3, 0xfec51ce3};
  std::memcpy(ram, loop, sizeof loop);
  auto& hart = static_cast<RiscvHart&>(machine.add_hart(std::make_unique<RiscvHart>(0, machine)));
  hart.reset(0x80000000);
  BENCHMARK("interpret 1M instructions (addi/xor/bne loop)") { return hart.interpret(1'000'000); };
}
