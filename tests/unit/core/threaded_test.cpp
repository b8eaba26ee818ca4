// The threaded engine's ISA-neutral half (core/threaded: BlockCache and the
// run_blocks dispatch loop), driven by a toy ISA so that core is tested
// without any real one. Every behaviour is checked against the toy's own
// reference interpreter (Hart::interpret), which fetches and decodes each
// instruction from memory: same instruction counts, same state, same memory.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string_view>

#include "orrery/core/bus.hpp"
#include "orrery/core/hart.hpp"
#include "orrery/core/threaded/dispatch_loop.hpp"

namespace orrery {
namespace {

using threaded::BlockCache;

// ---- The toy ISA ----
// 4-byte little-endian instructions: opcode in bits 7:0, a 24-bit argument
// above. Addresses in arguments are offsets from the start of RAM.
constexpr Addr kBase = 0x80000000;
constexpr std::uint64_t kPage = threaded::kPageSize;
constexpr std::uint64_t kRamSize = 4 * kPage;  // page 0: vectors; 1-3: code and data
constexpr Addr kIrqVector = kBase + 0x100;
constexpr Addr kTrapVector = kBase + 0x200;

enum Opc : std::uint8_t {
  kIllegal = 0,  // this and every opcode not listed trap (not retired; pc = kTrapVector)
  kAdd,          // acc += sign-extended arg
  kStore,        // 4 bytes of acc to RAM + arg (traps when outside RAM)
  kJmp,          // pc = RAM + arg                       (ends a block)
  kHalt,         // request_yield(); falls through
  kLi,           // acc = arg
  kSetc,         // cnt = arg
  kLoop,         // if (--cnt != 0) pc = RAM + arg       (taken, leaves a block:
                 //                                       a side exit)
  kRaise,        // raise the interrupt line; falls through
  kIret,         // pc = epc                             (ends a block)
  kWfi,          // when acc is odd, stop the slice as RISC-V's WFI does
                 // (sets the yield flag only: no block exit request)
                 //                                      (ends a block)
  kEi,           // enable interrupts, no block exit request (ends a block)
  kDi,           // disable interrupts
};

constexpr std::uint32_t insn(Opc op, std::uint32_t arg = 0) { return (arg & 0xffffff) << 8 | op; }

class ToyHart final : public Hart {
 public:
  explicit ToyHart(Bus& bus) : Hart(0), bus_(bus) { reset(kBase + kPage); }

  std::string_view isa_name() const override { return "toy"; }
  void reset(Addr pc) override {
    pc_ = pc;
    acc = cnt = 0;
    epc = 0;
    line = false;
    ie = true;
    retired_ = cycles_ = traps = irqs = 0;
    yield_ = leave_block_ = idle_ = false;
  }
  Addr pc() const override { return pc_; }
  std::uint64_t retired() const override { return retired_; }
  std::uint64_t cycles() const override { return cycles_; }

  // The reference interpreter, shaped like RiscvHart::run_loop.
  std::uint64_t interpret(std::uint64_t budget) override {
    std::uint64_t executed = 0;
    while (executed < budget && !yield_) {
      ++executed;
      if (interrupt_attention()) take_interrupt();
      step_one();
    }
    return executed;
  }

  void set_interrupt_line(unsigned, bool level) override {
    line = level;
    if (level) request_block_exit();  // the dispatch loop's contract
  }
  // As RISC-V's: a cheap superset (pending, maybe masked); take_interrupt
  // decides.
  bool interrupt_attention() const { return line; }
  void take_interrupt() {
    if (!ie) return;
    line = false;
    epc = pc_;
    pc_ = kIrqVector;
    ++irqs;
  }

  // Fetch, decode and execute one instruction from memory.
  void step_one() {
    std::uint64_t word = 0;
    if ((pc_ & 3) || !bus_.read(pc_, 4, word)) {
      ++cycles_;
      trap();
      return;
    }
    execute(static_cast<std::uint32_t>(word & 0xff), static_cast<std::uint32_t>(word >> 8));
  }

  // One decoded instruction: the semantics both engines share (as RISC-V's
  // Decoded functions are shared).
  void execute(std::uint32_t opc, std::uint32_t arg) {
    ++cycles_;
    switch (opc) {
      case kAdd:
        acc += static_cast<std::uint32_t>(static_cast<std::int32_t>(arg << 8) >> 8);
        break;
      case kStore:
        if (!bus_.write(kBase + arg, 4, acc)) return trap();
        break;
      case kJmp:
        pc_ = kBase + arg;
        ++retired_;
        return;
      case kHalt:
        request_yield();
        break;
      case kLi:
        acc = arg;
        break;
      case kSetc:
        cnt = arg;
        break;
      case kLoop:
        if (--cnt != 0) {
          pc_ = kBase + arg;
          ++retired_;
          return;
        }
        break;
      case kRaise:
        set_interrupt_line(0, true);
        break;
      case kIret:
        pc_ = epc;
        ++retired_;
        return;
      case kWfi:
        if (acc & 1) yield_ = true;
        break;
      case kEi:
        ie = true;
        break;
      case kDi:
        ie = false;
        break;
      default:
        return trap();
    }
    pc_ += 4;
    ++retired_;
  }

  void trap() {
    ++traps;
    pc_ = kTrapVector;
    request_block_exit();  // the dispatch loop's contract
  }

