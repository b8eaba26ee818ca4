/*
 * cpubound: a CPU-bound freestanding benchmark / regression program for the
 * Orrery guest corpus.  It runs several integer and floating-point kernels,
 * measures the retired-instruction count (minstret) across the compute
 * section, then prints every result and "insns: <N>".
 *
 * All output is deterministic (no times or cycle counts); the instruction
 * count is exact on a machine where minstret counts every executed
 * instruction (QEMU with -icount shift=0).
 */
#include "guest.h"

/* ------------------------------------------------------------ helpers -- */
static inline uint64_t rdinstret(void)
{
    uint64_t v;
    __asm__ __volatile__("csrr %0, minstret" : "=r"(v) :: "memory");
    return v;
}

static uint64_t xorshift_state = 0x9e3779b97f4a7c15ULL;
static inline uint64_t xorshift64(void)
{
    uint64_t x = xorshift_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return xorshift_state = x;
}

static inline double fsqrt_d(double x)
{
    double r;
    __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}

static uint64_t double_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* -------------------------------------------------------------- sieve -- */
#define SIEVE_N 2000000
static uint8_t composite[SIEVE_N + 1];

static uint64_t sieve(uint64_t *sum_out)
{
    uint64_t count = 0, sum = 0;
    for (uint64_t i = 2; i * i <= SIEVE_N; i++)
        if (!composite[i])
            for (uint64_t j = i * i; j <= SIEVE_N; j += i)
                composite[j] = 1;
    for (uint64_t i = 2; i <= SIEVE_N; i++)
        if (!composite[i]) {
            count++;
            sum += i;
        }
    *sum_out = sum;
    return count;
}

/* -------------------------------------------------------------- crc32 -- */
#define CRC_LEN (512 * 1024)
static uint8_t crc_buf[CRC_LEN];

