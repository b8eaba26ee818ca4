/*
 * The guest half of tests/disk/durability_test.sh: a minimal virtio-blk
 * driver (virtio 1.2, MMIO transport 4.2, split virtqueue 2.7) for the first
 * -drive, which QEMU's virt and Orrery put in the last slot, 0x1000_8000.
 *
 * It reads its command from byte 0 of sector 2, writes sector 0 and
 * FLUSHes it ("flushed"), writes sector 1 without a flush ("written"), then
 * either powers off (command 'p') or spins until the host stops it, so the
 * test can check the image after a poweroff, a signal or a kill.
 */
#include "guest.h"

#define VIRTIO_BASE 0x10008000UL
#define REG(off) (*(volatile uint32_t *)(VIRTIO_BASE + (off)))
enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
    DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034,
    QUEUE_NUM = 0x038, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, STATUS = 0x070, QUEUE_DESC_LOW = 0x080,
    QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090, QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0,
    QUEUE_DEVICE_HIGH = 0x0a4,
};
enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8 };
enum { DESC_NEXT = 1, DESC_WRITE = 2 };
enum { BLK_IN = 0, BLK_OUT = 1, BLK_FLUSH = 4 };
#define FEATURE_FLUSH (1u << 9)     /* VIRTIO_BLK_F_FLUSH, word 0 */
#define FEATURE_VERSION_1 (1u << 0) /* VIRTIO_F_VERSION_1 = bit 32, word 1 */
#define QSIZE 8

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSIZE]; uint16_t avail_event; };
struct req { uint32_t type, reserved; uint64_t sector; };

static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static struct req header;
static uint8_t sector_buf[512];
static volatile uint8_t status_byte;
static uint16_t last_used;

static void fail(const char *what)
{
    printf("FAIL disk_durability: %s\n", what);
    exit(1);
}

static void setup(void)
{
    if (REG(MAGIC) != 0x74726976 || REG(VERSION) != 2 || REG(DEVICE_ID) != 2) fail("no virtio-blk in slot 7");
    REG(STATUS) = 0;
    REG(STATUS) = ACKNOWLEDGE | DRIVER;
    REG(DEVICE_FEATURES_SEL) = 0;
    if (!(REG(DEVICE_FEATURES) & FEATURE_FLUSH)) fail("no FLUSH feature");
    REG(DRIVER_FEATURES_SEL) = 0;
    REG(DRIVER_FEATURES) = FEATURE_FLUSH;
    REG(DRIVER_FEATURES_SEL) = 1;
    REG(DRIVER_FEATURES) = FEATURE_VERSION_1;
    REG(STATUS) = ACKNOWLEDGE | DRIVER | FEATURES_OK;
    if (!(REG(STATUS) & FEATURES_OK)) fail("features refused");
    REG(QUEUE_SEL) = 0;
    if (REG(QUEUE_NUM_MAX) < QSIZE) fail("queue too small");
    REG(QUEUE_NUM) = QSIZE;
    REG(QUEUE_DESC_LOW) = (uint32_t)(uintptr_t)descs;
    REG(QUEUE_DESC_HIGH) = (uint32_t)((uintptr_t)descs >> 32);
    REG(QUEUE_DRIVER_LOW) = (uint32_t)(uintptr_t)&avail;
    REG(QUEUE_DRIVER_HIGH) = (uint32_t)((uintptr_t)&avail >> 32);
    REG(QUEUE_DEVICE_LOW) = (uint32_t)(uintptr_t)&used;
    REG(QUEUE_DEVICE_HIGH) = (uint32_t)((uintptr_t)&used >> 32);
    REG(QUEUE_READY) = 1;
    REG(STATUS) = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK;
}

/* One request: header, optional 512-byte data buffer, status. */
static void request(uint32_t type, uint64_t sector)
{
    header.type = type;
    header.reserved = 0;
    header.sector = sector;
    status_byte = 0xff;
    unsigned n = 0;
    descs[n] = (struct desc){(uintptr_t)&header, sizeof header, DESC_NEXT, (uint16_t)(n + 1)};
    n++;
    if (type != BLK_FLUSH) {
        descs[n] = (struct desc){(uintptr_t)sector_buf, sizeof sector_buf,
                                 (uint16_t)(DESC_NEXT | (type == BLK_IN ? DESC_WRITE : 0)), (uint16_t)(n + 1)};
        n++;
    }
    descs[n] = (struct desc){(uintptr_t)&status_byte, 1, DESC_WRITE, 0};
    avail.ring[avail.idx % QSIZE] = 0;
    __asm__ volatile("fence rw, rw" ::: "memory"); /* ring entry before the index (2.7.13) */
    avail.idx++;
    __asm__ volatile("fence rw, rw" ::: "memory"); /* index before the notification */
    REG(QUEUE_NOTIFY) = 0;
    while (*(volatile uint16_t *)&used.idx == last_used) {
    }
    __asm__ volatile("fence rw, rw" ::: "memory");
    last_used++;
    if (status_byte != 0) fail("request failed");
}

static void fill(const char *tag)
{
    size_t len = strlen(tag);
    for (size_t i = 0; i < sizeof sector_buf; i++) sector_buf[i] = (uint8_t)tag[i % len];
}

int main(void)
{
    setup();
    request(BLK_IN, 2);
    const uint8_t command = sector_buf[0];
    fill("FLUSHED-0 ");
    request(BLK_OUT, 0);
    request(BLK_FLUSH, 0);
    puts("flushed");
    fill("WRITTEN-1 ");
    request(BLK_OUT, 1);
    puts("written");
    if (command == 'p') {
        puts("poweroff");
        return 0;
    }
    for (;;) __asm__ volatile("nop");
}
