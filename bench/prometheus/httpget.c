/* httpget.c - the floor for the Prometheus benchmark: the same API request a tool makes, sent
 * directly over one keep-alive HTTP/1.1 connection, timed request to complete response.
 *
 *   httpget --port P --path '/api/v1/query?query=up' [--calls N] [--warmup W] [--expect STR]
 *
 * Output: one JSON object on stdout, as bench/stdio/driver.c writes it:
 *   {"n":N,"median_us":..,"p90_us":..,"p99_us":..,"mean_us":..,"min_us":..,"bytes":..}
 * Exit status: 0 ok, 2 usage, 3 bad response, 4 I/O error.
 *
 * Build: cc -O2 -o httpget httpget.c -lm
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static char buf[64 << 20];

/* Reads one response (Content-Length or chunked); returns its body length, or -1. */
static long read_response(int fd, const char *expect) {
    size_t len = 0;
    char *header_end = NULL;
    for (;;) {
        ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (r <= 0) return -1;
        len += (size_t)r;
        buf[len] = 0;
        if (!header_end) header_end = strstr(buf, "\r\n\r\n");
        if (!header_end) continue;
        char *body = header_end + 4;
        size_t head = (size_t)(body - buf);
        if (strncmp(buf, "HTTP/1.1 200", 12) != 0) return -1;
        char *cl = strcasestr(buf, "\r\nContent-Length:");
        if (cl && cl < header_end) {
            size_t want = strtoul(cl + 17, NULL, 10);
            if (len - head < want) continue;
            if (expect && !memmem(body, want, expect, strlen(expect))) return -1;
            return (long)want;
        }
        /* chunked: complete when the terminating 0-size chunk has arrived */
        if (len - head >= 5 && memcmp(buf + len - 5, "0\r\n\r\n", 5) == 0) {
            if (expect && !memmem(body, len - head, expect, strlen(expect))) return -1;
            return (long)(len - head);
        }
    }
}

int main(int argc, char **argv) {
    int port = 0, calls = 1000, warmup = 200;
    const char *path = NULL, *expect = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--path")) path = argv[i + 1];
        else if (!strcmp(argv[i], "--calls")) calls = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup")) warmup = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--expect")) expect = argv[i + 1];
        else { fprintf(stderr, "httpget: unknown option %s\n", argv[i]); return 2; }
    }
    if (!port || !path || calls <= 0) { fprintf(stderr, "usage: httpget --port P --path PATH [--calls N]\n"); return 2; }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("httpget: connect"); return 4; }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char request[16384];
    int n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: application/json\r\nUser-Agent: httpget\r\n\r\n", path, port);
    if (n <= 0 || (size_t)n >= sizeof request) { fprintf(stderr, "httpget: path too long\n"); return 2; }
    uint64_t *samples = calloc((size_t)calls, sizeof *samples);
    long bytes = 0;
    for (int i = 0; i < warmup + calls; i++) {
        uint64_t t0 = now_ns();
        if (write(fd, request, (size_t)n) != n) { perror("httpget: write"); return 4; }
        bytes = read_response(fd, expect);
        if (bytes < 0) { fprintf(stderr, "httpget: bad response: %.300s\n", buf); return 3; }
        if (i >= warmup) samples[i - warmup] = now_ns() - t0;
    }
    double sum = 0;
    for (int i = 0; i < calls; i++) sum += (double)samples[i];
    qsort(samples, (size_t)calls, sizeof *samples, cmp_u64);
    printf("{\"n\":%d,\"median_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f,\"min_us\":%.1f,\"bytes\":%ld}\n",
           calls, samples[calls / 2] / 1e3, samples[(size_t)(calls * 0.90)] / 1e3, samples[(size_t)(calls * 0.99)] / 1e3,
           sum / calls / 1e3, samples[0] / 1e3, bytes);
    return 0;
}
