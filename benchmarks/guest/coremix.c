/*
 * coremix - a CoreMark-like mix of small-working-set integer kernels,
 * written from scratch for Orrery (same spirit as CoreMark: short kernels
 * a compiler cannot fold away, results chained through a CRC; none of its
 * code).  Every iteration reseeds the kernels from the previous CRC, so
 * iterations depend on each other and the whole run is one dependency
 * chain that a wrong result anywhere derails.
 *
 *   list    a 192-node singly linked list: key searches, in-place reversal,
 *           merge sort by value and back by key through a comparison
 *           function pointer (pointer chasing, indirect calls);
 *   matrix  20x20 int16 matrices: add a constant, multiply by a constant,
 *           matrix-vector and matrix-matrix products, bit-field extraction
 *           from the products (multiply/accumulate, nested loops);
 *   scan    a finite-state machine classifying comma-separated number
 *           tokens (decimal, float with exponent, hex, garbage) in a
 *           generated 512-byte text (byte loads, switch dispatch,
 *           unpredictable branches);
 *   crc16   CRC-16/CCITT computed bit by bit over every kernel's output.
 */
#include "bench.h"

#define ITERATIONS 800u

/* ------------------------------------------------------------ crc16 -- */
/* CRC-16/CCITT (polynomial 0x1021, MSB first), one bit per step: the
 * shift/xor/branch loop is part of the measured mix. */
static uint16_t crc16_byte(uint16_t crc, uint8_t b)
{
    crc ^= (uint16_t)b << 8;
    for (int k = 0; k < 8; k++)
        crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    return crc;
}

static uint16_t crc16_u16(uint16_t crc, uint16_t v)
{
    return crc16_byte(crc16_byte(crc, (uint8_t)v), (uint8_t)(v >> 8));
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v)
{
    return crc16_u16(crc16_u16(crc, (uint16_t)v), (uint16_t)(v >> 16));
}

/* ------------------------------------------------------------- list -- */
#define LIST_N  192
#define FINDS   24

struct node {
    struct node *next;
    int16_t key;
    int32_t val;
};

static struct node pool[LIST_N] BENCH_DATA;

typedef int (*node_cmp)(const struct node *, const struct node *);

static int by_key(const struct node *a, const struct node *b) { return a->key - b->key; }
static int by_val(const struct node *a, const struct node *b)
{
    return (a->val > b->val) - (a->val < b->val);
}

/* Links the pool in a shuffled order so traversal is not sequential in
 * memory, with keys 0..LIST_N-1 (unique) and random values. */
static struct node *list_build(struct bench_rng *rng)
{
    static uint8_t order[LIST_N] BENCH_DATA;
    for (int i = 0; i < LIST_N; i++)
        order[i] = (uint8_t)i;
    for (int i = LIST_N - 1; i > 0; i--) {
        int j = (int)rng_below(rng, (uint64_t)i + 1);
        uint8_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    struct node *head = NULL;
    for (int i = 0; i < LIST_N; i++) {
        struct node *n = &pool[order[i]];
        n->key = (int16_t)i;
        n->val = (int32_t)(rng_next(rng) & 0xfffffu) - 0x80000;
        n->next = head;
        head = n;
    }
    return head;
}

/* Position of the first node with the key, or -1. */
static int list_find(const struct node *n, int16_t key)
{
    for (int pos = 0; n; n = n->next, pos++)
        if (n->key == key)
            return pos;
    return -1;
}

static struct node *list_reverse(struct node *n)
{
    struct node *prev = NULL;
    while (n) {
        struct node *next = n->next;
        n->next = prev;
        prev = n;
        n = next;
    }
    return prev;
}

/* Bottom-up merge sort of a list: merge runs of width 1, 2, 4, ... in
 * place by relinking; stable, no extra memory, O(n log n) comparisons. */
static struct node *list_sort(struct node *head, node_cmp cmp)
{
    for (int width = 1;; width *= 2) {
        struct node *in = head, *out = NULL, **tail = &out;
        int merges = 0;
        while (in) {
            merges++;
            struct node *a = in, *b = in;
            int na = 0;
            while (b && na < width) {
                b = b->next;
                na++;
            }
            int nb = width;
            while (na > 0 || (nb > 0 && b)) {
                struct node *take;
                if (na == 0 || (nb > 0 && b && cmp(b, a) < 0)) {
                    take = b;
                    b = b->next;
                    nb--;
                } else {
                    take = a;
                    a = a->next;
                    na--;
                }
                *tail = take;
                tail = &take->next;
            }
            in = b;
        }
        *tail = NULL;
        head = out;
        if (merges <= 1)
            return head;
    }
}

static uint16_t list_kernel(uint16_t crc, struct bench_rng *rng)
{
    struct node *head = list_build(rng);
    for (int i = 0; i < FINDS; i++) {
        /* one key in eight is absent (keys only go up to LIST_N - 1) */
        int16_t key = (int16_t)rng_below(rng, LIST_N + LIST_N / 8);
        crc = crc16_u16(crc, (uint16_t)list_find(head, key));
    }
    head = list_reverse(head);
    crc = crc16_u16(crc, (uint16_t)head->key);
    head = list_sort(head, by_val);
    for (const struct node *n = head; n; n = n->next)
        crc = crc16_u16(crc, (uint16_t)n->key);
    head = list_sort(head, by_key);
    /* sorted by key again: the keys must be 0, 1, 2, ... */
    int16_t expect = 0;
    for (const struct node *n = head; n; n = n->next, expect++)
        if (n->key != expect)
            crc ^= 0xdead;
    return crc16_u32(crc, (uint32_t)head->val);
}

/* ----------------------------------------------------------- matrix -- */
#define MAT_N 20

static int16_t mat_a[MAT_N][MAT_N] BENCH_DATA, mat_b[MAT_N][MAT_N] BENCH_DATA;
static int32_t mat_c[MAT_N][MAT_N] BENCH_DATA, vec_out[MAT_N] BENCH_DATA;

static void mat_fill(struct bench_rng *rng)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            uint64_t r = rng_next(rng);
            mat_a[i][j] = (int16_t)((int)(r & 0x3ff) - 0x200);
            mat_b[i][j] = (int16_t)((int)((r >> 16) & 0x3ff) - 0x200);
        }
}

