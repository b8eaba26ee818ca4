/*
 * hostile_virtio: a driver that lies to a virtio-blk device (modern
 * virtio-mmio, Version 2, split virtqueue of 8 entries).  Run with one raw
 * -drive whose sector s (s < 64) is filled with the byte 0x40 + s; the first
 * -drive sits in the last virtio-mmio slot, 0x1000_8000 (PLIC source 8), on
 * QEMU 7.2 and on Orrery.  (QEMU needs `-global virtio-mmio.force-legacy=false
 * -drive file=IMG,format=raw,if=none,id=hd0 -device virtio-blk-device,drive=hd0`
 * for the same device: its if=virtio drive is a PCI device; see run_qemu.sh.)
 *
 * Each case starts from a freshly initialised device (virtio 1.2, 3.1.1),
 * hands it one hostile request and checks:
 *   1. the device's answer: DEVICE_NEEDS_RESET with a configuration-change
 *      interrupt (2.1.2), or a used buffer whose status byte says
 *      VIRTIO_BLK_S_IOERR / UNSUPP (5.2.6) - whichever the case calls for;
 *   2. that nothing was written outside the writable buffers the request
 *      named: every byte of a 64 KiB arena holding the rings, the headers,
 *      the buffers and canary space is compared with a copy taken before the
 *      notification (only the used ring, the status byte and the data
 *      buffers may change), plus canaries before the end of RAM and in a
 *      1 MiB buffer the device must not fill, and the boot ROM;
 *   3. that a reset (Status = 0, 2.4) brings the device back: it
 *      initialises again and reads a sector whose content is known.
 * Finally a good write, a flush and a read back (on a readonly=on drive,
 * which --lockstep needs, the write must fail with IOERR and change
 * nothing: 5.2.6.2).
 *
 * QEMU 7.2 and Orrery differ on what a buffer outside RAM means.  Orrery
 * does DMA only to and from RAM and puts the device into DEVICE_NEEDS_RESET
 * for any buffer that is not wholly RAM; QEMU maps such a buffer through a
 * one-page bounce buffer and completes the request (reads of holes give 0,
 * writes to ROM or holes are dropped, MMIO registers are read or written).
 * Those checks accept either; buffers that QEMU would write into MMIO are
 * aimed at harmless registers (reserved PLIC space).  QEMU also refuses
 * zero-length descriptors (Orrery skips them) and serves what the driver
 * must not build (2.7.5.3.1) where Orrery sets DEVICE_NEEDS_RESET: indirect
 * chains longer than the queue, an indirect descriptor inside an indirect
 * table, INDIRECT with NEXT; and it takes rings outside RAM, unoffered
 * feature bits and DRIVER_OK without FEATURES_OK.  Those checks accept
 * either answer too; README.md lists them all.
 */
#include "guest.h"

/* ---- virtio-mmio registers (virtio 1.2, 4.2.2) ---- */
#define VIO_BASE        0x10008000UL    /* slot 7: the first -drive */
#define VIO_MAGIC       0x000
#define VIO_VERSION     0x004
#define VIO_DEVICE_ID   0x008
#define VIO_DEV_FEAT    0x010
#define VIO_DEV_FEAT_SEL 0x014
#define VIO_DRV_FEAT    0x020
#define VIO_DRV_FEAT_SEL 0x024
#define VIO_QUEUE_SEL   0x030
#define VIO_QUEUE_NUM_MAX 0x034
#define VIO_QUEUE_NUM   0x038
#define VIO_QUEUE_READY 0x044
#define VIO_QUEUE_NOTIFY 0x050
#define VIO_INT_STATUS  0x060
#define VIO_INT_ACK     0x064
#define VIO_STATUS      0x070
#define VIO_DESC_LO     0x080
#define VIO_DESC_HI     0x084
#define VIO_AVAIL_LO    0x090
#define VIO_AVAIL_HI    0x094
#define VIO_USED_LO     0x0a0
#define VIO_USED_HI     0x0a4
#define VIO_CONFIG      0x100           /* virtio-blk: le64 capacity first */

#define ST_ACK          0x01
#define ST_DRIVER       0x02
#define ST_DRIVER_OK    0x04
#define ST_FEATURES_OK  0x08
#define ST_NEEDS_RESET  0x40
#define ST_RUNNING      (ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK)
#define INT_USED        0x1
#define INT_CONFIG      0x2

#define F_BLK_RO        (1u << 5)
#define F_BLK_FLUSH     (1u << 9)
#define F_INDIRECT_DESC (1u << 28)
#define F_VERSION_1_HI  (1u << 0)       /* feature bit 32 */

#define DESC_NEXT       1
#define DESC_WRITE      2
#define DESC_INDIRECT   4

#define BLK_T_IN        0
#define BLK_T_OUT       1
#define BLK_T_FLUSH     4
#define BLK_S_OK        0
#define BLK_S_IOERR     1
#define BLK_S_UNSUPP    2

#define SECTOR          512
#define DISK_SECTORS    64              /* the image the test runner makes */
#define PATTERN(s)      ((uint8_t)(0x40 + (s)))
#define QSIZE           8

