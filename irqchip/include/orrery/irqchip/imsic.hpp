#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/irqchip/irq_line.hpp"

namespace orrery {

// One interrupt file of a RISC-V IMSIC (Advanced Interrupt Architecture 1.0,
// chapter "Incoming MSI Controller"): the external interrupts of one hart at
// one privilege level (M or S) or of one virtual hart (a guest file). It
// holds N interrupt identities 1..N; identity 0 never exists.
//
// The hart reaches it through its *iselect/*ireg window and its *topei CSR;
// this class is that interface, written for RV64 (XLEN = 64):
//   0x70        eidelivery   0 = off, 1 = deliver (WARL; 0x40000000 is not supported)
//   0x72        eithreshold  0 = none, else identities >= it do not interrupt
//   0x71, 0x73-0x7f          reserved: read zero, writes ignored
//   0x80 + k    eip<k>       pending bits of identities 32k..32k+63, k even
//   0xc0 + k    eie<k>       enable bits of the same identities, k even
// On RV64 the odd eip/eie registers do not exist: accessing them raises an
// illegal instruction (virtual instruction from VS-mode), as does any
// iselect outside 0x70-0xff.
//
// Its output (connect) is asserted when eidelivery = 1 and some identity is
// pending, enabled and below eithreshold (if nonzero): the platform wires it
// to MEIP (machine file), SEIP (supervisor file) or a bit of hgeip (guest).
class ImsicFile {
 public:
  // `ids` is N: one less than a multiple of 64, 63..2047.
  explicit ImsicFile(unsigned ids = 255);

  void connect(IrqLine line);

  // *ireg access with *iselect = iselect. false: not an interrupt-file
  // register, or an odd eip/eie (the CSR layer raises the exception).
  bool read_indirect(unsigned iselect, std::uint64_t& value) const;
  bool write_indirect(unsigned iselect, std::uint64_t value);

  // The *topei value: the top identity in bits 26:16 and again (as its
  // priority) in bits 10:0; zero if none. Independent of eidelivery.
  std::uint32_t topei() const;
  // A *topei write: clears the pending bit of the identity topei reports and
  // returns the topei value read before (what CSRRW returns).
  std::uint32_t claim();
  // An MSI arrives: identity `id` becomes pending (ignored unless 1..N).
  void set_pending(unsigned id);

  bool pending(unsigned id) const { return id <= ids_ && ((eip_[id / 64] >> (id % 64)) & 1); }
  bool enabled(unsigned id) const { return id <= ids_ && ((eie_[id / 64] >> (id % 64)) & 1); }
  std::uint32_t eidelivery() const { return eidelivery_; }
  std::uint32_t eithreshold() const { return eithreshold_; }
  // The output's current level.
  bool interrupt() const { return level_; }
  unsigned ids() const { return ids_; }

  void reset();
  // Checkpoints: the registers. A load keeps only what the registers can
  // hold (as their writes do) and drives the line with the level they give.
  void save_state(StateWriter& out) const;
  void load_state(StateReader& in);

  static constexpr unsigned kEidelivery = 0x70, kEithreshold = 0x72, kEip0 = 0x80, kEie0 = 0xc0, kLast = 0xff;

 private:
  unsigned top() const;  // top identity, 0 if none
  void update();
  // Legal bits of eip/eie word w (ids 64w..64w+63).
  std::uint64_t word_mask(unsigned w) const;

  unsigned ids_;
  std::uint32_t threshold_mask_;
  std::uint32_t eidelivery_ = 0;
  std::uint32_t eithreshold_ = 0;
  std::vector<std::uint64_t> eip_, eie_;  // word w = eip<2w>, eie<2w>: ids 64w..64w+63
  IrqLine line_;
  bool level_ = false;
};

// The memory-mapped side of the IMSICs of all harts at one level: QEMU's
// virt maps the machine-level files of every hart in one region and the
// supervisor-level and guest files in another. Each interrupt file owns one
// 4 KiB page:
//   0x000  seteipnum_le  a 32-bit write of identity i (little-endian) makes i pending
//   0x004  seteipnum_be  the same in big-endian byte order
// Hart h's files start at h * hart_stride(): its M or S file, then its guest
// files 1..GEILEN in order, the stride being that many pages rounded up to
// a power of two (AIA "Arrangement of the memory regions of multiple
// interrupt files"); pages past the last file are read-only zeros. Only
// aligned 32-bit writes to seteipnum_* have an effect; reads return zero
// and any other access is ignored (the spec allows ignoring them instead of
// reporting a fault). MSIs from devices arrive as ordinary bus writes.
class Imsic final : public Device {
 public:
  // `guests` is GEILEN (0 for the machine level), at most 63.
  Imsic(unsigned harts, unsigned guests, unsigned ids = 255);

  // File 0 is hart h's M or S file, file g its guest file g (1..guests).
  ImsicFile& file(unsigned hart, unsigned index = 0) { return *files_.at(hart * (guests_ + 1) + index); }

  unsigned harts() const { return harts_; }
  unsigned guests() const { return guests_; }
  Addr hart_stride() const { return kPageSize << guest_index_bits(guests_); }
  std::uint64_t size() const { return harts_ * hart_stride(); }
  // ceil(log2(guests + 1)): the device tree's riscv,guest-index-bits.
  static unsigned guest_index_bits(unsigned guests);

  std::string_view name() const override { return "riscv.imsic"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  static constexpr Addr kPageSize = 0x1000, kSeteipnumLe = 0x0, kSeteipnumBe = 0x4;

 private:
  unsigned harts_, guests_;
  std::vector<std::unique_ptr<ImsicFile>> files_;
};

}  // namespace orrery