  Bus& bus_;
  Addr pc_ = 0;
  std::uint32_t acc = 0, cnt = 0;
  Addr epc = 0;
  bool line = false, ie = true;
  std::uint64_t retired_ = 0, cycles_ = 0, traps = 0, irqs = 0;
  // Engine only: fetch_host misses on this page (a fetch TLB miss), so its
  // instructions are stepped. 0 = none.
  Addr slow_fetch_page = 0;
  // Ops run by the loop, by label.
  std::uint64_t hot_adds = 0, hot_stores = 0, hot_loops = 0, generic_ops = 0;
};

struct ToyOp {
  const void* label = nullptr;
  std::uint32_t opc = 0, arg = 0;
};

struct ToyIsa {
  using Hart = ToyHart;
  using Op = ToyOp;
  static constexpr std::uint32_t kMaxBlockOps = 8;

  static bool interrupt_attention(ToyHart& h) { return h.interrupt_attention(); }
  static void take_interrupt(ToyHart& h) { h.take_interrupt(); }
  static const std::uint8_t* fetch_host(ToyHart& h) {
    if (h.pc_ & 3) return nullptr;
    if (h.slow_fetch_page && (h.pc_ & ~(kPage - 1)) == h.slow_fetch_page) return nullptr;
    return h.bus_.host_ptr(h.pc_, 4, false);
  }
  static std::uint32_t regime(const ToyHart&) { return 0; }
  static std::uint64_t pc(const ToyHart& h) { return h.pc_; }
  static std::uint64_t step(ToyHart& h) {
    h.step_one();
    return 1;
  }
  static void exec(ToyHart& h, const ToyOp& op) {
    if (op.opc == kAdd || op.opc == kStore) ADD_FAILURE() << "a hot op ran through the generic label";
    ++h.generic_ops;
    h.execute(op.opc, op.arg);
  }
  static void add(ToyHart& h, const ToyOp& op) {
    if (op.opc != kAdd) ADD_FAILURE() << "op " << op.opc << " ran through the add label";
    ++h.hot_adds;
    h.execute(kAdd, op.arg);
  }
  static void store(ToyHart& h, const ToyOp& op) {
    if (op.opc != kStore) ADD_FAILURE() << "op " << op.opc << " ran through the store label";
    ++h.hot_stores;
    h.execute(kStore, op.arg);
  }
  // True when the loop branch was not taken: the block goes on.
  static bool loop(ToyHart& h, const ToyOp& op) {
    if (op.opc != kLoop) ADD_FAILURE() << "op " << op.opc << " ran through the loop label";
    ++h.hot_loops;
    const Addr next = h.pc_ + 4;
    h.execute(kLoop, op.arg);
    return h.pc_ == next;
  }
  // Hot ops: 0 is add (pure, never leaves the block), 1 is store (writes
  // memory through the bus, which may invalidate the running block, and
  // may fault), 2 is loop (a conditional branch: leaves the block when
  // taken, a side exit).
  static constexpr unsigned kHotOps = 3;
  template <unsigned I>
  static bool hot(ToyHart& h, const ToyOp& op) {
    if constexpr (I == 0) add(h, op);
    else if constexpr (I == 1) store(h, op);
    else return loop(h, op);
    return true;
  }
  template <unsigned I>
  static constexpr bool hot_may_leave() {
    return I == 1;
  }

  static bool ends_block(std::uint32_t opc) { return opc == kJmp || opc == kIret || opc == kWfi || opc == kEi; }

