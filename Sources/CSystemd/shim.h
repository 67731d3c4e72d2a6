#ifndef NOTIFYD_CSYSTEMD_SHIM_H
#define NOTIFYD_CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

/* sd_journal_send is variadic; sd_journal_sendv takes an iovec array, which Swift can build. */
static inline int notifyd_journal_sendv(const struct iovec *iov, int n) { return sd_journal_sendv(iov, n); }
#endif
