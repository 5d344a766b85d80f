// mpyforge SDK entry point: include this from a native module, exactly like MicroPython's py/dynruntime.h.
#ifndef MPYFORGE_SDK_PY_DYNRUNTIME_H
#define MPYFORGE_SDK_PY_DYNRUNTIME_H

#include "mpyforge/api.h"

#endif // MPYFORGE_SDK_PY_DYNRUNTIME_H