/* ---- memory ---- */
#define RAM_END         0x88000000UL    /* -m 128M */
#define ROM_BASE        0x1000UL
#define ARENA           0x80400000UL    /* everything the device may see */
#define ARENA_SIZE      0x10000UL
#define SHADOW          0x80500000UL    /* the arena as it was before a notify */
#define DESC_ADDR       (ARENA + 0x000) /* 8 x 16 bytes */
#define AVAIL_ADDR      (ARENA + 0x100) /* 6 + 2 x 8 */
#define USED_ADDR       (ARENA + 0x200) /* 6 + 8 x 8 */
#define USED_BYTES      (6 + 8 * QSIZE)
#define IND_ADDR        (ARENA + 0x400) /* indirect tables, up to 32 entries */
#define HDR_ADDR        (ARENA + 0x800)
#define STATUS_ADDR     (ARENA + 0x900)
#define DATA_ADDR       (ARENA + 0x1000) /* up to 0x8000 bytes */
#define CANARY          0xa5
#define TAIL_CANARY     (RAM_END - 0x1000) /* [.., RAM_END - 0x100) below a buffer */
#define BIG_ADDR        0x82000000UL    /* a 1 MiB buffer */
#define BIG_SIZE        0x100000UL

#define UNMAPPED        0x200000000UL

struct vdesc { uint64_t addr; uint32_t len; uint16_t flags, next; };
#define DESC            ((volatile struct vdesc *)DESC_ADDR)
#define IND             ((volatile struct vdesc *)IND_ADDR)
#define AVAIL_FLAGS     (*(volatile uint16_t *)(AVAIL_ADDR + 0))
#define AVAIL_IDX       (*(volatile uint16_t *)(AVAIL_ADDR + 2))
#define AVAIL_RING      ((volatile uint16_t *)(AVAIL_ADDR + 4))
#define USED_IDX        (*(volatile uint16_t *)(USED_ADDR + 2))
#define USED_ID(i)      (*(volatile uint32_t *)(USED_ADDR + 4 + 8 * ((i) % QSIZE)))
#define USED_LEN(i)     (*(volatile uint32_t *)(USED_ADDR + 8 + 8 * ((i) % QSIZE)))
#define STATUS_BYTE     (*(volatile uint8_t *)STATUS_ADDR)

static inline uint32_t vr(uint32_t off) { return *(volatile uint32_t *)(VIO_BASE + off); }
static inline void vw(uint32_t off, uint32_t v) { *(volatile uint32_t *)(VIO_BASE + off) = v; }
static inline void fence(void) { __asm__ __volatile__("fence iorw, iorw" ::: "memory"); }

static void fill(uint64_t a, uint64_t n, uint8_t v)
{
    /* word at a time: the arena and the 1 MiB buffer are filled often */
    uint64_t w = 0x0101010101010101UL * v;
    for (uint64_t i = 0; i < n; i += 8)
        *(volatile uint64_t *)(a + i) = w;
}

static int all_bytes(uint64_t a, uint64_t n, uint8_t v)
{
    uint64_t w = 0x0101010101010101UL * v;
    for (uint64_t i = 0; i < n; i += 8)
        if (*(volatile uint64_t *)(a + i) != w)
            return 0;
    return 1;
}

/* ------------------------------------------------------------ the driver -- */

static uint16_t g_avail;        /* the driver's next available index */
static uint16_t g_used;         /* used entries seen */
static int g_ro;                /* VIRTIO_BLK_F_RO offered */

/* Device initialisation (3.1.1), queue 0 with QSIZE entries in the arena.
 * Returns 1 when the device runs (Status reads back ACK|DRIVER|FEATURES_OK|
 * DRIVER_OK). */
