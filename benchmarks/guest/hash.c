/*
 * hash - integer hashing throughput.
 *
 * Each round hashes one 64 KiB PRNG-filled buffer four ways:
 *   - FNV-1a 64, byte at a time: a serial xor/multiply chain (multiplier
 *     latency, byte loads);
 *   - an xxHash-style four-lane 64-bit mixer: independent multiply/rotate
 *     chains (64-bit loads, rotates built from shifts since rv64gc has no
 *     Zbb);
 *   - table-driven CRC-32 (reflected 0xEDB88320): a load-indexed-by-data
 *     chain, the classic table lookup pattern;
 *   - an open-addressing hash table (Fibonacci hashing, linear probing):
 *     inserts and lookups with data-dependent branches.
 * The buffer is then perturbed with the round's hashes so no round repeats
 * the previous one.  About 1.4 M instructions per round.
 */
#include "bench.h"

#define BUF_BYTES   (64u * 1024u)
#define ROUNDS      120u
#define TABLE_BITS  13u
#define TABLE_SIZE  (1u << TABLE_BITS)
#define INSERTS     (TABLE_SIZE / 2u)   /* load factor 1/2 */
#define LOOKUPS     TABLE_SIZE

/* table_round reads words[0 .. 2 * INSERTS) and words[0 .. LOOKUPS). */
_Static_assert(2 * INSERTS <= BUF_BYTES / 8 && LOOKUPS <= BUF_BYTES / 8,
               "hash table keys must come from inside the buffer");

static uint64_t buf64[BUF_BYTES / 8] BENCH_DATA;
static uint32_t crc_table[256] BENCH_DATA;
static uint64_t table[TABLE_SIZE] BENCH_DATA;   /* 0 = empty slot */

/* ------------------------------------------------------------ FNV-1a -- */
static uint64_t fnv1a64(const uint8_t *p, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ------------------------------------------------- xxHash-style mixer -- */
#define P1 0x9e3779b185ebca87ull
#define P2 0xc2b2ae3d27d4eb4full
#define P3 0x165667b19e3779f9ull

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

/* Four independent lanes, as in xxHash, so an out-of-order or superscalar
 * model can overlap them; n64 must be a multiple of 4. */
static uint64_t lanes_hash(const uint64_t *p, uint32_t n64, uint64_t seed)
{
    uint64_t a = seed + P1, b = seed ^ P2, c = seed, d = seed - P1;
    for (uint32_t i = 0; i < n64; i += 4) {
        a = rotl64(a + p[i + 0] * P2, 31) * P1;
        b = rotl64(b + p[i + 1] * P2, 31) * P1;
        c = rotl64(c + p[i + 2] * P2, 31) * P1;
        d = rotl64(d + p[i + 3] * P2, 31) * P1;
    }
    uint64_t h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(d, 18);
    /* final avalanche so every input bit reaches every output bit */
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ (h >> 32);
}

/* ------------------------------------------------------------ CRC-32 -- */
static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1u));
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
    uint32_t crc = 0xffffffffu;
    for (uint32_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

/* -------------------------------------------------------- hash table -- */
static inline uint32_t slot_of(uint64_t key)
{
    return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - TABLE_BITS));
}

/* Inserts key (nonzero); returns 1 if it was new. */
static int table_insert(uint64_t key)
{
    for (uint32_t s = slot_of(key);; s = (s + 1) & (TABLE_SIZE - 1)) {
        if (table[s] == key)
            return 0;
        if (table[s] == 0) {
            table[s] = key;
            return 1;
        }
    }
}

static int table_contains(uint64_t key)
{
    for (uint32_t s = slot_of(key);; s = (s + 1) & (TABLE_SIZE - 1)) {
        if (table[s] == key)
            return 1;
        if (table[s] == 0)
            return 0;
    }
}

/* Inserts every other buffer word and looks up consecutive ones, so about
 * half the lookups hit.  Returns inserted + 2 * hits, a cheap summary. */
static uint64_t table_round(const uint64_t *words)
{
    for (uint32_t i = 0; i < TABLE_SIZE; i++)
        table[i] = 0;
    uint64_t inserted = 0, hits = 0;
    for (uint32_t i = 0; i < INSERTS; i++)
        inserted += (uint64_t)table_insert(words[2 * i] | 1u);
    for (uint32_t i = 0; i < LOOKUPS; i++)
        hits += (uint64_t)table_contains(words[i] | 1u);
    return inserted + 2 * hits;
}

/* ------------------------------------------------------------------ -- */
int main(void)
{
    crc32_init();

    /* Known-answer tests first: a wrong hash is a bug, not a benchmark. */
    if (crc32((const uint8_t *)"123456789", 9) != 0xcbf43926u ||
        fnv1a64((const uint8_t *)"a", 1) != 0xaf63dc4c8601ec8cull) {
        puts("hash: known-answer test FAIL");
        return 1;
    }

    struct bench_rng rng = { 0x68617368u };     /* "hash" */
    for (uint32_t i = 0; i < BUF_BYTES / 8; i++)
        buf64[i] = rng_next(&rng);

    const uint8_t *bytes = (const uint8_t *)buf64;
    uint64_t sum = MIX_INIT, fnv_all = 0, crc_all = 0, lanes_all = 0, tab_all = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        uint64_t f = fnv1a64(bytes, BUF_BYTES);
        uint64_t c = crc32(bytes, BUF_BYTES);
        uint64_t l = lanes_hash(buf64, BUF_BYTES / 8, r);
        uint64_t t = table_round(buf64);
        fnv_all ^= f;
        crc_all = crc_all * 31 + c;
        lanes_all += l;
        tab_all += t;
        sum = mix64(mix64(mix64(mix64(sum, f), c), l), t);
        /* Perturb one word per round, at a place that moves around. */
        buf64[(f ^ l) % (BUF_BYTES / 8)] ^= sum;
    }

    bench_value("hash", "fnv1a", fnv_all);
    bench_value("hash", "crc32", crc_all);
    bench_value("hash", "lanes", lanes_all);
    bench_value("hash", "table", tab_all);
    return bench_report("hash", sum, 0xb0533f5f0eaf74f5ull);
}
