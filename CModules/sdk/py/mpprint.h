// mpyforge SDK: stand-in for MicroPython's py/mpprint.h so existing module sources compile unchanged; it pulls in the whole SDK.
#include "py/dynruntime.h"