  static std::uint32_t build(ToyHart&, const std::uint8_t* host, ToyOp* out, std::uint32_t& bytes,
                             const void* const* labels) {
    const auto offset = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(host) & (kPage - 1));
    std::uint32_t off = offset;
    std::uint32_t n = 0;
    while (n < kMaxBlockOps && off <= kPage - 4) {
      std::uint32_t word;
      std::memcpy(&word, host + (off - offset), 4);
      const std::uint32_t opc = word & 0xff;
      out[n].label = opc == kAdd    ? labels[threaded::kHotBase]
                     : opc == kStore ? labels[threaded::kHotBase + 1]
                     : opc == kLoop  ? labels[threaded::kHotBase + 2]
                                     : labels[0];
      out[n].opc = opc;
      out[n].arg = word >> 8;
      ++n;
      off += 4;
      if (ends_block(opc)) break;
    }
    bytes = off - offset;
    return n;
  }
};

using Cache = BlockCache<ToyOp>;

std::uint64_t run_blocks(ToyHart& h, Cache& cache, std::uint64_t budget) {
  return threaded::run_blocks<ToyIsa>(h, cache, budget);
}

// One machine: a bus with RAM and a toy hart.
struct ToySystem {
  ToySystem() : ram(bus.add_ram("ram", kBase, kRamSize)), hart(bus) {}
  void load(std::uint64_t offset, std::initializer_list<std::uint32_t> words) {
    for (std::uint32_t w : words) {
      std::uint8_t bytes[4];
      std::memcpy(bytes, &w, 4);
      bus.write_image(kBase + offset, bytes, "program");
      offset += 4;
    }
  }
  Bus bus;
  std::uint8_t* ram;
  ToyHart hart;
};

::testing::AssertionResult same_state(const ToySystem& ref, const ToySystem& dut) {
  const ToyHart& a = ref.hart;
  const ToyHart& b = dut.hart;
  auto differs = [](const char* what, std::uint64_t x, std::uint64_t y) {
    return ::testing::AssertionFailure() << what << ": interpreter " << std::hex << x << ", threaded " << y;
  };
  if (a.pc_ != b.pc_) return differs("pc", a.pc_, b.pc_);
  if (a.acc != b.acc) return differs("acc", a.acc, b.acc);
  if (a.cnt != b.cnt) return differs("cnt", a.cnt, b.cnt);
  if (a.epc != b.epc) return differs("epc", a.epc, b.epc);
  if (a.line != b.line) return differs("line", a.line, b.line);
  if (a.ie != b.ie) return differs("ie", a.ie, b.ie);
  if (a.retired_ != b.retired_) return differs("retired", a.retired_, b.retired_);
  if (a.cycles_ != b.cycles_) return differs("cycles", a.cycles_, b.cycles_);
  if (a.traps != b.traps) return differs("traps", a.traps, b.traps);
  if (a.irqs != b.irqs) return differs("irqs", a.irqs, b.irqs);
  if (a.yield_requested() != b.yield_requested()) return differs("yield", a.yield_requested(), b.yield_requested());
  for (std::uint64_t i = 0; i < kRamSize; ++i)
    if (ref.ram[i] != dut.ram[i]) return differs("memory byte at offset", i, i);
  return ::testing::AssertionSuccess();
}

// The reference interpreter and the threaded engine on identical machines,
// run slice by slice with the same budgets.
struct Lockstep {
  explicit Lockstep(std::size_t capacity = std::size_t{1} << 20) : cache(dut.bus, capacity) {}
  void load(std::uint64_t offset, std::initializer_list<std::uint32_t> words) {
    ref.load(offset, words);
    dut.load(offset, words);
  }
  void reset(Addr pc) {
    ref.hart.reset(pc);
    dut.hart.reset(pc);
  }
  // Runs one slice on both; the threaded result must be identical.
  ::testing::AssertionResult run(std::uint64_t budget) {
    const std::uint64_t expected = ref.hart.interpret(budget);
    const std::uint64_t executed = run_blocks(dut.hart, cache, budget);
    last = executed;
    if (cache.running != nullptr) return ::testing::AssertionFailure() << "cache.running left set";
    if (executed != expected)
      return ::testing::AssertionFailure() << "budget " << budget << ": interpreter executed " << expected
                                           << ", threaded " << executed;
    auto same = same_state(ref, dut);
    if (!same) return same << " (after a slice of budget " << budget << ")";
    if (ref.hart.yield_requested()) {  // a HALT: the machine would resume the hart later
      ref.hart.clear_yield();
      dut.hart.clear_yield();
    }
    return ::testing::AssertionSuccess();
  }
  ToySystem ref, dut;
  Cache cache;
  std::uint64_t last = 0;
  const threaded::CacheStats& stats() { return cache.stats(); }
  const std::uint8_t* host(std::uint64_t offset) const { return dut.ram + offset; }
};

// ---- Budgets ----

TEST(ThreadedEngine, BudgetsAreMetExactly) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kAdd, 2), insn(kAdd, 3), insn(kJmp, 0x1000)});  // one 4-op block, forever
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 1, 4, 4, 8, 13, 100, 1001, 3, 2, 6, 64, 4000}) {
    ASSERT_TRUE(ls.run(budget));
    EXPECT_EQ(ls.last, budget);
  }
  EXPECT_GT(ls.stats().stepped, 0u) << "tails shorter than the block were stepped";
  EXPECT_LE(ls.stats().blocks_built, 4u) << "one block per entry point";
  EXPECT_GT(ls.dut.hart.hot_adds, 0u);
  EXPECT_GT(ls.dut.hart.generic_ops, 0u);
}

TEST(ThreadedEngine, ATailSmallerThanTheBlockIsStepped) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kAdd, 2), insn(kAdd, 3), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(3));
  EXPECT_EQ(ls.last, 3u);
  EXPECT_EQ(ls.dut.hart.acc, 6u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x100c);
  EXPECT_EQ(ls.stats().stepped, 3u);
  EXPECT_EQ(ls.dut.hart.hot_adds + ls.dut.hart.generic_ops, 0u) << "no op of the block ran";
}

TEST(ThreadedEngine, BudgetsThatFitWholeBlocksNeedNoStepping) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kAdd, 2), insn(kAdd, 3), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(4000));
  EXPECT_EQ(ls.last, 4000u);
  EXPECT_EQ(ls.stats().stepped, 0u);
  EXPECT_EQ(ls.stats().blocks_built, 1u);
  EXPECT_EQ(ls.stats().ops_built, 4u);
  EXPECT_EQ(ls.dut.hart.acc, 6000u);
  EXPECT_EQ(ls.dut.hart.hot_adds, 3000u);
  EXPECT_EQ(ls.dut.hart.generic_ops, 1000u);
}

TEST(ThreadedEngine, ZeroBudgetExecutesNothing) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(0));
  EXPECT_EQ(ls.last, 0u);
  EXPECT_EQ(ls.dut.hart.cycles_, 0u);
}

// ---- Block formation ----