static int dev_init(void)
{
    vw(VIO_STATUS, 0);                  /* reset (2.4): done when Status reads 0 */
    if (vr(VIO_STATUS) != 0)
        return 0;
    vw(VIO_STATUS, ST_ACK);
    vw(VIO_STATUS, ST_ACK | ST_DRIVER);
    vw(VIO_DEV_FEAT_SEL, 0);
    uint32_t f0 = vr(VIO_DEV_FEAT);
    vw(VIO_DEV_FEAT_SEL, 1);
    uint32_t f1 = vr(VIO_DEV_FEAT);
    if (!(f1 & F_VERSION_1_HI) || !(f0 & F_INDIRECT_DESC))
        return 0;
    g_ro = (f0 & F_BLK_RO) != 0;
    vw(VIO_DRV_FEAT_SEL, 0);
    vw(VIO_DRV_FEAT, f0 & (F_INDIRECT_DESC | F_BLK_FLUSH | F_BLK_RO));
    vw(VIO_DRV_FEAT_SEL, 1);
    vw(VIO_DRV_FEAT, F_VERSION_1_HI);
    vw(VIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if (!(vr(VIO_STATUS) & ST_FEATURES_OK))
        return 0;
    /* rings: zeroed (avail flags 0: interrupts wanted; idx 0) */
    fill(DESC_ADDR, 0x100, 0);
    fill(AVAIL_ADDR, 0x100, 0);
    fill(USED_ADDR, 0x100, 0);
    g_avail = g_used = 0;
    vw(VIO_QUEUE_SEL, 0);
    if (vr(VIO_QUEUE_NUM_MAX) < QSIZE || vr(VIO_QUEUE_READY) != 0)
        return 0;
    vw(VIO_QUEUE_NUM, QSIZE);
    vw(VIO_DESC_LO, (uint32_t)DESC_ADDR);
    vw(VIO_DESC_HI, 0);
    vw(VIO_AVAIL_LO, (uint32_t)AVAIL_ADDR);
    vw(VIO_AVAIL_HI, 0);
    vw(VIO_USED_LO, (uint32_t)USED_ADDR);
    vw(VIO_USED_HI, 0);
    vw(VIO_QUEUE_READY, 1);
    if (vr(VIO_QUEUE_READY) != 1)
        return 0;
    vw(VIO_STATUS, ST_RUNNING);
    return vr(VIO_STATUS) == ST_RUNNING;
}

static void set_desc(volatile struct vdesc *t, int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    t[i].addr = addr;
    t[i].len = len;
    t[i].flags = flags;
    t[i].next = next;
}

static void set_header(uint64_t at, uint32_t type, uint64_t sector)
{
    *(volatile uint32_t *)(at + 0) = type;
    *(volatile uint32_t *)(at + 4) = 0;
    *(volatile uint64_t *)(at + 8) = sector;
}

/* Put `head` in the available ring (2.7.6; the entry before the index). */
static void make_available(uint16_t head)
{
    AVAIL_RING[g_avail % QSIZE] = head;
    fence();
    AVAIL_IDX = ++g_avail;
    fence();
}

static void notify(void)
{
    vw(VIO_QUEUE_NOTIFY, 0);
}

#define OUT_NOTHING     0
#define OUT_USED        1
#define OUT_RESET       2
/* Orrery completes requests before the notifying store retires; QEMU's
 * block layer completes them asynchronously, so poll (bounded). */
#define POLL_ANSWER     20000000L
#define POLL_SILENCE    100000L

static int wait_outcome(long polls)
{
    for (long i = 0; i < polls; i++) {
        fence();
        if (USED_IDX != g_used) {
            g_used = USED_IDX;
            return OUT_USED;
        }
        if (vr(VIO_STATUS) & ST_NEEDS_RESET)
            return OUT_RESET;
    }
    return OUT_NOTHING;
}

/* The classic three-descriptor request: header, data, status. */
static void request3(uint32_t type, uint64_t sector, uint64_t data, uint32_t len, int device_writes_data)
{
    set_header(HDR_ADDR, type, sector);
    STATUS_BYTE = 0xee;
    set_desc(DESC, 0, HDR_ADDR, 16, DESC_NEXT, 1);
    set_desc(DESC, 1, data, len, DESC_NEXT | (device_writes_data ? DESC_WRITE : 0), 2);
    set_desc(DESC, 2, STATUS_ADDR, 1, DESC_WRITE, 0);
}

/* A complete good request on a running device: 1 if it ends with a used
 * entry for head 0, the status byte `want_status` and used length
 * `want_len`. */
static int run_request(uint8_t want_status, uint32_t want_len)
{
    make_available(0);
    notify();
    uint16_t slot = g_used;
    if (wait_outcome(POLL_ANSWER) != OUT_USED)
        return 0;
    return STATUS_BYTE == want_status && USED_ID(slot) == 0 && USED_LEN(slot) == want_len;
}

static int sector_is(uint64_t at, unsigned sector)
{
    return all_bytes(at, SECTOR, PATTERN(sector));
}

/* Read `sector` into the data buffer and check it has its pattern. */
static int good_read(unsigned sector)
{
    fill(DATA_ADDR, SECTOR, 0);
    request3(BLK_T_IN, sector, DATA_ADDR, SECTOR, 1);
    return run_request(BLK_S_OK, SECTOR + 1) && sector_is(DATA_ADDR, sector);
}

/* ------------------------------------------------------ damage detection -- */

#define MAX_SPANS 4
static uint64_t g_span_lo[MAX_SPANS], g_span_hi[MAX_SPANS];
static int g_spans;
static uint64_t g_rom[32];

/* [a, a + n) of the arena may be written by the device in this case. */
static void allow(uint64_t a, uint64_t n)
{
    g_span_lo[g_spans] = a;
    g_span_hi[g_spans] = a + n;
    g_spans++;
}

static int allowed(uint64_t a)
{
    for (int i = 0; i < g_spans; i++)
        if (a >= g_span_lo[i] && a < g_span_hi[i])
            return 1;
    return 0;
}

static void snapshot(void)
{
    for (uint64_t i = 0; i < ARENA_SIZE; i += 8)
        *(volatile uint64_t *)(SHADOW + i) = *(volatile uint64_t *)(ARENA + i);
}

static int rom_intact(void)
{
    for (int i = 0; i < 32; i++)
        if (*(volatile uint64_t *)(ROM_BASE + 8 * i) != g_rom[i])
            return 0;
    return 1;
}

/* Number of bytes written outside the allowed spans (arena, RAM tail,
 * ROM); the first one is reported. */
static unsigned damage(void)
{
    unsigned bad = 0;
    for (uint64_t i = 0; i < ARENA_SIZE; i += 8) {
        if (*(volatile uint64_t *)(ARENA + i) == *(volatile uint64_t *)(SHADOW + i))
            continue;
        for (uint64_t b = i; b < i + 8; b++)
            if (*(volatile uint8_t *)(ARENA + b) != *(volatile uint8_t *)(SHADOW + b) && !allowed(ARENA + b)) {
                if (!bad)
                    printf("  (arena offset 0x%lx: 0x%x, was 0x%x)\n", b, *(volatile uint8_t *)(ARENA + b),
                           *(volatile uint8_t *)(SHADOW + b));
                bad++;
            }
    }
    if (!all_bytes(TAIL_CANARY, 0xf00, 0x5a)) {
        printf("  (RAM below the last 256 bytes written)\n");
        bad++;
    }
    if (!rom_intact()) {
        printf("  (ROM written)\n");
        bad++;
    }
    return bad;
}

/* ------------------------------------------------------------- one case -- */

/* What the device must answer. */
enum expect {
    X_RESET,            /* DEVICE_NEEDS_RESET + configuration-change interrupt */
    X_IOERR,            /* used, status VIRTIO_BLK_S_IOERR */
    X_UNSUPP,           /* used, status VIRTIO_BLK_S_UNSUPP */
    X_OK,               /* used, status VIRTIO_BLK_S_OK */
    X_RESET_OR_USED,    /* either; QEMU 7.2 completes non-RAM DMA via a bounce buffer */
    X_RESET_OR_OK,      /* NEEDS_RESET or a successful completion */
};

static const char *const g_expect_text[] = {
    ": DEVICE_NEEDS_RESET and a configuration-change interrupt",
    ": status VIRTIO_BLK_S_IOERR",
    ": status VIRTIO_BLK_S_UNSUPP",
    ": status VIRTIO_BLK_S_OK",
    ": DEVICE_NEEDS_RESET, or completed (QEMU 7.2 bounce-buffers DMA outside RAM)",
    ": DEVICE_NEEDS_RESET, or completed successfully (QEMU 7.2)",
};

static int g_ready;             /* dev_init() succeeded for this case */
static unsigned g_recover_sector;

/* Start a case: canaries, a fresh device. */
static void begin(void)
{
    fill(ARENA, ARENA_SIZE, CANARY);
    fill(TAIL_CANARY, 0xf00, 0x5a);
    g_ready = dev_init();
    g_spans = 0;
    allow(USED_ADDR, USED_BYTES);
    allow(STATUS_ADDR, 1);
    g_recover_sector = 3;
}

/* The request is built: snapshot, notify, judge. */
static int judge(const char *name, enum expect x)
{
    snapshot();
    notify();
    int o = wait_outcome(POLL_ANSWER);
    uint32_t st = vr(VIO_STATUS), isr = vr(VIO_INT_STATUS);
    uint8_t sb = STATUS_BYTE;
    int reset = o == OUT_RESET && (st & ST_NEEDS_RESET) && (isr & INT_CONFIG);
    int ok;
    switch (x) {
    case X_RESET: ok = reset; break;
    case X_IOERR: ok = o == OUT_USED && sb == BLK_S_IOERR; break;
    case X_UNSUPP: ok = o == OUT_USED && sb == BLK_S_UNSUPP; break;
    case X_OK: ok = o == OUT_USED && sb == BLK_S_OK; break;
    case X_RESET_OR_USED: ok = reset || o == OUT_USED; break;
    default: ok = reset || (o == OUT_USED && sb == BLK_S_OK); break;
    }
    ok = ok && g_ready;
    if (!ok)
        printf("  (ready %d outcome %d Status 0x%x InterruptStatus 0x%x status byte 0x%x)\n", g_ready, o, st, isr, sb);
    check_eq2(name, g_expect_text[x], ok, 1);
    return o;
}

/* After judge(): damage, then reset and a good read. */
static void aftermath(const char *name)
{
    check_eq2(name, ": nothing written outside the writable buffers", damage(), 0);
    int ok = dev_init() && good_read(g_recover_sector);
    check_eq2(name, ": after a reset, a read returns the sector", ok, 1);
}

static void run_case(const char *name, enum expect x)
{
    judge(name, x);
    aftermath(name);
}

/* ---------------------------------------------------------------- cases -- */

/* Buffers that are not (wholly) RAM. */
static void test_bad_addresses(void)
{
    begin();
    request3(BLK_T_IN, 3, UNMAPPED, SECTOR, 1);
    make_available(0);
    run_case("read into unmapped memory", X_RESET_OR_USED);

    begin();
    request3(BLK_T_IN, 3, RAM_END - 0x100, SECTOR, 1);  /* 256 bytes of RAM, then nothing */
    make_available(0);
    run_case("read straddling the end of RAM", X_RESET_OR_USED);

    begin();
    request3(BLK_T_IN, 3, ROM_BASE, SECTOR, 1);
    make_available(0);
    run_case("read into the boot ROM", X_RESET_OR_USED);

    begin();
    request3(BLK_T_IN, 3, 0xc000800UL, SECTOR, 1);      /* reserved PLIC priorities */
    make_available(0);
    run_case("read into the PLIC", X_RESET_OR_USED);

    begin();
    request3(BLK_T_IN, 3, 0xffffffffffffff00UL, SECTOR, 1);
    make_available(0);
    run_case("read wrapping around 2^64", X_RESET_OR_USED);

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, 0xffffffffu, 1);   /* runs far past the end of RAM */
    make_available(0);
    run_case("read of 2^32-1 bytes", X_RESET);

    /* device-readable buffers outside RAM: the disk's sector 60 is the
     * victim (QEMU writes what it read there) */
    begin();
    request3(BLK_T_OUT, 60, ROM_BASE, SECTOR, 0);
    make_available(0);
    run_case("write from the boot ROM", X_RESET_OR_USED);

    begin();
    request3(BLK_T_OUT, 60, 0x2000000UL, SECTOR, 0);    /* the CLINT's MSIP registers */
    make_available(0);
    run_case("write from the CLINT", X_RESET_OR_USED);

    begin();
    request3(BLK_T_OUT, 60, 0x80000000UL - 0x100, SECTOR, 0); /* a hole (QEMU: PCI window), then this program */
    make_available(0);
    run_case("write from below RAM into RAM", X_RESET_OR_USED);

    /* the device-writable status byte in the ROM */
    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    set_desc(DESC, 2, ROM_BASE + 0x800, 1, DESC_WRITE, 0);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("status byte in the boot ROM", X_RESET_OR_USED);
}

