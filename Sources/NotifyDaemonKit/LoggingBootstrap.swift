import Logging
import Synchronization

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
    ///   - level: The lowest level logged; `info` by default.
    /// - Returns: The destination in use.
    @discardableResult
    public static func bootstrap(program: String, level: Logger.Level = .info) -> LogDestination {
        chosen.withLock { chosen in
            if let chosen { return chosen }
            let destination = LogDestination.detect()
            LoggingSystem.bootstrap { _ in
                JournalLogHandler(program: program, destination: destination, logLevel: level)
            }
            chosen = destination
            return destination
        }
    }
}
