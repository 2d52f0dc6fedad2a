/* jsonline.h - a tiny scanner for the top level of one JSON-RPC line.
 *
 * Shared by driver.c and floor.c. It does not build a tree: it walks the
 * top-level object once and records where "id" and "method" are and whether
 * "result" / "error" keys are present. Nested values (params, result, ...)
 * are skipped with string- and depth-aware scanning, so an "id" inside
 * params or result is never mistaken for the message id.
 */
#ifndef FATHOM_BENCH_JSONLINE_H
#define FATHOM_BENCH_JSONLINE_H

#include <stddef.h>
#include <string.h>

typedef struct {
    const char *p; /* raw token (for strings: including the quotes) */
    size_t n;
} jl_span;

typedef struct {
    int has_id, has_method, has_result, has_error;
    jl_span id;     /* raw JSON token, e.g. 42 or "abc" or null */
    jl_span method; /* raw token including quotes */
} jl_msg;

static size_t jl_ws(const char *s, size_t n, size_t i) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    return i;
}

/* i points at the opening quote; returns index just past the closing quote, or n. */
static size_t jl_string(const char *s, size_t n, size_t i) {
    i++;
    while (i < n) {
        if (s[i] == '\\') { i += 2; continue; }
        if (s[i] == '"') return i + 1;
        i++;
    }
    return n;
}

/* Skips one JSON value starting at i; returns the index just past it. */
static size_t jl_value(const char *s, size_t n, size_t i) {
    if (i >= n) return n;
    if (s[i] == '"') return jl_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') { i = jl_string(s, n, i); continue; }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) return i + 1;
            }
            i++;
        }
        return n;
    }
    /* number, true, false, null */
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
           s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
        i++;
    return i;
}

static int jl_keyeq(const char *s, size_t ks, size_t ke, const char *key) {
    size_t kl = strlen(key);
    return ke - ks == kl && memcmp(s + ks, key, kl) == 0;
}

/* Returns 0 if s[0..n) is a JSON object (top-level keys scanned), -1 otherwise. */
static int jl_scan(const char *s, size_t n, jl_msg *m) {
    memset(m, 0, sizeof *m);
    size_t i = jl_ws(s, n, 0);
    if (i >= n || s[i] != '{') return -1;
    i++;
    for (;;) {
        i = jl_ws(s, n, i);
        if (i >= n) return -1;
        if (s[i] == '}') return 0;
        if (s[i] != '"') return -1;
        size_t ks = i + 1;
        i = jl_string(s, n, i);
        if (i >= n) return -1;
        size_t ke = i - 1;
        i = jl_ws(s, n, i);
        if (i >= n || s[i] != ':') return -1;
        i = jl_ws(s, n, i + 1);
        size_t vs = i;
        i = jl_value(s, n, i);
        size_t ve = i;
        if (jl_keyeq(s, ks, ke, "id")) { m->has_id = 1; m->id.p = s + vs; m->id.n = ve - vs; }
        else if (jl_keyeq(s, ks, ke, "method")) { m->has_method = 1; m->method.p = s + vs; m->method.n = ve - vs; }
        else if (jl_keyeq(s, ks, ke, "result")) m->has_result = 1;
        else if (jl_keyeq(s, ks, ke, "error")) m->has_error = 1;
        i = jl_ws(s, n, i);
        if (i >= n) return -1;
        if (s[i] == ',') { i++; continue; }
        if (s[i] == '}') return 0;
        return -1;
    }
}

#endif
