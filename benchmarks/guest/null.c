/*
 * null: exits at once. The suite times it to subtract each emulator's
 * start-up (process, machine, ELF load) from the workloads' wall times.
 */
int main(void)
{
    return 0;
}
