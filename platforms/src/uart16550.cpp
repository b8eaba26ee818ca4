#include "orrery/platforms/uart16550.hpp"

#include "orrery/core/checkpoint.hpp"

namespace orrery {

void Uart16550::reset() {
  ier_ = lcr_ = mcr_ = scr_ = fcr_ = dll_ = dlm_ = 0;
  thr_empty_pending_ = false;
  has_rx_ = false;
  update_irq();
}

void Uart16550::set_irq(std::function<void(bool)> irq) {
  irq_ = std::move(irq);
  irq_level_ = false;
  if (irq_) irq_(false);
  update_irq();
}

void Uart16550::poll() { update_irq(); }

void Uart16550::update_irq() {
  // The backend's queue stands in for the receive FIFO: once the holding
  // register is read, the next byte moves up and keeps the interrupt high.
  rx_ready();
  const bool level = (iir() & 0x01) == 0;  // IIR bit 0 is "no interrupt pending"
  if (level != irq_level_) {
    irq_level_ = level;
    if (irq_) irq_(level);
  }
}

bool Uart16550::rx_ready() {
  if (!has_rx_) has_rx_ = backend_.read(rx_);
  return has_rx_;
}

std::uint8_t Uart16550::iir() const {
  // Highest-priority pending source; bits 7:6 report enabled FIFOs.
  const std::uint8_t fifo = (fcr_ & 1) ? 0xc0 : 0x00;
  if ((ier_ & kIerRxData) && has_rx_) return fifo | 0x04;
  if ((ier_ & kIerThrEmpty) && thr_empty_pending_) return fifo | 0x02;
  return fifo | 0x01;  // no interrupt pending
}

bool Uart16550::read(Addr offset, unsigned size, std::uint64_t& value) {
  const bool ok = access_read(offset, size, value);
  update_irq();
  return ok;
}

bool Uart16550::access_read(Addr offset, unsigned, std::uint64_t& value) {
  const bool dlab = lcr_ & kLcrDlab;
  switch (offset) {
    case kRbrThr:
      if (dlab) {
        value = dll_;
      } else {
        value = rx_ready() ? rx_ : 0;
        has_rx_ = false;
      }
      return true;
    case kIer: value = dlab ? dlm_ : ier_; return true;
    case kIirFcr: {
      rx_ready();
      const std::uint8_t v = iir();
      if ((v & 0x0f) == 0x02) thr_empty_pending_ = false;  // reading IIR clears a THRE indication
      value = v;
      return true;
    }
    case kLcr: value = lcr_; return true;
    case kMcr: value = mcr_; return true;
    case kLsr: value = kLsrThrEmpty | kLsrTxEmpty | (rx_ready() ? kLsrDataReady : 0); return true;
    // Modem status: CTS, DSR and DCD asserted, as a connected terminal.
    case kMsr: value = 0xb0; return true;
    case kScr: value = scr_; return true;
    default: value = 0; return true;  // the rest of the 0x100 window reads as zero
  }
}

bool Uart16550::write(Addr offset, unsigned size, std::uint64_t value) {
  const bool ok = access_write(offset, size, value);
  update_irq();
  return ok;
}

bool Uart16550::access_write(Addr offset, unsigned, std::uint64_t value) {
  const std::uint8_t v = static_cast<std::uint8_t>(value);
  const bool dlab = lcr_ & kLcrDlab;
  switch (offset) {
    case kRbrThr:
      if (dlab) {
        dll_ = v;
      } else {
        backend_.write(v);
        thr_empty_pending_ = true;  // transmitted at once: the holding register is empty again
      }
      return true;
    case kIer:
      if (dlab) {
        dlm_ = v;
      } else {
        // Enabling the THRE interrupt with an empty THR raises it at once.
        if ((v & kIerThrEmpty) && !(ier_ & kIerThrEmpty)) thr_empty_pending_ = true;
        ier_ = v & 0x0f;
      }
      return true;
    case kIirFcr:
      fcr_ = v & 0xc9;  // FIFO enable, DMA mode and trigger level; reset bits self-clear
      if (v & 0x02) has_rx_ = false;
      return true;
    case kLcr: lcr_ = v; return true;
    case kMcr: mcr_ = v & 0x1f; return true;
    case kScr: scr_ = v; return true;
    default: return true;  // LSR/MSR writes and the unused window are ignored
  }
}

// A received byte not yet read is part of the state; the host's input
// after it is not (it arrives again on the restored run's console).
void Uart16550::save_state(StateWriter& out) const { const_cast<Uart16550*>(this)->checkpoint_state(out); }

void Uart16550::load_state(StateReader& in) {
  checkpoint_state(in);
  if (irq_) irq_(irq_level_);
}

}  // namespace orrery
