/* Load generator for bench/api: N keep-alive HTTP/1.1 connections over a Unix socket,
 * each with one POST in flight at a time. With RATE > 0 requests start on a fixed
 * schedule (open loop: latency counts from the scheduled start, so a stall is not hidden);
 * with RATE 0 every connection sends again as soon as its answer came (saturation).
 * Prints accepted (201) jobs/s and latency percentiles.
 *
 *   uds-http-load SOCKET CONNECTIONS RATE SECONDS BODY
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

typedef struct { int fd; int busy; double started; char buf[8192]; int len; } conn;

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s SOCKET CONNECTIONS RATE SECONDS BODY\n", argv[0]); return 64; }
    const char *path = argv[1]; int n = atoi(argv[2]); double rate = atof(argv[3]); double seconds = atof(argv[4]);
    char request[4096];
    int rlen = snprintf(request, sizeof request,
        "POST /v1/notifications HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
        strlen(argv[5]), argv[5]);
    conn *c = calloc(n, sizeof *c);
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        c[i].fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        strncpy(a.sun_path, path, sizeof a.sun_path - 1);
        if (connect(c[i].fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); return 69; }
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &e);
    }
    size_t cap = 1 << 22, count = 0; double *lat = malloc(cap * sizeof *lat);
    long accepted = 0, other = 0, late = 0;
    double start = now(), end = start + seconds, next = start, interval = rate > 0 ? 1.0 / rate : 0;
    int idle_cursor = 0;
    for (;;) {
        double t = now();
        if (t >= end) break;
        /* Start what is due. */
        if (rate > 0) {
            while (next <= t) {
                int found = -1;
                for (int k = 0; k < n; k++) { int i = (idle_cursor + k) % n; if (!c[i].busy) { found = i; break; } }
                if (found < 0) { late++; break; }
                idle_cursor = found + 1;
                c[found].busy = 1; c[found].started = next; c[found].len = 0;
                if (write(c[found].fd, request, rlen) != rlen) { perror("write"); return 74; }
                next += interval;
            }
        } else {
            for (int i = 0; i < n; i++) if (!c[i].busy) {
                c[i].busy = 1; c[i].started = t; c[i].len = 0;
                if (write(c[i].fd, request, rlen) != rlen) { perror("write"); return 74; }
            }
        }
        struct epoll_event ev[256];
        int timeout = rate > 0 ? (int)((next - now()) * 1000) : 100;
        if (timeout < 0) timeout = 0;
        int k = epoll_wait(ep, ev, 256, timeout > 100 ? 100 : timeout);
        for (int j = 0; j < k; j++) {
            conn *x = &c[ev[j].data.u32];
            ssize_t r = read(x->fd, x->buf + x->len, sizeof x->buf - x->len - 1);
            if (r <= 0) { fprintf(stderr, "connection closed by server\n"); return 75; }
            x->len += r; x->buf[x->len] = 0;
            char *headers_end = strstr(x->buf, "\r\n\r\n");
            if (!headers_end) continue;
            char *cl = strcasestr(x->buf, "content-length:");
            int body = cl ? atoi(cl + 15) : 0;
            if (x->len < (headers_end - x->buf) + 4 + body) continue;
            double d = now() - x->started;
            if (strncmp(x->buf + 9, "201", 3) == 0) accepted++; else other++;
            if (count < cap) lat[count++] = d;
            x->busy = 0; x->len = 0;
        }
    }
    double elapsed = now() - start;
    qsort(lat, count, sizeof *lat, cmp);
#define P(q) (count ? lat[(size_t)((q) * (count - 1))] * 1000 : 0)
    printf("offered %s, %d connections, %.1f s: accepted %.0f jobs/s (%ld accepted, %ld other answers%s)\n",
           rate > 0 ? argv[3] : "saturation", n, elapsed, accepted / elapsed, accepted, other,
           late ? ", schedule fell behind" : "");
    printf("latency ms: p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", P(0.5), P(0.99), P(0.999), P(1.0));
    return 0;
}
