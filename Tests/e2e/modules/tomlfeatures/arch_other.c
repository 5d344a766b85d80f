// Compiled for the other arches of the manifest.
int arch_part(void) {
    return 1;
}
