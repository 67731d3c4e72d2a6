/* The ceiling for notify-apid's group commit on this machine: THREADS threads, each
 * committing GROUP jobs per round with the spool's protocol (write each file to tmp/,
 * one syncfs, rename each into incoming/, one fsync of incoming/), for SECONDS seconds.
 * No HTTP, no JSON, no allocation: only the file system.
 *
 *   group-commit DIR THREADS GROUP SECONDS      prints committed files/s */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int tmpfd, incomingfd, group;
static double deadline;
static long committed[64];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *run(void *arg) {
    long index = (long)arg, serial = 0;
    char names[1024][48], body[320];
    memset(body, 'x', sizeof body);
    body[sizeof body - 1] = '\n';
    while (now() < deadline) {
        for (int i = 0; i < group; i++) {
            snprintf(names[i], sizeof names[i], "%d.%ld.%ld", getpid(), index, serial++);
            int fd = openat(tmpfd, names[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
            if (fd < 0 || write(fd, body, sizeof body) != (ssize_t)sizeof body || close(fd) != 0) { perror("write"); exit(74); }
        }
        if (syncfs(tmpfd) != 0) { perror("syncfs"); exit(74); }
        for (int i = 0; i < group; i++)
            if (renameat(tmpfd, names[i], incomingfd, names[i]) != 0) { perror("rename"); exit(74); }
        if (fsync(incomingfd) != 0) { perror("fsync"); exit(74); }
        committed[index] += group;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: group-commit DIR THREADS GROUP SECONDS\n"); return 64; }
    int threads = atoi(argv[2]);
    group = atoi(argv[3]);
    if (threads < 1 || threads > 64 || group < 1 || group > 1024) { fprintf(stderr, "group-commit: 1-64 threads, 1-1024 per group\n"); return 64; }
    char path[4096];
    snprintf(path, sizeof path, "%s/tmp", argv[1]);
    mkdir(path, 0750);
    tmpfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    snprintf(path, sizeof path, "%s/incoming", argv[1]);
    mkdir(path, 0750);
    incomingfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tmpfd < 0 || incomingfd < 0) { perror(argv[1]); return 74; }
    double start = now();
    deadline = start + atof(argv[4]);
    pthread_t ids[64];
    for (long i = 0; i < threads; i++) pthread_create(&ids[i], NULL, run, (void *)i);
    long total = 0;
    for (int i = 0; i < threads; i++) { pthread_join(ids[i], NULL); total += committed[i]; }
    printf("%.0f\n", total / (now() - start));
    return 0;
}
