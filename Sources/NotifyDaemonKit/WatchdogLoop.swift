/// Keeps systemd's watchdog (`WatchdogSec=`) satisfied while the daemon runs.
///
/// Run it as a child task of the daemon's main task so it stops with the daemon:
///
/// ```swift
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { await WatchdogLoop.run() }
///     ...
/// }
/// ```
public enum WatchdogLoop {
    /// Pings the watchdog at half the interval systemd asked for, until the task is
    /// cancelled. Returns at once when the watchdog is not enabled for this process.
    public static func run(notifier: ServiceNotifier = ServiceNotifier()) async {
        await run(interval: notifier.watchdogInterval, notifier: notifier)
    }

    /// Pings `notifier` every `interval / 2`, starting immediately, until the task is
    /// cancelled. Returns at once when `interval` is `nil` or not positive.
    ///
    /// Pings are scheduled against deadlines, so they do not drift; after a long stall
    /// (for example the process was stopped) the schedule restarts from now instead of
    /// sending a burst of catch-up pings.
    public static func run(interval: Duration?, notifier: ServiceNotifier) async {
        guard let interval, interval > .zero else { return }
        let period = interval / 2
        let clock = ContinuousClock()
        var deadline = clock.now
        while !Task.isCancelled {
            notifier.watchdogPing()
            deadline = deadline.advanced(by: period)
            let now = clock.now
            if deadline < now { deadline = now.advanced(by: period) }
            do {
                try await clock.sleep(until: deadline)
            } catch {
                return
            }
        }
    }
}
