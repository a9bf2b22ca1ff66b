// The error texts behind TI_T codes (ti_text.h): in the host library and in
// interp_names.mpy; the board's core writes codes only.
#include "ti_text.h"

#if !TI_OP_MODULES

// One string, not a table of pointers: no relocations in interp_names.mpy.
#define TEXT(name, text) text "\0"
static const char texts[] = TI_TEXTS(TEXT);
#undef TEXT

const char *ti_text(unsigned code) {
    if (code <= TI_TX_NONE || code >= TI_TX_END) {
        return "";
    }
    const char *p = texts;
    while (--code) {
        while (*p++) {
        }
    }
    return p;
}

#endif
