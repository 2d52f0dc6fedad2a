/* floor.c - the raw-pipe floor for the stdio benchmark.
 *
 *   floor [--text-bytes N]
 *
 * Reads newline-delimited JSON-RPC from stdin. For every line whose top-level
 * object has an "id", writes one canned response with that same id (copied
 * verbatim) on stdout with a single write(2). Lines without an id
 * (notifications) get nothing. No real JSON parsing, no allocation per
 * message, no tool work: this is the physical floor of a stdio round trip
 * (two pipe hops, two context switches, a line scan).
 *
 *  - "initialize" gets a valid InitializeResult (protocolVersion 2025-11-25,
 *    tools capability, serverInfo).
 *  - A request whose line mentions "read_text_file" gets a CallToolResult
 *    whose text is N bytes (default 4096) starting with FATHOM-BENCH-MARKER,
 *    so the floor moves as many bytes as a real 4 KiB read would.
 *  - Anything else gets a CallToolResult "Allowed directories:\n/floor".
 *
 * Exits 0 on stdin EOF. Build: cc -O2 -o floor floor.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonline.h"

static void write_all(const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

/* A response is PRE + id + POST; PRE is common to all. */
static const char PRE[] = "{\"jsonrpc\":\"2.0\",\"id\":";
static const char POST_INIT[] =
    ",\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{\"listChanged\":false}},"
    "\"serverInfo\":{\"name\":\"floor\",\"version\":\"1.0\"}}}\n";
static const char POST_TRIVIAL[] =
    ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Allowed directories:\\n/floor\"}],\"isError\":false}}\n";
static char *post_read; /* built at start-up */
static size_t post_read_n;

static char *out;
static size_t out_cap;

static void respond(const char *id, size_t idn, const char *post, size_t postn) {
    size_t need = sizeof PRE - 1 + idn + postn;
    if (need > out_cap) {
        out_cap = need * 2;
        out = realloc(out, out_cap);
        if (!out) exit(1);
    }
    size_t k = 0;
    memcpy(out + k, PRE, sizeof PRE - 1); k += sizeof PRE - 1;
    memcpy(out + k, id, idn); k += idn;
    memcpy(out + k, post, postn); k += postn;
    write_all(out, k);
}

static void handle(const char *line, size_t n) {
    jl_msg m;
    if (jl_scan(line, n, &m) != 0 || !m.has_id || m.has_result || m.has_error) return;
    if (m.has_method && m.method.n == 12 && memcmp(m.method.p, "\"initialize\"", 12) == 0)
        respond(m.id.p, m.id.n, POST_INIT, sizeof POST_INIT - 1);
    else if (memmem(line, n, "read_text_file", 14))
        respond(m.id.p, m.id.n, post_read, post_read_n);
    else
        respond(m.id.p, m.id.n, POST_TRIVIAL, sizeof POST_TRIVIAL - 1);
}

int main(int argc, char **argv) {
    long text_bytes = 4096;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--text-bytes") == 0 && i + 1 < argc) text_bytes = atol(argv[++i]);
        else { fprintf(stderr, "usage: floor [--text-bytes N]\n"); return 2; }
    }
    if (text_bytes < 32) text_bytes = 32;

    /* canned read_text_file result: lines of 'x' ending in "\n" (escaped as \\n in JSON) */
    static const char head[] = ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"FATHOM-BENCH-MARKER";
    static const char tail[] = "\"}],\"isError\":false}}\n";
    post_read = malloc(sizeof head + (size_t)text_bytes * 2 + sizeof tail);
    size_t k = 0;
    memcpy(post_read, head, sizeof head - 1); k = sizeof head - 1;
    long body = text_bytes - 19; /* marker length */
    for (long j = 0; j < body; j++) {
        if (j % 64 == 63) { post_read[k++] = '\\'; post_read[k++] = 'n'; }
        else post_read[k++] = 'x';
    }
    memcpy(post_read + k, tail, sizeof tail - 1); k += sizeof tail - 1;
    post_read_n = k;

    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) return 1;
        }
        ssize_t r = read(0, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (r == 0) return 0;
        size_t scan = len;
        len += (size_t)r;
        size_t start = 0;
        char *nl;
        while ((nl = memchr(buf + scan, '\n', len - scan)) != NULL) {
            size_t end = (size_t)(nl - buf);
            handle(buf + start, end - start);
            start = end + 1;
            scan = start;
        }
        if (start > 0) {
            memmove(buf, buf + start, len - start);
            len -= start;
        }
    }
}
