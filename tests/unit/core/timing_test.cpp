// The timing model in isolation: caches, predictor, pipeline, configs.
#include "orrery/core/timing.hpp"

#include <gtest/gtest.h>

namespace orrery::timing {
namespace {

Config simple_config() {
  Config c = parse_config(R"(
[core]
issue_width = 1
trap_penalty = 4
[latency]
alu = 1
mul = 4
div = 10
fp_add = 3
fp_mul = 3
fp_div = 12
fp_sqrt = 15
branch = 1
jump = 1
serial = 1
[predictor]
kind = bimodal
table_entries = 64
btb_entries = 16
btb_ways = 16
ras_entries = 4
mispredict_penalty = 6
decode_redirect = 1
[l1i]
size = 1K
ways = 2
line = 64
latency = 1
[l1d]
size = 1K
ways = 2
line = 64
latency = 2
[l2]
size = 4K
ways = 4
line = 64
latency = 10
[memory]
latency = 50
[walk]
levels = 0
)",
                          "test");
  return c;
}

Insn alu(Addr pc, std::uint8_t dst, std::uint8_t s1 = 0, std::uint8_t s2 = 0) {
  Insn i;
  i.pc = pc;
  i.fetch_pa = 0x1000 | (pc & 0x3c);  // one I-cache line: one miss per test
  i.dst = dst;
  i.src[0] = s1;
  i.src[1] = s2;
  return i;
}
Insn load(Addr pc, std::uint8_t dst, std::uint8_t base, Addr pa) {
  Insn i = alu(pc, dst, base);
  i.cls = OpClass::Load;
  i.va = i.pa = pa;
  return i;
}

TEST(TimingCache, LruEvictsTheLeastRecentlyUsedWay) {
  Cache c({2 * 64 * 4, 2, 64, 1, Replacement::Lru}, "t");  // 4 sets, 2 ways
  const Addr set_stride = 4 * 64;
  EXPECT_FALSE(c.access(0, false).hit);
  EXPECT_FALSE(c.access(set_stride, false).hit);
  EXPECT_TRUE(c.access(0, false).hit);  // 0 is now most recent
  EXPECT_FALSE(c.access(2 * set_stride, false).hit);  // evicts set_stride
  EXPECT_TRUE(c.contains(0));
  EXPECT_FALSE(c.contains(set_stride));
}

TEST(TimingCache, TreePlruAndDirtyVictims) {
  Cache c({4 * 64, 4, 64, 1, Replacement::TreePlru}, "t");  // one set, 4 ways
  for (Addr a = 0; a < 4; ++a) EXPECT_FALSE(c.access(a * 64, a == 1).hit);
  EXPECT_TRUE(c.access(0, false).hit);
  // PLRU after touching 0,1,2,3,0 points at way 2 (pair {2,3}, then 2).
  const Cache::Result r = c.access(4 * 64, false);
  EXPECT_FALSE(r.hit);
  EXPECT_FALSE(c.contains(2 * 64));
  EXPECT_FALSE(r.evicted_dirty);
  // Line 1 is dirty: evicting it reports a write-back.
  c.access(0, false);
  c.access(4 * 64, false);
  c.access(3 * 64, false);
  const Cache::Result w = c.access(5 * 64, false);
  EXPECT_TRUE(w.evicted_dirty);
  EXPECT_EQ(w.victim, 64u);
}

TEST(TimingCache, RejectsImpossibleGeometry) {
  EXPECT_THROW(Cache({1000, 4, 64, 1, Replacement::Lru}, "t"), Error);
  EXPECT_THROW(Cache({3 * 64, 3, 64, 1, Replacement::TreePlru}, "t"), Error);
  EXPECT_THROW(Cache({1024, 4, 48, 1, Replacement::Lru}, "t"), Error);
}

TEST(TimingCore, IndependentAluOpsTakeOneCycleEach) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  for (unsigned i = 0; i < 10; ++i) core.execute(alu(0x1000 + 4 * i, static_cast<std::uint8_t>(1 + i)));
  // The first fetch misses L1I and L2: 10 + 50 cycles before the first issue.
  EXPECT_EQ(core.cycles(), 60u + 10u);
  EXPECT_EQ(core.count(Event::Instructions), 10u);
  EXPECT_EQ(core.count(Event::L1IMisses), 1u);
  EXPECT_EQ(core.count(Event::StallICache), 60u);
  EXPECT_EQ(core.count(Event::StallCycles), 60u);
  EXPECT_EQ(core.count(Event::ITlbMisses), 1u);
}

