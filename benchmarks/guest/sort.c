/*
 * sort - comparison sorting: branchy, data-dependent control flow and
 * load/store traffic over 512 KiB arrays.
 *
 * For each of four input shapes (uniform random, few distinct keys, nearly
 * sorted, reversed), the same PRNG array is sorted twice:
 *   - quicksort (median-of-three, Hoare partition, recursion on the smaller
 *     side) finishing small partitions with insertion sort;
 *   - bottom-up merge sort over insertion-sorted runs, ping-ponging between
 *     two buffers.
 * Both results must be sorted and identical (two algorithms that share
 * only the insertion sort agreeing is good evidence that neither lost or
 * duplicated an element), and every element goes into the checksum.
 */
#include "bench.h"

#define N        65536u
#define SMALL    16u        /* insertion-sort cutoff / merge run length */
#define PASSES   2u         /* over the four shapes */

static uint64_t input[N] BENCH_DATA, qs_buf[N] BENCH_DATA;
static uint64_t ms_buf[N] BENCH_DATA, ms_tmp[N] BENCH_DATA;

static void copy_words(uint64_t *dst, const uint64_t *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
}

/* -------------------------------------------------------- insertion -- */
static void insertion_sort(uint64_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        uint32_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* -------------------------------------------------------- quicksort -- */
static inline void swap(uint64_t *x, uint64_t *y)
{
    uint64_t t = *x;
    *x = *y;
    *y = t;
}

static void quicksort(uint64_t *a, uint32_t n)
{
    /* Loop on the larger side, recurse on the smaller: stack depth stays
     * below log2(N) even for adversarial inputs. */
    while (n > SMALL) {
        /* Median of three, left in a[0]; a[n-1] >= pivot >= ... guards
         * keep the scans inside the array. */
        uint32_t mid = (n - 1) / 2;
        if (a[mid] < a[0])
            swap(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap(&a[n - 1], &a[mid]);
        uint64_t pivot = a[mid];

        /* Hoare partition: equal keys stop both scans, so many duplicates
         * still split evenly. */
        uint32_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(&a[i], &a[j]);
            i++;
            j--;
        }
        /* a[0..j] <= pivot <= a[j+1..n) */
        uint32_t left = j + 1, right = n - left;
        if (left < right) {
            quicksort(a, left);
            a += left;
            n = right;
        } else {
            quicksort(a + left, right);
            n = left;
        }
    }
    insertion_sort(a, n);
}

/* ------------------------------------------------------- merge sort -- */
static void merge(uint64_t *dst, const uint64_t *src, uint32_t lo, uint32_t mid, uint32_t hi)
{
    uint32_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = src[j] < src[i] ? src[j++] : src[i++];  /* stable */
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* Sorts a[0..n) using tmp; the result ends up in a. */
static void merge_sort(uint64_t *a, uint64_t *tmp, uint32_t n)
{
    for (uint32_t lo = 0; lo < n; lo += SMALL)
        insertion_sort(a + lo, n - lo < SMALL ? n - lo : SMALL);
    uint64_t *src = a, *dst = tmp;
    for (uint32_t width = SMALL; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = lo + width < n ? lo + width : n;
            uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(dst, src, lo, mid, hi);
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        copy_words(a, src, n);
}

/* ----------------------------------------------------------- inputs -- */
enum shape { RANDOM, FEW_KEYS, NEARLY_SORTED, REVERSED, SHAPES };
static const char *const shape_name[SHAPES] = { "random", "fewkeys", "nearly", "reversed" };

static void make_input(enum shape s, struct bench_rng *rng)
{
    for (uint32_t i = 0; i < N; i++) {
        uint64_t r = rng_next(rng);
        switch (s) {
        case RANDOM:        input[i] = r; break;
        case FEW_KEYS:      input[i] = r % 37u; break;
        case NEARLY_SORTED: input[i] = (uint64_t)i * 1000u + r % 4000u; break;
        default:            input[i] = (uint64_t)(N - i) << 20 | (r & 0xfffffu); break;
        }
    }
}

/* ------------------------------------------------------------------ -- */
int main(void)
{
    struct bench_rng rng = { 0x736f7274u };     /* "sort" */
    uint64_t sum = MIX_INIT;
    int bad = 0;

    for (uint32_t pass = 0; pass < PASSES; pass++) {
        for (int s = 0; s < SHAPES; s++) {
            make_input((enum shape)s, &rng);
            copy_words(qs_buf, input, N);
            copy_words(ms_buf, input, N);
            quicksort(qs_buf, N);
            merge_sort(ms_buf, ms_tmp, N);

            uint64_t h = MIX_INIT;
            uint32_t unsorted = 0, differ = 0;
            for (uint32_t i = 0; i < N; i++) {
                unsorted += i > 0 && qs_buf[i - 1] > qs_buf[i];
                differ += qs_buf[i] != ms_buf[i];
                h = mix64(h, qs_buf[i]);
            }
            if (unsorted || differ) {
                printf("sort: %s: %u out of order, %u differ between sorts\n",
                       shape_name[s], unsorted, differ);
                bad = 1;
            }
            if (pass == 0)
                printf("sort: %s min 0x%lx max 0x%lx hash 0x%016lx\n",
                       shape_name[s], qs_buf[0], qs_buf[N - 1], h);
            sum = mix64(sum, h);
        }
    }
    return bench_report("sort", sum, 0x12b9dba2d615dee0ull) | bad;
}
