/*
 * rv64i_mem: every RV64I load/store width, sign/zero extension, immediate
 * offsets, and misaligned loads/stores (QEMU and the spec allow misaligned
 * accesses to complete in hardware; we check the data).
 */
#include "guest.h"
#include "asm_helpers.h"

#define LOAD(op, ptr, off) ({ uint64_t _r; \
    __asm__ __volatile__(NORVC(op " %0, " #off "(%1)") : "=r"(_r) \
        : "r"(ptr) : "memory"); _r; })
#define STORE(op, ptr, off, val) \
    __asm__ __volatile__(NORVC(op " %1, " #off "(%0)") :: "r"(ptr), \
        "r"((uint64_t)(val)) : "memory")

static const uint8_t pattern[16] = {
    0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
    0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f,
};

static uint8_t buf[64] __attribute__((aligned(16)));

/* Hide pointer arithmetic from the compiler's bounds warnings. */
#define LAUNDER(p) ({ uint8_t *_p = (p); __asm__("" : "+r"(_p)); _p; })
static uint8_t page[8192] __attribute__((aligned(4096)));

static void fill(void)
{
    for (int i = 0; i < 64; i++)
        buf[i] = pattern[i & 15];
}

#define T_LD(op, off, want) EXPECT_EQ(op " buf+" #off, LOAD(op, buf, off), want)

static void test_aligned_loads(void)
{
    fill();
    T_LD("lb", 0, 0xfffffffffffffff0);
    T_LD("lb", 8, 0x78);
    T_LD("lbu", 0, 0xf0);
    T_LD("lbu", 15, 0x0f);
    T_LD("lh", 0, 0xffffffffffffe1f0);
    T_LD("lh", 8, 0x6978);
    T_LD("lhu", 0, 0xe1f0);
    T_LD("lhu", 2, 0xc3d2);
    T_LD("lw", 0, 0xffffffffc3d2e1f0);
    T_LD("lw", 4, 0xffffffff8796a5b4);
    T_LD("lw", 8, 0x4b5a6978);
    T_LD("lwu", 0, 0xc3d2e1f0);
    T_LD("lwu", 4, 0x8796a5b4);
    T_LD("ld", 0, 0x8796a5b4c3d2e1f0);
    T_LD("ld", 8, 0x0f1e2d3c4b5a6978);
}

static void test_offsets(void)
{
    fill();
    uint8_t *p = buf + 8;
    EXPECT_EQ("lw -8(p)", LOAD("lw", p, -8), 0xffffffffc3d2e1f0);
    EXPECT_EQ("lbu -1(p)", LOAD("lbu", p, -1), 0x87);
    EXPECT_EQ("ld 2047(p-2047)", LOAD("ld", LAUNDER(buf) - 2047, 2047), 0x8796a5b4c3d2e1f0);
    EXPECT_EQ("ld -2048(p+2048)", LOAD("ld", LAUNDER(buf) + 2048, -2048), 0x8796a5b4c3d2e1f0);
    STORE("sd", LAUNDER(buf) + 2048 + 8, -2048, 0x1122334455667788);
    EXPECT_EQ("sd -2048(p+2056)", LOAD("ld", buf, 8), 0x1122334455667788);
    STORE("sw", LAUNDER(buf) - 2047 + 16, 2047, 0xa1b2c3d4);
    EXPECT_EQ("sw 2047(p-2031)", LOAD("lwu", buf, 16), 0xa1b2c3d4);
}

static void test_misaligned_loads(void)
{
    fill();
    T_LD("lh", 1, 0xffffffffffffd2e1);
    T_LD("lh", 7, 0x7887);
    T_LD("lhu", 1, 0xd2e1);
    T_LD("lhu", 15, 0xf00f);
    T_LD("lw", 1, 0xffffffffb4c3d2e1);
    T_LD("lw", 3, 0xffffffff96a5b4c3);
    T_LD("lw", 6, 0x69788796);
    T_LD("lwu", 1, 0xb4c3d2e1);
    T_LD("lwu", 7, 0x5a697887);
    T_LD("ld", 1, 0x788796a5b4c3d2e1);
    T_LD("ld", 4, 0x4b5a69788796a5b4);
    T_LD("ld", 5, 0x3c4b5a69788796a5);
    T_LD("ld", 7, 0x1e2d3c4b5a697887);

    /* Sweep every offset 0..15 for every width against a byte-wise reference. */
    static const char *names[] = { "lh", "lhu", "lw", "lwu", "ld" };
    for (int w = 0; w < 5; w++) {
        int bad = -1;
        for (int off = 0; off < 16; off++) {
            uint8_t *p = buf + off;
            uint64_t got, ref = 0;
            int size = w < 2 ? 2 : w < 4 ? 4 : 8;
            for (int i = size - 1; i >= 0; i--)
                ref = (ref << 8) | p[i];
            switch (w) {
            case 0: got = LOAD("lh", p, 0);  ref = (uint64_t)(int64_t)(int16_t)ref; break;
            case 1: got = LOAD("lhu", p, 0); break;
            case 2: got = LOAD("lw", p, 0);  ref = (uint64_t)(int64_t)(int32_t)ref; break;
            case 3: got = LOAD("lwu", p, 0); break;
            default: got = LOAD("ld", p, 0); break;
            }
            if (got != ref && bad < 0)
                bad = off;
        }
        char name[40] = "sweep offsets 0..15 ";
        memcpy(name + 20, names[w], strlen(names[w]) + 1);
        EXPECT_EQ(name, bad, -1);
    }
}

static int bytes_are(const uint8_t *p, const uint8_t *want, int n)
{
    return memcmp(p, want, n) == 0;
}

static void test_stores(void)
{
    memset(buf, 0xaa, sizeof buf);
    STORE("sb", buf, 1, 0x1234);
    CHECK("sb writes low byte only", bytes_are(buf, (const uint8_t[]){0xaa, 0x34, 0xaa}, 3));
    STORE("sh", buf, 4, 0xfedcba98);
    CHECK("sh writes 2 bytes", bytes_are(buf + 3, (const uint8_t[]){0xaa, 0x98, 0xba, 0xaa}, 4));
    STORE("sw", buf, 8, 0x1122334455667788);
    CHECK("sw writes 4 bytes", bytes_are(buf + 7, (const uint8_t[]){0xaa, 0x88, 0x77, 0x66, 0x55, 0xaa}, 6));
    STORE("sd", buf, 16, 0x0102030405060708);
    CHECK("sd writes 8 bytes", bytes_are(buf + 15,
        (const uint8_t[]){0xaa, 8, 7, 6, 5, 4, 3, 2, 1, 0xaa}, 10));
    EXPECT_EQ("ld after sd", LOAD("ld", buf, 16), 0x0102030405060708);
    EXPECT_EQ("lb after sb", LOAD("lb", buf, 1), 0x34);

    /* misaligned stores */
    memset(buf, 0xaa, sizeof buf);
    STORE("sh", buf, 7, 0xbeef);
    CHECK("sh misaligned +7", bytes_are(buf + 6, (const uint8_t[]){0xaa, 0xef, 0xbe, 0xaa}, 4));
    STORE("sw", buf, 13, 0xcafebabe);
    CHECK("sw misaligned +13", bytes_are(buf + 12, (const uint8_t[]){0xaa, 0xbe, 0xba, 0xfe, 0xca, 0xaa}, 6));
    STORE("sw", buf, 22, 0x01020304);
    CHECK("sw misaligned +22", bytes_are(buf + 21, (const uint8_t[]){0xaa, 4, 3, 2, 1, 0xaa}, 6));
    STORE("sd", buf, 33, 0x8877665544332211);
    CHECK("sd misaligned +33", bytes_are(buf + 32,
        (const uint8_t[]){0xaa, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0xaa}, 10));
    STORE("sd", buf, 46, 0xdeadbeef01234567);
    CHECK("sd misaligned +46", bytes_are(buf + 45,
        (const uint8_t[]){0xaa, 0x67, 0x45, 0x23, 0x01, 0xef, 0xbe, 0xad, 0xde, 0xaa}, 10));
    EXPECT_EQ("ld misaligned readback +46", LOAD("ld", buf, 46), 0xdeadbeef01234567);
    EXPECT_EQ("lw misaligned readback +13", LOAD("lw", buf, 13), 0xffffffffcafebabe);
}

static void test_page_cross(void)
{
    uint8_t *edge = page + 4096;
    for (int i = -8; i < 8; i++)
        edge[i] = (uint8_t)(0x40 + i);
    /* bytes at edge-3 .. edge+4: 0x3d 0x3e 0x3f 0x40 0x41 0x42 0x43 0x44 */
    EXPECT_EQ("ld across page", LOAD("ld", edge, -3), 0x44434241403f3e3d);
    EXPECT_EQ("lw across page", LOAD("lw", edge, -1), 0x4241403f);
    EXPECT_EQ("lhu across page", LOAD("lhu", edge, -1), 0x403f);
    STORE("sd", edge, -5, 0xf7f6f5f4f3f2f1f0);
    CHECK("sd across page", bytes_are(edge - 6,
        (const uint8_t[]){0x3a, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0x43}, 10));
    STORE("sw", edge, -2, 0x11223344);
    CHECK("sw across page", bytes_are(edge - 3,
        (const uint8_t[]){0xf2, 0x44, 0x33, 0x22, 0x11, 0xf7}, 6));
}

static void test_load_x0(void)
{
    uint64_t r;
    fill();
    __asm__ __volatile__(NORVC("ld x0, 0(%1)\n\tmv %0, x0") : "=r"(r) : "r"(buf) : "memory");
    EXPECT_EQ("ld into x0 ignored", r, 0);
    /* load with rd == rs1 */
    __asm__ __volatile__(NORVC("mv %0, %1\n\tld %0, 8(%0)") : "=&r"(r) : "r"(buf) : "memory");
    EXPECT_EQ("ld rd==rs1", r, 0x0f1e2d3c4b5a6978);
}

int main(void)
{
    test_aligned_loads();
    test_offsets();
    test_misaligned_loads();
    test_stores();
    test_page_cross();
    test_load_x0();
    return test_summary("rv64i_mem");
}