static void mat_add_const(int16_t m[MAT_N][MAT_N], int16_t c)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            m[i][j] = (int16_t)(m[i][j] + c);
}

static void mat_mul_const(int32_t out[MAT_N][MAT_N], int16_t m[MAT_N][MAT_N], int16_t c)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            out[i][j] = (int32_t)m[i][j] * c;
}

static void mat_mul_vec(int32_t out[MAT_N], int16_t m[MAT_N][MAT_N], const int16_t v[MAT_N])
{
    for (int i = 0; i < MAT_N; i++) {
        int32_t s = 0;
        for (int j = 0; j < MAT_N; j++)
            s += (int32_t)m[i][j] * v[j];
        out[i] = s;
    }
}

static void mat_mul(int32_t out[MAT_N][MAT_N], int16_t a[MAT_N][MAT_N], int16_t b[MAT_N][MAT_N])
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++)
                s += (int32_t)a[i][k] * b[k][j];
            out[i][j] = s;
        }
}

/* Sum of products of two bit fields of every element: shifts and masks
 * on top of the multiplies. */
static uint32_t mat_fields(int32_t m[MAT_N][MAT_N])
{
    uint32_t s = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            uint32_t v = (uint32_t)m[i][j];
            s += ((v >> 2) & 0x7fu) * ((v >> 11) & 0x1fu);
        }
    return s;
}

static uint16_t mat_crc(uint16_t crc, int32_t m[MAT_N][MAT_N])
{
    for (int i = 0; i < MAT_N; i++)
        crc = crc16_u32(crc, (uint32_t)m[i][i] ^ (uint32_t)m[i][MAT_N - 1 - i]);
    return crc;
}

static uint16_t matrix_kernel(uint16_t crc, struct bench_rng *rng)
{
    mat_fill(rng);
    int16_t c = (int16_t)(rng_next(rng) & 0xff) | 1;

    mat_add_const(mat_a, c);
    mat_mul_const(mat_c, mat_a, c);
    crc = mat_crc(crc, mat_c);
    crc = crc16_u32(crc, mat_fields(mat_c));

    mat_mul_vec(vec_out, mat_a, mat_b[0]);
    for (int i = 0; i < MAT_N; i++)
        crc = crc16_u32(crc, (uint32_t)vec_out[i]);

    mat_mul(mat_c, mat_a, mat_b);
    crc = mat_crc(crc, mat_c);
    crc = crc16_u32(crc, mat_fields(mat_c));

    mat_add_const(mat_a, (int16_t)-c);      /* undo: A must be intact */
    return crc16_u16(crc, (uint16_t)mat_a[MAT_N / 2][MAT_N / 3]);
}