class FixedWalker : public PageWalker {
 public:
  unsigned walk_addresses(Addr, bool, unsigned, Addr* out, unsigned max) override {
    ++walks;
    for (unsigned i = 0; i < 3 && i < max; ++i) out[i] = 0x40000 + 0x40 * i;  // three sets
    return translation ? 3 : 0;
  }
  bool translation = true;
  unsigned walks = 0;
};

TEST(TimingCore, DataTlbMissesWalkThroughTheCaches) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  FixedWalker walker;
  core.execute(alu(0x1000, 1));
  core.set_walker(&walker);
  const std::uint64_t c0 = core.cycles();
  core.execute(load(0x1004, 2, 1, 0x8000));
  core.execute(alu(0x1008, 3, 2));
  // Three cold PTE reads (2 + 60 each) then the cold load (2 + 60).
  EXPECT_EQ(core.cycles() - c0, 4u * 62u + 1u);
  EXPECT_EQ(core.count(Event::DTlbMisses), 1u);
  EXPECT_EQ(core.count(Event::L1DAccesses), 1u);  // walks are not the program's accesses
  // Translation off: the walker reads nothing and no miss is counted.
  walker.translation = false;
  core.flush_tlbs();
  core.execute(load(0x100c, 4, 1, 0x8000));
  EXPECT_EQ(core.count(Event::DTlbMisses), 1u);
}

TEST(TimingCore, LoadUseAndMissLatencies) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  core.execute(alu(0x1000, 1));  // warm the fetch line
  const std::uint64_t c0 = core.cycles();
  core.execute(load(0x1004, 2, 1, 0x8000));  // miss to memory: 2 + 10 + 50
  core.execute(alu(0x1008, 3, 2));           // waits for it
  EXPECT_EQ(core.cycles() - c0, 62u + 1u);
  EXPECT_EQ(core.count(Event::StallDCache), 61u);
  const std::uint64_t c1 = core.cycles();
  core.execute(load(0x100c, 4, 1, 0x8008));  // same line: L1 hit, 2 cycles
  core.execute(alu(0x1010, 5, 4));
  EXPECT_EQ(core.cycles() - c1, 3u);
  EXPECT_EQ(core.count(Event::L1DMisses), 1u);
  EXPECT_EQ(core.count(Event::L1DAccesses), 2u);
  EXPECT_EQ(core.count(Event::L2Misses), 2u);  // the I-fetch and the load
}

TEST(TimingCore, PredictorLearnsALoopAndCountsMispredicts) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  // 100 iterations of: addi; bne back (taken 99 times, then falls through).
  for (unsigned it = 0; it < 100; ++it) {
    core.execute(alu(0x1000, 5, 5));
    Insn b = alu(0x1004, 0, 5);
    b.cls = OpClass::Branch;
    b.control = Control::Conditional;
    b.taken = it != 99;
    b.target = 0x1000;
    core.execute(b);
  }
  EXPECT_EQ(core.count(Event::Branches), 100u);
  // Bimodal from weakly-not-taken: first taken mispredicts, the final
  // fall-through mispredicts, and the second iteration's BTB-backed
  // prediction is right.
  EXPECT_EQ(core.count(Event::BranchMisses), 2u);
  core.execute(alu(0x1008, 6));  // the final misprediction's refill shows here
  EXPECT_EQ(core.count(Event::StallBranch), 2u * 6u);
}

