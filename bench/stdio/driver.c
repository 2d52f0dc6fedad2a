/* driver.c - raw JSON-lines MCP stdio benchmark driver (no SDK).
 *
 *   driver [options] -- SERVER_CMD [ARGS...]
 *
 * Spawns the server with pipes on stdin/stdout, sends `initialize`
 * (protocolVersion 2025-11-25 by default) and `notifications/initialized`,
 * then performs W warm-up and N measured sequential `tools/call` round trips
 * of one tool: one request is written, the driver waits for the complete
 * response line carrying that id, then sends the next. Notification lines are
 * skipped; requests from the server (e.g. roots/list) get a -32601 error.
 * Latency is taken with clock_gettime(CLOCK_MONOTONIC) from just before the
 * write to just after the response line is complete.
 *
 * Cold start (--cold K): K fresh processes; for each, the time from just
 * before fork() to the complete `initialize` response line. The initialize
 * request is written right after fork, as real clients do (it waits in the
 * pipe until the server reads it).
 *
 * Idle RSS (--rss-idle-ms MS): after initialize + initialized, sleep MS and
 * read VmRSS/VmHWM from /proc/PID/status of the spawned process.
 *
 * Options:
 *   --calls N          measured calls (default 1000; 0 = no call loop)
 *   --warmup W         warm-up calls, not measured (default 200)
 *   --tool NAME        tool to call (default list_allowed_directories)
 *   --args JSON        arguments object (default {})
 *   --expect STR       every response must contain STR (raw JSON text; checked
 *                      on the first warm-up/measured response and the last one)
 *   --cold K           cold-start samples (default 0)
 *   --rss-idle-ms MS   idle time before reading RSS (default 0 = don't)
 *   --protocol VER     protocolVersion to request (default 2025-11-25)
 *   --timeout-ms MS    per-response timeout (default 30000)
 *   --server-stderr F  where the server's stderr goes (default /dev/null)
 *
 * Output: one JSON object on stdout:
 *   {"tool":..,"n":N,"median_us":..,"p99_us":..,"mean_us":.., ...,
 *    "cold":{"k":K,"median_us":..,"samples_us":[..]}, "rss_idle_kb":..}
 * Exit status: 0 ok, 2 usage, 3 protocol/expect failure, 4 timeout/EOF.
 *
 * Build: cc -O2 -o driver driver.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jsonline.h"

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(int code, const char *fmt, const char *arg) {
    fprintf(stderr, "driver: ");
    fprintf(stderr, fmt, arg ? arg : "");
    fprintf(stderr, "\n");
    exit(code);
}

/* ---------------------------------------------------------------- server */

typedef struct {
    pid_t pid;
    int in_fd;  /* we write: server's stdin */
    int out_fd; /* we read: server's stdout */
    char *buf;
    size_t off, len, cap;
} server_t;

static char **g_cmd;
static const char *g_stderr_path = "/dev/null";
static int g_timeout_ms = 30000;