/* Well-formed chains the block device must refuse with a status. */
static void test_bad_requests(void)
{
    begin();
    request3(BLK_T_IN, DISK_SECTORS, DATA_ADDR, SECTOR, 1);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("read at sector = capacity", X_IOERR);

    begin();
    request3(BLK_T_IN, ~0UL, DATA_ADDR, SECTOR, 1);     /* sector * 512 overflows */
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("read at sector 2^64-1", X_IOERR);

    begin();
    fill(BIG_ADDR, BIG_SIZE, 0x3c);
    request3(BLK_T_IN, 0, BIG_ADDR, BIG_SIZE, 1);       /* 2048 sectors of a 64-sector disk */
    make_available(0);
    judge("read of 1 MiB from a 32 KiB disk", X_IOERR);
    CHECK("read of 1 MiB from a 32 KiB disk: the buffer is untouched", all_bytes(BIG_ADDR, BIG_SIZE, 0x3c));
    aftermath("read of 1 MiB from a 32 KiB disk");

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, 100, 1);           /* not a whole sector */
    allow(DATA_ADDR, 100);
    make_available(0);
    run_case("read of 100 bytes", X_IOERR);

    begin();
    fill(DATA_ADDR, 2 * SECTOR, 0x77);
    request3(BLK_T_OUT, DISK_SECTORS - 1, DATA_ADDR, 2 * SECTOR, 0); /* the last sector and one more */
    make_available(0);
    g_recover_sector = DISK_SECTORS - 1;                /* which must be unchanged */
    run_case("write past the end of the disk", X_IOERR);

    begin();
    request3(0x1234, 3, DATA_ADDR, SECTOR, 1);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("unknown request type 0x1234", X_UNSUPP);
}

