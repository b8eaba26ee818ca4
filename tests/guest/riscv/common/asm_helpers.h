/* Helpers to execute exactly one chosen instruction from C (inline asm). */
#ifndef ORRERY_ASM_HELPERS_H
#define ORRERY_ASM_HELPERS_H
#include <stdint.h>

/* Wrap asm text so the assembler does not substitute compressed encodings. */
#define NORVC(s) ".option push\n\t.option norvc\n\t" s "\n\t.option pop\n\t"

/* rd = op(rs1, rs2) */
#define ROP(op, a, b) ({ uint64_t _r; \
    __asm__ __volatile__(NORVC(op " %0, %1, %2") : "=&r"(_r) \
        : "r"((uint64_t)(a)), "r"((uint64_t)(b))); _r; })
/* rd = op(rs1, imm) */
#define IOP(op, a, imm) ({ uint64_t _r; \
    __asm__ __volatile__(NORVC(op " %0, %1, %2") : "=&r"(_r) \
        : "r"((uint64_t)(a)), "i"(imm)); _r; })

#endif
