// Where the REPL talks: a pseudo-terminal for mpremote, or this process's stdin.
#define _GNU_SOURCE // posix_openpt, ptsname
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "py/mphal.h"
#include "console.h"

// A raw pseudo-terminal; the slave stays open here so the master never sees a
// hang-up between clients (mpremote opens and closes it once per command).
int console_open_pty(void) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        perror("micropython: pty");
        exit(1);
    }
    const char *name = ptsname(master);
    int slave = open(name, O_RDWR | O_NOCTTY);
    struct termios tio;
    if (slave < 0 || tcgetattr(slave, &tio) != 0) {
        perror("micropython: pty");
        exit(1);
    }
    cfmakeraw(&tio);
    tcsetattr(slave, TCSANOW, &tio);
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    printf("pty: %s\n", name);
    fflush(stdout);
    return master;
}

static struct termios saved_tio;

static void restore_terminal(void) {
    tcsetattr(0, TCSANOW, &saved_tio);
}

// The REPL does its own echo and line editing: a terminal goes raw (restored at
// exit); piped input has its newlines read as Enter.
void console_prepare_stdin_repl(void) {
    if (tcgetattr(0, &saved_tio) == 0) {
        struct termios tio = saved_tio;
        cfmakeraw(&tio);
        tio.c_oflag |= OPOST | ONLCR;
        tcsetattr(0, TCSANOW, &tio);
        atexit(restore_terminal);
    } else {
        linux_hal_map_newline(true);
    }
}
