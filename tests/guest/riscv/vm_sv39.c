/* vm_sv39: page-based virtual memory with Sv39; the checks are in vm_tests.h. */
#define VM_NAME   "vm_sv39"
#define VM_MODE   SATP_MODE_SV39
#define VM_LEVELS 3
#include "vm_tests.h"