TEST(TimingCore, ReturnAddressStackPredictsReturns) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  for (unsigned it = 0; it < 4; ++it) {
    const Addr site = 0x1000 + 0x40 * it;  // different call sites
    Insn call = alu(site, 1);
    call.cls = OpClass::Jump;
    call.control = Control::DirectCall;
    call.taken = true;
    call.target = 0x2000;
    core.execute(call);
    Insn ret = alu(0x2000, 0, 1);
    ret.cls = OpClass::Jump;
    ret.control = Control::Return;
    ret.taken = true;
    ret.target = site + 4;
    core.execute(ret);
  }
  EXPECT_EQ(core.count(Event::BranchMisses), 0u);
}

TEST(TimingCore, TlbEntriesAreTaggedWithTheRegimeAndFlushed) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  FixedWalker walker;
  core.set_walker(&walker);
  Insn l = load(0x1000, 2, 1, 0x8000);
  l.va = 0x5000;
  core.execute(l);  // miss in context 0
  core.execute(l);  // hit
  EXPECT_EQ(core.count(Event::DTlbMisses), 1u);
  l.data_context = 1;  // the same page in another regime is another translation
  core.execute(l);
  EXPECT_EQ(core.count(Event::DTlbMisses), 2u);
  core.flush_tlbs();
  core.execute(l);
  EXPECT_EQ(core.count(Event::DTlbMisses), 3u);
}

TEST(TimingCore, DualIssuePairsIndependentOpsOnly) {
  Config cfg = simple_config();
  cfg.issue_width = 2;
  Memory mem(cfg);
  Core core(cfg, mem);
  core.execute(alu(0x1000, 1));
  const std::uint64_t c0 = core.cycles();
  for (unsigned i = 0; i < 8; ++i) core.execute(alu(0x1004 + 4 * i, static_cast<std::uint8_t>(2 + i)));
  EXPECT_EQ(core.cycles() - c0, 4u);  // 1 slot left in c0's cycle... then pairs
  const std::uint64_t c1 = core.cycles();
  for (unsigned i = 0; i < 8; ++i) core.execute(alu(0x1024 + 4 * i, 20, 20));  // a dependence chain
  EXPECT_EQ(core.cycles() - c1, 7u);  // the first joins the previous cycle's free slot
  const std::uint64_t c2 = core.cycles();
  for (unsigned i = 0; i < 4; ++i) core.execute(load(0x1044 + 4 * i, static_cast<std::uint8_t>(30 + i), 0, 0x9000));
  EXPECT_EQ(core.cycles() - c2, 3u);  // one memory port; the first pairs with the chain's end
}

TEST(TimingCore, DividerIsNotPipelinedAndTrapsFlush) {
  const Config cfg = simple_config();
  Memory mem(cfg);
  Core core(cfg, mem);
  core.execute(alu(0x1000, 1));
  const std::uint64_t c0 = core.cycles();
  Insn d = alu(0x1004, 2);
  d.cls = OpClass::Div;
  core.execute(d);
  d.pc = 0x1008;
  d.dst = 3;
  core.execute(d);
  EXPECT_EQ(core.cycles() - c0, 11u);  // the second waits out the first's 10
  const std::uint64_t c1 = core.cycles();
  Insn t = alu(0x100c, 0);
  t.trapped = true;
  core.execute(t);
  core.execute(alu(0x1010, 4));
  EXPECT_EQ(core.cycles() - c1, 1u + 10u /*divider*/ * 0 + 4u + 1u);
  EXPECT_EQ(core.count(Event::Instructions), 4u);  // not the trapped one
}

