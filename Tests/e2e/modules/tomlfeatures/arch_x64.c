// Compiled only for x64 ([arch.x64] sources).
int arch_part(void) {
    return 64;
}