static uint32_t crc32_bitwise(const uint8_t *p, uint64_t n)
{
    uint32_t crc = 0xffffffffu;
    for (uint64_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t crc_table[256];

static uint32_t crc32_table(const uint8_t *p, uint64_t n)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        crc_table[i] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (uint64_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* --------------------------------------------------------------- sort -- */
#define SORT_N 100000
static uint64_t sort_a[SORT_N];
static uint64_t sort_tmp[SORT_N];

/* bottom-up merge sort, ping-ponging between a and tmp */
static void merge_sort(uint64_t *a, uint64_t *tmp, uint64_t n)
{
    uint64_t *src = a, *dst = tmp;
    for (uint64_t width = 1; width < n; width *= 2) {
        for (uint64_t lo = 0; lo < n; lo += 2 * width) {
            uint64_t mid = lo + width < n ? lo + width : n;
            uint64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            uint64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        for (uint64_t i = 0; i < n; i++)
            a[i] = src[i];
}

static void insertion_sort_u32(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* ------------------------------------------------------------- matmul -- */
#define MAT_N 96
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N];
static int64_t mat_c[MAT_N][MAT_N];

static uint64_t matmul(void)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            mat_a[i][j] = (int32_t)((i * 131 + j * 71) % 1000) - 500;
            mat_b[i][j] = (int32_t)((i * 37 + j * 113 + 7) % 997) - 498;
        }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int64_t s = 0;
            for (int k = 0; k < MAT_N; k++)
                s += (int64_t)mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = s;
        }
    uint64_t h = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            h = h * 31 + (uint64_t)mat_c[i][j];
    return h;
}

/* --------------------------------------------------------- mandelbrot -- */
static uint64_t mandelbrot(int w, int h, int max_iter, uint64_t *inside_out)
{
    uint64_t total = 0, inside = 0;
    for (int y = 0; y < h; y++) {
        double ci = -1.25 + 2.5 * y / h;
        for (int x = 0; x < w; x++) {
            double cr = -2.0 + 2.75 * x / w;
            double zr = 0, zi = 0;
            int it = 0;
            while (it < max_iter && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                it++;
            }
            total += (uint64_t)it;
            if (it == max_iter)
                inside++;
        }
    }
    *inside_out = inside;
    return total;
}

/* -------------------------------------------------------------- nbody -- */
struct body { double x, y, z, vx, vy, vz, m; };

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

static struct body bodies[5];

static void nbody_init(void)
{
    static const struct body init[5] = {
        { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
        { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
          1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
          -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
        { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
          -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
          2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
        { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
          2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
          -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
        { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
          2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
          -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
    };
    memcpy(bodies, init, sizeof bodies);
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < 5; i++) {
        px += bodies[i].vx * bodies[i].m;
        py += bodies[i].vy * bodies[i].m;
        pz += bodies[i].vz * bodies[i].m;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static double nbody_energy(void)
{
    double e = 0;
    for (int i = 0; i < 5; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < 5; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            e -= b->m * c->m / fsqrt_d(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void nbody_advance(double dt)
{
    for (int i = 0; i < 5; i++) {
        struct body *b = &bodies[i];
        for (int j = i + 1; j < 5; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * fsqrt_d(d2));
            b->vx -= dx * c->m * mag;
            b->vy -= dy * c->m * mag;
            b->vz -= dz * c->m * mag;
            c->vx += dx * b->m * mag;
            c->vy += dy * b->m * mag;
            c->vz += dz * b->m * mag;
        }
    }
    for (int i = 0; i < 5; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

/* --------------------------------------------------------------- hash -- */
static uint64_t hash_loop(uint64_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;      /* FNV-1a over splitmix64 output */
    uint64_t s = 0;
    for (uint64_t i = 0; i < n; i++) {
        s += 0x9e3779b97f4a7c15ULL;
        uint64_t z = s;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        h = (h ^ (z & 0xff)) * 0x100000001b3ULL;
        h ^= z >> 8;
        h = (h << 5) | (h >> 59);
    }
    return h;
}

/* ----------------------------------------------------- integer divide -- */
static uint64_t divide_mix(uint64_t n)
{
    uint64_t acc = 0;
    for (uint64_t i = 1; i <= n; i++) {
        int64_t a = (int64_t)(xorshift64() >> 1) - (int64_t)(1ULL << 62);
        int64_t b = (int64_t)(i * 2654435761u % 1000003) - 500001;
        if (b == 0)
            b = 7;
        acc += (uint64_t)(a / b) ^ (uint64_t)(a % b);
        acc += (uint32_t)a / ((uint32_t)i | 1) + (uint64_t)((int32_t)a % (int32_t)(i | 3));
    }
    return acc;
}

/* --------------------------------------------------------------- main -- */
struct results {
    uint64_t primes, prime_sum;
    uint32_t crc_bit, crc_tab;
    uint64_t sort_hash, sort_ok, small_sort;
    uint64_t mat_hash;
    uint64_t mandel_iters, mandel_inside;
    uint64_t e0, e1;
    int64_t e0_nano, e1_nano;
    uint64_t hash;
    uint64_t divs;
};

static struct results R;

static void compute(void)
{
    R.primes = sieve(&R.prime_sum);

    for (uint64_t i = 0; i < CRC_LEN; i++)
        crc_buf[i] = (uint8_t)(xorshift64() >> 56);
    R.crc_bit = crc32_bitwise(crc_buf, CRC_LEN);
    R.crc_tab = crc32_table(crc_buf, CRC_LEN);

    for (uint64_t i = 0; i < SORT_N; i++)
        sort_a[i] = xorshift64();
    merge_sort(sort_a, sort_tmp, SORT_N);
    uint64_t h = 0, ok = 1;
    for (uint64_t i = 0; i < SORT_N; i++) {
        h = h * 0x100000001b3ULL + sort_a[i];
        if (i && sort_a[i - 1] > sort_a[i])
            ok = 0;
    }
    R.sort_hash = h;
    R.sort_ok = ok;
    uint32_t small[2000];
    for (int i = 0; i < 2000; i++)
        small[i] = (uint32_t)xorshift64();
    insertion_sort_u32(small, 2000);
    R.small_sort = (uint64_t)small[0] << 32 | small[1999];

    R.mat_hash = matmul();

    R.mandel_iters = mandelbrot(160, 120, 500, &R.mandel_inside);

    nbody_init();
    double e0 = nbody_energy();
    for (int i = 0; i < 60000; i++)
        nbody_advance(0.01);
    double e1 = nbody_energy();
    R.e0 = double_bits(e0);
    R.e1 = double_bits(e1);
    R.e0_nano = (int64_t)(e0 * 1e9);
    R.e1_nano = (int64_t)(e1 * 1e9);

    R.hash = hash_loop(2000000);
    R.divs = divide_mix(300000);
}

int main(void)
{
    puts("cpubound: start");
    uint64_t i0 = rdinstret();
    compute();
    uint64_t i1 = rdinstret();

    printf("sieve: primes<=%d: %lu sum %lu\n", SIEVE_N, R.primes, R.prime_sum);
    printf("crc32: bitwise %08x table %08x\n", R.crc_bit, R.crc_tab);
    printf("sort: hash %016lx sorted %lu small %016lx\n", R.sort_hash, R.sort_ok, R.small_sort);
    printf("matmul: hash %016lx\n", R.mat_hash);
    printf("mandelbrot: iterations %lu inside %lu\n", R.mandel_iters, R.mandel_inside);
    printf("nbody: e0 %016lx (%ld nJ) e1 %016lx (%ld nJ)\n", R.e0, R.e0_nano, R.e1, R.e1_nano);
    printf("hash: %016lx\n", R.hash);
    printf("divide: %016lx\n", R.divs);
    int bad = R.primes != 148933 || R.crc_bit != R.crc_tab || !R.sort_ok;
    printf("self-check: %s\n", bad ? "FAILED" : "ok");
    printf("insns: %lu\n", i1 - i0);
    return bad;
}
