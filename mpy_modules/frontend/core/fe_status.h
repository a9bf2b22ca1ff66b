// Status codes of the frontend core; fe_status_message() names each for the binding.
#ifndef FE_STATUS_H
#define FE_STATUS_H

typedef enum {
    FE_OK = 0,
    FE_ERR_FFT_SIZE,
    FE_ERR_FRAME,
    FE_ERR_HOP,
    FE_ERR_SCALE,
    FE_ERR_ZERO_POINT,
    FE_ERR_SAMPLE_RATE,
    FE_ERR_FREQUENCY,
    FE_ERR_BANDS,
    FE_ERR_COEFFICIENTS,
    FE_ERR_DECIMATION,
} fe_status_t;

// A short sentence saying what was expected; never NULL.
const char *fe_status_message(fe_status_t status);

// Set-up code runs once per object: gcc optimises a cold function for size even in
// the files built with -O2 for their per-sample loops (module code lives in RAM).
#if defined(__GNUC__)
#define FE_COLD __attribute__((cold))
#else
#define FE_COLD
#endif

#endif
