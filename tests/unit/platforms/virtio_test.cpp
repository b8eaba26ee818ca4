// virtio-mmio transport, virtio-blk and virtio-rng, driven from the test the
// way a guest driver would: registers through the Bus, virtqueues laid out in
// guest RAM.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "orrery/core/bus.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/irqchip/plic.hpp"
#include "orrery/platforms/char_backend.hpp"
#include "orrery/platforms/riscv_virt.hpp"
#include "orrery/platforms/virtio_blk.hpp"
#include "orrery/platforms/virtio_mmio.hpp"
#include "orrery/platforms/virtio_rng.hpp"
#include "temp_image.hpp"

namespace orrery {
namespace {

using namespace virtio;

constexpr Addr kRam = 0x8000'0000;
constexpr std::uint64_t kRamSize = 1 << 20;
constexpr Addr kSlot = 0x1000'1000;  // the first virtio slot of the virt machine
constexpr Addr kSpy = 0x2000'0000;   // an MMIO device that must never be touched by DMA
constexpr Addr kRom = 0x3000'0000;

// Guest memory layout used by the tests.
constexpr Addr kDesc = kRam + 0x0000;
constexpr Addr kAvail = kRam + 0x1000;
constexpr Addr kUsed = kRam + 0x2000;
constexpr Addr kIndirect = kRam + 0x3000;
constexpr Addr kHeader = kRam + 0x4000;
constexpr Addr kStatusByte = kRam + 0x4100;
constexpr Addr kData = kRam + 0x10000;

constexpr std::uint32_t kAckDriver = kStatusAcknowledge | kStatusDriver;

class SpyDevice final : public Device {
 public:
  std::string_view name() const override { return "spy"; }
  bool read(Addr, unsigned, std::uint64_t& value) override {
    ++accesses;
    value = 0;
    return true;
  }
  bool write(Addr, unsigned, std::uint64_t) override {
    ++accesses;
    return true;
  }
  int accesses = 0;
};

struct Buf {
  Addr addr;
  std::uint32_t len;
  bool writable;
};

// A bus with RAM, ROM, a spy device and one virtio slot, plus a minimal
// virtio driver.
class Harness {
 public:
  explicit Harness(std::unique_ptr<VirtioDevice> device) {
    bus_.add_ram("ram", kRam, kRamSize);
    bus_.add_rom("rom", kRom, 0x1000);
    bus_.add_mmio("spy", kSpy, 0x1000, spy);
    transport_ = std::make_unique<VirtioMmio>(bus_, std::move(device), [this](bool level) {
      this->level = level;
      ++irq_calls;
    });
    transport_->set_log([this](std::string_view m) { log.emplace_back(m); });
    bus_.add_mmio("virtio", kSlot, kMmioSlotSize, *transport_);
  }

  Bus& bus() { return bus_; }
  VirtioMmio& transport() { return *transport_; }

  std::uint8_t* at(Addr pa, std::uint64_t len = 1) {
    std::uint8_t* p = bus_.host_ptr(pa, len, true);
    EXPECT_NE(p, nullptr) << std::hex << pa;
    return p;
  }
  template <class T>
  T peek(Addr pa) {
    T v;
    std::memcpy(&v, at(pa, sizeof v), sizeof v);
    return v;
  }
  template <class T>
  void poke(Addr pa, T v) {
    std::memcpy(at(pa, sizeof v), &v, sizeof v);
  }

  std::uint32_t reg(std::uint32_t offset) {
    std::uint64_t v = 0;
    EXPECT_TRUE(bus_.read(kSlot + offset, 4, v));
    return static_cast<std::uint32_t>(v);
  }
  void set(std::uint32_t offset, std::uint32_t v) { EXPECT_TRUE(bus_.write(kSlot + offset, 4, v)); }

  std::uint64_t device_features() {
    set(kDeviceFeaturesSel, 0);
    std::uint64_t f = reg(kDeviceFeatures);
    set(kDeviceFeaturesSel, 1);
    return f | (std::uint64_t{reg(kDeviceFeatures)} << 32);
  }

  // Initialisation sequence of spec 3.1.1 up to FEATURES_OK; returns whether
  // the device kept FEATURES_OK.
  bool negotiate(std::uint64_t features) {
    set(kStatus, 0);
    set(kStatus, kStatusAcknowledge);
    set(kStatus, kAckDriver);
    set(kDriverFeaturesSel, 0);
    set(kDriverFeatures, static_cast<std::uint32_t>(features));
    set(kDriverFeaturesSel, 1);
    set(kDriverFeatures, static_cast<std::uint32_t>(features >> 32));
    set(kStatus, kAckDriver | kStatusFeaturesOk);
    return reg(kStatus) & kStatusFeaturesOk;
  }

  void setup_queue(unsigned q, std::uint32_t num, Addr desc = kDesc, Addr avail = kAvail, Addr used = kUsed) {
    num_ = num;
    if (num > 0 && num <= 1024) {
      std::memset(at(kDesc, 0x3000), 0, 0x3000);  // fresh rings
    }
    next_desc_ = avail_idx_ = 0;
    set(kQueueSel, q);
    set(kQueueNum, num);
    set(kQueueDescLow, static_cast<std::uint32_t>(desc));
    set(kQueueDescHigh, static_cast<std::uint32_t>(desc >> 32));
    set(kQueueDriverLow, static_cast<std::uint32_t>(avail));
    set(kQueueDriverHigh, static_cast<std::uint32_t>(avail >> 32));
    set(kQueueDeviceLow, static_cast<std::uint32_t>(used));
    set(kQueueDeviceHigh, static_cast<std::uint32_t>(used >> 32));
    set(kQueueReady, 1);
  }

  void driver_ok() { set(kStatus, reg(kStatus) | kStatusDriverOk); }

  // The usual bring-up: every offered feature but `exclude`, one queue.
  void start(std::uint32_t num = 8, std::uint64_t exclude = 0) {
    ASSERT_TRUE(negotiate(device_features() & ~exclude));
    setup_queue(0, num);
    ASSERT_EQ(reg(kQueueReady), 1u);
    driver_ok();
    ASSERT_EQ(reg(kStatus), kAckDriver | kStatusFeaturesOk | kStatusDriverOk);
  }

  void put_desc(Addr table, std::uint32_t i, Addr addr, std::uint32_t len, std::uint16_t flags, std::uint16_t next) {
    const Addr d = table + 16ull * i;
    poke<std::uint64_t>(d, addr);
    poke<std::uint32_t>(d + 8, len);
    poke<std::uint16_t>(d + 12, flags);
    poke<std::uint16_t>(d + 14, next);
  }

  // Lay out `bufs` as a chain in the next free descriptors and make it
  // available. Returns the head.
  std::uint16_t add_chain(const std::vector<Buf>& bufs) {
    const auto head = static_cast<std::uint16_t>(next_desc_);
    for (std::size_t k = 0; k < bufs.size(); ++k) {
      const std::uint32_t i = (next_desc_ + k) % num_;
      const std::uint16_t flags =
          (bufs[k].writable ? kDescWrite : 0) | (k + 1 < bufs.size() ? kDescNext : 0);
      put_desc(kDesc, i, bufs[k].addr, bufs[k].len, flags, static_cast<std::uint16_t>((i + 1) % num_));
    }
    next_desc_ = (next_desc_ + bufs.size()) % num_;
    make_available(head);
    return head;
  }