TEST(TimingCore, SameStreamSameCycles) {
  const Config cfg = load_config("dual");
  std::uint64_t cycles[2];
  for (unsigned run = 0; run < 2; ++run) {
    Memory mem(cfg);
    Core core(cfg, mem);
    std::uint64_t x = 12345;
    for (unsigned i = 0; i < 20000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      core.execute(load(0x1000 + 4 * (i % 512), static_cast<std::uint8_t>(1 + i % 20), 0, (x >> 20) & 0xfffff8));
    }
    cycles[run] = core.cycles();
  }
  EXPECT_EQ(cycles[0], cycles[1]);
}

TEST(TimingRegion, CountsOnlyItsModeAndAddressSpace) {
  Region r;
  EventCounts now{};
  const auto insns = [&now] { return &now[static_cast<unsigned>(Event::Instructions)]; };
  r.begin(now, 2, 0x1234);
  *insns() += 1;
  r.step(now, 2, 0x1234);  // counts
  *insns() += 5;
  r.step(now, 1, 0x1234);  // another mode: no
  *insns() += 7;
  r.step(now, 2, 0x9999);  // another address space: no
  *insns() += 2;
  r.step(now, 2, 0x1234);  // counts again, from where the others left off
  r.end();
  *insns() += 100;
  r.step(now, 2, 0x1234);  // closed: nothing
  EXPECT_EQ(r.total[static_cast<unsigned>(Event::Instructions)], 3u);
  EXPECT_EQ(r.count, 1u);
  // Snapshot regions (no model) take the plain difference.
  Region s;
  EventCounts a{}, b{};
  b[static_cast<unsigned>(Event::Cycles)] = 40;
  s.begin(a, 0, 0);
  s.end_snapshot(b);
  EXPECT_EQ(s.total[static_cast<unsigned>(Event::Cycles)], 40u);
}

TEST(TimingConfig, PresetsParseAndTyposAreErrors) {
  for (const std::string& name : preset_names()) EXPECT_NO_THROW(load_config(name)) << name;
  EXPECT_EQ(load_config("dual").issue_width, 2u);
  EXPECT_EQ(load_config("small").l1d.size, 16u * 1024);
  EXPECT_THROW(parse_config("[l1d]\nsize = 16Q\n", "x"), Error);
  EXPECT_THROW(parse_config("[l1d]\nsiez = 16K\n", "x"), Error);
  EXPECT_THROW(parse_config("[l1d]\nsize = 1000\n", "x"), Error);
  EXPECT_THROW(parse_config("[predictor]\nkind = perceptron\n", "x"), Error);
  EXPECT_THROW(parse_config("[core]\nissue_width = 0\n", "x"), Error);
  EXPECT_THROW(parse_config("[latency]\nload = 3\n", "x"), Error);  // from the caches
  EXPECT_THROW(load_config("/nonexistent/timing.ini"), Error);
  EXPECT_THROW(load_config("/"), Error);  // a directory is not a file
  EXPECT_THROW(parse_config("[l3]\nsize = 1M\n", "x"), Error);
  // Host memory stays bounded: 1 GiB of 4-byte lines is refused.
  EXPECT_THROW(parse_config("[l2]\nsize = 1G\nline = 4\nways = 1\n", "x"), Error);
  EXPECT_THROW(parse_config("[predictor]\nbtb_entries = 1048576\n", "x"), Error);
  EXPECT_THROW(parse_config("[l3]\n", "x"), Error);  // unknown even when empty
  EXPECT_THROW(parse_config("issue_width = 2\n", "x"), Error);
  // Trailing comments, as docs/timing.md writes them.
  const Config c = parse_config("[core]\nissue_width = 2   ; 1..8\n[predictor]\nkind = bimodal ; or gshare\n", "x");
  EXPECT_EQ(c.issue_width, 2u);
  EXPECT_EQ(c.predictor.kind, PredictorKind::Bimodal);
  try {
    parse_config("[l2]\nways = many\n", "my.ini");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("my.ini: l2.ways"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace orrery::timing