/* Descriptor chains the driver must never build (2.7.5.2, 2.7.6). */
static void test_bad_chains(void)
{
    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    DESC[2].flags = DESC_WRITE | DESC_NEXT;
    DESC[2].next = 1;                                   /* 0 -> 1 -> 2 -> 1 -> ... */
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("a chain that loops", X_RESET);

    begin();
    set_header(HDR_ADDR, BLK_T_IN, 3);
    set_desc(DESC, 0, HDR_ADDR, 16, DESC_NEXT, 0);      /* chained to itself */
    make_available(0);
    run_case("a descriptor chained to itself", X_RESET);

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    DESC[1].next = QSIZE;
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("next = 8, beyond the table", X_RESET);

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    DESC[1].next = 0xffff;
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("next = 0xffff", X_RESET);

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    allow(DATA_ADDR, SECTOR);
    make_available(200);                                /* head beyond the table */
    run_case("available ring names descriptor 200", X_RESET);

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    g_avail = 100;
    AVAIL_IDX = g_avail;                                /* 100 requests in an 8-entry ring */
    fence();
    run_case("available index 100 ahead", X_RESET);

    begin();
    set_header(HDR_ADDR, BLK_T_IN, 3);
    set_desc(DESC, 0, HDR_ADDR, 16, 0, 0);              /* no data, no status byte */
    make_available(0);
    run_case("a header alone", X_RESET);

    begin();
    request3(BLK_T_IN, 3, DATA_ADDR, SECTOR, 1);
    set_desc(DESC, 1, STATUS_ADDR, 1, DESC_WRITE | DESC_NEXT, 2); /* writable, then readable */
    set_desc(DESC, 2, DATA_ADDR, SECTOR, 0, 0);
    make_available(0);
    run_case("a device-readable buffer after a writable one", X_RESET);

    /* Zero-length buffers: QEMU 7.2 refuses them; Orrery skips them. */
    begin();
    set_header(HDR_ADDR, BLK_T_IN, 3);
    STATUS_BYTE = 0xee;
    set_desc(DESC, 0, HDR_ADDR, 16, DESC_NEXT, 1);
    set_desc(DESC, 1, DATA_ADDR + 0x2000, 0, DESC_WRITE | DESC_NEXT, 2);
    set_desc(DESC, 2, DATA_ADDR, SECTOR, DESC_WRITE | DESC_NEXT, 3);
    set_desc(DESC, 3, STATUS_ADDR, 1, DESC_WRITE, 0);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    int o = judge("a zero-length descriptor", X_RESET_OR_OK);
    CHECK("a zero-length descriptor: the data, if completed, is the sector's",
          o != OUT_USED || sector_is(DATA_ADDR, 3));
    aftermath("a zero-length descriptor");
}

