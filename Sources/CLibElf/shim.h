// Exposes libelf's generic (class-independent) API to Swift.
#include <libelf.h>
#include <gelf.h>
