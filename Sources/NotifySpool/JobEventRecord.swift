#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// A decision notifyd (or an operator) made about a job, for notify-statsd: the counts an
/// agent's status record cannot carry (queued, retried, the final outcomes). Written as
/// JSON Lines into `status/event.<ULID>`, one file per completion batch (spool-layout.md,
/// "Job event records"). Built with `JSONWriter`: this is on notifyd's hot path.
public struct JobEventRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case queued, retried, delivered, failed, expired, suppressed, cancelled
    }

    public var event: Kind
    public var id: JobID
    public var channel: Channel
    /// Milliseconds since the epoch.
    public var at: Int64
    /// The channel's provider label, when known (not for operator actions).
    public var provider: String?
    /// Attempts made so far (retried, delivered, failed).
    public var attempts: Int?
    public var reason: String?
    public var batch: String?

    public init(_ event: Kind, id: JobID, channel: Channel, at: Int64, provider: String? = nil,
                attempts: Int? = nil, reason: String? = nil, batch: String? = nil) {
        self.event = event
        self.id = id
        self.channel = channel
        self.at = at
        self.provider = provider
        self.attempts = attempts
        self.reason = reason
        self.batch = batch
    }

    public static let format = "notifyd-event"

    /// One line of the file, newline included.
    public func appendLine(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("format", Self.format)
        writer.string("version", "1.0")
        writer.string("event", event.rawValue)
        writer.string("id", id.text)
        writer.string("channel", channel.rawValue)
        writer.number("at", at)
        writer.string("provider", provider)
        if let attempts { writer.number("attempts", Int64(attempts)) }
        writer.string("reason", reason)
        writer.string("batch", batch)
        writer.endObject()
        writer.newline()
    }
}

extension Spool {
    /// Writes job event records as one file, `status/event.<ULID>` (tmp/, then rename). Not
    /// synced: notifyd's batch sync (or the operator command's `syncState`) covers it.
    public func writeJobEvents(_ events: [JobEventRecord], now: Int64 = WallClock.nowMilliseconds()) throws(SpoolError) {
        guard !events.isEmpty else { return }
        var writer = JSONWriter(capacity: 200 * events.count)
        for event in events { event.appendLine(to: &writer) }
        var generator = JobIDGenerator()
        let name = "event.\(generator.next(milliseconds: now).text)"
        try commitRecord(writer.bytes, staging: "status.\(name)", directory: "status", name: name, sync: false)
    }
}