/* Indirect tables (2.7.5.3). */
static void set_indirect_request(unsigned sector)
{
    set_header(HDR_ADDR, BLK_T_IN, sector);
    STATUS_BYTE = 0xee;
    set_desc(IND, 0, HDR_ADDR, 16, DESC_NEXT, 1);
    set_desc(IND, 1, DATA_ADDR, SECTOR, DESC_WRITE | DESC_NEXT, 2);
    set_desc(IND, 2, STATUS_ADDR, 1, DESC_WRITE, 0);
    set_desc(DESC, 0, IND_ADDR, 3 * 16, DESC_INDIRECT, 0);
}

static void test_indirect(void)
{
    begin();
    set_indirect_request(3);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    judge("indirect table (good)", X_OK);
    CHECK("indirect table (good): the data is the sector's", sector_is(DATA_ADDR, 3));
    aftermath("indirect table (good)");

    begin();
    set_indirect_request(3);
    IND[2].flags = DESC_WRITE | DESC_NEXT;
    IND[2].next = 1;
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    run_case("an indirect table that loops", X_RESET);

    begin();
    set_indirect_request(3);
    set_desc(IND, 1, IND_ADDR, 3 * 16, DESC_INDIRECT | DESC_NEXT, 2); /* the table again, nested */
    make_available(0);
    /* 2.7.5.3.1: the driver must not; Orrery refuses it, QEMU 7.2 takes the
     * descriptor for a plain device-readable buffer. */
    run_case("an indirect descriptor inside an indirect table", X_RESET_OR_OK);

    begin();
    set_indirect_request(3);
    DESC[0].len = 40;
    make_available(0);
    run_case("an indirect table of 40 bytes", X_RESET);

    begin();
    set_indirect_request(3);
    DESC[0].len = 0xfffffff0u;                          /* far past the end of RAM */
    make_available(0);
    run_case("an indirect table of 2^32-16 bytes", X_RESET);

    begin();
    set_indirect_request(3);
    DESC[0].addr = UNMAPPED;
    make_available(0);
    run_case("an indirect table outside RAM", X_RESET);

    begin();
    set_indirect_request(3);
    DESC[0].flags = DESC_INDIRECT | DESC_NEXT;
    DESC[0].next = 1;
    set_desc(DESC, 1, STATUS_ADDR, 1, DESC_WRITE, 0);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    /* 2.7.5.3.1 again; QEMU 7.2 ignores NEXT and serves the table. */
    run_case("an indirect descriptor with NEXT", X_RESET_OR_OK);

    /* 16 buffers (header, 14 sectors, status) in one chain, for a queue of
     * 8: the driver must not (2.7.5.3.1); Orrery refuses, QEMU 7.2 reads. */
    begin();
    set_header(HDR_ADDR, BLK_T_IN, 2);
    STATUS_BYTE = 0xee;
    set_desc(IND, 0, HDR_ADDR, 16, DESC_NEXT, 1);
    for (int i = 1; i <= 14; i++)
        set_desc(IND, i, DATA_ADDR + SECTOR * (i - 1), SECTOR, DESC_WRITE | DESC_NEXT, (uint16_t)(i + 1));
    set_desc(IND, 15, STATUS_ADDR, 1, DESC_WRITE, 0);
    set_desc(DESC, 0, IND_ADDR, 16 * 16, DESC_INDIRECT, 0);
    allow(DATA_ADDR, 14 * SECTOR);
    make_available(0);
    int o = judge("a 16-buffer chain in a queue of 8", X_RESET_OR_OK);
    int data_ok = 1;
    for (int i = 0; i < 14; i++)
        data_ok &= sector_is(DATA_ADDR + SECTOR * i, 2 + i);
    CHECK("a 16-buffer chain in a queue of 8: the data, if completed, is sectors 2..15",
          o != OUT_USED || data_ok);
    aftermath("a 16-buffer chain in a queue of 8");
}

/* DMA that overwrites the driver's own structures: legal for the device
 * (it is RAM the driver named), hostile for an emulator that keeps
 * pointers into the rings. */
static void test_aliasing(void)
{
    begin();
    request3(BLK_T_IN, 3, DESC_ADDR, SECTOR, 1);        /* over the table and the available ring */
    allow(DESC_ADDR, SECTOR);
    make_available(0);
    judge("data over the descriptor table and the available ring", X_OK);
    CHECK("data over the descriptor table and the available ring: the data arrived", sector_is(DESC_ADDR, 3));
    aftermath("data over the descriptor table and the available ring");

    begin();
    set_header(DATA_ADDR, BLK_T_IN, 4);
    STATUS_BYTE = 0xee;
    set_desc(DESC, 0, DATA_ADDR, 16, DESC_NEXT, 1);     /* header ... */
    set_desc(DESC, 1, DATA_ADDR, SECTOR, DESC_WRITE | DESC_NEXT, 2); /* ... and data in one place */
    set_desc(DESC, 2, STATUS_ADDR, 1, DESC_WRITE, 0);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    judge("header and data in the same bytes", X_OK);
    CHECK("header and data in the same bytes: the data is the sector's", sector_is(DATA_ADDR, 4));
    aftermath("header and data in the same bytes");
}