TEST(ThreadedEngine, BlocksEndAtControlTransfersTheOpLimitAndThePageEnd) {
  Lockstep ls;
  for (unsigned i = 0; i < 20; ++i) ls.load(0x1000 + 4 * i, {insn(kAdd, 1)});
  ls.load(0x1050, {insn(kJmp, 0x1ff0)});
  ls.load(0x1ff0, {insn(kAdd, 1), insn(kAdd, 1), insn(kAdd, 1), insn(kAdd, 1)});  // runs on into page 2
  // LOOP does not end a block: taken, it leaves it (a side exit); not
  // taken here (cnt 1 -> 0), the block runs on to the JMP.
  ls.load(0x2000, {insn(kAdd, 1), insn(kSetc, 1), insn(kLoop, 0x2000), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(29));  // one trip: 21 + 4 + 3 + 1
  EXPECT_EQ(ls.last, 29u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x1000);
  struct Expect {
    std::uint64_t offset;
    std::uint32_t n, bytes;
  };
  for (const Expect& e : {Expect{0x1000, 8, 32}, Expect{0x1020, 8, 32}, Expect{0x1040, 5, 20},
                          Expect{0x1ff0, 4, 16}, Expect{0x2000, 4, 16}}) {
    SCOPED_TRACE(e.offset);
    const auto* b = ls.cache.find(ls.host(e.offset), 0);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->n, e.n);
    EXPECT_EQ(b->bytes, e.bytes);
    EXPECT_EQ(b->host, ls.host(e.offset));
    EXPECT_FALSE(b->dead);
  }
  EXPECT_EQ(ls.stats().blocks_built, 5u);
  EXPECT_EQ(ls.stats().ops_built, 29u);
  EXPECT_EQ(ls.stats().stepped, 0u);
  // Building marks the code pages in the bus.
  EXPECT_TRUE(ls.dut.bus.is_code(ls.host(0x1000)));
  EXPECT_TRUE(ls.dut.bus.is_code(ls.host(0x2000)));
  EXPECT_FALSE(ls.dut.bus.is_code(ls.host(0x3000)));
  EXPECT_EQ(ls.dut.bus.code_stats().marked, 2u);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(ls.run(37));
}

TEST(ThreadedEngine, ATakenBranchLeavesItsBlockAtOnce) {
  Lockstep ls;
  // 0x1004: ADD 1; LOOP 0x1004 (taken 4 times: side exits); ADD 100; JMP.
  ls.load(0x1000, {insn(kSetc, 5), insn(kAdd, 1), insn(kLoop, 0x1004), insn(kAdd, 100), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(13));  // SETC + 5 x (ADD, LOOP) + ADD 100 + JMP
  EXPECT_EQ(ls.dut.hart.acc, 105u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x1000);
  EXPECT_EQ(ls.dut.hart.hot_loops, 5u);
  const auto* b = ls.cache.find(ls.host(0x1004), 0);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->n, 4u) << "the block runs on past the LOOP";
  // The side exit chains back into the block like any block end: the
  // first trip enters 0x1004 from the block at 0x1000, the second links
  // the block to itself, the third and fourth follow the link.
  EXPECT_EQ(ls.stats().chained, 2u);
  // Every budget split, with exits before, at and after the branch.
  for (std::uint64_t budget : {1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 17, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, HaltLeavesTheBlockRightAfterIt) {
  Lockstep ls;
  // HALT does not end a block at build time: the yield request must.
  ls.load(0x1000, {insn(kAdd, 1), insn(kHalt), insn(kAdd, 2), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(100));
  EXPECT_EQ(ls.last, 2u);
  EXPECT_EQ(ls.dut.hart.acc, 1u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x1008);
  const auto* b = ls.cache.find(ls.host(0x1000), 0);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->n, 4u);
  for (std::uint64_t budget : {100, 1, 3, 4, 5, 100}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, AYieldAtABlocksEndStopsTheSlice) {
  Lockstep ls;
  // [ADD 1, WFI] [JMP]: WFI yields every other round, without a block exit
  // request; on the other rounds the first block links to the second.
  ls.load(0x1000, {insn(kAdd, 1), insn(kWfi), insn(kJmp, 0x1000)});
  for (int round = 0; round < 6; ++round) {
    ASSERT_TRUE(ls.run(100)) << round;
    EXPECT_EQ(ls.last, round == 0 ? 2u : 6u) << round;
  }
}

TEST(ThreadedEngine, ABlockExitRequestEndsWithTheBlockItWasFor) {
  Lockstep ls;
  ls.load(0x1000, {insn(kHalt), insn(kAdd, 1), insn(kStore, 0x1800), insn(kAdd, 2), insn(kJmp, 0x1004)});
  ASSERT_TRUE(ls.run(100));
  EXPECT_EQ(ls.last, 1u);
  // The HALT's request to leave its block is not left pending: the loop
  // after it runs whole blocks, chained.
  const std::uint64_t chained = ls.stats().chained;
  ASSERT_TRUE(ls.run(4000));
  EXPECT_GE(ls.stats().chained - chained, 990u);
}

TEST(ThreadedEngine, ATrapLeavesTheBlockAtTheTrappingInstruction) {
  Lockstep ls;
  ls.load(0x200, {insn(kAdd, 100), insn(kJmp, 0x1000)});  // trap handler
  ls.load(0x1000, {insn(kAdd, 1), 0xff, insn(kAdd, 2), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(4));  // ADD 1, illegal (traps), ADD 100, JMP
  EXPECT_EQ(ls.dut.hart.acc, 101u);
  EXPECT_EQ(ls.dut.hart.traps, 1u);
  EXPECT_EQ(ls.dut.hart.retired_, 3u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x1000);
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, AFaultingHotStoreLeavesTheBlock) {
  Lockstep ls;
  ls.load(0x200, {insn(kAdd, 100), insn(kJmp, 0x1000)});
  // The store's address is outside RAM.
  ls.load(0x1000, {insn(kAdd, 1), insn(kStore, 0xfffff0), insn(kAdd, 2), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(4));
  EXPECT_EQ(ls.dut.hart.acc, 101u);
  EXPECT_EQ(ls.dut.hart.traps, 1u);
  EXPECT_EQ(ls.dut.hart.hot_stores, 1u);
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, AnInterruptRaisedMidBlockIsTakenBeforeTheNextInstruction) {
  Lockstep ls;
  ls.load(0x100, {insn(kAdd, 1000), insn(kIret)});
  ls.load(0x1000, {insn(kAdd, 1), insn(kRaise), insn(kAdd, 10), insn(kAdd, 100), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(5));  // ADD 1, RAISE, <interrupt>, ADD 1000, IRET, ADD 10
  EXPECT_EQ(ls.dut.hart.acc, 1011u);
  EXPECT_EQ(ls.dut.hart.irqs, 1u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x100c);
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, AnInterruptUnmaskedAtABlocksEndIsTakenBeforeTheNextBlock) {
  Lockstep ls;
  // Every third round raises the line with interrupts disabled; the EI that
  // ends block C unmasks it without a block exit request, after C has been
  // linked to D on the rounds before.
  ls.load(0x100, {insn(kSetc, 3), insn(kAdd, 1000), insn(kIret)});
  ls.load(0x1000, {insn(kDi), insn(kLoop, 0x100c),  // A: skip the RAISE unless --cnt == 0
                   insn(kRaise),                     // 0x1008
                   insn(kAdd, 1), insn(kEi),         // C (0x100c)
                   insn(kAdd, 10), insn(kJmp, 0x1000)});  // D (0x1014)
  ls.ref.hart.cnt = ls.dut.hart.cnt = 3;
  ASSERT_TRUE(ls.run(17));  // two rounds of 6 and the third up to the EI
  EXPECT_TRUE(ls.dut.hart.line);
  ASSERT_TRUE(ls.run(1));  // the interrupt, then the handler's SETC
  EXPECT_EQ(ls.dut.hart.irqs, 1u);
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x104);
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
  EXPECT_GT(ls.dut.hart.irqs, 10u);
}

TEST(ThreadedEngine, AnUnfetchablePageIsStepped) {
  Lockstep ls;
  ls.dut.hart.slow_fetch_page = kBase + 0x2000;
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x2000)});
  ls.load(0x2000, {insn(kAdd, 2), insn(kAdd, 3), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(500));
  EXPECT_EQ(ls.stats().stepped, 300u);
  EXPECT_EQ(ls.stats().blocks_built, 1u);
}

// ---- Chaining ----

TEST(ThreadedEngine, ALoopChainsItsBlocks) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x2000)});
  ls.load(0x2000, {insn(kAdd, 2), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(2000));
  const auto& s = ls.stats();
  EXPECT_EQ(s.blocks_built, 2u);
  EXPECT_EQ(s.entries + s.chained, 1000u) << "every block entry is a lookup or a chain";
  EXPECT_GE(s.chained, 990u);
  EXPECT_LE(s.entries, 4u);
  const std::uint64_t chained = s.chained;
  ASSERT_TRUE(ls.run(2000));
  EXPECT_GE(s.chained - chained, 990u);
  EXPECT_EQ(s.blocks_built, 2u);
}

