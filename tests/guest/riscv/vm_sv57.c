/* vm_sv57: page-based virtual memory with Sv57; the checks are in vm_tests.h. */
#define VM_NAME   "vm_sv57"
#define VM_MODE   SATP_MODE_SV57
#define VM_LEVELS 5
#include "vm_tests.h"
