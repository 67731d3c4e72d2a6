import Testing

/// Parent of every suite that sets environment variables (NOTIFY_SOCKET, WATCHDOG_*,
/// LISTEN_*): libsystemd reads them with getenv, so these tests run one at a time.
@Suite(.serialized)
enum ProcessEnvironmentTests {}