TEST(ThreadedEngine, AChainToAnInvalidatedBlockIsNotFollowed) {
  Lockstep ls;
  // A -> B -> C -> A; C rewrites B's first instruction (ADD 2 -> ADD 50),
  // after A's chain to B exists.
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x2000)});
  ls.load(0x2000, {insn(kAdd, 2), insn(kJmp, 0x3000)});
  ls.load(0x3000, {insn(kLi, insn(kAdd, 50)), insn(kStore, 0x2000), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(7));  // round 1: A, B, C
  ASSERT_TRUE(ls.run(4));  // round 2: A, then B rewritten
  EXPECT_EQ(ls.dut.hart.acc, insn(kAdd, 50) + 1 + 50) << "the chain ran B's old ADD 2";
  EXPECT_EQ(ls.dut.hart.pc_, kBase + 0x3000);
  EXPECT_GT(ls.stats().invalidated_blocks, 0u);
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, AChainWithinAPageToAnInvalidatedBlockIsNotFollowed) {
  Lockstep ls;
  // The same, with A, B and C in one page.
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x1100)});
  ls.load(0x1100, {insn(kAdd, 2), insn(kJmp, 0x1200)});
  ls.load(0x1200, {insn(kLi, insn(kAdd, 50)), insn(kStore, 0x1100), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(7));
  ASSERT_TRUE(ls.run(4));
  EXPECT_EQ(ls.dut.hart.acc, insn(kAdd, 50) + 1 + 50) << "the chain ran B's old ADD 2";
  EXPECT_EQ(ls.stats().invalidated_blocks, 1u) << "C's store killed B only";
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, ALoopWithinAPageChainsItsBlocks) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x1100)});
  ls.load(0x1100, {insn(kAdd, 2), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(2000));
  const auto& s = ls.stats();
  EXPECT_EQ(s.entries + s.chained, 1000u);
  EXPECT_GE(s.chained, 990u);
}

// ---- Self-modifying code ----

