// Archived into lib/libtally.a by the test; the module links tally() from it.
int tally(int n) {
    int sum = 0;
    for (int i = 1; i <= n; i++) {
        sum += i;
    }
    return sum;
}
