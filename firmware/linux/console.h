// Setting up the REPL's terminal (see console.c).
#ifndef EARSHOT_LINUX_CONSOLE_H
#define EARSHOT_LINUX_CONSOLE_H

// Creates a raw pty, prints "pty: <path>" on stdout and returns the master fd.
int console_open_pty(void);
// A terminal on stdin goes raw until exit; a pipe has its newlines read as Enter.
void console_prepare_stdin_repl(void);

#endif // EARSHOT_LINUX_CONSOLE_H
