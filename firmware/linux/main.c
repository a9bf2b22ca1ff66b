// firmware/linux entry point: a script, a REPL on stdin/stdout, or a REPL on a pty.
//
//   micropython [--flash DIR] [--heap BYTES] [--pty] [-c CODE | SCRIPT]
//
// DIR (default: the current directory) is the board's flash: "/" in os and open(),
// the cwd at boot, and where imports look ('' and '/lib' on sys.path).
// With --pty the runtime serves until killed, or until the thread that started
// it ends (so test runs leave no orphans).
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "py/builtin.h"
#include "py/compile.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "shared/runtime/gchelper.h"
#include "shared/readline/readline.h"
#include "shared/runtime/pyexec.h"
#include "console.h"
#include "exec_memory.h"
#include "fs_posix.h"

void fs_init(void);
void linux_native_guard_init(void);

typedef struct {
    const char *flash_dir;
    const char *script;
    const char *code;
    size_t heap_size;
    bool pty;
} options_t;

static void usage(void) {
    fprintf(stderr, "usage: micropython [--flash DIR] [--heap BYTES] [--pty] [-c CODE | SCRIPT]\n");
    exit(2);
}

static options_t parse_args(int argc, char **argv) {
    options_t opt = { .flash_dir = ".", .heap_size = 2 * 1024 * 1024 };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(arg, "--flash") == 0 && has_value) {
            opt.flash_dir = argv[++i];
        } else if (strcmp(arg, "--heap") == 0 && has_value) {
            opt.heap_size = strtoul(argv[++i], NULL, 0);
        } else if (strcmp(arg, "--pty") == 0) {
            opt.pty = true;
        } else if (strcmp(arg, "-c") == 0 && has_value) {
            opt.code = argv[++i];
        } else if (arg[0] != '-' && opt.script == NULL) {
            opt.script = arg;
        } else {
            usage();
        }
    }
    if (opt.heap_size < 16 * 1024) {
        fprintf(stderr, "micropython: --heap must be at least 16384 bytes\n");
        exit(2);
    }
    return opt;
}

static void init_python(void *heap, size_t heap_size) {
    gc_init(heap, (char *)heap + heap_size);
    mp_init();
    fs_init();
    mp_obj_list_append(mp_sys_path, mp_obj_new_str("/lib", 4)); // after '' from mp_init
}

static void deinit_python(void) {
    gc_sweep_all(); // runs finalisers: open files get closed
    mp_deinit();
    linux_free_all_exec();
}

// Runs source text; returns the process exit status (SystemExit's code, 1 on error).
static int run_source(const char *name, const char *text, size_t len) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_lexer_t *lex = mp_lexer_new_from_str_len(qstr_from_str(name), text, len, 0);
        qstr source_name = lex->source_name;
        mp_parse_tree_t tree = mp_parse(lex, MP_PARSE_FILE_INPUT);
        mp_obj_t module_fun = mp_compile(&tree, source_name, false);
        mp_hal_set_interrupt_char(CHAR_CTRL_C);
        mp_call_function_0(module_fun);
        mp_hal_set_interrupt_char(-1);
        mp_handle_pending(true);
        nlr_pop();
        return 0;
    }
    mp_hal_set_interrupt_char(-1);
    mp_obj_t exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    if (mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(exc)), MP_OBJ_FROM_PTR(&mp_type_SystemExit))) {
        mp_obj_t code = mp_obj_exception_get_value(exc);
        return code == mp_const_none ? 0 : mp_obj_is_small_int(code) ? MP_OBJ_SMALL_INT_VALUE(code) : 1;
    }
    mp_obj_print_exception(&mp_plat_print, exc);
    return 1;
}

static int run_script_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    vstr_t text;
    vstr_init(&text, 1024);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        vstr_add_strn(&text, chunk, n);
    }
    fclose(f);
    int status = run_source(path, vstr_str(&text), vstr_len(&text));
    vstr_clear(&text);
    return status;
}

// Like a board: boot.py, main.py (friendly REPL only), then the REPL until a
// soft reset (Ctrl-D, machine.reset(), sys.exit()) starts over.
static void serve_repl(void *heap, size_t heap_size) {
    pyexec_system_exit = PYEXEC_FORCED_EXIT;
    for (;;) {
        init_python(heap, heap_size);
        pyexec_file_if_exists("boot.py");
        if (pyexec_mode_kind == PYEXEC_MODE_FRIENDLY_REPL) {
            pyexec_file_if_exists("main.py");
        }
        for (;;) {
            int ret = pyexec_mode_kind == PYEXEC_MODE_RAW_REPL ? pyexec_raw_repl() : pyexec_friendly_repl();
            if (ret != 0) {
                break;
            }
        }
        mp_hal_stdout_tx_str("MPY: soft reboot\r\n");
        deinit_python();
    }
}

int main(int argc, char **argv) {
    options_t opt = parse_args(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    linux_native_guard_init();
    if (fs_posix_set_root(opt.flash_dir) != 0) {
        fprintf(stderr, "micropython: --flash %s is not a directory\n", opt.flash_dir);
        return 2;
    }
    mp_stack_ctrl_init();
    mp_stack_set_limit(1024 * 1024);
    void *heap = malloc(opt.heap_size);
    if (heap == NULL) {
        fprintf(stderr, "micropython: cannot allocate a %zu byte heap\n", opt.heap_size);
        return 2;
    }
    if (opt.pty) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); // a served pty outlives no test run that started it
        int fd = console_open_pty();
        linux_hal_init(fd, fd, false);
        serve_repl(heap, opt.heap_size);
    }
    if (opt.code == NULL && opt.script == NULL) {
        linux_hal_init(0, 1, true);
        console_prepare_stdin_repl();
        serve_repl(heap, opt.heap_size);
    }
    linux_hal_init(0, 1, false);
    linux_hal_cooked_output(false);
    init_python(heap, opt.heap_size);
    int status = opt.code != NULL ? run_source("<string>", opt.code, strlen(opt.code)) : run_script_file(opt.script);
    deinit_python();
    free(heap);
    return status;
}

void gc_collect(void) {
    gc_collect_start();
    gc_helper_collect_regs_and_stack();
    linux_gc_collect_exec();
    gc_collect_end();
}

void nlr_jump_fail(void *val) {
    fprintf(stderr, "micropython: uncaught NLR %p\n", val);
    exit(1);
}