  void make_available(std::uint16_t head) {
    poke<std::uint16_t>(kAvail + 4 + 2 * (avail_idx_ % num_), head);
    ++avail_idx_;
    poke<std::uint16_t>(kAvail + 2, avail_idx_);
  }
  void set_avail_idx(std::uint16_t idx) {
    avail_idx_ = idx;
    poke<std::uint16_t>(kAvail + 2, idx);
  }

  void notify(unsigned q = 0) { set(kQueueNotify, q); }
  std::uint16_t used_idx() { return peek<std::uint16_t>(kUsed + 2); }
  // (id, len) of used element n.
  std::pair<std::uint32_t, std::uint32_t> used(std::uint16_t n) {
    const Addr e = kUsed + 4 + 8ull * (n % num_);
    return {peek<std::uint32_t>(e), peek<std::uint32_t>(e + 4)};
  }
  void ack(std::uint32_t bits) { set(kInterruptAck, bits); }

  std::string all_log() const {
    std::string s;
    for (const auto& l : log) s += l + "\n";
    return s;
  }

  SpyDevice spy;
  bool level = false;
  int irq_calls = 0;
  std::vector<std::string> log;

 private:
  Bus bus_;
  std::unique_ptr<VirtioMmio> transport_;
  std::uint32_t num_ = 0;
  std::uint32_t next_desc_ = 0;
  std::uint16_t avail_idx_ = 0;
};

// A raw image in the test's temporary directory, filled with a pattern.
class TempImage {
 public:
  explicit TempImage(std::size_t size) {
    path_ = ::testing::TempDir() + "orrery_virtio_XXXXXX";
    const int fd = ::mkstemp(path_.data());
    EXPECT_GE(fd, 0);
    initial.resize(size);
    for (std::size_t i = 0; i < size; ++i) initial[i] = static_cast<std::uint8_t>(i * 7 + i / 512);
    EXPECT_EQ(::write(fd, initial.data(), size), static_cast<ssize_t>(size));
    ::close(fd);
  }
  ~TempImage() { ::unlink(path_.c_str()); }
  TempImage(const TempImage&) = delete;
  TempImage& operator=(const TempImage&) = delete;

  const std::string& path() const { return path_; }
  std::vector<std::uint8_t> contents() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::vector<std::uint8_t> initial;

 private:
  std::string path_;
};

DriveConfig drive(const std::string& file, bool readonly = false, const std::string& serial = "") {
  DriveConfig d;
  d.file = file;
  d.readonly = readonly;
  d.serial = serial;
  return d;
}

// ---------------------------------------------------------------------------
// Block device fixture: a 64 KiB image (128 sectors) behind slot 0.

class VirtioBlkTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kImageSize = 64 * 1024;

  void make(bool readonly = false, std::string serial = "") {
    h.reset();  // release the image lock first
    h = std::make_unique<Harness>(
        std::make_unique<VirtioBlk>(drive(image.path(), readonly, serial)));
  }

  struct Done {
    bool completed = false;
    std::uint8_t status = 0xff;
    std::uint32_t len = 0;
  };

  void header(std::uint32_t type, std::uint64_t sector) {
    h->poke<std::uint32_t>(kHeader, type);
    h->poke<std::uint32_t>(kHeader + 4, 0);
    h->poke<std::uint64_t>(kHeader + 8, sector);
    h->poke<std::uint8_t>(kStatusByte, 0xee);
  }

  // Submit header + data + status as one chain and notify.
  Done request(std::uint32_t type, std::uint64_t sector, const std::vector<Buf>& data) {
    header(type, sector);
    std::vector<Buf> bufs{{kHeader, 16, false}};
    bufs.insert(bufs.end(), data.begin(), data.end());
    bufs.push_back({kStatusByte, 1, true});
    return submit(bufs);
  }

  Done submit(const std::vector<Buf>& bufs) {
    const std::uint16_t before = h->used_idx();
    const std::uint16_t head = h->add_chain(bufs);
    h->notify();
    Done d;
    if (h->used_idx() != static_cast<std::uint16_t>(before + 1)) return d;
    const auto [id, len] = h->used(before);
    EXPECT_EQ(id, head);
    d.completed = true;
    d.status = h->peek<std::uint8_t>(kStatusByte);
    d.len = len;
    return d;
  }

  void expect_device_error(std::string_view what) {
    EXPECT_TRUE(h->reg(kStatus) & kStatusNeedsReset);
    EXPECT_TRUE(h->reg(kInterruptStatus) & kInterruptConfigChange);
    EXPECT_TRUE(h->level);
    EXPECT_TRUE(h->transport().needs_reset());
    EXPECT_NE(h->transport().last_error().find(what), std::string::npos) << h->transport().last_error();
    EXPECT_EQ(h->spy.accesses, 0);
    EXPECT_EQ(image.contents(), image.initial) << "the image is untouched";
  }

