#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "orrery/core/device.hpp"
#include "orrery/irqchip/irq_line.hpp"

namespace orrery {

// One interrupt domain of a RISC-V Advanced PLIC (Advanced Interrupt
// Architecture 1.0, chapter "Advanced Platform-Level Interrupt Controller").
// An APLIC is a tree of domains, each with its own control region: the root
// (machine level) receives the wires (set_source) and may delegate each
// source to a child domain (add_child), e.g. QEMU virt's supervisor-level
// domain. Control region (32-bit registers, little-endian: BE is read-only 0):
//   0x0000           domaincfg     0x80 in bits 31:24, IE bit 8, DM bit 2
//   0x0004 + 4(i-1)  sourcecfg[i]  D bit 10 + child index 9:0, or SM 2:0
//   0x1bc0..0x1bcc   mmsiaddrcfg(h), smsiaddrcfg(h): MSI addresses (root only)
//   0x1c00 / 0x1cdc  setip[k] / setipnum
//   0x1d00 / 0x1ddc  in_clrip[k] (reads rectified inputs) / clripnum
//   0x1e00 / 0x1edc  setie[k] / setienum
//   0x1f00 / 0x1fdc  clrie[k] / clrienum
//   0x2000 / 0x2004  setipnum_le / setipnum_be
//   0x3000           genmsi        extempore MSI (MSI mode)
//   0x3004 + 4(i-1)  target[i]     direct: hart 31:18, IPRIO; MSI: hart, guest 17:12, EIID 10:0
//   0x4000 + 32h     IDC of hart index h (direct mode): idelivery 0x0, iforce 0x4,
//                    ithreshold 0x8, topi 0x18, claimi 0x1c
// Accesses other than aligned 32-bit ones are ignored (reads return 0), as
// are reserved registers.
//
// Direct delivery mode drives one line per hart (connect: MEIP for a
// machine-level domain, SEIP for supervisor level). MSI delivery mode
// forwards each pending-and-enabled source as a 32-bit little-endian write
// of its EIID to the address computed from the root's *msiaddrcfg
// registers, through the writer set with set_msi_writer (a Bus write, so
// the IMSIC address layout is honoured).
struct AplicConfig {
  unsigned sources = 96;       // N: sources 1..N (at most 1023)
  unsigned harts = 1;          // hart indices 0..harts-1
  bool machine_level = true;   // false: a supervisor-level domain
  bool direct = true;          // supports direct delivery mode (has IDCs)
  bool msi = false;            // supports MSI delivery mode
  unsigned priority_bits = 3;  // IPRIOLEN, 1..8
  unsigned guests = 0;         // GEILEN: guest index range of MSI targets (S level)
};

class Aplic final : public Device {
 public:
  explicit Aplic(const AplicConfig& config);

  // Make `child` this domain's child number children().size() (its index
  // in sourcecfg.D). The child must have the same sources.
  void add_child(Aplic& child);
  // Direct-mode interrupt output of hart index h.
  void connect(unsigned hart, IrqLine line);
  // Where MSIs go: a naturally aligned 32-bit write of `data` at `address`.
  // Set on the root; child domains send through their root.
  using MsiWriter = std::function<void(Addr address, std::uint32_t data)>;
  void set_msi_writer(MsiWriter writer) { msi_writer_ = std::move(writer); }
  // A device's interrupt wire (root domain only; ids outside 1..N ignored).
  void set_source(unsigned id, bool level);

