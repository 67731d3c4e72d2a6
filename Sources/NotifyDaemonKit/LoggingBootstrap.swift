import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Installs ``JournalLogHandler`` as the process-wide swift-log backend.
public enum LoggingBootstrap {
    private static let chosen = Mutex<LogDestination?>(nil)

    /// Bootstraps swift-log once per process with a ``JournalLogHandler`` writing to the
    /// journal under systemd and to stderr otherwise (see ``LogDestination/detect()``).
    ///
    /// `LoggingSystem.bootstrap` may run only once, so later calls change nothing and return
    /// the destination picked by the first.
    ///
    /// - Parameters:
    ///   - program: The program name, e.g. `notify-deliver`.
    ///   - level: The lowest level logged; by default `$NOTIFYD_LOG_LEVEL`, else `info`
    ///     (see ``LogLevelSetting``).
    /// - Returns: The destination in use.
    @discardableResult
    public static func bootstrap(program: String, level: Logger.Level? = nil) -> LogDestination {
        chosen.withLock { chosen in
            if let chosen { return chosen }
            let destination = LogDestination.detect()
            let level = level ?? LogLevelSetting.level(getenv(LogLevelSetting.variable).map { String(cString: $0) })
            LoggingSystem.bootstrap { _ in
                JournalLogHandler(program: program, destination: destination, logLevel: level)
            }
            chosen = destination
            return destination
        }
    }
}
