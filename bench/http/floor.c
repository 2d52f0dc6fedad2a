/*
 * The floor for the HTTP benchmark: a single-threaded epoll HTTP/1.1 server that answers every
 * POST with the same small JSON-RPC result (and a session id on the first), doing no MCP work at all.
 * Whatever a real server costs above this is its own overhead; below it nothing can go on this machine.
 *
 *   floor PORT
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
#include <unistd.h>

struct conn {
    int fd;
    char buf[65536];
    size_t len;
};

static const char body[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Allowed directories:\\n/tmp\"}]}}";

static size_t request_length(const char *buf, size_t len) {
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = (size_t)(end - buf) + 4;
    size_t content = 0;
    for (const char *line = buf; line < end; line = memchr(line, '\n', (size_t)(end - line)) + 1) {
        if (strncasecmp(line, "content-length:", 15) == 0) content = strtoul(line + 15, NULL, 10);
        if (!memchr(line, '\n', (size_t)(end - line))) break;
    }
    return len >= head + content ? head + content : 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 1024) < 0) {
        perror("listen");
        return 2;
    }
    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    char response[1024];
    int response_len = snprintf(response, sizeof response,
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: floor\r\n"
                                "Content-Length: %zu\r\n\r\n%s",
                                strlen(body), body);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(epoll, events, 256, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (!c) {
                int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
                if (fd < 0) continue;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                c = calloc(1, sizeof *c);
                c->fd = fd;
                struct epoll_event add = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &add);
                continue;
            }
            ssize_t got = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                close(c->fd);
                free(c);
                continue;
            }
            c->len += (size_t)got;
            size_t used;
            while ((used = request_length(c->buf, c->len)) > 0) {
                send(c->fd, response, (size_t)response_len, MSG_NOSIGNAL);
                memmove(c->buf, c->buf + used, c->len - used);
                c->len -= used;
            }
        }
    }
}
