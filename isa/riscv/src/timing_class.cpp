// What the timing model needs to know about each instruction: its class
// (latency, functional unit), the registers it reads and writes, and how it
// transfers control. Derived from the major opcode and function fields of
// the (expanded) 32-bit encoding, once per decode-cache fill.
#include "orrery/riscv/decode.hpp"

namespace orrery::riscv {

namespace {

using timing::Control;
using timing::OpClass;

std::uint8_t xr(unsigned r) { return static_cast<std::uint8_t>(r & 31); }  // x0 is "none"
std::uint8_t fr(unsigned r) { return static_cast<std::uint8_t>(32 + (r & 31)); }

// Unprivileged spec, "Control Transfer Instructions", table "Return-address
// stack prediction hints": x1 and x5 are link registers.
bool is_link(unsigned r) { return r == 1 || r == 5; }

}  // namespace

void classify(Decoded& d, std::uint32_t raw) {
  const unsigned rd = (raw >> 7) & 31, rs1 = (raw >> 15) & 31, rs2 = (raw >> 20) & 31, rs3 = raw >> 27;
  const unsigned funct3 = (raw >> 12) & 7, funct7 = raw >> 25, funct5 = raw >> 27;
  OpClass cls = OpClass::Alu;
  Control ctl = Control::None;
  std::uint8_t dst = 0, s0 = 0, s1 = 0, s2 = 0;
  switch (raw & 0x7f) {
    case 0x03:  // LOAD
      cls = OpClass::Load, dst = xr(rd), s0 = xr(rs1);
      break;
    case 0x07:  // LOAD-FP
      cls = OpClass::Load, dst = fr(rd), s0 = xr(rs1);
      break;
    case 0x23:  // STORE
      cls = OpClass::Store, s0 = xr(rs1), s1 = xr(rs2);
      break;
    case 0x27:  // STORE-FP
      cls = OpClass::Store, s0 = xr(rs1), s1 = fr(rs2);
      break;
    case 0x2f:  // AMO, LR, SC
      cls = OpClass::Atomic, dst = xr(rd), s0 = xr(rs1), s1 = xr(rs2);
      break;
    case 0x37:  // LUI
    case 0x17:  // AUIPC
      dst = xr(rd);
      break;
    case 0x13:  // OP-IMM
    case 0x1b:  // OP-IMM-32
      dst = xr(rd), s0 = xr(rs1);
      break;
    case 0x33:  // OP
    case 0x3b:  // OP-32
      if (funct7 == 1) cls = funct3 < 4 ? OpClass::Mul : OpClass::Div;
      dst = xr(rd), s0 = xr(rs1), s1 = xr(rs2);
      break;
    case 0x63:  // BRANCH
      cls = OpClass::Branch, ctl = Control::Conditional, s0 = xr(rs1), s1 = xr(rs2);
      break;
    case 0x6f:  // JAL
      cls = OpClass::Jump, ctl = is_link(rd) ? Control::DirectCall : Control::Direct, dst = xr(rd);
      break;
    case 0x67:  // JALR
      cls = OpClass::Jump, dst = xr(rd), s0 = xr(rs1);
      if (is_link(rd)) ctl = Control::IndirectCall;
      else if (is_link(rs1)) ctl = Control::Return;
      else ctl = Control::Indirect;
      break;
    case 0x43:  // FMADD, FMSUB, FNMSUB, FNMADD
    case 0x47:
    case 0x4b:
    case 0x4f:
      cls = OpClass::FpMul, dst = fr(rd), s0 = fr(rs1), s1 = fr(rs2), s2 = fr(rs3);
      break;
    case 0x53:  // OP-FP
      dst = fr(rd), s0 = fr(rs1), s1 = fr(rs2);
      switch (funct5) {
        case 0x02: cls = OpClass::FpMul; break;
        case 0x03: cls = OpClass::FpDiv; break;
        case 0x0b: cls = OpClass::FpSqrt, s1 = 0; break;
        case 0x08: cls = OpClass::FpAdd, s1 = 0; break;              // FCVT between formats
        case 0x14: cls = OpClass::FpAdd, dst = xr(rd); break;       // FEQ, FLT, FLE
        case 0x18: cls = OpClass::FpAdd, dst = xr(rd), s1 = 0; break;  // FCVT to integer
        case 0x1a: cls = OpClass::FpAdd, s0 = xr(rs1), s1 = 0; break;  // FCVT from integer
        case 0x1c: cls = OpClass::FpAdd, dst = xr(rd), s1 = 0; break;  // FMV.X, FCLASS
        case 0x1e: cls = OpClass::FpAdd, s0 = xr(rs1), s1 = 0; break;  // FMV to FP
        default: cls = OpClass::FpAdd; break;                        // add, sub, sign, min/max
      }
      break;
    case 0x73:  // SYSTEM: CSR accesses, ECALL, xRET, WFI, fences of translation
      cls = OpClass::Serial, dst = xr(rd), s0 = funct3 >= 1 && funct3 <= 3 ? xr(rs1) : 0;
      break;
    case 0x0f:  // MISC-MEM: FENCE, FENCE.I
      cls = OpClass::Serial;
      break;
    default:
      break;
  }
  d.tclass = cls;
  d.tcontrol = ctl;
  d.tdst = dst;
  d.tsrc[0] = s0;
  d.tsrc[1] = s1;
  d.tsrc[2] = s2;
}

}  // namespace orrery::riscv
