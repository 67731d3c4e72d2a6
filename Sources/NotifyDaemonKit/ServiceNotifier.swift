import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Tells the service manager about the daemon's state through `sd_notify(3)`.
///
/// Every call is silent and harmless when `NOTIFY_SOCKET` is unset (the daemon was not
/// started by systemd with `Type=notify`/`notify-reload`, or runs in a terminal): the
/// methods then return `false` and do nothing else.
///
/// The environment is read on each call and never modified, so a notifier can be created
/// anywhere and shared freely between tasks.
public struct ServiceNotifier: Sendable {
    /// Creates a notifier that reads `NOTIFY_SOCKET` and `WATCHDOG_*` from the environment.
    public init() {}

    /// Sends a raw notification, one `NAME=value` assignment per line.
    ///
    /// - Returns: `true` when the message reached the service manager; `false` when
    ///   `NOTIFY_SOCKET` is unset or sending failed.
    @discardableResult
    public func send(_ assignments: String) -> Bool {
        sd_notify(0, assignments) > 0
    }

    /// Reports that start-up is finished (`READY=1`).
    @discardableResult
    public func ready() -> Bool {
        send("READY=1")
    }

    /// Sets the free-form status line shown by `systemctl status` (`STATUS=…`).
    ///
    /// Line breaks in `text` are replaced by spaces, since a newline would end the assignment.
    @discardableResult
    public func status(_ text: String) -> Bool {
        send("STATUS=" + Self.singleLine(text))
    }

    /// Reports that the daemon has begun shutting down (`STOPPING=1`).
    @discardableResult
    public func stopping() -> Bool {
        send("STOPPING=1")
    }

    /// Reports that the daemon is reloading its configuration.
    ///
    /// Sends `RELOADING=1` with `MONOTONIC_USEC` (the current `CLOCK_MONOTONIC` time), which
    /// `Type=notify-reload` requires from systemd 253 on; older managers ignore the extra field.
    /// Call ``ready()`` when the reload is complete.
    @discardableResult
    public func reloading() -> Bool {
        send("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }

    /// Keeps the service manager's watchdog from firing (`WATCHDOG=1`).
    @discardableResult
    public func watchdogPing() -> Bool {
        send("WATCHDOG=1")
    }

    /// The watchdog timeout the service manager enforces (`WatchdogSec=`), or `nil` when the
    /// watchdog is off or meant for another process (`WATCHDOG_PID` names a different pid).
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// How often to ping: half of ``watchdogInterval``, as `sd_watchdog_enabled(3)` advises.
    public var watchdogPingInterval: Duration? {
        watchdogInterval.map { $0 / 2 }
    }

    /// `text` with every line break replaced by a space.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// The current `CLOCK_MONOTONIC` time in microseconds, the clock systemd expects.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
