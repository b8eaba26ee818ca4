#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "orrery/core/timing.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/irqchip/irq_line.hpp"
#include "orrery/platforms/char_backend.hpp"

namespace orrery {

class Aclint;
class Aplic;
class Imsic;
class ImsicFile;
class Plic;
class Uart16550;
class GoldfishRtc;

// Debian's OpenSBI (package opensbi): what -bios loads unless told otherwise,
// as QEMU's virt loads its bundled fw_dynamic firmware by default.
inline constexpr const char* kDefaultBios = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

// A device in one of virt's eight virtio-mmio slots: slot i is mapped at
// 0x1000_1000 + i * 0x1000 and interrupts through PLIC (or APLIC) source
// i + 1, and the device tree gets a virtio_mmio node for it. `make` creates
// the device (the machine must own it, e.g. with Machine::own) and is handed
// the device's interrupt line.
struct VirtioMmioSlot {
  unsigned slot = 0;
  std::function<Device&(Machine&, IrqLine irq)> make;
};

// Which interrupt controllers take the devices' wires (QEMU's -M virt,aia=):
// the PLIC; an APLIC delivering directly to the harts; or an APLIC
// forwarding MSIs to per-hart IMSICs.
enum class VirtAia { None, Aplic, AplicImsic };

// The RISC-V `virt` machine, following QEMU 7.2's memory map and boot flow.
struct RiscvVirtConfig {
  bool hypervisor = true;  // the harts implement H (QEMU 7.2 rv64 default); -cpu rv64,h=off drops it
  std::uint64_t ram_size = 128ull << 20;  // QEMU's default -m
  unsigned harts = 1;
  std::string bios = kDefaultBios;  // "none", "default" (= kDefaultBios) or a firmware file (ELF or raw)
  std::string kernel;               // ELF or raw binary
  std::string initrd;               // raw image, placed as QEMU places it
  std::string append;               // kernel command line (/chosen bootargs)
  std::string dtb;                  // use this device tree instead of generating one
  std::string mmu_type = "riscv,sv57";  // the cpu nodes' mmu-type (the harts' widest paging mode)
  std::vector<VirtioMmioSlot> virtio;
  VirtAia aia = VirtAia::None;
  unsigned aia_guests = 0;  // guest interrupt files per hart's IMSIC (GEILEN), aia=aplic-imsic only
  // The RTC (QEMU's -rtc base=,clock=): its time at power-on in ns since the
  // epoch (nullopt: the host's clock then), and whether it then follows
  // guest time (clock=vm: deterministic runs) or the host's clock.
  std::optional<std::uint64_t> rtc_base_ns;
  bool rtc_follows_guest = false;
  // The timing model every hart gets (--timing), sharing one L2; nullopt:
  // none (one cycle per instruction).
  std::optional<timing::Config> timing;
};

namespace virt_map {
constexpr Addr kMrom = 0x0000'1000, kMromSize = 0xf000;
constexpr Addr kTest = 0x0010'0000, kTestSize = 0x1000;
constexpr Addr kRtc = 0x0010'1000, kRtcSize = 0x1000;
constexpr Addr kClint = 0x0200'0000, kClintSize = 0x1'0000;
constexpr Addr kPlic = 0x0c00'0000, kPlicSize = 0x60'0000;  // QEMU 7.2 sizes it for 512 harts
// With aia=: the APLIC's machine- and supervisor-level domains (sized for
// 512 harts' IDCs), and the IMSICs' machine-level pages (one per hart) and
// supervisor-level pages (per hart: S, then the guests, rounded up to a
// power of two).
constexpr Addr kAplicM = 0x0c00'0000, kAplicS = 0x0d00'0000, kAplicSize = 0x8000;
constexpr Addr kImsicM = 0x2400'0000, kImsicS = 0x2800'0000;
constexpr Addr kUart0 = 0x1000'0000, kUartSize = 0x100;
constexpr Addr kVirtio = 0x1000'1000, kVirtioSize = 0x1000;
constexpr unsigned kVirtioSlots = 8;
constexpr Addr kDram = 0x8000'0000;
}  // namespace virt_map

namespace virt_irq {  // PLIC (and APLIC) source IDs
constexpr unsigned kVirtio0 = 1;  // slots 0..7: sources 1..8
constexpr unsigned kUart0 = 10;
constexpr unsigned kRtc = 11;
constexpr unsigned kPlicSources = 96;   // IDs 0..95; 0 is reserved
constexpr unsigned kPlicPriorityBits = 3;  // priorities 0..7
constexpr unsigned kAplicSources = 96;      // sources 1..96 (riscv,num-sources)
constexpr unsigned kAplicPriorityBits = 3;  // IPRIOLEN
constexpr unsigned kImsicIds = 255;         // identities 1..255 per interrupt file (riscv,num-ids)
constexpr unsigned kImsicIpiId = 1;         // riscv,ipi-id
constexpr unsigned kMaxAiaGuests = 7;       // aia-guests=0..7
}  // namespace virt_irq

constexpr unsigned kRiscvVirtMaxHarts = 64;
// Guest RAM: whole 4 KiB pages, from 1 MiB (room for a device tree) to 1 TiB.
constexpr std::uint64_t kRiscvVirtMinRam = 1ull << 20;
constexpr std::uint64_t kRiscvVirtMaxRam = 1ull << 40;
constexpr std::uint64_t kVirtTimebaseHz = 10'000'000;

// Where things went, for the caller (--dump-dtb, console escapes) and tests.
struct RiscvVirtBoard {
  Aclint* clint = nullptr;
  Plic* plic = nullptr;  // aia=none
  Aplic* aplic_m = nullptr;  // aia=aplic and aplic-imsic: the root domain (takes the wires)
  Aplic* aplic_s = nullptr;  // its supervisor-level child
  Imsic* imsic_m = nullptr;  // aia=aplic-imsic: the machine-level pages
  Imsic* imsic_s = nullptr;  // the supervisor-level and guest pages
  // aia=aplic-imsic: hart h's interrupt files, for its AIA CSRs. m drives
  // MEIP and s SEIP; guests[g - 1] is guest file g (hgeip bit g), which the
  // board leaves unconnected.
  struct HartImsic {
    ImsicFile* m = nullptr;
    ImsicFile* s = nullptr;
    std::vector<ImsicFile*> guests;
  };
  std::vector<HartImsic> imsic;
  Uart16550* uart = nullptr;
  GoldfishRtc* rtc = nullptr;
  std::vector<std::uint8_t> fdt;  // the device tree blob as loaded
  Addr fdt_addr = 0;
  Addr firmware_entry = 0;  // where the reset ROM jumps
  Addr kernel_entry = 0;    // next stage for the firmware (0: no -kernel)
  Addr initrd_start = 0, initrd_end = 0;
};

// Populate `machine` (which must be empty), load the images, build the device
// tree and the reset ROM. Every hart starts in the ROM at 0x1000. Throws
// Error for bad configurations and files.
RiscvVirtBoard build_riscv_virt(Machine& machine, const RiscvVirtConfig& config, CharBackend& console);

// ---- pieces of the boot flow, exposed for tests ----

// The reset ROM at 0x1000 (QEMU calls it mrom): a0 = mhartid, a1 = fdt,
// a2 = the fw_dynamic_info that follows the code, then a jump to `entry`.
// `next_addr` is fw_dynamic_info.next_addr (OpenSBI's next stage, in S-mode).
std::vector<std::uint8_t> make_reset_rom(Addr entry, Addr fdt, Addr next_addr);
constexpr unsigned kResetRomInstructions = 6;
constexpr Addr kResetRomInfoOffset = 0x28;  // fw_dynamic_info within the ROM

// The device-tree blob QEMU 7.2's virt would describe for this configuration.
struct VirtFdtParams {
  std::uint64_t ram_size = 0;
  std::vector<std::string> isa;  // riscv,isa of each hart
  std::string mmu_type;
  std::vector<unsigned> virtio_slots;
  VirtAia aia = VirtAia::None;
  unsigned aia_guests = 0;
  std::string bootargs;
  Addr initrd_start = 0, initrd_end = 0;  // both 0: no initrd
};
std::vector<std::uint8_t> make_virt_fdt(const VirtFdtParams& params);
// Set /chosen's bootargs and initrd range in an existing blob (for -dtb),
// creating /chosen if needed. Throws Error for a malformed blob.
std::vector<std::uint8_t> patch_fdt_chosen(std::vector<std::uint8_t> blob, const std::string& bootargs,
                                           Addr initrd_start, Addr initrd_end);
// QEMU 7.2's placement: the highest 2 MiB-aligned address at which the blob
// ends below the end of DRAM or 3 GiB, whichever is lower.
Addr fdt_load_address(std::uint64_t ram_size, std::uint64_t fdt_size);

}  // namespace orrery
