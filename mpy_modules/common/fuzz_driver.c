// A small coverage-guided mutational fuzzer for toolchains without libFuzzer (gcc).
//
// The core is compiled with -fsanitize-coverage=trace-pc: every basic block calls
// __sanitizer_cov_trace_pc, which marks (previous block, this block) in a bitmap. An
// input that marks a new edge joins the corpus. Runs for a given number of seconds.
//
// Linked with one fuzz target (LLVMFuzzerTestOneInput); FUZZ_NAME names the program:
//   FUZZ_NAME <corpus dir> <seconds> [--save]   (--save writes new inputs to the dir)
//   FUZZ_NAME --merge <from dir> <to dir>       (copies, smallest first, the inputs that add coverage)
// A sanitizer report stops it and leaves the input behind it in fuzz-crash.bin.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAP_SIZE (1u << 16)
#define MAX_CORPUS 4096
#define MAX_INPUT_BYTES (64u << 10)
#define CRASH_FILE "fuzz-crash.bin"  // in the working directory
#ifndef FUZZ_NAME
#define FUZZ_NAME "fuzz"
#endif

static uint8_t coverage[MAP_SIZE];
static uintptr_t previous;

void __sanitizer_cov_trace_pc(void) {
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    uintptr_t h = (pc ^ (pc >> 12)) * 2654435761u;
    coverage[(h ^ previous) & (MAP_SIZE - 1)] = 1;
    previous = h >> 1;
}

typedef struct {
    uint8_t *data;
    size_t size;
} input_t;

static input_t corpus[MAX_CORPUS];
static size_t n_corpus;
static uint8_t seen[MAP_SIZE];
static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(uint32_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? (uint32_t)(rng_state % n) : 0;
}

static const uint8_t *current;
static size_t current_size;

// A sanitizer report aborts (abort_on_error) rather than exits, so that the input behind it
// is kept: to replay, and to add to the corpus once fixed. Signal-safe calls only.
const char *__asan_default_options(void) {
    return "abort_on_error=1";
}
const char *__ubsan_default_options(void) {
    return "abort_on_error=1";
}

static void save_current(int sig) {
    static const char note[] = FUZZ_NAME ": the input that failed is in " CRASH_FILE "\n";
    int fd = open(CRASH_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0 && write(fd, current, current_size) >= 0 && write(2, note, sizeof(note) - 1) >= 0) {
        close(fd);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

// Runs one input; returns the number of new coverage edges it reached.
static size_t run(const uint8_t *data, size_t size) {
    current = data;
    current_size = size;
    memset(coverage, 0, sizeof(coverage));
    previous = 0;
    LLVMFuzzerTestOneInput(data, size);
    size_t fresh = 0;
    for (size_t i = 0; i < MAP_SIZE; i++) {
        if (coverage[i] && !seen[i]) {
            seen[i] = 1;
            fresh++;
        }
    }
    return fresh;
}

static void add(const uint8_t *data, size_t size) {
    if (n_corpus == MAX_CORPUS) {
        return;
    }
    corpus[n_corpus].data = malloc(size ? size : 1);
    memcpy(corpus[n_corpus].data, data, size);
    corpus[n_corpus].size = size;
    n_corpus++;
}

static size_t mutate(uint8_t *buf, size_t size) {
    static const int32_t interesting[] = {0, 1, -1, 2, 4, 8, 16, 127, 128, 255, 256, 32767, 65536,
                                          0x7fffffff, (int32_t)0x80000000, -128, 0x40000000};
    int rounds = 1 + (int)rnd(4);
    for (int r = 0; r < rounds && size > 0; r++) {
        uint32_t pos = rnd((uint32_t)size);
        switch (rnd(6)) {
            case 0:
                buf[pos] ^= (uint8_t)(1u << rnd(8));
                break;
            case 1:
                buf[pos] = (uint8_t)rnd(256);
                break;
            case 2:
                if (size >= 4) {
                    int32_t v = interesting[rnd(sizeof(interesting) / sizeof(interesting[0]))];
                    pos = rnd((uint32_t)(size - 3)) & ~3u;
                    memcpy(buf + pos, &v, 4);
                }
                break;
            case 3:
                size = pos + 1;  // truncate
                break;
            case 4: {            // copy a chunk over another place
                uint32_t from = rnd((uint32_t)size), len = 1 + rnd(16);
                if (from + len <= size && pos + len <= size) {
                    memmove(buf + pos, buf + from, len);
                }
                break;
            }
            default:
                buf[pos] = (uint8_t)(buf[pos] + 1 + rnd(3));
                break;
        }
    }
    return size;
}

static void save(const char *dir, const uint8_t *data, size_t size) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++) {
        h = (h ^ data[i]) * 1099511628211ull;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/%016llx", dir, (unsigned long long)h);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
    }
}

static void load_dir(const char *dir, const char *merge_to) {
    struct dirent **names;
    int n_names = scandir(dir, &names, NULL, alphasort);
    static uint8_t buf[MAX_INPUT_BYTES];
    // Smallest files first, so that a merge keeps the smallest input for each edge.
    for (size_t limit = 256; n_names > 0 && limit <= 2 * MAX_INPUT_BYTES; limit *= 2)
    for (int k = 0; k < n_names; k++) {
        struct dirent *e = names[k];
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *probe = fopen(path, "rb");
        long bytes = -1;
        if (probe && fseek(probe, 0, SEEK_END) == 0) {
            bytes = ftell(probe);
        }
        if (probe) {
            fclose(probe);
        }
        if (bytes < 0 || bytes >= (long)limit || (bytes < (long)limit / 2 && limit > 256)) {
            continue;
        }
        FILE *f = fopen(path, "rb");
        if (!f) {
            continue;
        }
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        if (run(buf, n) || !merge_to) {
            add(buf, n);
            if (merge_to) {
                save(merge_to, buf, n);
            }
        }
    }
    for (int k = 0; k < n_names; k++) {
        free(names[k]);
    }
    if (n_names >= 0) {
        free(names);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <corpus dir> <seconds> [--save]\n", argv[0]);
        return 2;
    }
    signal(SIGABRT, save_current);
    if (strcmp(argv[1], "--merge") == 0) {
        if (argc < 4) {
            return 2;
        }
        load_dir(argv[2], argv[3]);
        printf(FUZZ_NAME ": kept %zu inputs\n", n_corpus);
        return 0;
    }
    const char *dir = argv[1];
    double seconds = atof(argv[2]);
    int saving = argc > 3 && strcmp(argv[3], "--save") == 0;
    load_dir(dir, NULL);
    if (n_corpus == 0) {
        fprintf(stderr, "empty corpus in %s\n", dir);
        return 2;
    }
    size_t start_corpus = n_corpus;
    static uint8_t buf[MAX_INPUT_BYTES];
    unsigned long execs = 0;
    time_t t0 = time(NULL);
    while (difftime(time(NULL), t0) < seconds) {
        const input_t *in = &corpus[rnd((uint32_t)n_corpus)];
        size_t size = in->size < MAX_INPUT_BYTES ? in->size : MAX_INPUT_BYTES;
        memcpy(buf, in->data, size);
        size = mutate(buf, size);
        execs++;
        if (run(buf, size)) {
            add(buf, size);
            if (saving) {
                save(dir, buf, size);
            }
        }
    }
    size_t edges = 0;
    for (size_t i = 0; i < MAP_SIZE; i++) {
        edges += seen[i];
    }
    printf(FUZZ_NAME ": %lu executions in %.0f s, %zu edges, corpus %zu -> %zu\n", execs, seconds, edges,
           start_corpus, n_corpus);
    return 0;
}