/* The transport: registers, features, queues. */
static void test_transport(void)
{
    int ok;
    ok = dev_init();
    CHECK("transport: slot 7 is a modern virtio-blk device",
          ok && vr(VIO_MAGIC) == 0x74726976 && vr(VIO_VERSION) == 2 && vr(VIO_DEVICE_ID) == 2);
    /* Registers are 32-bit (4.2.2.2); other widths are ignored / read 0
     * (QEMU 7.2 splits a 64-bit access into two 32-bit ones). */
    uint8_t b = *(volatile uint8_t *)(VIO_BASE + VIO_MAGIC);
    uint16_t h = *(volatile uint16_t *)(VIO_BASE + VIO_MAGIC);
    uint64_t d = *(volatile uint64_t *)(VIO_BASE + VIO_MAGIC);
    CHECK("transport: 8- and 16-bit reads of MagicValue return 0", b == 0 && h == 0);
    CHECK("transport: a 64-bit read of MagicValue returns 0 or MagicValue|Version<<32 (QEMU 7.2)",
          d == 0 || d == 0x0000000274726976UL);
    *(volatile uint8_t *)(VIO_BASE + VIO_STATUS) = 0;
    *(volatile uint16_t *)(VIO_BASE + VIO_STATUS) = 0;
    CHECK("transport: 8- and 16-bit writes of Status are ignored", vr(VIO_STATUS) == ST_RUNNING);
    /* The configuration space takes every width (4.2.2.2). */
    CHECK("transport: capacity by 8/16/32/64-bit config reads",
          *(volatile uint8_t *)(VIO_BASE + VIO_CONFIG) == DISK_SECTORS &&
          *(volatile uint16_t *)(VIO_BASE + VIO_CONFIG) == DISK_SECTORS &&
          *(volatile uint32_t *)(VIO_BASE + VIO_CONFIG) == DISK_SECTORS &&
          *(volatile uint32_t *)(VIO_BASE + VIO_CONFIG + 4) == 0 &&
          *(volatile uint64_t *)(VIO_BASE + VIO_CONFIG) == DISK_SECTORS);

    /* Notifications of queues that do not exist, and a storm of them with
     * nothing available: nothing happens. */
    vw(VIO_QUEUE_NOTIFY, 5);
    vw(VIO_QUEUE_NOTIFY, 0xffffffffu);
    for (int i = 0; i < 10000; i++)
        vw(VIO_QUEUE_NOTIFY, 0);
    CHECK("transport: notifying absent queues and 10000 empty notifications: no answer",
          wait_outcome(POLL_SILENCE) == OUT_NOTHING && vr(VIO_STATUS) == ST_RUNNING &&
          vr(VIO_INT_STATUS) == 0);
    CHECK("transport: then a read works", good_read(7));

    /* QueueReady = 1 on it: ignored (Orrery) or recorded (QEMU 7.2 keeps
     * an enable flag for every index below 1024). */
    vw(VIO_QUEUE_SEL, 1000);
    uint32_t max = vr(VIO_QUEUE_NUM_MAX);
    vw(VIO_QUEUE_NUM, QSIZE);
    vw(VIO_QUEUE_READY, 1);
    vw(VIO_QUEUE_NOTIFY, 1000);
    vw(VIO_QUEUE_SEL, 0);
    CHECK("transport: queue 1000 does not exist (QueueNumMax 0)", max == 0);
    CHECK("transport: after setting it up and notifying it, the device still runs",
          vr(VIO_STATUS) == ST_RUNNING && good_read(8));

    /* After DEVICE_NEEDS_RESET the device ignores the queue until reset. */
    begin();
    set_header(HDR_ADDR, BLK_T_IN, 3);
    set_desc(DESC, 0, HDR_ADDR, 16, DESC_NEXT, 9);
    make_available(0);
    judge("broken device", X_RESET);
    request3(BLK_T_IN, 9, DATA_ADDR, SECTOR, 1);
    allow(DATA_ADDR, SECTOR);
    make_available(0);
    snapshot();
    notify();
    int used = 0;
    for (long i = 0; i < POLL_SILENCE && !used; i++) {
        fence();
        used = USED_IDX != g_used;
    }
    CHECK("broken device: a good request is ignored until the reset", !used && STATUS_BYTE == 0xee);
    aftermath("broken device");

    /* Rings outside RAM: Orrery refuses QueueReady with NEEDS_RESET; QEMU
     * 7.2 takes them (and would DMA through bounce buffers). */
    static const char *const ring_names[3] = {
        "descriptor table in unmapped memory: NEEDS_RESET at QueueReady, or taken (QEMU 7.2)",
        "used ring in the boot ROM: NEEDS_RESET at QueueReady, or taken (QEMU 7.2)",
        "available ring in the PLIC: NEEDS_RESET at QueueReady, or taken (QEMU 7.2)",
    };
    for (int i = 0; i < 3; i++) {
        vw(VIO_STATUS, 0);
        vw(VIO_STATUS, ST_ACK | ST_DRIVER);
        vw(VIO_DRV_FEAT_SEL, 1);
        vw(VIO_DRV_FEAT, F_VERSION_1_HI);
        vw(VIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
        vw(VIO_QUEUE_SEL, 0);
        vw(VIO_QUEUE_NUM, QSIZE);
        vw(VIO_DESC_LO, (uint32_t)(i == 0 ? UNMAPPED : DESC_ADDR));
        vw(VIO_DESC_HI, (uint32_t)((i == 0 ? UNMAPPED : DESC_ADDR) >> 32));
        vw(VIO_AVAIL_LO, (uint32_t)(i == 2 ? 0xc000800UL : AVAIL_ADDR));
        vw(VIO_AVAIL_HI, 0);
        vw(VIO_USED_LO, (uint32_t)(i == 1 ? ROM_BASE : USED_ADDR));
        vw(VIO_USED_HI, 0);
        vw(VIO_QUEUE_READY, 1);
        uint32_t st = vr(VIO_STATUS);
        uint32_t ready = vr(VIO_QUEUE_READY);
        CHECK(ring_names[i], (ready == 0 && (st & ST_NEEDS_RESET)) || (ready == 1 && !(st & ST_NEEDS_RESET)));
        CHECK("  ... and a reset brings the device back", dev_init() && good_read(10 + i));
    }
    CHECK("rings outside RAM: the boot ROM is intact", rom_intact());

    /* Features: an unoffered bit (63) is refused at FEATURES_OK (Orrery,
     * 2.2.2) or dropped (QEMU 7.2); DRIVER_OK without FEATURES_OK puts the
     * device into NEEDS_RESET (Orrery) or is taken (QEMU 7.2). */
    vw(VIO_STATUS, 0);
    vw(VIO_STATUS, ST_ACK | ST_DRIVER);
    vw(VIO_DRV_FEAT_SEL, 1);
    vw(VIO_DRV_FEAT, F_VERSION_1_HI | (1u << 31));
    vw(VIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    CHECK("features: an unoffered bit is refused at FEATURES_OK, or dropped (QEMU 7.2)",
          (vr(VIO_STATUS) & ~ST_FEATURES_OK) == (ST_ACK | ST_DRIVER));
    vw(VIO_STATUS, 0);
    vw(VIO_STATUS, ST_ACK | ST_DRIVER);
    vw(VIO_STATUS, ST_ACK | ST_DRIVER | ST_DRIVER_OK);
    uint32_t st = vr(VIO_STATUS);
    CHECK("features: DRIVER_OK without FEATURES_OK: NEEDS_RESET, or taken (QEMU 7.2)",
          st == (ST_ACK | ST_DRIVER | ST_NEEDS_RESET) || st == (ST_ACK | ST_DRIVER | ST_DRIVER_OK));
    CHECK("features: a reset brings the device back", dev_init() && good_read(11));
}

/* A good write, a flush and a read back; on a read-only drive the write
 * fails with IOERR and the sector keeps its pattern (5.2.6.2). */
static void test_write_back(void)
{
    begin();
    for (int i = 0; i < SECTOR; i++)
        *(volatile uint8_t *)(DATA_ADDR + i) = (uint8_t)(i * 7 + 3);
    request3(BLK_T_OUT, 5, DATA_ADDR, SECTOR, 0);
    CHECK("write sector 5: OK, or IOERR on a read-only drive",
          g_ready && run_request(g_ro ? BLK_S_IOERR : BLK_S_OK, 1));
    set_header(HDR_ADDR, BLK_T_FLUSH, 0);
    STATUS_BYTE = 0xee;
    set_desc(DESC, 0, HDR_ADDR, 16, DESC_NEXT, 1);
    set_desc(DESC, 1, STATUS_ADDR, 1, DESC_WRITE, 0);
    CHECK("flush: OK", run_request(BLK_S_OK, 1));
    fill(DATA_ADDR + SECTOR, SECTOR, 0);
    request3(BLK_T_IN, 5, DATA_ADDR + SECTOR, SECTOR, 1);
    int ok = run_request(BLK_S_OK, SECTOR + 1);
    for (int i = 0; i < SECTOR && ok; i++)
        ok = *(volatile uint8_t *)(DATA_ADDR + SECTOR + i) == (g_ro ? PATTERN(5) : (uint8_t)(i * 7 + 3));
    CHECK("read back sector 5: what was written (the old pattern if read-only)", ok);
    CHECK("neighbouring sectors 4 and 6 unchanged", good_read(4) && good_read(6));
}

int main(void)
{
    for (int i = 0; i < 32; i++)
        g_rom[i] = *(volatile uint64_t *)(ROM_BASE + 8 * i);
    test_transport();
    test_bad_addresses();
    test_bad_requests();
    test_bad_chains();
    test_indirect();
    test_aliasing();
    test_write_back();
    vw(VIO_STATUS, 0);
    return test_summary("hostile_virtio");
}