/* ------------------------------------------------------------- scan -- */
#define TEXT_LEN 512

static char text[TEXT_LEN + 1] BENCH_DATA;

/* Appends a random token and a comma; stops before overflowing. */
static int text_token(int pos, struct bench_rng *rng)
{
    static const char *const pieces[] = {
        "0", "7", "42", "-13", "+8", "3.25", "-0.5", ".75", "6.", "1e9", "2.5E-3",
        "-7e+12", "0x1F", "0Xab", "0x", "12a", "--3", "1e", "e5", "4.4.4", "",
    };
    const char *p = pieces[rng_below(rng, sizeof pieces / sizeof pieces[0])];
    size_t n = strlen(p);
    if (pos + (int)n + 1 > TEXT_LEN)
        return -1;
    for (size_t i = 0; i < n; i++)
        text[pos++] = p[i];
    text[pos++] = ',';
    return pos;
}

static void text_build(struct bench_rng *rng)
{
    int pos = 0, next;
    while ((next = text_token(pos, rng)) >= 0)
        pos = next;
    while (pos < TEXT_LEN)
        text[pos++] = ',';      /* empty tokens as padding */
    text[TEXT_LEN] = '\0';
}

enum state {
    S_START, S_SIGN, S_ZERO, S_INT, S_DOT, S_FRAC, S_EXP, S_EXP_SIGN, S_EXP_INT,
    S_HEX_X, S_HEX, S_BAD, S_COUNT
};

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static enum state step(enum state s, char c)
{
    switch (s) {
    case S_START:
        if (c == '0') return S_ZERO;
        if (is_digit(c)) return S_INT;
        if (c == '+' || c == '-') return S_SIGN;
        if (c == '.') return S_DOT;
        return S_BAD;
    case S_SIGN:
        if (is_digit(c)) return S_INT;
        if (c == '.') return S_DOT;
        return S_BAD;
    case S_ZERO:
        if (c == 'x' || c == 'X') return S_HEX_X;
        /* "0" continues like any other integer */
        __attribute__((fallthrough));
    case S_INT:
        if (is_digit(c)) return S_INT;
        if (c == '.') return S_FRAC;
        if (c == 'e' || c == 'E') return S_EXP;
        return S_BAD;
    case S_DOT:
        return is_digit(c) ? S_FRAC : S_BAD;
    case S_FRAC:
        if (is_digit(c)) return S_FRAC;
        if (c == 'e' || c == 'E') return S_EXP;
        return S_BAD;
    case S_EXP:
        if (c == '+' || c == '-') return S_EXP_SIGN;
        return is_digit(c) ? S_EXP_INT : S_BAD;
    case S_EXP_SIGN:
    case S_EXP_INT:
        return is_digit(c) ? S_EXP_INT : S_BAD;
    case S_HEX_X:
    case S_HEX:
        return is_hex(c) ? S_HEX : S_BAD;
    default:
        return S_BAD;
    }
}

/* Runs the machine over the text; counts tokens by final state and all
 * state changes, and folds both into the CRC. */
static uint16_t scan_kernel(uint16_t crc, struct bench_rng *rng)
{
    uint32_t finals[S_COUNT] = { 0 };
    uint32_t transitions = 0;
    text_build(rng);
    enum state s = S_START;
    for (const char *p = text; *p; p++) {
        if (*p == ',') {
            finals[s]++;
            s = S_START;
            continue;
        }
        enum state t = step(s, *p);
        transitions += t != s;
        s = t;
    }
    for (int i = 0; i < S_COUNT; i++)
        crc = crc16_u32(crc, finals[i]);
    return crc16_u32(crc, transitions);
}

/* ------------------------------------------------------------------ -- */
int main(void)
{
    uint16_t crc = 0xffff, crc_list = 0, crc_mat = 0, crc_scan = 0;
    uint64_t sum = MIX_INIT;
    for (uint32_t it = 0; it < ITERATIONS; it++) {
        /* Reseed from the running CRC: each iteration depends on all
         * earlier ones. */
        struct bench_rng rng = { ((uint64_t)it << 16) | crc };
        crc = crc_list = list_kernel(crc, &rng);
        crc = crc_mat = matrix_kernel(crc, &rng);
        crc = crc_scan = scan_kernel(crc, &rng);
        sum = mix64(sum, crc);
    }
    printf("coremix: last crc list 0x%04x matrix 0x%04x scan 0x%04x\n",
           crc_list, crc_mat, crc_scan);
    return bench_report("coremix", sum, 0xbb1f4a1176ff706eull);
}