  TempImage image{kImageSize};
  std::unique_ptr<Harness> h;
};

// ---------------------------------------------------------------------------
// Transport registers and negotiation

TEST_F(VirtioBlkTest, RegistersIdentifyTheDevice) {
  make();
  EXPECT_EQ(h->reg(kMagicValue), 0x74726976u);
  EXPECT_EQ(h->reg(kVersion), 2u);
  EXPECT_EQ(h->reg(kDeviceId), 2u);
  EXPECT_EQ(h->reg(kVendorId), 0x554d4551u);
  h->set(kQueueSel, 0);
  EXPECT_EQ(h->reg(kQueueNumMax), 256u);
  EXPECT_EQ(h->reg(kQueueReady), 0u);
  h->set(kQueueSel, 1);
  EXPECT_EQ(h->reg(kQueueNumMax), 0u) << "queue 1 does not exist";
  EXPECT_EQ(h->reg(kShmLenLow), 0xffffffffu) << "no shared memory region: length -1";
  EXPECT_EQ(h->reg(kShmLenHigh), 0xffffffffu);
  EXPECT_EQ(h->reg(kConfigGeneration), 0u);
  EXPECT_EQ(h->reg(kStatus), 0u);
  EXPECT_EQ(h->reg(kInterruptStatus), 0u);
  std::uint64_t v = 123;
  ASSERT_TRUE(h->bus().read(kSlot + kMagicValue, 2, v));
  EXPECT_EQ(v, 0u) << "registers are 32-bit only; narrower reads return 0";
  ASSERT_TRUE(h->bus().read(kSlot + 0x800, 4, v));
  EXPECT_EQ(v, 0u) << "beyond the configuration space";
}

TEST_F(VirtioBlkTest, OffersFeaturesAndCapacity) {
  make();
  const std::uint64_t f = h->device_features();
  EXPECT_TRUE(f & bit(kFeatureVersion1));
  EXPECT_TRUE(f & bit(VirtioBlk::kFeatureFlush));
  EXPECT_TRUE(f & bit(VirtioBlk::kFeatureSegMax));
  EXPECT_TRUE(f & bit(kFeatureIndirectDesc));
  EXPECT_TRUE(f & bit(kFeatureEventIdx));
  EXPECT_FALSE(f & bit(VirtioBlk::kFeatureRo)) << "read/write drive";
  h->set(kDeviceFeaturesSel, 2);
  EXPECT_EQ(h->reg(kDeviceFeatures), 0u);

  // capacity: le64 at 0x100, in 512-byte sectors; readable as 64 bits, as
  // two 32-bit halves and bytewise.
  std::uint64_t v = 0;
  ASSERT_TRUE(h->bus().read(kSlot + kConfig, 8, v));
  EXPECT_EQ(v, kImageSize / 512);
  EXPECT_EQ(h->reg(kConfig), kImageSize / 512);
  EXPECT_EQ(h->reg(kConfig + 4), 0u);
  ASSERT_TRUE(h->bus().read(kSlot + kConfig, 1, v));
  EXPECT_EQ(v, (kImageSize / 512) & 0xff);
  EXPECT_EQ(h->reg(kConfig + VirtioBlk::kConfigSegMax), 254u);
  EXPECT_TRUE(h->bus().write(kSlot + kConfig, 8, 0));
  ASSERT_TRUE(h->bus().read(kSlot + kConfig, 8, v));
  EXPECT_EQ(v, kImageSize / 512) << "capacity is read-only";
}

TEST_F(VirtioBlkTest, FeaturesOkRequiresVersion1AndOfferedBits) {
  make();
  const std::uint64_t offered = h->device_features();
  EXPECT_FALSE(h->negotiate(offered & ~bit(kFeatureVersion1))) << "a legacy driver is refused";
  EXPECT_FALSE(h->negotiate(offered | bit(VirtioBlk::kFeatureRo))) << "RO was not offered";
  EXPECT_FALSE(h->negotiate(offered | bit(40)));
  EXPECT_TRUE(h->negotiate(bit(kFeatureVersion1)));
  EXPECT_EQ(h->transport().driver_features(), bit(kFeatureVersion1));
  // Features are frozen after FEATURES_OK.
  h->set(kDriverFeaturesSel, 0);
  h->set(kDriverFeatures, static_cast<std::uint32_t>(offered));
  EXPECT_EQ(h->transport().driver_features(), bit(kFeatureVersion1));
  EXPECT_TRUE(h->negotiate(offered));
  EXPECT_EQ(h->transport().driver_features(), offered);
}

TEST_F(VirtioBlkTest, DriverOkWithoutFeaturesOkIsAnError) {
  make();
  h->set(kStatus, kAckDriver);
  h->set(kStatus, kAckDriver | kStatusDriverOk);
  EXPECT_EQ(h->reg(kStatus), kAckDriver | kStatusNeedsReset);
  EXPECT_FALSE(h->level) << "no config interrupt before DRIVER_OK";
  h->set(kStatus, 0);
  EXPECT_EQ(h->reg(kStatus), 0u);
}

TEST_F(VirtioBlkTest, ResetClearsTheTransport) {
  make();
  h->start();
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_TRUE(h->level);
  EXPECT_EQ(h->reg(kInterruptStatus), kInterruptUsedBuffer);
  h->set(kStatus, 0);
  EXPECT_EQ(h->reg(kStatus), 0u);
  EXPECT_EQ(h->reg(kQueueReady), 0u);
  EXPECT_EQ(h->reg(kInterruptStatus), 0u);
  EXPECT_FALSE(h->level);
  EXPECT_EQ(h->transport().driver_features(), 0u);
  // Start again from scratch: the device works as new.
  h->start();
  EXPECT_EQ(request(VirtioBlk::kTypeFlush, 0, {}).status, VirtioBlk::kStatusOk);
  // A machine reset (Device::reset) does the same.
  h->transport().reset();
  EXPECT_EQ(h->reg(kStatus), 0u);
  EXPECT_EQ(h->reg(kQueueReady), 0u);
  EXPECT_FALSE(h->level);
}

TEST_F(VirtioBlkTest, QueueRegistersAreFixedWhileReady) {
  make();
  h->start();
  h->set(kQueueNum, 4);
  h->set(kQueueDescLow, 0x1234);
  EXPECT_EQ(h->reg(kQueueNum), 8u);
  EXPECT_EQ(h->reg(kQueueDescLow), static_cast<std::uint32_t>(kDesc));
  EXPECT_EQ(request(VirtioBlk::kTypeFlush, 0, {}).status, VirtioBlk::kStatusOk);
}

TEST_F(VirtioBlkTest, NothingIsConsumedBeforeDriverOk) {
  make();
  ASSERT_TRUE(h->negotiate(h->device_features()));
  h->setup_queue(0, 8);
  header(VirtioBlk::kTypeFlush, 0);
  h->add_chain({{kHeader, 16, false}, {kStatusByte, 1, true}});
  h->notify();
  EXPECT_EQ(h->used_idx(), 0u);
  EXPECT_FALSE(h->level);
  h->driver_ok();  // picks up what is already available
  EXPECT_EQ(h->used_idx(), 1u);
  EXPECT_EQ(h->peek<std::uint8_t>(kStatusByte), VirtioBlk::kStatusOk);
  EXPECT_TRUE(h->level);
}

TEST_F(VirtioBlkTest, InterruptLevelFollowsStatusAndAck) {
  make();
  h->start();
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_TRUE(h->level);
  EXPECT_EQ(h->irq_calls, 1);
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_EQ(h->irq_calls, 1) << "the line is already high";
  h->ack(kInterruptConfigChange);
  EXPECT_TRUE(h->level) << "acknowledging another bit leaves it pending";
  h->ack(kInterruptUsedBuffer);
  EXPECT_FALSE(h->level);
  EXPECT_EQ(h->reg(kInterruptStatus), 0u);
  EXPECT_EQ(h->irq_calls, 2);
}

TEST_F(VirtioBlkTest, NoInterruptFlagSuppressesTheInterrupt) {
  make();
  h->start(8, bit(kFeatureEventIdx));
  h->poke<std::uint16_t>(kAvail, kAvailNoInterrupt);
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_FALSE(h->level);
  h->poke<std::uint16_t>(kAvail, 0);
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_TRUE(h->level);
}

TEST_F(VirtioBlkTest, EventIdxControlsInterruptsAndPublishesAvailEvent) {
  make();
  h->start(8);
  ASSERT_TRUE(h->transport().negotiated(kFeatureEventIdx));
  const Addr used_event = kAvail + 4 + 2 * 8;
  const Addr avail_event = kUsed + 4 + 8 * 8;
  h->poke<std::uint16_t>(kAvail, kAvailNoInterrupt);  // ignored with EVENT_IDX
  h->poke<std::uint16_t>(used_event, 1);              // interrupt once used idx passes 1
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_FALSE(h->level) << "used idx 1 has not passed used_event 1";
  EXPECT_EQ(h->peek<std::uint16_t>(avail_event), 1u);
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_TRUE(h->level) << "used idx 2 passed used_event 1";
  EXPECT_EQ(h->peek<std::uint16_t>(avail_event), 2u);
  h->ack(kInterruptUsedBuffer);
  ASSERT_TRUE(request(VirtioBlk::kTypeFlush, 0, {}).completed);
  EXPECT_FALSE(h->level) << "used_event 1 lies behind";
}

// ---------------------------------------------------------------------------
// Block requests

TEST_F(VirtioBlkTest, ReadsSectorsFromTheImage) {
  make();
  h->start();
  const Done d = request(VirtioBlk::kTypeIn, 5, {{kData, 1024, true}});
  ASSERT_TRUE(d.completed);
  EXPECT_EQ(d.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(d.len, 1025u) << "data + status byte";
  EXPECT_EQ(std::memcmp(h->at(kData, 1024), image.initial.data() + 5 * 512, 1024), 0);
  EXPECT_EQ(h->reg(kInterruptStatus), kInterruptUsedBuffer);
}

TEST_F(VirtioBlkTest, WritesLandAtTheRightOffset) {
  make();
  h->start();
  for (int i = 0; i < 1536; ++i) h->poke<std::uint8_t>(kData + i, static_cast<std::uint8_t>(0xa0 ^ i));
  const Done d = request(VirtioBlk::kTypeOut, 7, {{kData, 1536, false}});
  ASSERT_TRUE(d.completed);
  EXPECT_EQ(d.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(d.len, 1u);
  std::vector<std::uint8_t> expect = image.initial;
  std::memcpy(expect.data() + 7 * 512, h->at(kData, 1536), 1536);
  EXPECT_EQ(image.contents(), expect);
  // And the data reads back.
  const Done r = request(VirtioBlk::kTypeIn, 8, {{kData + 0x1000, 512, true}});
  EXPECT_EQ(r.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(std::memcmp(h->at(kData + 0x1000, 512), expect.data() + 8 * 512, 512), 0);
}

TEST_F(VirtioBlkTest, ScatteredDescriptorsAndASplitHeader) {
  make();
  h->start(16);
  // Header in two pieces, data in three of odd sizes, the status byte on its own.
  header(VirtioBlk::kTypeOut, 3);
  std::memcpy(h->at(kHeader + 0x200, 16), h->at(kHeader, 16), 16);
  for (int i = 0; i < 1024; ++i) h->poke<std::uint8_t>(kData + 0x3000 + i, static_cast<std::uint8_t>(i * 13));
  Done d = submit({{kHeader + 0x200, 5, false},
                   {kHeader + 0x205, 11, false},
                   {kData + 0x3000, 100, false},
                   {kData + 0x3064, 412, false},
                   {kData + 0x3200, 512, false},
                   {kStatusByte, 1, true}});
  ASSERT_TRUE(d.completed);
  EXPECT_EQ(d.status, VirtioBlk::kStatusOk);
  std::vector<std::uint8_t> expect = image.initial;
  std::memcpy(expect.data() + 3 * 512, h->at(kData + 0x3000, 1024), 1024);
  EXPECT_EQ(image.contents(), expect);

  // A read scattered over three buffers, the status byte sharing the last.
  header(VirtioBlk::kTypeIn, 3);
  d = submit({{kHeader, 16, false}, {kData, 7, true}, {kData + 0x100, 1000, true}, {kData + 0x800, 18, true}});
  ASSERT_TRUE(d.completed);
  EXPECT_EQ(d.len, 1025u);
  EXPECT_EQ(h->peek<std::uint8_t>(kData + 0x800 + 17), VirtioBlk::kStatusOk);
  std::vector<std::uint8_t> got(1024);
  std::memcpy(got.data(), h->at(kData, 7), 7);
  std::memcpy(got.data() + 7, h->at(kData + 0x100, 1000), 1000);
  std::memcpy(got.data() + 1007, h->at(kData + 0x800, 17), 17);
  EXPECT_EQ(std::memcmp(got.data(), expect.data() + 3 * 512, 1024), 0);
}

TEST_F(VirtioBlkTest, BufferMayCrossIntoAnAdjacentRamRegion) {
  make();
  h->bus().add_ram("ram2", kRam + kRamSize, 0x10000);
  h->start();
  const Addr buf = kRam + kRamSize - 200;  // 200 bytes in the first region, 312 in the second
  const Done d = request(VirtioBlk::kTypeIn, 2, {{buf, 512, true}});
  ASSERT_TRUE(d.completed);
  EXPECT_EQ(d.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(std::memcmp(h->at(buf, 200), image.initial.data() + 1024, 200), 0);
  EXPECT_EQ(std::memcmp(h->at(kRam + kRamSize, 312), image.initial.data() + 1024 + 200, 312), 0);
}

TEST_F(VirtioBlkTest, FlushAndGetId) {
  make(false, "orrery-disk-0");
  h->start();
  EXPECT_EQ(request(VirtioBlk::kTypeFlush, 0, {}).status, VirtioBlk::kStatusOk);

  std::memset(h->at(kData, 32), 0xcc, 32);
  Done d = request(VirtioBlk::kTypeGetId, 0, {{kData, 20, true}});
  EXPECT_EQ(d.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(d.len, 21u);
  const char expect[20] = "orrery-disk-0";  // NUL-padded to 20 bytes
  EXPECT_EQ(std::memcmp(h->at(kData, 20), expect, 20), 0);
  EXPECT_EQ(h->peek<std::uint8_t>(kData + 20), 0xcc);

  // A short buffer receives a truncated ID.
  std::memset(h->at(kData, 32), 0xcc, 32);
  d = request(VirtioBlk::kTypeGetId, 0, {{kData, 6, true}});
  EXPECT_EQ(d.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(std::memcmp(h->at(kData, 6), "orrery", 6), 0);
  EXPECT_EQ(h->peek<std::uint8_t>(kData + 6), 0xcc);
}

// The end-of-run write-back (Device::sync) through the transport, for a
// writable and a read-only drive.
TEST_F(VirtioBlkTest, SyncAtTheEndOfTheRunWritesBack) {
  for (bool readonly : {false, true}) {
    make(readonly);
    h->start();
    EXPECT_EQ(h->transport().sync(), "") << (readonly ? "read-only" : "writable");
  }
}

TEST_F(VirtioBlkTest, ReadOnlyDriveRejectsWritesAndLeavesTheFile) {
  struct stat before {};
  ASSERT_EQ(::stat(image.path().c_str(), &before), 0);
  make(true);
  EXPECT_TRUE(h->device_features() & bit(VirtioBlk::kFeatureRo));
  h->start();
  std::memset(h->at(kData, 512), 0x5a, 512);
  const Done w = request(VirtioBlk::kTypeOut, 0, {{kData, 512, false}});
  ASSERT_TRUE(w.completed);
  EXPECT_EQ(w.status, VirtioBlk::kStatusIoErr);
  EXPECT_FALSE(h->transport().needs_reset()) << "a rejected write is not a device error";
  EXPECT_EQ(request(VirtioBlk::kTypeFlush, 0, {}).status, VirtioBlk::kStatusOk);
  const Done r = request(VirtioBlk::kTypeIn, 1, {{kData, 512, true}});
  EXPECT_EQ(r.status, VirtioBlk::kStatusOk);
  EXPECT_EQ(std::memcmp(h->at(kData, 512), image.initial.data() + 512, 512), 0);
  h.reset();
  EXPECT_EQ(image.contents(), image.initial);
  struct stat after {};
  ASSERT_EQ(::stat(image.path().c_str(), &after), 0);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
}

TEST_F(VirtioBlkTest, RequestsBeyondCapacityFail) {
  make();
  h->start();
  const std::uint64_t cap = kImageSize / 512;
  EXPECT_EQ(request(VirtioBlk::kTypeIn, cap - 1, {{kData, 512, true}}).status, VirtioBlk::kStatusOk);
  EXPECT_EQ(request(VirtioBlk::kTypeIn, cap, {{kData, 512, true}}).status, VirtioBlk::kStatusIoErr);
  EXPECT_EQ(request(VirtioBlk::kTypeIn, cap - 1, {{kData, 1024, true}}).status, VirtioBlk::kStatusIoErr);
  EXPECT_EQ(request(VirtioBlk::kTypeOut, cap - 1, {{kData, 1024, false}}).status, VirtioBlk::kStatusIoErr);
  EXPECT_EQ(request(VirtioBlk::kTypeOut, ~std::uint64_t{0}, {{kData, 512, false}}).status, VirtioBlk::kStatusIoErr);
  EXPECT_EQ(request(VirtioBlk::kTypeIn, std::uint64_t{1} << 55, {{kData, 512, true}}).status,
            VirtioBlk::kStatusIoErr)
      << "sector * 512 would overflow";
  EXPECT_EQ(request(VirtioBlk::kTypeIn, 0, {{kData, 100, true}}).status, VirtioBlk::kStatusIoErr)
      << "not a whole number of sectors";
  EXPECT_EQ(request(11 /* DISCARD, not offered */, 0, {{kData, 16, false}}).status, VirtioBlk::kStatusUnsupp);
  EXPECT_FALSE(h->transport().needs_reset());
  EXPECT_EQ(image.contents(), image.initial);
}

TEST_F(VirtioBlkTest, ManyRequestsWrapTheRings) {
  make();
  h->start(8);  // room for two 3-descriptor chains at once
  for (int i = 0; i < 40; ++i) {
    const Done d = request(VirtioBlk::kTypeIn, static_cast<std::uint64_t>(i % 128), {{kData, 512, true}});
    ASSERT_TRUE(d.completed) << i;
    ASSERT_EQ(d.status, VirtioBlk::kStatusOk) << i;
    ASSERT_EQ(std::memcmp(h->at(kData, 512), image.initial.data() + (i % 128) * 512, 512), 0) << i;
  }
  // Two requests made available together, completed by one notify.
  header(VirtioBlk::kTypeIn, 9);
  std::memcpy(h->at(kHeader + 0x40, 16), h->at(kHeader, 16), 16);
  h->poke<std::uint64_t>(kHeader + 0x48, 10);
  const std::uint16_t before = h->used_idx();
  h->add_chain({{kHeader, 16, false}, {kData, 512, true}, {kStatusByte, 1, true}});
  h->add_chain({{kHeader + 0x40, 16, false}, {kData + 512, 512, true}, {kStatusByte + 1, 1, true}});
  h->notify();
  EXPECT_EQ(h->used_idx(), static_cast<std::uint16_t>(before + 2));
  EXPECT_EQ(std::memcmp(h->at(kData, 1024), image.initial.data() + 9 * 512, 1024), 0);
  EXPECT_EQ(h->peek<std::uint8_t>(kStatusByte + 1), VirtioBlk::kStatusOk);
}

TEST_F(VirtioBlkTest, IndirectDescriptors) {
  make();
  h->start(4);
  header(VirtioBlk::kTypeIn, 12);
  // The table holds header, data in two pieces and status.
  h->put_desc(kIndirect, 0, kHeader, 16, kDescNext, 2);  // chained out of order
  h->put_desc(kIndirect, 2, kData, 300, kDescWrite | kDescNext, 1);
  h->put_desc(kIndirect, 1, kData + 300, 212, kDescWrite | kDescNext, 3);
  h->put_desc(kIndirect, 3, kStatusByte, 1, kDescWrite, 0);
  h->put_desc(kDesc, 0, kIndirect, 4 * 16, kDescIndirect, 0);
  h->make_available(0);
  h->notify();
  ASSERT_EQ(h->used_idx(), 1u);
  EXPECT_EQ(h->used(0).second, 513u);
  EXPECT_EQ(h->peek<std::uint8_t>(kStatusByte), VirtioBlk::kStatusOk);
  EXPECT_EQ(std::memcmp(h->at(kData, 512), image.initial.data() + 12 * 512, 512), 0);
  EXPECT_FALSE(h->transport().needs_reset());
}

TEST_F(VirtioBlkTest, ImageErrorsAtStartup) {
  // Not a multiple of 512 bytes.
  {
    TempImage odd(1000);
    try {
      VirtioBlk blk(drive(odd.path()));
      ADD_FAILURE() << "accepted a 1000-byte image";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("multiple of 512"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(VirtioBlk(drive(::testing::TempDir() + "no-such-orrery-image")), Error);
  EXPECT_THROW(VirtioBlk(drive(::testing::TempDir())), Error) << "a directory";
  EXPECT_THROW(VirtioBlk(drive(image.path(), true, std::string(21, 'x'))), Error);
  // A writer locks the image against other users.
  VirtioBlk first(drive(image.path()));
  EXPECT_THROW(VirtioBlk(drive(image.path())), Error);
  EXPECT_THROW(VirtioBlk(drive(image.path(), true)), Error);
  // An empty image is a valid disk of capacity 0.
  TempImage empty(0);
  VirtioBlk e(drive(empty.path()));
  EXPECT_EQ(e.capacity(), 0u);
}

// ---------------------------------------------------------------------------
// Hostile drivers: each must set DEVICE_NEEDS_RESET, raise the config
// interrupt, touch nothing outside RAM and leave the image alone.

TEST_F(VirtioBlkTest, BufferInMmioIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeIn, 0, {{kSpy, 512, true}});
  expect_device_error("not in guest RAM");
  EXPECT_NE(h->transport().last_error().find("spy"), std::string::npos) << "names the region";
  EXPECT_EQ(h->used_idx(), 0u);
}

TEST_F(VirtioBlkTest, BufferInTheVirtioSlotItselfIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeOut, 0, {{kSlot + kStatus, 512, false}});
  expect_device_error("not in guest RAM");
}

TEST_F(VirtioBlkTest, BufferInRomIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeOut, 0, {{kRom, 512, false}});
  expect_device_error("not in guest RAM");
}

TEST_F(VirtioBlkTest, UnmappedBufferIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeIn, 0, {{0x4000'0000, 512, true}});
  expect_device_error("unmapped");
}

TEST_F(VirtioBlkTest, BufferPastTheEndOfRamIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeIn, 0, {{kRam + kRamSize - 256, 512, true}});
  expect_device_error("not in guest RAM");
}

TEST_F(VirtioBlkTest, BufferWrappingTheAddressSpaceIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeIn, 0, {{~Addr{0} - 255, 512, true}});
  expect_device_error("wraps");
}

TEST_F(VirtioBlkTest, HeaderOutsideRamIsADeviceError) {
  make();
  h->start();
  submit({{kSpy, 16, false}, {kStatusByte, 1, true}});
  expect_device_error("not in guest RAM");
}

TEST_F(VirtioBlkTest, LoopingChainIsADeviceError) {
  make();
  h->start(8);
  header(VirtioBlk::kTypeIn, 0);
  h->put_desc(kDesc, 0, kHeader, 16, kDescNext, 1);
  h->put_desc(kDesc, 1, kData, 512, kDescWrite | kDescNext, 2);
  h->put_desc(kDesc, 2, kData + 512, 512, kDescWrite | kDescNext, 1);
  h->make_available(0);
  h->notify();
  expect_device_error("loops");
  EXPECT_EQ(h->used_idx(), 0u);
}

TEST_F(VirtioBlkTest, SelfLoopIsADeviceError) {
  make();
  h->start(8);
  h->put_desc(kDesc, 5, kHeader, 16, kDescNext, 5);
  h->make_available(5);
  h->notify();
  expect_device_error("loops");
}

TEST_F(VirtioBlkTest, NextBeyondTheQueueIsADeviceError) {
  make();
  h->start(8);
  header(VirtioBlk::kTypeFlush, 0);
  h->put_desc(kDesc, 0, kHeader, 16, kDescNext, 8);
  h->make_available(0);
  h->notify();
  expect_device_error("beyond");
}

TEST_F(VirtioBlkTest, HeadBeyondTheQueueIsADeviceError) {
  make();
  h->start(8);
  h->make_available(200);
  h->notify();
  expect_device_error("beyond the queue size");
}

TEST_F(VirtioBlkTest, AvailableIndexTooFarAheadIsADeviceError) {
  make();
  h->start(8);
  h->set_avail_idx(9);
  h->notify();
  expect_device_error("ahead");
}

TEST_F(VirtioBlkTest, ReadableAfterWritableIsADeviceError) {
  make();
  h->start();
  header(VirtioBlk::kTypeOut, 0);
  submit({{kHeader, 16, false}, {kStatusByte, 1, true}, {kData, 512, false}});
  expect_device_error("device-readable buffer after a device-writable");
}

TEST_F(VirtioBlkTest, HeaderInAWritableBufferIsADeviceError) {
  make();
  h->start();
  header(VirtioBlk::kTypeIn, 0);
  submit({{kHeader, 16, true}, {kData, 512, true}, {kStatusByte, 1, true}});
  expect_device_error("header");
}

TEST_F(VirtioBlkTest, StatusInAReadableBufferIsADeviceError) {
  make();
  h->start();
  header(VirtioBlk::kTypeFlush, 0);
  submit({{kHeader, 16, false}, {kStatusByte, 1, false}});
  expect_device_error("status byte");
  EXPECT_EQ(h->peek<std::uint8_t>(kStatusByte), 0xee) << "nothing written";
}

TEST_F(VirtioBlkTest, ReadIntoADeviceReadableBufferIsADeviceError) {
  make();
  h->start();
  std::memset(h->at(kData, 512), 0x11, 512);
  request(VirtioBlk::kTypeIn, 0, {{kData, 512, false}});
  expect_device_error("must be device-writable");
  EXPECT_EQ(h->peek<std::uint8_t>(kData), 0x11);
}

TEST_F(VirtioBlkTest, WriteFromADeviceWritableBufferIsADeviceError) {
  make();
  h->start();
  request(VirtioBlk::kTypeOut, 0, {{kData, 512, true}});
  expect_device_error("must be device-readable");
}

TEST_F(VirtioBlkTest, IndirectTableLongerThanTheQueueIsADeviceError) {
  make();
  h->start(4);
  header(VirtioBlk::kTypeIn, 0);
  // Eight chained entries in a queue of four.
  h->put_desc(kIndirect, 0, kHeader, 16, kDescNext, 1);
  for (unsigned i = 1; i < 7; ++i) h->put_desc(kIndirect, i, kData + 512 * i, 512, kDescWrite | kDescNext, i + 1);
  h->put_desc(kIndirect, 7, kStatusByte, 1, kDescWrite, 0);
  h->put_desc(kDesc, 0, kIndirect, 8 * 16, kDescIndirect, 0);
  h->make_available(0);
  h->notify();
  expect_device_error("more than 4 buffers");
}

TEST_F(VirtioBlkTest, IndirectLoopIsADeviceError) {
  make();
  h->start(8);
  h->put_desc(kIndirect, 0, kHeader, 16, kDescNext, 1);
  h->put_desc(kIndirect, 1, kHeader, 16, kDescNext, 0);
  h->put_desc(kDesc, 0, kIndirect, 2 * 16, kDescIndirect, 0);
  h->make_available(0);
  h->notify();
  expect_device_error("loops");
}

TEST_F(VirtioBlkTest, MalformedIndirectDescriptorsAreDeviceErrors) {
  struct Case {
    const char* name;
    Addr table;
    std::uint32_t len;
    std::uint16_t flags;
    bool nested;
    const char* error;
  };
  const Case cases[] = {
      {"length not a multiple of 16", kIndirect, 24, kDescIndirect, false, "multiple of 16"},
      {"zero length", kIndirect, 0, kDescIndirect, false, "multiple of 16"},
      {"with NEXT", kIndirect, 32, kDescIndirect | kDescNext, false, "NEXT"},
      {"table in MMIO", kSpy, 32, kDescIndirect, false, "not in guest RAM"},
      {"table past the end of RAM", kRam + kRamSize - 16, 32, kDescIndirect, false, "not in guest RAM"},
      {"nested", kIndirect, 32, kDescIndirect, true, "inside an indirect table"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    make();
    h->start(8);
    h->put_desc(kIndirect, 0, kHeader, 16, kDescNext, 1);
    h->put_desc(kIndirect, 1, c.nested ? kIndirect : kStatusByte, c.nested ? 32 : 1,
                c.nested ? kDescIndirect : kDescWrite, 0);
    h->put_desc(kDesc, 0, c.table, c.len, c.flags, 1);
    h->make_available(0);
    h->notify();
    expect_device_error(c.error);
  }
}

TEST_F(VirtioBlkTest, IndirectWithoutNegotiationIsADeviceError) {
  make();
  h->start(8, bit(kFeatureIndirectDesc));
  header(VirtioBlk::kTypeFlush, 0);
  h->put_desc(kIndirect, 0, kHeader, 16, kDescNext, 1);
  h->put_desc(kIndirect, 1, kStatusByte, 1, kDescWrite, 0);
  h->put_desc(kDesc, 0, kIndirect, 32, kDescIndirect, 0);
  h->make_available(0);
  h->notify();
  expect_device_error("VIRTIO_F_INDIRECT_DESC");
}

TEST_F(VirtioBlkTest, ChainOver4GiBIsADeviceError) {
  make();
  constexpr Addr kBig = 0x1'0000'0000;
  try {
    h->bus().add_ram("big", kBig, 0xc000'0000);  // lazily committed; never touched
  } catch (const Error&) {
    GTEST_SKIP() << "cannot reserve 3 GiB of address space";
  }
  h->start();
  header(VirtioBlk::kTypeOut, 0);
  submit({{kHeader, 16, false}, {kBig, 0xc000'0000, false}, {kBig, 0xc000'0000, false}, {kStatusByte, 1, true}});
  expect_device_error("4 GiB");
}

TEST_F(VirtioBlkTest, BadQueueSizesAreDeviceErrors) {
  for (std::uint32_t num : {0u, 3u, 12u, 512u, 65536u}) {
    SCOPED_TRACE(num);
    make();
    ASSERT_TRUE(h->negotiate(h->device_features()));
    h->setup_queue(0, num);
    EXPECT_EQ(h->reg(kQueueReady), 0u);
    EXPECT_TRUE(h->reg(kStatus) & kStatusNeedsReset);
    EXPECT_NE(h->transport().last_error().find("power of two"), std::string::npos);
    EXPECT_FALSE(h->level) << "no interrupt before DRIVER_OK";
  }
}

TEST_F(VirtioBlkTest, MisplacedRingsAreDeviceErrors) {
  struct Case {
    const char* name;
    Addr desc, avail, used;
    const char* error;
  };
  const Case cases[] = {
      {"descriptor table misaligned", kDesc + 8, kAvail, kUsed, "aligned"},
      {"available ring misaligned", kDesc, kAvail + 1, kUsed, "aligned"},
      {"used ring misaligned", kDesc, kAvail, kUsed + 2, "aligned"},
      {"descriptor table in MMIO", kSpy, kAvail, kUsed, "not in guest RAM"},
      {"available ring in ROM", kDesc, kRom, kUsed, "not in guest RAM"},
      {"used ring unmapped", kDesc, kAvail, 0x4000'0000, "not in guest RAM"},
      {"used ring past the end of RAM", kDesc, kAvail, kRam + kRamSize - 16, "not in guest RAM"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    make();
    ASSERT_TRUE(h->negotiate(h->device_features()));
    h->setup_queue(0, 8, c.desc, c.avail, c.used);
    EXPECT_EQ(h->reg(kQueueReady), 0u);
    EXPECT_TRUE(h->reg(kStatus) & kStatusNeedsReset);
    EXPECT_NE(h->transport().last_error().find(c.error), std::string::npos) << h->transport().last_error();
    EXPECT_EQ(h->spy.accesses, 0);
  }
}

TEST_F(VirtioBlkTest, ABrokenDeviceIgnoresNotifiesUntilReset) {
  make();
  h->start();
  request(VirtioBlk::kTypeIn, 0, {{kSpy, 512, true}});
  ASSERT_TRUE(h->transport().needs_reset());
  h->set(kStatus, h->reg(kStatus) & ~kStatusNeedsReset);  // the driver cannot clear it
  EXPECT_TRUE(h->reg(kStatus) & kStatusNeedsReset);
  EXPECT_FALSE(request(VirtioBlk::kTypeFlush, 0, {}).completed) << "no buffers consumed while broken";
  h->log.clear();
  // Reset and start over: the device works again.
  h->start();
  EXPECT_FALSE(h->transport().needs_reset());
  EXPECT_FALSE(h->level);
  EXPECT_EQ(request(VirtioBlk::kTypeIn, 1, {{kData, 512, true}}).status, VirtioBlk::kStatusOk);
  EXPECT_TRUE(h->log.empty()) << h->all_log();
}

// ---------------------------------------------------------------------------
// Entropy device

class VirtioRngTest : public ::testing::Test {
 protected:
  void make(VirtioRng::Source source = {}) { h = std::make_unique<Harness>(std::make_unique<VirtioRng>(source)); }
  std::unique_ptr<Harness> h;
};

TEST_F(VirtioRngTest, IdentifiesItself) {
  make();
  EXPECT_EQ(h->reg(kDeviceId), 4u);
  EXPECT_EQ(h->device_features(), bit(kFeatureVersion1) | bit(kFeatureIndirectDesc) | bit(kFeatureEventIdx));
}

TEST_F(VirtioRngTest, FillsBuffersFromTheSource) {
  std::uint8_t next = 1;
  make([&](std::span<std::uint8_t> out) {
    for (auto& b : out) b = next++;
    return out.size();
  });
  h->start();
  std::memset(h->at(kData, 256), 0, 256);
  h->add_chain({{kData, 16, true}, {kData + 0x40, 8, true}});
  h->notify();
  ASSERT_EQ(h->used_idx(), 1u);
  EXPECT_EQ(h->used(0).second, 24u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(h->peek<std::uint8_t>(kData + i), i + 1);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(h->peek<std::uint8_t>(kData + 0x40 + i), i + 17);
  EXPECT_EQ(h->peek<std::uint8_t>(kData + 16), 0) << "nothing beyond the buffer";
  EXPECT_TRUE(h->level);
}

TEST_F(VirtioRngTest, FillsBuffersFromTheHost) {
  make();
  h->start();
  std::memset(h->at(kData, 64), 0, 64);
  std::memset(h->at(kData + 64, 64), 0, 64);
  h->add_chain({{kData, 64, true}});
  h->add_chain({{kData + 64, 64, true}});
  h->notify();
  ASSERT_EQ(h->used_idx(), 2u);
  EXPECT_EQ(h->used(0).second, 64u);
  EXPECT_EQ(h->used(1).second, 64u);
  EXPECT_NE(std::memcmp(h->at(kData, 64), h->at(kData + 64, 64), 64), 0);
  const std::uint8_t* p = h->at(kData, 64);
  EXPECT_FALSE(std::all_of(p, p + 64, [](std::uint8_t b) { return b == 0; }));
}

TEST_F(VirtioRngTest, LargeRequestsAreCapped) {
  make();
  h->start();
  h->add_chain({{kData, 0x20000, true}});
  h->notify();
  ASSERT_EQ(h->used_idx(), 1u);
  EXPECT_EQ(h->used(0).second, VirtioRng::kMaxBytesPerRequest);
}

TEST_F(VirtioRngTest, ReadableBufferIsADeviceError) {
  make();
  h->start();
  std::memset(h->at(kData, 64), 0x22, 64);
  h->add_chain({{kData, 64, false}});
  h->notify();
  EXPECT_TRUE(h->reg(kStatus) & kStatusNeedsReset);
  EXPECT_EQ(h->reg(kInterruptStatus), kInterruptConfigChange);
  EXPECT_EQ(h->used_idx(), 0u);
  EXPECT_EQ(h->peek<std::uint8_t>(kData), 0x22);
}

TEST_F(VirtioRngTest, BufferInMmioIsADeviceError) {
  make();
  h->start();
  h->add_chain({{kSpy, 64, true}});
  h->notify();
  EXPECT_TRUE(h->reg(kStatus) & kStatusNeedsReset);
  EXPECT_EQ(h->spy.accesses, 0);
}

TEST(VirtioMmio, ErrorsGoToTheLog) {
  Bus bus;
  bus.add_ram("ram", kRam, kRamSize);
  VirtioMmio dev(bus, std::make_unique<VirtioRng>());
  std::string logged;
  dev.set_log([&](std::string_view m) { logged = m; });
  dev.device_error("something broke");
  EXPECT_NE(logged.find("something broke"), std::string::npos);
  EXPECT_TRUE(dev.needs_reset());
  EXPECT_FALSE(dev.interrupt_level()) << "DRIVER_OK was never set";
}

// ---------------------------------------------------------------------------
// On the virt machine: the wiring the platform uses (slot i at
// 0x1000_1000 + i * 0x1000, PLIC source 1 + i).

TEST(VirtioOnVirt, BlockAndEntropyDevicesInterruptThroughThePlic) {
  TempImage image(8192);
  const std::string kernel = test::write_loop_kernel("virtio_loop");
  Machine machine;
  StringBackend console;
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = kernel;
  const DriveConfig disk = parse_drive_option("file=" + image.path() + ",format=raw,if=virtio");
  config.virtio.push_back({0, [disk](Machine& m, IrqLine irq) -> Device& {
                             return m.own(std::make_unique<VirtioMmio>(m.bus(), std::make_unique<VirtioBlk>(disk),
                                                                       std::move(irq)));
                           }});
  config.virtio.push_back({1, [](Machine& m, IrqLine irq) -> Device& {
                             return m.own(std::make_unique<VirtioMmio>(m.bus(), std::make_unique<VirtioRng>(),
                                                                       std::move(irq)));
                           }});
  build_riscv_virt(machine, config, console);
  Bus& bus = machine.bus();
  const auto reg = [&](Addr slot, std::uint32_t off) {
    std::uint64_t v = 0;
    EXPECT_TRUE(bus.read(slot + off, 4, v));
    return static_cast<std::uint32_t>(v);
  };
  const auto set = [&](Addr slot, std::uint32_t off, std::uint64_t v) { EXPECT_TRUE(bus.write(slot + off, 4, v)); };
  const auto pending = [&] {
    std::uint64_t v = 0;
    EXPECT_TRUE(bus.read(virt_map::kPlic + Plic::kPendingBase, 4, v));
    return v;
  };
  const Addr blk = 0x1000'1000, rng = 0x1000'2000;
  EXPECT_EQ(reg(blk, kDeviceId), 2u);
  EXPECT_EQ(reg(rng, kDeviceId), 4u);

  // Bring both up with one 4-entry queue each, rings at 0x8100_0000 / 0x8101_0000.
  for (const Addr slot : {blk, rng}) {
    const Addr mem = slot == blk ? 0x8100'0000 : 0x8101'0000;
    set(slot, kStatus, 0);
    set(slot, kStatus, kAckDriver);
    set(slot, kDriverFeaturesSel, 1);
    set(slot, kDriverFeatures, 1);  // VIRTIO_F_VERSION_1 only
    set(slot, kStatus, kAckDriver | kStatusFeaturesOk);
    ASSERT_TRUE(reg(slot, kStatus) & kStatusFeaturesOk);
    set(slot, kQueueSel, 0);
    set(slot, kQueueNum, 4);
    set(slot, kQueueDescLow, static_cast<std::uint32_t>(mem));
    set(slot, kQueueDriverLow, static_cast<std::uint32_t>(mem + 0x100));
    set(slot, kQueueDeviceLow, static_cast<std::uint32_t>(mem + 0x200));
    set(slot, kQueueReady, 1);
    set(slot, kStatus, kAckDriver | kStatusFeaturesOk | kStatusDriverOk);
  }
  const auto desc = [&](Addr table, unsigned i, Addr addr, std::uint32_t len, std::uint16_t flags,
                        std::uint16_t next) {
    const Addr d = table + 16 * i;
    EXPECT_TRUE(bus.write(d, 8, addr));
    EXPECT_TRUE(bus.write(d + 8, 4, len));
    EXPECT_TRUE(bus.write(d + 12, 2, flags));
    EXPECT_TRUE(bus.write(d + 14, 2, next));
  };
  const auto make_available = [&](Addr mem) {
    EXPECT_TRUE(bus.write(mem + 0x100 + 4, 2, 0));  // ring[0] = head 0
    EXPECT_TRUE(bus.write(mem + 0x100 + 2, 2, 1));  // idx = 1
  };

  // Block: read sector 3.
  const Addr hdr = 0x8102'0000, data = 0x8102'1000, status = 0x8102'0100;
  EXPECT_TRUE(bus.write(hdr, 4, VirtioBlk::kTypeIn));
  EXPECT_TRUE(bus.write(hdr + 8, 8, 3));
  desc(0x8100'0000, 0, hdr, 16, kDescNext, 1);
  desc(0x8100'0000, 1, data, 512, kDescWrite | kDescNext, 2);
  desc(0x8100'0000, 2, status, 1, kDescWrite, 0);
  make_available(0x8100'0000);
  EXPECT_EQ(pending(), 0u);
  set(blk, kQueueNotify, 0);
  EXPECT_EQ(pending(), 1u << 1) << "slot 0 interrupts through PLIC source 1";
  std::uint64_t v = 0;
  ASSERT_TRUE(bus.read(status, 1, v));
  EXPECT_EQ(v, VirtioBlk::kStatusOk);
  EXPECT_EQ(std::memcmp(bus.host_ptr(data, 512, false), image.initial.data() + 3 * 512, 512), 0);

  // Entropy: 32 bytes.
  desc(0x8101'0000, 0, data + 0x1000, 32, kDescWrite, 0);
  make_available(0x8101'0000);
  set(rng, kQueueNotify, 0);
  EXPECT_EQ(pending(), (1u << 1) | (1u << 2)) << "slot 1 interrupts through PLIC source 2";
  ASSERT_TRUE(bus.read(0x8101'0000 + 0x200 + 2, 2, v));
  EXPECT_EQ(v, 1u);

  // Acknowledging at the device lowers its source.
  set(blk, kInterruptAck, kInterruptUsedBuffer);
  set(rng, kInterruptAck, kInterruptUsedBuffer);
  EXPECT_EQ(pending(), (1u << 1) | (1u << 2)) << "the PLIC keeps requests until claimed";
  ::unlink(kernel.c_str());
}

// ---------------------------------------------------------------------------
// -drive parsing

TEST(ParseDriveOption, QemuSpellings) {
  DriveConfig d = parse_drive_option("file=disk.img,format=raw,if=virtio");
  EXPECT_EQ(d.file, "disk.img");
  EXPECT_FALSE(d.readonly);
  d = parse_drive_option("file=/tmp/a.img,if=virtio,format=raw,readonly=on");
  EXPECT_EQ(d.file, "/tmp/a.img");
  EXPECT_TRUE(d.readonly);
  EXPECT_FALSE(parse_drive_option("file=a,readonly=off").readonly);
  EXPECT_TRUE(parse_drive_option("readonly=yes,file=a").readonly);
  EXPECT_EQ(parse_drive_option("file=a,,b.img,if=virtio").file, "a,b.img") << "',,' is a literal comma";
  d = parse_drive_option("file=a,id=hd0,serial=SN123");
  EXPECT_EQ(d.id, "hd0");
  EXPECT_EQ(d.serial, "SN123");
  EXPECT_EQ(parse_drive_option("file=x=y").file, "x=y");
}

TEST(ParseDriveOption, ClearErrors) {
  const auto message = [](std::string_view text) -> std::string {
    try {
      parse_drive_option(text);
    } catch (const Error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_NE(message("file=a,cache=none").find("unknown option 'cache'"), std::string::npos);
  EXPECT_NE(message("file=a,format=qcow2").find("only raw"), std::string::npos);
  EXPECT_NE(message("format=raw,if=virtio").find("missing file"), std::string::npos);
  EXPECT_NE(message("file=").find("needs a file name"), std::string::npos);
  EXPECT_NE(message("file=a,if=ide").find("only if=virtio"), std::string::npos);
  EXPECT_NE(message("file=a,if=none").find("only if=virtio"), std::string::npos);
  EXPECT_NE(message("file=a,readonly=maybe").find("on or off"), std::string::npos);
  EXPECT_NE(message("file=a,readonly").find("not key=value"), std::string::npos);
  EXPECT_NE(message("file=a,file=b").find("twice"), std::string::npos);
  EXPECT_NE(message("file=a,").find("empty item"), std::string::npos);
  EXPECT_NE(message("").find("needs a value"), std::string::npos);
  EXPECT_NE(message("file=a,serial=123456789012345678901").find("at most 20"), std::string::npos);
  EXPECT_EQ(message("file=a,cache=none").rfind("-drive file=a,cache=none: ", 0), 0u) << "names the option";
}

}  // namespace
}  // namespace orrery
