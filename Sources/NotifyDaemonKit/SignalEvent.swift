#if canImport(Glibc)
import Glibc
#endif

/// What a daemon's main loop is asked to do by a signal.
public enum SignalEvent: Sendable, Equatable {
    /// SIGTERM or SIGINT: stop accepting work, finish or hand back what is in flight, exit.
    case terminate
    /// SIGHUP: re-read the configuration.
    case reload

    /// The event a signal number stands for, or `nil` for signals this module does not handle.
    public init?(signal: Int32) {
        switch signal {
        case SIGTERM, SIGINT: self = .terminate
        case SIGHUP: self = .reload
        default: return nil
        }
    }
}