TEST(ThreadedEngine, AStoreIntoTheNextInstructionTakesEffectAtOnce) {
  Lockstep ls;
  ls.load(0x1000, {insn(kLi, insn(kAdd, 100)), insn(kStore, 0x1008), insn(kAdd, 7), insn(kHalt)});
  ASSERT_TRUE(ls.run(100));
  EXPECT_EQ(ls.last, 4u);
  EXPECT_EQ(ls.dut.hart.acc, insn(kAdd, 100) + 100) << "the old ADD 7 ran";
  const auto& s = ls.stats();
  EXPECT_EQ(s.invalidated_blocks, 1u);
  EXPECT_EQ(s.invalidated_pages, 1u);
  EXPECT_EQ(s.blocks_built, 2u) << "the block was rebuilt from the stored instruction on";
  EXPECT_EQ(ls.dut.bus.code_stats().invalidated, 1u) << "the page's only block died";
  EXPECT_EQ(ls.dut.bus.code_stats().marked, 2u) << "and the rebuilt block marked it again";
  EXPECT_EQ(ls.cache.find(ls.host(0x1000), 0), nullptr) << "the dead block is gone";
  ASSERT_NE(ls.cache.find(ls.host(0x1008), 0), nullptr);
}

TEST(ThreadedEngine, AStoreIntoALaterInstructionOfTheBlockTakesEffect) {
  Lockstep ls;
  ls.load(0x1000, {insn(kLi, insn(kAdd, 100)), insn(kStore, 0x1010), insn(kAdd, 1), insn(kAdd, 2), insn(kAdd, 7),
                   insn(kHalt)});
  ASSERT_TRUE(ls.run(100));
  EXPECT_EQ(ls.last, 6u);
  EXPECT_EQ(ls.dut.hart.acc, insn(kAdd, 100) + 1 + 2 + 100);
}

TEST(ThreadedEngine, SelfModifyingLoopMatchesTheInterpreter) {
  Lockstep ls;
  // Every round patches X to ADD 5 (inside the running block) before it
  // runs and to ADD 7 after, and records LI 0; ADD 1; X in memory: stale
  // code would record 8 (or the initial ADD 9's 10) instead of 6.
  ls.load(0x1000, {insn(kSetc, 1000), insn(kAdd, 0),
                   insn(kLi, insn(kAdd, 5)), insn(kStore, 0x1018),  // 0x1008: the loop
                   insn(kLi, 0), insn(kAdd, 1),
                   insn(kAdd, 9),  // 0x1018: X
                   insn(kStore, 0x3000), insn(kLi, insn(kAdd, 7)), insn(kStore, 0x1018), insn(kLoop, 0x1008),
                   insn(kHalt)});
  for (std::uint64_t budget : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 1000, 3, 10000})
    ASSERT_TRUE(ls.run(budget)) << budget;
  EXPECT_EQ(ls.dut.hart.traps, 0u);
  EXPECT_EQ(ls.dut.hart.retired_, 2u + 9 * 1000 + 1) << "ran to the HALT";
  EXPECT_EQ(ls.dut.ram[0x3000], 6);
  EXPECT_EQ(ls.stats().volatile_pages, 1u);
}

TEST(ThreadedEngine, DataStoresBesideCodeKeepTheBlocks) {
  Lockstep ls;
  ls.load(0x1000, {insn(kAdd, 1), insn(kStore, 0x1800), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(3000));
  const auto& s = ls.stats();
  EXPECT_EQ(s.blocks_built, 1u);
  EXPECT_EQ(s.invalidated_blocks, 0u);
  EXPECT_EQ(s.invalidated_pages, 0u);
  EXPECT_EQ(s.stepped, 0u);
  EXPECT_TRUE(ls.dut.bus.is_code(ls.host(0x1000)));
  EXPECT_EQ(ls.dut.bus.code_stats().invalidated, 0u);
  EXPECT_EQ(ls.dut.hart.hot_stores, 1000u);
  EXPECT_GE(s.chained, 990u) << "the stores did not make the hart leave its block";
}

TEST(ThreadedEngine, AStoreIntoAnotherPagesBlockInvalidatesOnlyThatBlock) {
  Lockstep ls;
  // Page 1 holds two blocks; page 2's block rewrites the first of them.
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x1100)});
  ls.load(0x1100, {insn(kAdd, 3), insn(kJmp, 0x2000)});
  ls.load(0x2000, {insn(kLi, insn(kAdd, 50)), insn(kStore, 0x1000), insn(kJmp, 0x1000)});
  ASSERT_TRUE(ls.run(7));  // ADD 1, JMP, ADD 3, JMP, LI, STORE, JMP
  const auto& s = ls.stats();
  EXPECT_EQ(s.invalidated_blocks, 1u);
  EXPECT_EQ(s.invalidated_pages, 1u);
  EXPECT_EQ(ls.cache.find(ls.host(0x1000), 0), nullptr);
  EXPECT_NE(ls.cache.find(ls.host(0x1100), 0), nullptr);
  EXPECT_NE(ls.cache.find(ls.host(0x2000), 0), nullptr);
  EXPECT_TRUE(ls.dut.bus.is_code(ls.host(0x1000))) << "the block at 0x1100 keeps page 1 code";
  EXPECT_EQ(ls.dut.bus.code_stats().invalidated, 0u);
  ASSERT_TRUE(ls.run(2));  // the rebuilt ADD 50, JMP
  EXPECT_EQ(ls.dut.hart.acc, insn(kAdd, 50) + 50);
  for (std::uint64_t budget : {1, 2, 3, 5, 7, 100, 1000}) ASSERT_TRUE(ls.run(budget));
}

