/* vm_sv48: page-based virtual memory with Sv48; the checks are in vm_tests.h. */
#define VM_NAME   "vm_sv48"
#define VM_MODE   SATP_MODE_SV48
#define VM_LEVELS 4
#include "vm_tests.h"
