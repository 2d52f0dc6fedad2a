/*
 * MCP Streamable HTTP load driver: C concurrent sessions, each on its own keep-alive connection,
 * each calling one tool in a closed loop (send, wait for the whole reply, send again).
 *
 *   loadgen HOST PORT SESSIONS WARMUP_S DURATION_S TOOL ARGS_JSON
 *
 * Every session first does initialize (taking Mcp-Session-Id from the reply, if any) and
 * notifications/initialized; then the warm-up runs, then the measured window. Replies may be JSON
 * (Content-Length) or SSE (chunked, closed after the reply); a reply counts as good when the status
 * is 200 and the body has a "result" without "isError":true.
 *
 * Prints one JSON object: requests, errors, seconds, rps, p50_us, p90_us, p99_us, max_us.
 * Single-threaded epoll, so the driver costs the same for every server it measures.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum phase { INITIALIZING, NOTIFYING, CALLING };

struct conn {
    int fd;
    enum phase phase;
    char *buf;
    size_t len, cap;
    char session[160];
    double sent_at;
    long next_id;
};

static const char *host;
static int port;
static const char *tool;
static const char *args_json;
static double *latencies;
static size_t latency_count, latency_cap;
static long errors;
static int measuring;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            die("send");
        }
        data += n;
        len -= (size_t)n;
    }
}

static void send_post(struct conn *c, const char *body) {
    char request[8192];
    char session_headers[400] = "";
    if (c->session[0])
        snprintf(session_headers, sizeof session_headers, "Mcp-Session-Id: %s\r\nMCP-Protocol-Version: 2025-11-25\r\n", c->session);
    int n = snprintf(request, sizeof request,
                     "POST /mcp HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                     "Accept: application/json, text/event-stream\r\n%sContent-Length: %zu\r\n\r\n%s",
                     host, port, session_headers, strlen(body), body);
    if (n <= 0 || (size_t)n >= sizeof request) {
        fprintf(stderr, "request too large\n");
        exit(2);
    }
    c->sent_at = now();
    send_all(c->fd, request, (size_t)n);
}

static void send_next(struct conn *c) {
    char body[4096];
    switch (c->phase) {
    case INITIALIZING:
        send_post(c, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                     "\"capabilities\":{},\"clientInfo\":{\"name\":\"loadgen\",\"version\":\"1\"}}}");
        break;
    case NOTIFYING:
        send_post(c, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        break;
    case CALLING:
        snprintf(body, sizeof body,
                 "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\",\"arguments\":%s}}",
                 c->next_id++, tool, args_json);
        send_post(c, body);
        break;
    }
}

/* The header's value, case-insensitively, or NULL. */
static const char *header(const char *head, size_t head_len, const char *name, size_t *value_len) {
    size_t name_len = strlen(name);
    const char *line = memchr(head, '\n', head_len);
    while (line && (size_t)(line - head) < head_len) {
        line++;
        const char *end = memchr(line, '\n', head_len - (size_t)(line - head));
        if (!end) break;
        if ((size_t)(end - line) > name_len && strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *value = line + name_len + 1;
            while (*value == ' ') value++;
            const char *stop = end;
            while (stop > value && (stop[-1] == '\r' || stop[-1] == ' ')) stop--;
            *value_len = (size_t)(stop - value);
            return value;
        }
        line = end;
    }
    return NULL;
}

/* Length of a complete response at the start of buf, or 0 if more bytes are needed. */
static size_t complete_length(const char *buf, size_t len, size_t *head_len_out, size_t *body_start) {
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head_len = (size_t)(end - buf) + 4;
    *head_len_out = head_len;
    *body_start = head_len;
    size_t value_len;
    const char *value = header(buf, head_len, "content-length", &value_len);
    if (value) {
        size_t total = head_len + strtoul(value, NULL, 10);
        return len >= total ? total : 0;
    }
    value = header(buf, head_len, "transfer-encoding", &value_len);
    if (value && value_len >= 7 && strncasecmp(value, "chunked", 7) == 0) {
        size_t at = head_len;
        for (;;) {
            const char *crlf = memmem(buf + at, len - at, "\r\n", 2);
            if (!crlf) return 0;
            size_t size = strtoul(buf + at, NULL, 16);
            at = (size_t)(crlf - buf) + 2;
            if (size == 0) {
                /* No trailers: the terminating CRLF follows. */
                if (len < at + 2) return 0;
                return at + 2;
            }
            if (len < at + size + 2) return 0;
            at += size + 2;
        }
    }
    return head_len; /* no body (202, 204) */
}