TEST(ThreadedEngine, APageInvalidatedTooOftenIsSteppedFromThenOn) {
  Lockstep ls;
  // Round: ADD 1, JMP (page 1); LI, STORE into page 1's block, JMP (page 2).
  ls.load(0x1000, {insn(kAdd, 1), insn(kJmp, 0x2000)});
  ls.load(0x2000, {insn(kLi, insn(kAdd, 1)), insn(kStore, 0x1000), insn(kJmp, 0x1000)});
  constexpr unsigned kRound = 5;
  for (unsigned round = 1; round < Cache::kVolatileAfter; ++round) ASSERT_TRUE(ls.run(kRound));
  EXPECT_EQ(ls.stats().invalidated_pages, Cache::kVolatileAfter - 1);
  EXPECT_EQ(ls.stats().volatile_pages, 0u);
  EXPECT_TRUE(ls.cache.buildable(ls.host(0x1000)));
  ASSERT_TRUE(ls.run(kRound));
  EXPECT_EQ(ls.stats().invalidated_pages, Cache::kVolatileAfter);
  EXPECT_EQ(ls.stats().volatile_pages, 1u);
  EXPECT_FALSE(ls.cache.buildable(ls.host(0x1000)));
  EXPECT_FALSE(ls.cache.buildable(ls.host(0x1ffc))) << "the whole page";
  EXPECT_TRUE(ls.cache.buildable(ls.host(0x2000)));
  EXPECT_TRUE(ls.cache.buildable(ls.host(0x0ffc)));
  const std::uint64_t built = ls.stats().blocks_built;
  const std::uint64_t stepped = ls.stats().stepped;
  ASSERT_TRUE(ls.run(100 * kRound));
  EXPECT_EQ(ls.stats().blocks_built, built) << "nothing more is built on the volatile page";
  EXPECT_EQ(ls.stats().stepped - stepped, 200u) << "page 1's two instructions of each round";
}

// ---- Capacity ----

// Four blocks in a loop that also patches code now and then.
void load_four_block_loop(Lockstep& ls) {
  ls.load(0x1000, {insn(kAdd, 1), insn(kAdd, 2), insn(kJmp, 0x1800)});
  ls.load(0x1800, {insn(kSetc, 10), insn(kAdd, 3), insn(kLoop, 0x1804), insn(kJmp, 0x2000)});
  ls.load(0x2000, {insn(kAdd, 4), insn(kLi, insn(kAdd, 5)), insn(kStore, 0x1004), insn(kJmp, 0x3000)});
  ls.load(0x3000, {insn(kAdd, 6), insn(kStore, 0x3800), insn(kJmp, 0x1000)});
}

TEST(ThreadedEngine, ATinyCacheFlushesAndStillMatchesTheInterpreter) {
  // Room for about two blocks.
  Lockstep ls(2 * (sizeof(threaded::Block<ToyOp>) + (ToyIsa::kMaxBlockOps + 1) * sizeof(ToyOp)));
  load_four_block_loop(ls);
  for (std::uint64_t budget : {1, 7, 13, 100, 1000, 5, 3, 2000}) ASSERT_TRUE(ls.run(budget)) << budget;
  EXPECT_GT(ls.stats().flushes, 0u);
  EXPECT_LE(ls.cache.bytes_used(), ls.cache.capacity());
  EXPECT_GT(ls.stats().chained, 0u) << "chains still form between flushes";
}

TEST(ThreadedEngine, ACacheSmallerThanOneBlockStillRuns) {
  Lockstep ls(1);
  load_four_block_loop(ls);
  for (std::uint64_t budget : {1, 7, 13, 100, 1000, 5, 3}) ASSERT_TRUE(ls.run(budget)) << budget;
  EXPECT_GT(ls.stats().flushes, 100u);
}

TEST(ThreadedEngine, ALargeCacheNeverFlushes) {
  Lockstep ls;
  load_four_block_loop(ls);
  for (std::uint64_t budget : {1, 7, 13, 100, 1000, 5, 3, 10000}) ASSERT_TRUE(ls.run(budget)) << budget;
  EXPECT_EQ(ls.stats().flushes, 0u);
}

// ---- Random programs ----

struct ProgramGenerator {
  std::mt19937 rng;
  explicit ProgramGenerator(unsigned seed) : rng(seed) {}
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); }
  // Mostly instruction-aligned addresses in pages 1-3, half of them within
  // 64 bytes of `at` (so that stores hit the code around them and jumps
  // form small loops).
  std::uint32_t target(std::uint32_t at) {
    if (below(20) == 0) return below(0x1000000);  // anywhere: misaligned, outside RAM
    if (below(2) == 0) {
      const std::uint32_t near = at + 4 * below(33) - 64;
      if (near >= 0x1000 && near < kRamSize) return near;
    }
    return 0x1000 + 4 * below(0x3000 / 4);
  }
  // An instruction for offset `at`.
  std::uint32_t insn_word(std::uint32_t at, bool allow_li = true) {
    const std::uint32_t k = below(100);
    if (k < 30) return insn(kAdd, below(0x1000000));
    if (k < 45) return insn(kStore, target(at) + (below(8) == 0 ? below(4) : 0));
    if (k < 55) return insn(kJmp, target(at));
    if (k < 62) return insn(kLoop, target(at));
    if (k < 67) return insn(kSetc, 1 + below(5));
    if (k < 80 && allow_li) return insn(kLi, below(3) == 0 ? below(0x1000000) : insn_word(at, false));
    if (k < 82) return insn(kHalt);
    if (k < 85) return insn(kRaise);
    if (k < 88) return insn(kIret);
    if (k < 90) return static_cast<std::uint32_t>(10 + below(246));  // illegal
    return insn(kAdd, 1);
  }
};

