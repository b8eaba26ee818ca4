// Orrery's PMU event catalogue and its SBI mapping (docs/pmu.md prints the
// same table; tests/unit/pmu checks the two agree).
#include "orrery/pmu/pmu.hpp"

namespace orrery::pmu {

namespace {

using timing::Event;

constexpr EventInfo kEvents[] = {
    {0x01, Event::Cycles, "cycles", "core clock cycles (the model's; one per instruction without --timing)", false},
    {0x02, Event::Instructions, "instructions", "instructions retired", false},
    {0x03, Event::Branches, "branches", "control transfers retired (conditional branches and jumps)", false},
    {0x04, Event::BranchMisses, "branch-misses", "control transfers whose direction or target was mispredicted", true},
    {0x05, Event::CondBranches, "cond-branches", "conditional branches retired", false},
    {0x06, Event::L1IAccesses, "l1i-accesses", "L1 instruction cache accesses (one per fetched line)", true},
    {0x07, Event::L1IMisses, "l1i-misses", "L1 instruction cache misses", true},
    {0x08, Event::L1DAccesses, "l1d-accesses", "L1 data cache accesses by loads, stores and atomics", true},
    {0x09, Event::L1DMisses, "l1d-misses", "L1 data cache misses", true},
    {0x0a, Event::L1DReads, "l1d-reads", "L1 data cache read accesses (loads, atomics)", true},
    {0x0b, Event::L1DReadMisses, "l1d-read-misses", "L1 data cache read misses", true},
    {0x0c, Event::L1DWrites, "l1d-writes", "L1 data cache write accesses (stores, atomics)", true},
    {0x0d, Event::L1DWriteMisses, "l1d-write-misses", "L1 data cache write misses", true},
    {0x0e, Event::L2Accesses, "l2-accesses", "this hart's demand accesses to the shared L2", true},
    {0x0f, Event::L2Misses, "l2-misses", "this hart's demand misses in the shared L2", true},
    {0x10, Event::ITlbMisses, "itlb-misses", "instruction TLB misses that walked page tables", true},
    {0x11, Event::DTlbMisses, "dtlb-misses", "data TLB misses that walked page tables", true},
    {0x12, Event::Loads, "loads", "loads executed (integer and FP)", false},
    {0x13, Event::Stores, "stores", "stores executed (integer and FP)", false},
    {0x14, Event::Atomics, "atomics", "LR, SC and AMO instructions executed", false},
    {0x15, Event::StallCycles, "stall-cycles", "cycles in which no instruction issued", true},
    {0x16, Event::StallBranch, "stall-branch", "stall cycles refilling after a misprediction", true},
    {0x17, Event::StallICache, "stall-icache", "stall cycles waiting for instruction fetch", true},
    {0x18, Event::StallDCache, "stall-dcache", "stall cycles waiting for load data that missed the L1D", true},
    {0x19, Event::StallTlb, "stall-tlb", "stall cycles waiting for data page walks", true},
    {0x1a, Event::StallOther, "stall-other", "other stall cycles: multi-cycle results, serialisation, traps", true},
    {0x1b, Event::Writebacks, "writebacks", "dirty L1D lines written back to the L2", true},
};
static_assert(std::size(kEvents) == timing::kEvents, "every model event has a selector");

// SBI event_idx: hardware events 0x0000N, cache events
// 0x10000 | cache << 3 | op << 1 | result (cache L1D 0, L1I 1, LL 2, DTLB
// 3, ITLB 4, BPU 5; op read 0, write 1; result access 0, miss 1).
constexpr SbiMapping kSbi[] = {
    {0x00001, 0x01},  // CPU_CYCLES
    {0x00002, 0x02},  // INSTRUCTIONS
    {0x00003, 0x08},  // CACHE_REFERENCES: L1D accesses
    {0x00004, 0x09},  // CACHE_MISSES: L1D misses
    {0x00005, 0x03},  // BRANCH_INSTRUCTIONS
    {0x00006, 0x04},  // BRANCH_MISSES
    {0x00008, 0x17},  // STALLED_CYCLES_FRONTEND: fetch stalls
    {0x00009, 0x18},  // STALLED_CYCLES_BACKEND: data-cache stalls
    {0x10000, 0x0a},  // L1D read access
    {0x10001, 0x0b},  // L1D read miss
    {0x10002, 0x0c},  // L1D write access
    {0x10003, 0x0d},  // L1D write miss
    {0x10008, 0x06},  // L1I read access
    {0x10009, 0x07},  // L1I read miss
    {0x10010, 0x0e},  // LL read access: L2
    {0x10011, 0x0f},  // LL read miss
    {0x10019, 0x11},  // DTLB read miss
    {0x1001b, 0x11},  // DTLB write miss
    {0x10021, 0x10},  // ITLB read miss
    {0x10028, 0x03},  // BPU read access: branches
    {0x10029, 0x04},  // BPU read miss: mispredictions
};

}  // namespace

std::span<const EventInfo> events() { return kEvents; }

const EventInfo* find_event(std::uint64_t selector) {
  if (selector == 0 || selector > 0xff) return nullptr;
  for (const EventInfo& e : kEvents)
    if (e.code == selector) return &e;
  return nullptr;
}

std::span<const SbiMapping> sbi_mappings() { return kSbi; }

}  // namespace orrery::pmu
