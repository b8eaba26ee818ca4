/*
 * fp - double-precision floating point, three kernels:
 *   nbody       a star and four planets under gravity, semi-implicit Euler
 *               steps: sub/mul/fused multiply-add chains, one fsqrt and
 *               one fdiv per pair per step;
 *   mandelbrot  escape counts over a 256x192 grid: short dependent
 *               multiply/add loops with a data-dependent exit, int->double
 *               conversions for the coordinates;
 *   lu          LU factorisation with partial pivoting of 64x64 random
 *               matrices, then a solve and a residual (dot products):
 *               the dense linear algebra inner loop, fabs and compares.
 * Results are printed as the bits of the doubles (guest printf has no %f)
 * plus a few values scaled to integers for reading.  They must be
 * bit-identical across emulators: every operation used is correctly
 * rounded in IEEE 754 (round-to-nearest-even, fcsr = 0), including fused
 * multiply-add (GCC contracts a*b+c into fmadd.d), fsqrt.d and fdiv.d.
 * The accrued exception flags (fflags) are printed too, for the same
 * reason.
 */
#include "bench.h"

static inline uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* fsqrt.d directly: __builtin_sqrt would keep a call to libm's sqrt for
 * errno handling, and there is no libm. */
static inline double fsqrt(double x)
{
    double r;
    __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}

static inline double fabs_(double x) { return __builtin_fabs(x); }   /* fsgnjx.d */

/* ----------------------------------------------------------- nbody -- */
#define BODIES      5
#define NBODY_STEPS 100000
#define DT          0.0005

struct body {
    double x, y, z, vx, vy, vz, m;
};

static struct body sys[BODIES] BENCH_DATA;

/* A heavy star at the origin and four planets on roughly circular orbits
 * (G = 1), slightly inclined; then the star's velocity cancels the total
 * momentum so the system does not drift. */
static void nbody_init(void)
{
    static const double radius[BODIES] = { 0.0, 1.0, 1.7, 2.9, 4.2 };
    static const double mass[BODIES] = { 1000.0, 1.0, 0.5, 2.0, 0.1 };
    static const double dir[BODIES][2] = {      /* unit vectors (cos, sin) */
        { 1.0, 0.0 }, { 1.0, 0.0 }, { 0.6, 0.8 }, { -0.8, 0.6 }, { 0.28, -0.96 },
    };
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODIES; i++) {
        struct body *b = &sys[i];
        double r = radius[i];
        b->m = mass[i];
        b->x = r * dir[i][0];
        b->y = r * dir[i][1];
        b->z = 0.01 * r;
        double v = i ? fsqrt(mass[0] / r) : 0.0;
        b->vx = -v * dir[i][1];
        b->vy = v * dir[i][0];
        b->vz = 0.0;
        px += b->m * b->vx;
        py += b->m * b->vy;
        pz += b->m * b->vz;
    }
    sys[0].vx = -px / sys[0].m;
    sys[0].vy = -py / sys[0].m;
    sys[0].vz = -pz / sys[0].m;
}