// Sums of the cache statistics over a test's seeds, to check that the
// random programs exercise what the test is about.
struct Totals {
  std::uint64_t invalidated_blocks = 0, volatile_pages = 0, flushes = 0, chained = 0, stepped = 0;
  void add(const threaded::CacheStats& s) {
    invalidated_blocks += s.invalidated_blocks;
    volatile_pages += s.volatile_pages;
    flushes += s.flushes;
    chained += s.chained;
    stepped += s.stepped;
  }
};

void random_machine_test(unsigned seed, std::size_t capacity, bool slow_page, Totals& totals) {
  SCOPED_TRACE(::testing::Message() << "seed " << seed << ", capacity " << capacity);
  Lockstep ls(capacity);
  ProgramGenerator gen(seed);
  if (slow_page) ls.dut.hart.slow_fetch_page = kBase + 0x2000;
  ls.load(0x100, {insn(kAdd, 1000), insn(kIret)});
  ls.load(0x200, {insn(kAdd, 3), insn(kJmp, 0x1000 + 4 * gen.below(0x3000 / 4))});
  for (std::uint32_t off = 0x1000; off < kRamSize; off += 4) ls.load(off, {gen.insn_word(off)});
  for (int slice = 0; slice < 150; ++slice) {
    const std::uint64_t budget = 1 + gen.below(gen.below(4) == 0 ? 1000 : 40);
    ASSERT_TRUE(ls.run(budget)) << "slice " << slice;
  }
  totals.add(ls.stats());
}

// A loop of random straight-line code that keeps rewriting itself: LI
// loads instruction words, ADDs of multiples of 256 change their
// arguments, STOREs write them over the loop's own instructions.
void random_smc_test(unsigned seed, std::size_t capacity, Totals& totals) {
  SCOPED_TRACE(::testing::Message() << "seed " << seed << ", capacity " << capacity);
  Lockstep ls(capacity);
  ProgramGenerator gen(seed);
  const std::uint32_t start = 0x1000 + 4 * gen.below(0x1800 / 4);
  const std::uint32_t length = 8 + gen.below(120);  // may run on into the next page
  auto body = [&] { return start + 4 * gen.below(length); };
  auto benign = [&](bool allow_li) -> std::uint32_t {
    switch (gen.below(allow_li ? 12 : 11)) {
      case 0:
      case 1:
      case 2:
        return insn(kAdd, gen.below(0x8000) << 8);
      case 3:
        return insn(kAdd, gen.below(3));
      case 4:
      case 5:
        return insn(kStore, body() + (gen.below(16) == 0 ? gen.below(4) : 0));
      case 6:
        return insn(kSetc, gen.below(4));
      case 7:
        return gen.below(4) == 0 ? insn(kHalt) : insn(kRaise);
      case 8:
        return insn(kJmp, gen.below(2) == 0 ? start : body());
      case 9:
        return insn(kLoop, body());
      case 10:
        return insn(kAdd, 0);
      default:
        return insn(kLi, gen.below(0x1000000));
    }
  };
  ls.load(0x100, {insn(kAdd, 0x100), insn(kIret)});
  ls.load(0x200, {insn(kAdd, 3), insn(kJmp, start)});
  ls.reset(kBase + start);
  for (std::uint32_t i = 0; i < length; ++i) {
    const std::uint32_t w = gen.below(4) == 0 ? insn(kLi, benign(false)) : benign(true);
    ls.load(start + 4 * i, {w});
  }
  ls.load(start + 4 * length, {insn(kJmp, start)});
  for (int slice = 0; slice < 150; ++slice) {
    const std::uint64_t budget = 1 + gen.below(gen.below(4) == 0 ? 1000 : 40);
    ASSERT_TRUE(ls.run(budget)) << "slice " << slice;
  }
  totals.add(ls.stats());
}

// Room for a few blocks: flushes are frequent.
constexpr std::size_t kTinyCache = 4 * (sizeof(threaded::Block<ToyOp>) + 9 * sizeof(ToyOp));

TEST(ThreadedEngine, RandomProgramsMatchTheInterpreter) {
  Totals t;
  for (unsigned seed = 1; seed <= 40; ++seed) random_machine_test(seed, std::size_t{1} << 20, seed % 2 == 0, t);
  EXPECT_GT(t.chained, 0u);
  EXPECT_GT(t.stepped, 0u);
  EXPECT_GT(t.invalidated_blocks, 0u);
  EXPECT_EQ(t.flushes, 0u);
}

// Fewer seeds: every flush costs a fresh, zero-filled 1 MiB arena chunk.
TEST(ThreadedEngine, RandomProgramsMatchTheInterpreterWithATinyCache) {
  Totals t;
  for (unsigned seed = 1; seed <= 6; ++seed) random_machine_test(seed, kTinyCache, seed % 2 == 1, t);
  EXPECT_GT(t.flushes, 0u);
}

TEST(ThreadedEngine, RandomSelfModifyingLoopsMatchTheInterpreter) {
  Totals t;
  for (unsigned seed = 1; seed <= 40; ++seed) random_smc_test(seed, std::size_t{1} << 20, t);
  EXPECT_GT(t.invalidated_blocks, 100u);
  EXPECT_GT(t.volatile_pages, 0u);
}

TEST(ThreadedEngine, RandomSelfModifyingLoopsMatchTheInterpreterWithATinyCache) {
  Totals t;
  for (unsigned seed : {2, 4}) random_smc_test(seed, kTinyCache, t);
  EXPECT_GT(t.flushes, 0u);
  EXPECT_GT(t.invalidated_blocks, 0u);
}

}  // namespace
}  // namespace orrery
