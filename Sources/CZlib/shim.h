#ifndef FREEHAND_CZLIB_SHIM_H
#define FREEHAND_CZLIB_SHIM_H
#include <zlib.h>
#endif
