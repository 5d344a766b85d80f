// The C string and memory functions natmod authors reach for, for every arch. MicroPython
// exports only memset, memcpy and memmove through its function table (the linker forwards
// those); bare-metal ports link no libc into a native module, so without these strlen is
// an undefined symbol on ARM and RISC-V. mpyforge compiles this file per arch and offers it
// to the linker as an archive: a module gets only the functions it calls (one section each).
#include <stddef.h>

// GCC may turn a byte loop into a call to the very function being defined.
#pragma GCC optimize("no-tree-loop-distribute-patterns")

size_t strlen(const char *s) {
    const char *p = s;
    while (*p) {
        p++;
    }
    return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t limit) {
    size_t n = 0;
    while (n < limit && s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
    for (; n > 0; n--, a++, b++) {
        if (*a != *b || *a == '\0') {
            return (int)(unsigned char)*a - (int)(unsigned char)*b;
        }
    }
    return 0;
}

char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) {
            return (char *)s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}

char *strrchr(const char *s, int c) {
    const char *found = NULL;
    for (;; s++) {
        if (*s == (char)c) {
            found = s;
        }
        if (*s == '\0') {
            return (char *)found;
        }
    }
}

char *strstr(const char *haystack, const char *needle) {
    if (*needle == '\0') {
        return (char *)haystack;
    }
    for (; *haystack; haystack++) {
        const char *h = haystack, *n = needle;
        while (*n && *h == *n) {
            h++;
            n++;
        }
        if (*n == '\0') {
            return (char *)haystack;
        }
    }
    return NULL;
}

char *strcpy(char *destination, const char *source) {
    char *d = destination;
    while ((*d++ = *source++) != '\0') {
    }
    return destination;
}

char *strncpy(char *destination, const char *source, size_t n) {
    size_t i = 0;
    for (; i < n && source[i]; i++) {
        destination[i] = source[i];
    }
    for (; i < n; i++) {
        destination[i] = '\0';
    }
    return destination;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n > 0; n--, x++, y++) {
        if (*x != *y) {
            return (int)*x - (int)*y;
        }
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n) {
    const unsigned char *p = s;
    for (; n > 0; n--, p++) {
        if (*p == (unsigned char)c) {
            return (void *)p;
        }
    }
    return NULL;
}
