/* The baseline for bench/enqueue and bench/compare: the least a durable enqueue can do.
 * Writes one small file to DIR/tmp with O_EXCL, fsyncs it, renames it into DIR/new,
 * fsyncs DIR/new, and exits. One process per job, like notify-enqueue from a shell loop.
 *
 *   durable-commit DIR          one commit, prints the file's name
 *   durable-commit DIR COUNT    COUNT commits in this one process, prints commits/s:
 *                               the disk's ceiling for durable file commits */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int commit(const char *dir, int dirfd, long serial, int quiet) {
    char tmp[4096], new[4096], name[96], body[512];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(name, sizeof name, "%ld.%09ld.%d.%ld", (long)now.tv_sec, now.tv_nsec, getpid(), serial);
    snprintf(tmp, sizeof tmp, "%s/tmp/%s", dir, name);
    snprintf(new, sizeof new, "%s/new/%s", dir, name);
    int n = snprintf(body, sizeof body,
        "{\"format\":\"notifyd-job\",\"version\":\"1.0\",\"id\":\"%s\",\"channel\":\"sms\","
        "\"to\":[\"+14155550123\"],\"body\":\"hello\",\"priority\":\"normal\"}\n", name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0 || write(fd, body, n) != n || fsync(fd) != 0 || close(fd) != 0) { perror(tmp); return 74; }
    if (rename(tmp, new) != 0) { perror(new); return 74; }
    if (fsync(dirfd) != 0) { perror("fsync new/"); return 74; }
    if (!quiet) puts(name);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) { fprintf(stderr, "usage: durable-commit DIR [COUNT]\n"); return 64; }
    char path[4096];
    snprintf(path, sizeof path, "%s/new", argv[1]);
    int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) { perror(path); return 74; }
    if (argc == 2) return commit(argv[1], dirfd, 0, 0);
    long count = atol(argv[2]);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < count; i++) { int rc = commit(argv[1], dirfd, i, 1); if (rc) return rc; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.0f\n", count / seconds);
    return 0;
}