static double nbody_energy(void)
{
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        const struct body *a = &sys[i];
        e += 0.5 * a->m * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < BODIES; j++) {
            const struct body *b = &sys[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->m * b->m / fsqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void nbody_step(void)
{
    for (int i = 0; i < BODIES; i++) {
        struct body *a = &sys[i];
        for (int j = i + 1; j < BODIES; j++) {
            struct body *b = &sys[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = DT / (d2 * fsqrt(d2));
            double ma = a->m * mag, mb = b->m * mag;
            a->vx -= dx * mb;
            a->vy -= dy * mb;
            a->vz -= dz * mb;
            b->vx += dx * ma;
            b->vy += dy * ma;
            b->vz += dz * ma;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        struct body *a = &sys[i];
        a->x += DT * a->vx;
        a->y += DT * a->vy;
        a->z += DT * a->vz;
    }
}

/* ------------------------------------------------------ mandelbrot -- */
#define MB_W     256
#define MB_H     192
#define MB_ITERS 512

/* Returns the total iteration count; *inside counts points that never
 * escaped, *h hashes the per-pixel counts in scan order. */
static uint64_t mandelbrot(uint64_t *inside, uint64_t *h)
{
    uint64_t total = 0, in = 0, hash = MIX_INIT;
    const double x0 = -2.2, y0 = -1.2, dx = 3.0 / MB_W, dy = 2.4 / MB_H;
    for (int py = 0; py < MB_H; py++) {
        double ci = y0 + py * dy;
        for (int px = 0; px < MB_W; px++) {
            double cr = x0 + px * dx;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int it = 0;
            while (it < MB_ITERS && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            total += (uint64_t)it;
            in += it == MB_ITERS;
            hash = mix64(hash, (uint64_t)it);
        }
    }
    *inside = in;
    *h = hash;
    return total;
}

/* -------------------------------------------------------------- lu -- */
#define LU_N      64
#define LU_ROUNDS 50

static double lu_a[LU_N][LU_N] BENCH_DATA, lu_orig[LU_N][LU_N] BENCH_DATA;
static double lu_b[LU_N] BENCH_DATA, lu_x[LU_N] BENCH_DATA;
static int lu_perm[LU_N] BENCH_DATA;

/* Uniform in [-1, 1): the top 53 bits of a random word, scaled. */
static double rng_unit(struct bench_rng *rng)
{
    return (double)(rng_next(rng) >> 11) * 0x1p-52 - 1.0;
}

/* In-place Doolittle LU with row pivoting: lu_a becomes L (unit diagonal,
 * below) and U (on and above), lu_perm the row order.  Returns det(A). */
static double lu_factor(void)
{
    double det = 1.0;
    for (int i = 0; i < LU_N; i++)
        lu_perm[i] = i;
    for (int k = 0; k < LU_N; k++) {
        int p = k;
        double best = fabs_(lu_a[k][k]);
        for (int i = k + 1; i < LU_N; i++)
            if (fabs_(lu_a[i][k]) > best) {
                best = fabs_(lu_a[i][k]);
                p = i;
            }
        if (p != k) {
            for (int j = 0; j < LU_N; j++) {
                double t = lu_a[k][j];
                lu_a[k][j] = lu_a[p][j];
                lu_a[p][j] = t;
            }
            int t = lu_perm[k];
            lu_perm[k] = lu_perm[p];
            lu_perm[p] = t;
            det = -det;
        }
        double pivot = lu_a[k][k];
        det *= pivot;
        for (int i = k + 1; i < LU_N; i++) {
            double f = lu_a[i][k] / pivot;
            lu_a[i][k] = f;
            for (int j = k + 1; j < LU_N; j++)
                lu_a[i][j] -= f * lu_a[k][j];
        }
    }
    return det;
}

/* Solves A x = b with the factors: forward then back substitution. */
static void lu_solve(void)
{
    for (int i = 0; i < LU_N; i++) {
        double s = lu_b[lu_perm[i]];
        for (int j = 0; j < i; j++)
            s -= lu_a[i][j] * lu_x[j];
        lu_x[i] = s;
    }
    for (int i = LU_N - 1; i >= 0; i--) {
        double s = lu_x[i];
        for (int j = i + 1; j < LU_N; j++)
            s -= lu_a[i][j] * lu_x[j];
        lu_x[i] = s / lu_a[i][i];
    }
}

/* One round: random A, b = A * (1, 2, ..., n) / n; factor, solve, and
 * return the largest residual |b - A x|, which must be tiny. */
static double lu_round(struct bench_rng *rng, double *det)
{
    for (int i = 0; i < LU_N; i++)
        for (int j = 0; j < LU_N; j++)
            lu_orig[i][j] = lu_a[i][j] = rng_unit(rng);
    for (int i = 0; i < LU_N; i++) {
        double s = 0;
        for (int j = 0; j < LU_N; j++)
            s += lu_orig[i][j] * ((j + 1) / (double)LU_N);
        lu_b[i] = s;
    }
    *det = lu_factor();
    lu_solve();
    double worst = 0;
    for (int i = 0; i < LU_N; i++) {
        double s = lu_b[i];
        for (int j = 0; j < LU_N; j++)
            s -= lu_orig[i][j] * lu_x[j];
        if (fabs_(s) > worst)
            worst = fabs_(s);
    }
    return worst;
}

/* ------------------------------------------------------------------ -- */
int main(void)
{
    uint64_t sum = MIX_INIT;

    nbody_init();
    double e0 = nbody_energy();
    for (int s = 0; s < NBODY_STEPS; s++)
        nbody_step();
    double e1 = nbody_energy();
    printf("fp: nbody energy 0x%016lx -> 0x%016lx (x1e6: %ld -> %ld)\n", bits(e0),
           bits(e1), (int64_t)(e0 * 1e6), (int64_t)(e1 * 1e6));
    sum = mix64(mix64(sum, bits(e0)), bits(e1));
    for (int i = 0; i < BODIES; i++)
        sum = mix64(mix64(mix64(sum, bits(sys[i].x)), bits(sys[i].y)), bits(sys[i].vz));

    uint64_t inside, pixels;
    uint64_t iters = mandelbrot(&inside, &pixels);
    printf("fp: mandelbrot %lu iterations, %lu inside, pixels 0x%016lx\n", iters, inside, pixels);
    sum = mix64(mix64(sum, iters), pixels);

    struct bench_rng rng = { 0x6670u };         /* "fp" */
    double worst = 0, logdet = 0;
    uint64_t dets = MIX_INIT;
    for (int r = 0; r < LU_ROUNDS; r++) {
        double det;
        double res = lu_round(&rng, &det);
        if (res > worst)
            worst = res;
        dets = mix64(dets, bits(det));
        /* exponent of |det|, a readable size summary */
        logdet += (double)(int64_t)((bits(det) >> 52 & 0x7ff) - 1023);
    }
    printf("fp: lu %d x %dx%d, dets 0x%016lx, sum log2|det| %ld, max residual 0x%016lx (%s)\n",
           LU_ROUNDS, LU_N, LU_N, dets, (int64_t)logdet, bits(worst),
           worst < 1e-12 ? "small" : "LARGE");
    sum = mix64(mix64(sum, dets), bits(worst));

    uint64_t fflags = csr_read(fflags);
    printf("fp: fflags 0x%lx\n", fflags);
    sum = mix64(sum, fflags);
    return bench_report("fp", sum, 0xcfcbfda589264b89ull) | !(worst < 1e-12);
}
