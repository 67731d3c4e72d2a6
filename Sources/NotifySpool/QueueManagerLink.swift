#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

extension Spool {
    /// Opens the trigger FIFO for the queue manager: read and write (so it never sees
    /// EOF), non-blocking, close-on-exec. Returns the descriptor.
    public func openTriggerForReading() throws(SpoolError) -> Int32 {
        let fd = openat(rootFD, SpoolLayout.triggerPath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw SpoolError("open", path: display(SpoolLayout.triggerPath), errno: errno) }
        return fd
    }

    /// Writes notifyd's state snapshot, `state/qmgr.json` (tmp/, rename; not synced: it is
    /// rewritten often and only informs `notifyctl status`).
    public func writeQueueManagerState(_ snapshot: QueueManagerState) throws(SpoolError) {
        try commitRecord(encodeRecord(snapshot), staging: "state.qmgr", directory: "state", name: "qmgr.json", sync: false)
    }

    /// The last snapshot notifyd wrote, if any.
    public func queueManagerState() -> QueueManagerState? {
        guard let bytes = readWholeFile(rootFD, "state/qmgr.json") else { return nil }
        return try? JSONDecoder().decode(QueueManagerState.self, from: Data(bytes))
    }
}

/// `state/qmgr.json`: what notifyd is doing, for `notifyctl status` and the stats daemon.
public struct QueueManagerState: Codable, Sendable, Equatable {
    public struct Breaker: Codable, Sendable, Equatable {
        public var channel: String
        public var provider: String
        /// closed, open, half-open.
        public var state: String
        public var consecutiveFailures: Int
        /// RFC 3339, when an open breaker lets a probe through.
        public var openUntil: String?
        public var coolOffMilliseconds: Int64

        enum CodingKeys: String, CodingKey {
            case channel, provider, state, consecutiveFailures = "consecutive_failures", openUntil = "open_until"
            case coolOffMilliseconds = "cool_off_ms"
        }

        public init(channel: String, provider: String, state: String, consecutiveFailures: Int, openUntil: String?, coolOffMilliseconds: Int64) {
            self.channel = channel
            self.provider = provider
            self.state = state
            self.consecutiveFailures = consecutiveFailures
            self.openUntil = openUntil
            self.coolOffMilliseconds = coolOffMilliseconds
        }
    }

    public var format = "notifyd-qmgr-state"
    public var version = "1.0"
    public var pid: Int32
    /// RFC 3339.
    public var written: String
    public var breakers: [Breaker]
    /// Jobs in memory (the active set) and in flight, per channel.
    public var active: [String: Int]
    public var inFlight: [String: Int]
    /// Ready jobs the channel's rate limiter (`<channel>_rate_limit`) is holding back now:
    /// the limiter waits notify-statsd reports. Absent in files of older notifyd versions.
    public var rateLimited: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case format, version, pid, written, breakers, active, inFlight = "in_flight", rateLimited = "rate_limited"
    }

    public init(pid: Int32, written: String, breakers: [Breaker], active: [String: Int], inFlight: [String: Int],
                rateLimited: [String: Int]? = nil) {
        self.rateLimited = rateLimited
        self.pid = pid
        self.written = written
        self.breakers = breakers
        self.active = active
        self.inFlight = inFlight
    }
}
