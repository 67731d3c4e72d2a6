#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// One line of a job's history sidecar, `history/B/ID` (spool-layout.md, "History").
/// Lines are appended, never changed; unknown fields are ignored by readers.
public struct HistoryEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A delivery attempt and its result.
        case attempt
        /// Waiting without an attempt: scheduled, quiet hours, breaker open.
        case postponed
        /// An operator moved the job: held, released, requeued, flushed.
        case held, released, requeued, flushed
        /// The job reached a final state: `state` names it.
        case final
    }

    public var version = 1
    public var event: Kind
    /// Milliseconds since the epoch.
    public var at: Int64
    /// attempt: the 1-based attempt number.
    public var attempt: Int?
    /// attempt: delivered, temporary, permanent, down, unknown.
    /// final: delivered, failed, expired, suppressed, cancelled.
    public var result: String?
    public var reason: String?
    /// The provider's response code (HTTP status, SMTP reply code…).
    public var code: String?
    public var provider: String?
    /// The provider's message id of a delivered message.
    public var providerID: String?
    /// When the job is due again (ms since the epoch), if it waits.
    public var next: Int64?
    /// The delay used for a retry, in ms: the next retry's `previousDelay`.
    public var delay: Int64?

    enum CodingKeys: String, CodingKey {
        case version = "v", event, at, attempt, result, reason, code, provider
        case providerID = "provider_id", next, delay
    }

    public init(_ event: Kind, at: Int64, attempt: Int? = nil, result: String? = nil, reason: String? = nil,
                code: String? = nil, provider: String? = nil, providerID: String? = nil, next: Int64? = nil, delay: Int64? = nil) {
        self.event = event
        self.at = at
        self.attempt = attempt
        self.result = result
        self.reason = reason
        self.code = code
        self.provider = provider
        self.providerID = providerID
        self.next = next
        self.delay = delay
    }
}

extension HistoryEvent {
    /// Appends the event as one JSON line with sorted keys (as JSONEncoder's `.sortedKeys`
    /// wrote them), through JSONWriter: the committer writes one per state change, and a
    /// JSONEncoder per line cost more than the rest of the append.
    func appendLine(to bytes: inout [UInt8]) {
        var writer = JSONWriter(capacity: 160)
        writer.beginObject()
        writer.number("at", at)
        if let attempt { writer.number("attempt", Int64(attempt)) }
        writer.string("code", code)
        if let delay { writer.number("delay", delay) }
        writer.string("event", event.rawValue)
        if let next { writer.number("next", next) }
        writer.string("provider", provider)
        writer.string("provider_id", providerID)
        writer.string("reason", reason)
        writer.string("result", result)
        writer.number("v", Int64(version))
        writer.endObject()
        bytes += writer.bytes
        bytes.append(UInt8(ascii: "\n"))
    }
}

/// A job's history, read back.
public struct JobHistory: Sendable, Equatable {
    public var events: [HistoryEvent]

    public init(events: [HistoryEvent]) { self.events = events }

    /// History lines as a file holds them (a job's own file, or its lines in a daily
    /// archive); a line that does not parse (a torn last line after a crash) is skipped.
    init(lines: some Sequence<some Sequence<UInt8>>) {
        let decoder = JSONDecoder()
        events = lines.compactMap { try? decoder.decode(HistoryEvent.self, from: Data($0)) }
    }

    /// Attempts made since the job was last requeued from the dead letters.
    public var attempts: Int {
        var count = 0
        for event in events {
            if event.event == .requeued { count = 0 }
            if event.event == .attempt { count += 1 }
        }
        return count
    }

    /// The delay before the last retry, for decorrelated jitter.
    public var lastDelay: Int64? { events.last { $0.event == .attempt }?.delay }

    /// When the job was last requeued: its lifetime counts from then.
    public var requeuedAt: Int64? { events.last { $0.event == .requeued }?.at }

    /// The final outcome, if the job reached one (the last `final` line).
    public var outcome: String? { events.last { $0.event == .final }?.result }

    /// Whether notifyd taking the job in now counts as "queued" for notify-statsd: nothing
    /// happened to it since it was submitted (or requeued) but an operator's hold and
    /// release. A flushed or retried job was counted when it first came in.
    public var isNewToQueue: Bool {
        let since = events.lastIndex { $0.event == .requeued }.map { $0 + 1 } ?? 0
        return events[since...].allSatisfy { $0.event == .held || $0.event == .released }
    }

    /// When a waiting job is due (the last event that named a time).
    public var next: Int64? { events.last?.next }
}

extension Spool {
    /// Appends events to a job's history with one `write(2)` (O_APPEND, so concurrent
    /// writers never interleave inside a line). Not synced: the caller's batch `syncState()`
    /// makes it durable.
    public func appendHistory(_ id: JobID, _ events: [HistoryEvent]) throws(SpoolError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 * events.count)
        for event in events { event.appendLine(to: &bytes) }
        let directory = "history/\(id.bucket)"
        let dirFD = try directoryFD(directory)
        let fd = openat(dirFD, id.text, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o640)
        if fd < 0 { throw SpoolError("open", path: display("\(directory)/\(id)"), errno: errno) }
        defer { close(fd) }
        var before = stat()
        let start = fstat(fd, &before) == 0 ? before.st_size : -1
        if !io.writeAll(fd, bytes) {
            let error = errno
            // A short write (the disk is full) would leave a torn line that a later append
            // glues onto: cut the file back to where this append began.
            if start >= 0 { _ = ftruncate(fd, start) }
            throw SpoolError("write", path: display("\(directory)/\(id)"), errno: error)
        }
    }

    /// Reads a job's history; a job never attempted has an empty one. Lines that do not
    /// parse (a torn last line after a crash) are skipped.
    public func history(of id: JobID) -> JobHistory {
        guard let bytes = readWholeFile(rootFD, "history/\(id.bucket)/\(id.text)") else { return JobHistory(events: []) }
        return JobHistory(lines: bytes.split(separator: UInt8(ascii: "\n")))
    }
}
