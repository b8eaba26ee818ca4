/*
 * Table-driven harness for the F and D tests.  Each operation is wrapped in a
 * function that loads raw 64-bit register images into ft0..ft2 (so NaN-boxing
 * can be tested), clears fflags, runs the instruction with the requested
 * static rounding mode (or DYN), reads fflags and returns the raw 64-bit
 * destination (fmv.x.d of ft3) or the integer destination register.
 */
#ifndef ORRERY_FP_HARNESS_H
#define ORRERY_FP_HARNESS_H
#include "guest.h"

enum { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, RM_DYN = 7 };
/* Table rm value meaning "encode rm=DYN and set frm = m". */
#define DYN(m) (0x10 | (m))

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

typedef uint64_t (*fp_fn)(int rm, uint64_t a, uint64_t b, uint64_t c, uint64_t *flags);

struct fp_case {
    const char *name;
    fp_fn fn;
    int rm;
    uint64_t a, b, c;
    uint64_t want;
    uint64_t flags;
};

#define FP_POST_F "\n\tfmv.x.d %0, ft3"
#define FP_POST_X ""

#define FP_ASM(body, post) __asm__ __volatile__( \
    "fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\tfmv.d.x ft2, %4\n\tfsflags x0\n\t" \
    body "\n\tfrflags %1" post \
    : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3")

/* An instruction with a rounding-mode field: body is the text without rm. */
#define DEF_RM(fn, body, post) \
static uint64_t fn(int rm, uint64_t a, uint64_t b, uint64_t c, uint64_t *fl) \
{ \
    uint64_t r, f; \
    switch (rm) { \
    case RNE: FP_ASM(body ", rne", post); break; \
    case RTZ: FP_ASM(body ", rtz", post); break; \
    case RDN: FP_ASM(body ", rdn", post); break; \
    case RUP: FP_ASM(body ", rup", post); break; \
    case RMM: FP_ASM(body ", rmm", post); break; \
    default:  FP_ASM(body ", dyn", post); break; \
    } \
    *fl = f; \
    return r; \
}

/* An instruction without a rounding-mode field. */
#define DEF_NORM(fn, body, post) \
static uint64_t fn(int rm, uint64_t a, uint64_t b, uint64_t c, uint64_t *fl) \
{ \
    uint64_t r, f; \
    (void)rm; \
    FP_ASM(body, post); \
    *fl = f; \
    return r; \
}

static const char *const rm_names[8] = { " rne", " rtz", " rdn", " rup", " rmm", " rm5", " rm6", " dyn" };

/*
 * Run a table.  For static rounding modes frm is set to a different mode so
 * that a wrong use of frm shows up; for DYN(m) frm = m.
 */
static void fp_run_cases(const struct fp_case *t, int n)
{
    for (int i = 0; i < n; i++, t++) {
        int enc, frm;
        if (t->rm & 0x10) {
            enc = RM_DYN;
            frm = t->rm & 7;
        } else {
            enc = t->rm;
            frm = (t->rm + 2) % 5;
        }
        __asm__ __volatile__("fsrm %0" :: "r"((uint64_t)frm));
        uint64_t flags;
        uint64_t r = t->fn(enc, t->a, t->b, t->c, &flags);
        check_eq(t->name, r, t->want);
        check_eq2(t->name, " fflags", flags, t->flags);
    }
    __asm__ __volatile__("fsrm x0");
}

#define NCASES(t) ((int)(sizeof(t) / sizeof((t)[0])))

#endif
