#include "fe_status.h"

#ifndef FE_WITH_MFCC
#define FE_WITH_MFCC 1
#endif
#ifndef FE_WITH_PDM
#define FE_WITH_PDM 1
#endif
#if !(FE_WITH_MFCC && FE_WITH_PDM)
// A board module built without some parts leaves their messages out (module code
// lives in RAM); the host library has every part, so -Wswitch still checks there.
#pragma GCC diagnostic ignored "-Wswitch"
#endif

// A switch rather than a table of pointers: natmods cannot relocate pointer data,
// and -Wswitch (no default) still flags a status without a message.
const char *fe_status_message(fe_status_t status) {
    switch (status) {
        case FE_OK:
            return "ok";
        case FE_ERR_FFT_SIZE:
            return "fft size not in FFT_SIZES";
        case FE_ERR_FRAME:
            return "frame: 1..fft, in WINDOW_SIZES";
        case FE_ERR_HOP:
            return "hop: 1..65535";
        case FE_ERR_SCALE:
            return "scale: positive finite float32";
        case FE_ERR_ZERO_POINT:
            return "zero_point: -128..127";
#if FE_WITH_MFCC
        case FE_ERR_SAMPLE_RATE:
            return "sample_rate: 1..65535 Hz";
        case FE_ERR_FREQUENCY:
            return "need 0 <= fmin < fmax <= sample_rate/2";
        case FE_ERR_BANDS:
            return "bands must be 2..fft/2+1 mel bands, each covering at least one bin";
        case FE_ERR_COEFFICIENTS:
            return "coefficients must be 1..bands";
#endif
#if FE_WITH_PDM
        case FE_ERR_DECIMATION:
            return "pdm decimation must be 16, 32, 64 or 128";
#endif
    }
    return "unknown status";
}
