// Console and clocks for firmware/linux.
//
// Input is read without blocking into a ring buffer whenever the VM polls, so a
// Ctrl-C in the stream interrupts running code as on a board's UART.
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "py/gc.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "shared/readline/readline.h"

#define RX_BUF_SIZE (4096)
// A reader that is there but slow (a test host on a loaded machine) gets this long;
// with nobody on the pty (POLLHUP) output is dropped at once.
#define TX_STALL_MS (30000)

static int hal_fd_in = 0;
static int hal_fd_out = 1;
static bool hal_exit_on_eof;
static bool hal_rx_eof;
static bool hal_map_newline;
static bool hal_cooked = true; // "\n" goes out as "\r\n", as a board's REPL sends it
static bool hal_tx_stalled;
static uint8_t rx_buf[RX_BUF_SIZE];
static size_t rx_head, rx_tail; // bytes in rx_buf[rx_tail .. rx_head)

void linux_hal_init(int fd_in, int fd_out, bool exit_on_eof) {
    hal_fd_in = fd_in;
    hal_fd_out = fd_out;
    hal_exit_on_eof = exit_on_eof;
}

void linux_hal_map_newline(bool map) {
    hal_map_newline = map;
}

void linux_hal_cooked_output(bool cooked) {
    hal_cooked = cooked;
}

static size_t rx_count(void) {
    return rx_head - rx_tail;
}

// Reads what is available (waiting up to timeout_ms); returns false at end of input.
static bool rx_fill(int timeout_ms) {
    struct pollfd pfd = { .fd = hal_fd_in, .events = POLLIN };
    if (poll(&pfd, 1, timeout_ms) <= 0 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
        return true;
    }
    uint8_t chunk[256];
    size_t room = RX_BUF_SIZE - rx_count();
    if (room == 0) {
        return true;
    }
    ssize_t n = read(hal_fd_in, chunk, room < sizeof(chunk) ? room : sizeof(chunk));
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        return false;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (chunk[i] == mp_interrupt_char) {
            rx_tail = rx_head; // like a board: Ctrl-C drops pending input
            mp_sched_keyboard_interrupt();
        } else {
            rx_buf[rx_head++ % RX_BUF_SIZE] = hal_map_newline && chunk[i] == '\n' ? '\r' : chunk[i];
        }
    }
    return true;
}

void mp_hal_poll_input(void) {
    if (!hal_rx_eof && !rx_fill(0)) {
        hal_rx_eof = true;
    }
}

// At the end of input the stdin REPL ends the process; a script reading stdin
// sees Ctrl-D (EOFError from input()).
int mp_hal_stdin_rx_chr(void) {
    while (rx_count() == 0) {
        if (hal_rx_eof || !rx_fill(100)) {
            hal_rx_eof = true;
            if (hal_exit_on_eof) {
                exit(0);
            }
            return CHAR_CTRL_D;
        }
        mp_handle_pending(true);
    }
    uint8_t c = rx_buf[rx_tail++ % RX_BUF_SIZE];
    return c;
}

uintptr_t mp_hal_stdio_poll(uintptr_t poll_flags) {
    uintptr_t ret = 0;
    if (poll_flags & MP_STREAM_POLL_RD) {
        mp_hal_poll_input();
        if (rx_count() > 0) {
            ret |= MP_STREAM_POLL_RD;
        }
    }
    if (poll_flags & MP_STREAM_POLL_WR) {
        ret |= MP_STREAM_POLL_WR;
    }
    return ret;
}

static int64_t monotonic_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

// Output waits for a slow reader but not forever: with nobody on the pty the
// bytes are dropped, as a board's USB serial does.
mp_uint_t mp_hal_stdout_tx_strn(const char *str, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(hal_fd_out, str + done, len - done);
        if (n > 0) {
            done += n;
            hal_tx_stalled = false;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN) {
            break;
        }
        // poll() is never restarted after a signal: the 100 ms native-code tick would cut
        // a slow reader's wait short and drop bytes, so a wait interrupted is resumed.
        struct pollfd pfd = { .fd = hal_fd_out, .events = POLLOUT };
        int wait_ms = hal_tx_stalled ? 0 : TX_STALL_MS;
        int64_t deadline = monotonic_ms() + wait_ms;
        int ready;
        while ((ready = poll(&pfd, 1, wait_ms)) < 0 && errno == EINTR) {
            int64_t left = deadline - monotonic_ms();
            wait_ms = left > 0 ? (int)left : 0;
        }
        if (ready <= 0 || (pfd.revents & (POLLHUP | POLLERR))) {
            hal_tx_stalled = true;
            break;
        }
    }
    return done;
}

void mp_hal_stdout_tx_str(const char *str) {
    mp_hal_stdout_tx_strn(str, strlen(str));
}

void mp_hal_stdout_tx_strn_cooked(const char *str, size_t len) {
    if (!hal_cooked) {
        mp_hal_stdout_tx_strn(str, len);
        return;
    }
    const char *start = str;
    for (const char *end = str + len; str < end; str++) {
        if (*str == '\n') {
            mp_hal_stdout_tx_strn(start, str - start);
            mp_hal_stdout_tx_strn("\r\n", 2);
            start = str + 1;
        }
    }
    mp_hal_stdout_tx_strn(start, str - start);
}

static uint64_t clock_us(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

mp_uint_t mp_hal_ticks_ms(void) {
    return clock_us(CLOCK_MONOTONIC) / 1000;
}

mp_uint_t mp_hal_ticks_us(void) {
    return clock_us(CLOCK_MONOTONIC);
}

mp_uint_t mp_hal_ticks_cpu(void) {
    return clock_us(CLOCK_MONOTONIC);
}

uint64_t mp_hal_time_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

// Sleeps in short slices that keep polling input, so Ctrl-C ends a sleep.
void mp_hal_delay_ms(mp_uint_t ms) {
    mp_uint_t start = mp_hal_ticks_ms();
    while (mp_hal_ticks_ms() - start < ms) {
        mp_uint_t left = ms - (mp_hal_ticks_ms() - start);
        struct timespec nap = { 0, (left < 10 ? left : 10) * 1000000 };
        nanosleep(&nap, NULL);
        mp_hal_poll_input();
        mp_handle_pending(true);
    }
}

void mp_hal_delay_us(mp_uint_t us) {
    if (us >= 10000) {
        mp_hal_delay_ms(us / 1000);
        us %= 1000;
    }
    struct timespec nap = { 0, us * 1000 };
    while (nanosleep(&nap, &nap) != 0 && errno == EINTR) {
        // a signal (the native-code tick) cut the sleep short: sleep the rest
    }
}