  std::string_view name() const override { return "riscv.aplic"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;
  void reset() override;
  void save_state(StateWriter& out) const override;
  void load_state(StateReader& in) override;

  // Register-level views, also for tests and the platform.
  std::uint32_t domaincfg() const;
  bool pending(unsigned id) const { return active(id) && pending_[id]; }
  bool enabled(unsigned id) const { return active(id) && enabled_[id]; }
  bool active(unsigned id) const;  // delegated here, not onward, SM != Inactive
  std::uint32_t topi(unsigned hart) const;
  std::uint32_t claimi(unsigned hart);
  bool msi_mode() const { return dm_; }
  unsigned sources() const { return config_.sources; }
  const std::vector<Aplic*>& children() const { return children_; }

  // Register offsets.
  static constexpr Addr kDomaincfg = 0x0000, kSourcecfg = 0x0004;
  static constexpr Addr kMmsiaddrcfg = 0x1bc0, kMmsiaddrcfgh = 0x1bc4, kSmsiaddrcfg = 0x1bc8, kSmsiaddrcfgh = 0x1bcc;
  static constexpr Addr kSetip = 0x1c00, kSetipnum = 0x1cdc, kInClrip = 0x1d00, kClripnum = 0x1ddc;
  static constexpr Addr kSetie = 0x1e00, kSetienum = 0x1edc, kClrie = 0x1f00, kClrienum = 0x1fdc;
  static constexpr Addr kSetipnumLe = 0x2000, kSetipnumBe = 0x2004, kGenmsi = 0x3000, kTarget = 0x3004;
  static constexpr Addr kIdc = 0x4000, kIdcSize = 0x20;
  static constexpr Addr kIdelivery = 0x00, kIforce = 0x04, kIthreshold = 0x08, kTopi = 0x18, kClaimi = 0x1c;
  // Fields.
  static constexpr std::uint32_t kDomaincfgIe = 1u << 8, kDomaincfgDm = 1u << 2, kDomaincfgFixed = 0x80000000u;
  static constexpr std::uint32_t kSourcecfgD = 1u << 10;
  enum SourceMode : std::uint32_t { kInactive = 0, kDetached = 1, kEdge1 = 4, kEdge0 = 5, kLevel1 = 6, kLevel0 = 7 };
  static constexpr std::uint32_t kMsiaddrcfgL = 1u << 31;
  // QEMU virt's size for a domain's control region (room for 512 IDCs).
  static constexpr std::uint64_t kVirtSize = 0x8000;

 private:
  struct Idc {
    std::uint32_t idelivery = 0, iforce = 0, ithreshold = 0;
    IrqLine line;
    bool level = false;
    template <class Ar>
    void state(Ar& ar) {
      ar(idelivery, iforce, ithreshold, level);
    }
  };
  template <class Ar>
  void checkpoint_state(Ar& ar) {
    ar(ie_, dm_, sourcecfg_, target_, delegated_, pending_, enabled_, wire_, idcs_, genmsi_, mmsiaddrcfg_,
       mmsiaddrcfgh_, smsiaddrcfg_, smsiaddrcfgh_);
  }

  Aplic& root() { return parent_ ? parent_->root() : *this; }
  const Aplic& root() const { return parent_ ? parent_->root() : *this; }
  std::uint32_t mode(unsigned id) const { return sourcecfg_[id] & kSourcecfgD ? kInactive : sourcecfg_[id] & 7; }
  bool level_mode(unsigned id) const { return mode(id) == kLevel1 || mode(id) == kLevel0; }
  bool edge_mode(unsigned id) const { return mode(id) == kEdge1 || mode(id) == kEdge0; }
  bool wire(unsigned id) const { return root().wire_[id]; }
  bool rectified(unsigned id) const;
  bool valid(unsigned id) const { return id >= 1 && id <= config_.sources; }

  // Routing of a wire change to the domain the source is active in.
  void input_changed(unsigned id, bool old_level);
  // Delegation from the parent.
  void grant(unsigned id);
  void revoke(unsigned id);

  void write_sourcecfg(unsigned id, std::uint32_t value);
  void write_target(unsigned id, std::uint32_t value);
  void write_domaincfg(std::uint32_t value);
  void write_msiaddrcfg(Addr offset, std::uint32_t value);
  std::uint32_t read_msiaddrcfg(Addr offset) const;
  bool has_msiaddrcfg() const;
  // "If possible" per the spec's rules on pending bits.
  void set_pending(unsigned id);
  void clear_pending(unsigned id);
  // Interrupt identity and priority of hart h's best source, 0 if none.
  unsigned best(unsigned hart, std::uint32_t& priority) const;
  // Forward MSIs (MSI mode) or recompute the IDC outputs (direct mode).
  void update();
  void send_msi(unsigned hart, unsigned guest, std::uint32_t eiid);

  void read32(Addr offset, std::uint32_t& value);
  void write32(Addr offset, std::uint32_t value);

  AplicConfig config_;
  std::uint32_t iprio_mask_;
  Aplic* parent_ = nullptr;
  std::vector<Aplic*> children_;
  bool ie_ = false, dm_ = false;
  std::vector<std::uint32_t> sourcecfg_, target_;
  std::vector<bool> delegated_;  // the parent gave this source to this domain
  std::vector<bool> pending_, enabled_;
  std::vector<bool> wire_;  // root: the input wires' levels
  std::vector<Idc> idcs_;
  std::uint32_t genmsi_ = 0;
  std::uint32_t mmsiaddrcfg_ = 0, mmsiaddrcfgh_ = 0, smsiaddrcfg_ = 0, smsiaddrcfgh_ = 0;
  MsiWriter msi_writer_;
  bool updating_ = false, update_again_ = false;
};

}  // namespace orrery
