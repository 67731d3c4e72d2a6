#ifndef NOTIFYD_CSYSTEMD_SHIM_H
#define NOTIFYD_CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

/* sd_journal_send is variadic; Swift calls sd_journal_sendv (an iovec array) instead.
 * In C, sd_journal_sendv is also a macro that adds the caller's CODE_* fields; Swift
 * does not import function-like macros, so it reaches the plain function. */
#endif