static void spawn(server_t *s) {
    int in_p[2], out_p[2];
    if (pipe2(in_p, O_CLOEXEC) < 0 || pipe2(out_p, O_CLOEXEC) < 0) die(4, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) die(4, "fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(in_p[0], 0);
        dup2(out_p[1], 1);
        int e = open(g_stderr_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (e >= 0) { dup2(e, 2); if (e > 2) close(e); }
        signal(SIGPIPE, SIG_DFL);
        execvp(g_cmd[0], g_cmd);
        fprintf(stderr, "driver: exec %s: %s\n", g_cmd[0], strerror(errno));
        _exit(127);
    }
    close(in_p[0]);
    close(out_p[1]);
    s->pid = pid;
    s->in_fd = in_p[1];
    s->out_fd = out_p[0];
    s->off = s->len = 0;
    if (!s->buf) {
        s->cap = 1 << 16;
        s->buf = malloc(s->cap);
    }
}

static void write_all(server_t *s, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(s->in_fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die(4, "write to server: %s", strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Watchdog: a 100 ms interval timer counts ticks without progress (no
 * per-call syscalls). SIGALRM has no SA_RESTART, so a hung read() returns
 * EINTR and we notice g_timed_out. */
static volatile sig_atomic_t g_progress, g_timed_out;
static void on_alarm(int sig) {
    (void)sig;
    static sig_atomic_t last = -1, idle_ticks = 0;
    if (g_progress != last) { last = g_progress; idle_ticks = 0; return; }
    if (++idle_ticks * 100 >= g_timeout_ms) g_timed_out = 1;
}

/* Returns a pointer to the next complete line (without '\n'), its length in *ln.
 * NULL on EOF; dies on timeout. The pointer is valid until the next call. */
static char *read_line(server_t *s, size_t *ln) {
    size_t scan_from = s->off;
    for (;;) {
        char *nl = memchr(s->buf + scan_from, '\n', s->len - scan_from);
        if (nl) {
            char *line = s->buf + s->off;
            *ln = (size_t)(nl - line);
            s->off = (size_t)(nl - s->buf) + 1;
            if (s->off == s->len) s->off = s->len = 0; /* cheap reset; line stays readable */
            g_progress++;
            return line;
        }
        if (s->off > 0) { /* compact */
            memmove(s->buf, s->buf + s->off, s->len - s->off);
            s->len -= s->off;
            s->off = 0;
        }
        scan_from = s->len;
        if (s->cap - s->len < 4096) {
            s->cap *= 2;
            s->buf = realloc(s->buf, s->cap);
            if (!s->buf) die(4, "out of memory%s", "");
        }
        ssize_t r = read(s->out_fd, s->buf + s->len, s->cap - s->len);
        if (r > 0) { s->len += (size_t)r; continue; }
        if (r == 0) return NULL;
        if (errno == EINTR) {
            if (g_timed_out) die(4, "timeout waiting for server output%s", "");
            continue;
        }
        die(4, "read from server: %s", strerror(errno));
    }
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) g_progress++;
}

/* Reads lines until the response with numeric id `want`. Skips notifications,
 * answers server->client requests with -32601. Returns the response line. */
static char *wait_response(server_t *s, long want, size_t *ln, jl_msg *out, long *skipped) {
    for (;;) {
        char *line = read_line(s, ln);
        if (!line) die(4, "server closed stdout before responding%s", "");
        if (*ln == 0) continue;
        jl_msg m;
        if (jl_scan(line, *ln, &m) != 0) {
            fprintf(stderr, "driver: skipping non-JSON-object line: %.*s\n", (int)(*ln > 200 ? 200 : *ln), line);
            if (skipped) (*skipped)++;
            continue;
        }
        if (m.has_method) {
            if (m.has_id) { /* a request from the server: refuse it politely */
                char reply[256];
                int k = snprintf(reply, sizeof reply,
                                 "{\"jsonrpc\":\"2.0\",\"id\":%.*s,\"error\":{\"code\":-32601,\"message\":\"not supported by bench driver\"}}\n",
                                 (int)(m.id.n > 100 ? 100 : m.id.n), m.id.p);
                write_all(s, reply, (size_t)k);
            }
            if (skipped) (*skipped)++;
            continue;
        }
        if (!m.has_id || m.id.n == 0 || !(m.id.p[0] == '-' || (m.id.p[0] >= '0' && m.id.p[0] <= '9'))) {
            if (skipped) (*skipped)++;
            continue;
        }
        long id = strtol(m.id.p, NULL, 10);
        if (id != want) {
            fprintf(stderr, "driver: unexpected response id %ld (want %ld)\n", id, want);
            if (skipped) (*skipped)++;
            continue;
        }
        if (out) *out = m;
        return line;
    }
}

static int shutdown_server(server_t *s) {
    int status = 0;
    if (s->in_fd >= 0) { close(s->in_fd); s->in_fd = -1; }
    /* Drain stdout so a server blocked on write can see EOF and exit. */
    int waited_ms = 0;
    fcntl(s->out_fd, F_SETFL, fcntl(s->out_fd, F_GETFL) | O_NONBLOCK);
    for (;;) {
        char tmp[65536];
        while (read(s->out_fd, tmp, sizeof tmp) > 0) {}
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        if (r == s->pid) break;
        if (waited_ms == 3000) kill(s->pid, SIGTERM);
        if (waited_ms == 5000) kill(s->pid, SIGKILL);
        sleep_ms(1);
        waited_ms += 1;
        if (waited_ms > 10000) { status = -1; break; }
    }
    close(s->out_fd);
    s->out_fd = -1;
    if (status == -1) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

static char g_init_req[1024];

static void send_initialize(server_t *s) {
    write_all(s, g_init_req, strlen(g_init_req));
}

static void check_init(const char *line, size_t ln, const jl_msg *m) {
    if (!m->has_result) {
        fprintf(stderr, "driver: initialize failed: %.*s\n", (int)(ln > 500 ? 500 : ln), line);
        exit(3);
    }
}

static const char INITIALIZED[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";

/* ---------------------------------------------------------------- stats */

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct { double median, p90, p99, mean, min, max; } stats_t;

static stats_t compute(uint64_t *v, size_t n) {
    stats_t st = {0};
    if (n == 0) return st;
    qsort(v, n, sizeof *v, cmp_u64);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += (double)v[i];
    st.mean = sum / (double)n / 1000.0;
    st.median = (n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0) / 1000.0;
    size_t i99 = (size_t)ceil(0.99 * (double)n);
    size_t i90 = (size_t)ceil(0.90 * (double)n);
    st.p99 = (double)v[(i99 ? i99 : 1) - 1] / 1000.0;
    st.p90 = (double)v[(i90 ? i90 : 1) - 1] / 1000.0;
    st.min = (double)v[0] / 1000.0;
    st.max = (double)v[n - 1] / 1000.0;
    return st;
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { fputc('\\', f); fputc(c, f); }
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static long proc_status_kb(pid_t pid, const char *key) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[256];
    size_t kl = strlen(key);
    long v = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
            v = strtol(line + kl + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

static int is_tool_error(const char *line, size_t ln, const jl_msg *m) {
    if (m->has_error) return 1;
    /* the line is not NUL-terminated; memmem keeps us inside it */
    return memmem(line, ln, "\"isError\":true", 14) != NULL || memmem(line, ln, "\"isError\": true", 15) != NULL;
}

/* ---------------------------------------------------------------- main */

static void usage(void) {
    fprintf(stderr,
            "usage: driver [--calls N] [--warmup W] [--tool NAME] [--args JSON] [--expect STR]\n"
            "              [--cold K] [--rss-idle-ms MS] [--protocol VER] [--timeout-ms MS]\n"
            "              [--server-stderr FILE] -- SERVER_CMD [ARGS...]\n");
    exit(2);
}

int main(int argc, char **argv) {
    long calls = 1000, warmup = 200, cold = 0, rss_idle_ms = 0;
    const char *tool = "list_allowed_directories", *args = "{}", *expect = NULL;
    const char *protocol = "2025-11-25";
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (strcmp(a, "--calls") == 0) calls = atol(v);
        else if (strcmp(a, "--warmup") == 0) warmup = atol(v);
        else if (strcmp(a, "--tool") == 0) tool = v;
        else if (strcmp(a, "--args") == 0) args = v;
        else if (strcmp(a, "--expect") == 0) expect = v;
        else if (strcmp(a, "--cold") == 0) cold = atol(v);
        else if (strcmp(a, "--rss-idle-ms") == 0) rss_idle_ms = atol(v);
        else if (strcmp(a, "--protocol") == 0) protocol = v;
        else if (strcmp(a, "--timeout-ms") == 0) g_timeout_ms = atoi(v);
        else if (strcmp(a, "--server-stderr") == 0) g_stderr_path = v;
        else usage();
    }
    if (i >= argc) usage();
    g_cmd = argv + i;
    if (calls < 0 || warmup < 0 || cold < 0) usage();

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm; /* no SA_RESTART: a hung read() returns EINTR */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 100000}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);

    snprintf(g_init_req, sizeof g_init_req,
             "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"%s\","
             "\"capabilities\":{},\"clientInfo\":{\"name\":\"fathom-bench-driver\",\"version\":\"1.0\"}}}\n",
             protocol);

    /* ---- cold start */
    uint64_t *cold_ns = calloc((size_t)(cold > 0 ? cold : 1), sizeof(uint64_t));
    server_t srv = {0};
    for (long k = 0; k < cold; k++) {
        uint64_t t0 = now_ns();
        spawn(&srv);
        send_initialize(&srv);
        size_t ln;
        jl_msg m;
        char *line = wait_response(&srv, 0, &ln, &m, NULL);
        uint64_t t1 = now_ns();
        check_init(line, ln, &m);
        cold_ns[k] = t1 - t0;
        shutdown_server(&srv);
    }

    /* ---- warm session: idle RSS + call loop */
    int have_session = calls > 0 || warmup > 0 || rss_idle_ms > 0;
    uint64_t *lat = calloc((size_t)(calls > 0 ? calls : 1), sizeof(uint64_t));
    long errors = 0, skipped = 0, expect_fail = 0;
    double resp_bytes = 0;
    long rss_idle = -1, hwm_idle = -1, rss_after = -1, hwm_after = -1;
    double init_us = 0;
    int exit_status = 0;
    char *first_error = NULL;
    uint64_t loop_ns = 0;
    if (have_session) {
        uint64_t t0 = now_ns();
        spawn(&srv);
        send_initialize(&srv);
        size_t ln;
        jl_msg m;
        char *line = wait_response(&srv, 0, &ln, &m, &skipped);
        init_us = (double)(now_ns() - t0) / 1000.0;
        check_init(line, ln, &m);
        write_all(&srv, INITIALIZED, sizeof INITIALIZED - 1);
        if (rss_idle_ms > 0) {
            sleep_ms(rss_idle_ms);
            rss_idle = proc_status_kb(srv.pid, "VmRSS");
            hwm_idle = proc_status_kb(srv.pid, "VmHWM");
        }

        /* request = prefix + id + middle; built once */
        size_t tl = strlen(tool), al = strlen(args);
        char *mid = malloc(tl + al + 128);
        int midn = sprintf(mid, ",\"method\":\"tools/call\",\"params\":{\"name\":\"%s\",\"arguments\":%s}}\n", tool, args);
        char *req = malloc((size_t)midn + 64);
        long total = warmup + calls;
        uint64_t lt0 = now_ns();
        for (long c = 0; c < total; c++) {
            long id = c + 1;
            int hn = sprintf(req, "{\"jsonrpc\":\"2.0\",\"id\":%ld", id);
            memcpy(req + hn, mid, (size_t)midn);
            size_t rn = (size_t)hn + (size_t)midn;
            uint64_t a = now_ns();
            write_all(&srv, req, rn);
            line = wait_response(&srv, id, &ln, &m, &skipped);
            uint64_t b = now_ns();
            if (c >= warmup) lat[c - warmup] = b - a;
            if (c == warmup) lt0 = a;
            resp_bytes += (double)ln + 1;
            if (is_tool_error(line, ln, &m)) {
                if (!first_error) first_error = strndup(line, ln > 400 ? 400 : ln);
                errors++;
            }
            if (expect && (c == 0 || c == total - 1) && !memmem(line, ln, expect, strlen(expect))) {
                if (!first_error) first_error = strndup(line, ln > 400 ? 400 : ln);
                expect_fail++;
            }
        }
        loop_ns = now_ns() - lt0;
        if (total > 0) resp_bytes /= (double)total;
        rss_after = proc_status_kb(srv.pid, "VmRSS");
        hwm_after = proc_status_kb(srv.pid, "VmHWM");
        exit_status = shutdown_server(&srv);
        free(req);
        free(mid);
    }

    /* ---- report */
    stats_t st = compute(lat, (size_t)calls);
    FILE *o = stdout;
    fprintf(o, "{\"tool\":");
    json_str(o, tool);
    fprintf(o, ",\"n\":%ld,\"warmup\":%ld", calls, warmup);
    if (have_session) {
        fprintf(o, ",\"median_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f,\"p90_us\":%.1f,\"min_us\":%.1f,\"max_us\":%.1f",
                st.median, st.p99, st.mean, st.p90, st.min, st.max);
        fprintf(o, ",\"calls_per_s\":%.0f", calls > 0 && loop_ns ? (double)calls * 1e9 / (double)loop_ns : 0.0);
        fprintf(o, ",\"errors\":%ld,\"expect_failures\":%ld,\"skipped_lines\":%ld,\"response_bytes\":%.0f",
                errors, expect_fail, skipped, resp_bytes);
        fprintf(o, ",\"init_us\":%.1f,\"exit_status\":%d", init_us, exit_status);
        if (rss_idle_ms > 0) fprintf(o, ",\"rss_idle_kb\":%ld,\"hwm_idle_kb\":%ld", rss_idle, hwm_idle);
        fprintf(o, ",\"rss_after_kb\":%ld,\"hwm_after_kb\":%ld", rss_after, hwm_after);
        if (first_error) {
            fprintf(o, ",\"first_error\":");
            json_str(o, first_error);
        }
    }
    if (cold > 0) {
        uint64_t *sorted = malloc((size_t)cold * sizeof(uint64_t));
        memcpy(sorted, cold_ns, (size_t)cold * sizeof(uint64_t));
        stats_t cs = compute(sorted, (size_t)cold);
        fprintf(o, ",\"cold\":{\"k\":%ld,\"median_us\":%.1f,\"min_us\":%.1f,\"max_us\":%.1f,\"samples_us\":[", cold, cs.median,
                cs.min, cs.max);
        for (long k = 0; k < cold; k++) fprintf(o, "%s%.1f", k ? "," : "", (double)cold_ns[k] / 1000.0);
        fprintf(o, "]}");
        free(sorted);
    }
    fprintf(o, "}\n");
    fflush(o);
    if (expect_fail) {
        fprintf(stderr, "driver: response did not contain expected text %s: %s\n", expect, first_error ? first_error : "");
        return 3;
    }
    return 0;
}