static void handle(struct conn *c, const char *response, size_t total, size_t head_len) {
    int status = atoi(response + 9);
    switch (c->phase) {
    case INITIALIZING: {
        size_t value_len;
        const char *value = header(response, head_len, "mcp-session-id", &value_len);
        if (status != 200) {
            fprintf(stderr, "initialize failed with %d: %.*s\n", status, (int)total, response);
            exit(2);
        }
        if (value && value_len < sizeof c->session) {
            memcpy(c->session, value, value_len);
            c->session[value_len] = 0;
        }
        c->phase = NOTIFYING;
        break;
    }
    case NOTIFYING:
        if (status != 202 && status != 200) {
            fprintf(stderr, "initialized notification got %d\n", status);
            exit(2);
        }
        c->phase = CALLING;
        break;
    case CALLING: {
        double elapsed = now() - c->sent_at;
        int good = status == 200 && memmem(response + head_len, total - head_len, "\"result\"", 8) &&
                   !memmem(response + head_len, total - head_len, "\"isError\":true", 14);
        if (measuring) {
            if (!good) errors++;
            if (latency_count == latency_cap) {
                latency_cap = latency_cap ? latency_cap * 2 : 1 << 16;
                latencies = realloc(latencies, latency_cap * sizeof *latencies);
                if (!latencies) die("realloc");
            }
            latencies[latency_count++] = elapsed;
        }
        break;
    }
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double p) {
    if (latency_count == 0) return 0;
    size_t index = (size_t)(p * (double)(latency_count - 1) + 0.5);
    return latencies[index] * 1e6;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s HOST PORT SESSIONS WARMUP_S DURATION_S TOOL ARGS_JSON\n", argv[0]);
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    int sessions = atoi(argv[3]);
    double warmup = atof(argv[4]), duration = atof(argv[5]);
    tool = argv[6];
    args_json = argv[7];

    int epoll = epoll_create1(0);
    if (epoll < 0) die("epoll_create1");
    struct conn *conns = calloc((size_t)sessions, sizeof *conns);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) die("inet_pton");
    for (int i = 0; i < sessions; i++) {
        struct conn *c = &conns[i];
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c->fd < 0) die("socket");
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c->fd, (struct sockaddr *)&address, sizeof address) < 0) die("connect");
        fcntl(c->fd, F_SETFL, O_NONBLOCK);
        c->cap = 1 << 16;
        c->buf = malloc(c->cap);
        c->next_id = 1;
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &event) < 0) die("epoll_ctl");
        send_next(c);
    }

    double start = now(), measure_from = 0, stop_at = 0;
    int ready = 0;
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(epoll, events, 256, 1000);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int e = 0; e < n; e++) {
            struct conn *c = events[e].data.ptr;
            for (;;) {
                if (c->cap - c->len < 4096) {
                    c->cap *= 2;
                    c->buf = realloc(c->buf, c->cap);
                    if (!c->buf) die("realloc");
                }
                ssize_t got = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
                if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
                if (got <= 0) {
                    fprintf(stderr, "connection closed by the server (%s)\n", got < 0 ? strerror(errno) : "EOF");
                    return 2;
                }
                c->len += (size_t)got;
            }
            size_t head_len, body_start, total;
            while (c->len > 0 && (total = complete_length(c->buf, c->len, &head_len, &body_start)) > 0) {
                enum phase before = c->phase;
                handle(c, c->buf, total, head_len);
                memmove(c->buf, c->buf + total, c->len - total);
                c->len -= total;
                if (before == NOTIFYING) ready++;
                if (stop_at == 0 || now() < stop_at) send_next(c);
            }
        }
        double t = now();
        if (ready == sessions && measure_from == 0) {
            measure_from = t + warmup;
            stop_at = measure_from + duration;
        }
        if (measure_from && !measuring && t >= measure_from) {
            measuring = 1;
            measure_from = t;
        }
        if (stop_at && t >= stop_at) break;
        if (t - start > warmup + duration + 120) {
            fprintf(stderr, "timed out: %d of %d sessions ready\n", ready, sessions);
            return 2;
        }
    }
    double seconds = now() - measure_from;
    qsort(latencies, latency_count, sizeof *latencies, compare);
    printf("{\"sessions\":%d,\"requests\":%zu,\"errors\":%ld,\"seconds\":%.3f,\"rps\":%.1f,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f}\n",
           sessions, latency_count, errors, seconds, latency_count / seconds, percentile(0.50), percentile(0.90),
           percentile(0.99), percentile(1.0));
    return 0;
}
