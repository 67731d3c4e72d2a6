#ifndef NOTIFYD_SHIMS_H
#define NOTIFYD_SHIMS_H
#include <sys/types.h>

/* Linux calls that glibc declares only under _GNU_SOURCE, which `import Glibc` does not see. */

/* rename(2) that fails with EEXIST instead of replacing the target. */
int notifyd_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

/* syncfs(2): flush the whole filesystem that holds fd. */
int notifyd_syncfs(int fd);

/* memmem(3): the first occurrence of needle in haystack, or NULL. */
const void *notifyd_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/* SO_PEERCRED of a connected Unix socket. Returns 0 or -1 with errno. */
int notifyd_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/* openat(dirfd, path, O_PATH|O_DIRECTORY|O_CLOEXEC): a directory this process may pass
 * through or write into but not read (O_PATH is _GNU_SOURCE). */
int notifyd_open_path_directory(int dirfd, const char *path);

/* accept4(2) with SOCK_CLOEXEC|SOCK_NONBLOCK. */
int notifyd_accept_cloexec(int fd);

#endif
