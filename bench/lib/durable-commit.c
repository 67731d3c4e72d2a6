/* The baseline for bench/enqueue: the least a durable enqueue can do.
 * Writes one small file to DIR/tmp with O_EXCL, fsyncs it, renames it into DIR/new,
 * fsyncs DIR/new, and exits. One process per job, like notify-enqueue from a shell loop. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: durable-commit DIR\n"); return 64; }
    char tmp[4096], new[4096], name[64], body[512];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(name, sizeof name, "%ld.%09ld.%d", (long)now.tv_sec, now.tv_nsec, getpid());
    snprintf(tmp, sizeof tmp, "%s/tmp/%s", argv[1], name);
    snprintf(new, sizeof new, "%s/new/%s", argv[1], name);
    int n = snprintf(body, sizeof body,
        "{\"format\":\"notifyd-job\",\"version\":\"1.0\",\"id\":\"%s\",\"channel\":\"sms\","
        "\"to\":[\"+14155550123\"],\"body\":\"hello\",\"priority\":\"normal\"}\n", name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0 || write(fd, body, n) != n || fsync(fd) != 0 || close(fd) != 0) { perror(tmp); return 74; }
    if (rename(tmp, new) != 0) { perror(new); return 74; }
    snprintf(tmp, sizeof tmp, "%s/new", argv[1]);
    int dir = open(tmp, O_RDONLY | O_DIRECTORY);
    if (dir < 0 || fsync(dir) != 0) { perror(tmp); return 74; }
    puts(name);
    return 0;
}
