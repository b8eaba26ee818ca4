/*
 * rv64i_control: every conditional branch taken / not taken (forward and
 * backward, signed vs unsigned compares), JAL/JALR link values, JALR target
 * computation (offset added, bit 0 cleared), jumps to 2-byte aligned targets.
 */
#include "guest.h"
#include "asm_helpers.h"

/* 1 if the branch is taken (forward target) */
#define BRF(op, a, b) ({ uint64_t _t; __asm__ __volatile__(NORVC( \
    op " %1, %2, 1f\n\tli %0, 0\n\tj 2f\n1:\tli %0, 1\n2:") \
    : "=&r"(_t) : "r"((uint64_t)(a)), "r"((uint64_t)(b))); _t; })
/* 1 if the branch is taken (backward target) */
#define BRB(op, a, b) ({ uint64_t _t; __asm__ __volatile__(NORVC( \
    "j 2f\n1:\tli %0, 1\n\tj 3f\n2:\t" op " %1, %2, 1b\n\tli %0, 0\n3:") \
    : "=&r"(_t) : "r"((uint64_t)(a)), "r"((uint64_t)(b))); _t; })

#define T_BR(op, a, b, taken) do { \
    EXPECT_EQ(op " " #a ", " #b " fwd", BRF(op, a, b), taken); \
    EXPECT_EQ(op " " #a ", " #b " bwd", BRB(op, a, b), taken); } while (0)

static void test_branches(void)
{
    T_BR("beq", 5, 5, 1);
    T_BR("beq", 5, 6, 0);
    T_BR("beq", 0x100000005, 5, 0);   /* all 64 bits compared */
    T_BR("bne", 5, 6, 1);
    T_BR("bne", -1, -1, 0);
    T_BR("blt", -1, 1, 1);
    T_BR("blt", 1, -1, 0);
    T_BR("blt", 3, 3, 0);
    T_BR("blt", 0x8000000000000000, 0x7fffffffffffffff, 1);
    T_BR("bge", 1, -1, 1);
    T_BR("bge", 3, 3, 1);
    T_BR("bge", -2, -1, 0);
    T_BR("bltu", 1, -1, 1);
    T_BR("bltu", -1, 1, 0);
    T_BR("bltu", 3, 3, 0);
    T_BR("bltu", 0x7fffffffffffffff, 0x8000000000000000, 1);
    T_BR("bgeu", -1, 1, 1);
    T_BR("bgeu", 3, 3, 1);
    T_BR("bgeu", 1, -1, 0);
    T_BR("bgeu", 0, 0xffffffff, 0);
}

static void test_far_branches(void)
{
    uint64_t t;
    /* near-maximal forward offset (+4092) */
    __asm__ __volatile__(NORVC("li %0, 0\n\tbeq x0, x0, 1f\n\t.skip 4088\n1:\taddi %0, %0, 1")
                         : "=&r"(t));
    EXPECT_EQ("beq +4092", t, 1);
    /* maximal backward offset (-4096) */
    __asm__ __volatile__(NORVC("li %0, 0\n\tj 2f\n1:\taddi %0, %0, 1\n\tj 3f\n\t.skip 4084\n"
                               "2:\tbne %0, x0, 3f\n\tbgeu %0, x0, 1b\n3:")
                         : "=&r"(t));
    EXPECT_EQ("bgeu -4096", t, 1);
    /* JAL over 64 KiB */
    __asm__ __volatile__(NORVC("li %0, 0\n\tjal x0, 1f\n\t.skip 65536\n1:\taddi %0, %0, 7")
                         : "=&r"(t));
    EXPECT_EQ("jal +65540", t, 7);
}

static void test_jal(void)
{
    uint64_t link, here, zero;
    __asm__ __volatile__(NORVC("1:\tjal %0, 2f\n\tnop\n2:\tlla %1, 1b")
                         : "=&r"(link), "=&r"(here));
    EXPECT_EQ("jal link = pc+4", link - here, 4);
    __asm__ __volatile__(NORVC("j 2f\n1:\tj 3f\n2:\tjal %0, 1b\n3:\tlla %1, 2b")
                         : "=&r"(link), "=&r"(here));
    EXPECT_EQ("jal backward link = pc+4", link - here, 4);
    __asm__ __volatile__(NORVC("jal x0, 1f\n1:\tmv %0, x0") : "=r"(zero));
    EXPECT_EQ("jal x0 does not link", zero, 0);
}

static void test_jalr(void)
{
    uint64_t link, here, hit;
    /* plain jalr, link = pc + 4 */
    __asm__ __volatile__(NORVC("lla t0, 3f\n\tli %2, 0\n1:\tjalr %0, 0(t0)\n\tli %2, 99\n"
                               "3:\taddi %2, %2, 1\n\tlla %1, 1b")
                         : "=&r"(link), "=&r"(here), "=&r"(hit) :: "t0");
    EXPECT_EQ("jalr link = pc+4", link - here, 4);
    EXPECT_EQ("jalr reaches target", hit, 1);
    /* positive and negative offsets are added to rs1 */
    __asm__ __volatile__(NORVC("lla t0, 3f\n\taddi t0, t0, -100\n\tli %0, 0\n\tjalr x0, 100(t0)\n"
                               "\tli %0, 99\n3:\taddi %0, %0, 1")
                         : "=&r"(hit) :: "t0");
    EXPECT_EQ("jalr +100 offset", hit, 1);
    __asm__ __volatile__(NORVC("lla t0, 3f\n\taddi t0, t0, 2047\n\taddi t0, t0, 1\n\tli %0, 0\n"
                               "\tjalr x0, -2048(t0)\n\tli %0, 99\n3:\taddi %0, %0, 1")
                         : "=&r"(hit) :: "t0");
    EXPECT_EQ("jalr -2048 offset", hit, 1);
    /* the lowest bit of the target is cleared: rs1 odd */
    __asm__ __volatile__(NORVC("lla t0, 3f\n\taddi t0, t0, 1\n\tli %0, 0\n\tjalr x0, 0(t0)\n"
                               "\tli %0, 99\n3:\taddi %0, %0, 1")
                         : "=&r"(hit) :: "t0");
    EXPECT_EQ("jalr clears bit 0 (odd rs1)", hit, 1);
    /* ... offset odd */
    __asm__ __volatile__(NORVC("lla t0, 3f\n\taddi t0, t0, -4\n\tli %0, 0\n\tjalr x0, 5(t0)\n"
                               "\tli %0, 99\n3:\taddi %0, %0, 1")
                         : "=&r"(hit) :: "t0");
    EXPECT_EQ("jalr clears bit 0 (odd offset)", hit, 1);
    /* rd == rs1: target uses the old value */
    __asm__ __volatile__(NORVC("lla t0, 3f\n\tli %2, 0\n1:\tjalr t0, 0(t0)\n\tli %2, 99\n"
                               "3:\taddi %2, %2, 1\n\tmv %0, t0\n\tlla %1, 1b")
                         : "=&r"(link), "=&r"(here), "=&r"(hit) :: "t0");
    EXPECT_EQ("jalr rd==rs1 target", hit, 1);
    EXPECT_EQ("jalr rd==rs1 link", link - here, 4);
    /* call/return through a real function pointer */
    __asm__ __volatile__(NORVC("lla t1, 5f\n\tli %0, 0\n\tjalr ra, 0(t1)\n\taddi %0, %0, 10\n\tj 6f\n"
                               "5:\taddi %0, %0, 1\n\tjalr x0, 0(ra)\n6:")
                         : "=&r"(hit) :: "t1", "ra");
    EXPECT_EQ("jalr call + ret", hit, 11);
}

/* Targets at 2 mod 4 are legal when C is implemented (IALIGN = 16). */
static void test_halfword_targets(void)
{
    uint64_t hit, link, here;
    __asm__ __volatile__(".option push\n\t.option rvc\n\t"
                         "li %0, 0\n\tlla t0, 2f\n\tj 3f\n"
                         "\t.balign 4\n1:\tc.nop\n\t.option norvc\n2:\t\taddi %0, %0, 1\n\tj 4f\n"
                         "3:\tandi t1, t0, 3\n\tli t2, 2\n\tbne t1, t2, 4f\n"
                         "\tjalr x0, 0(t0)\n4:\n\t.option pop"
                         : "=&r"(hit) :: "t0", "t1", "t2");
    EXPECT_EQ("jalr to 4n+2 target", hit, 1);
    __asm__ __volatile__(".option push\n\t.option norvc\n\t"
                         "li %0, 0\n\tj 3f\n"
                         "\t.option rvc\n\t.balign 4\n\tc.nop\n\t.option norvc\n"
                         "2:\taddi %0, %0, 1\n\tj 4f\n"
                         "\t.option rvc\n\t.balign 4\n\tc.nop\n\t.option norvc\n"
                         "3:\tjal %1, 2b\n4:\tlla %2, 3b\n\t.option pop"
                         : "=&r"(hit), "=&r"(link), "=&r"(here));
    EXPECT_EQ("jal to 4n+2 target", hit, 1);
    EXPECT_EQ("jal at 4n+2 links pc+4", link - here, 4);
    EXPECT_EQ("jal at 4n+2 is at 4n+2", here & 3, 2);
}

int main(void)
{
    test_branches();
    test_far_branches();
    test_jal();
    test_jalr();
    test_halfword_targets();
    return test_summary("rv64i_control");
}
