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

extension JobEventRecord {
    /// Reads one line written by `appendLine`; nil for anything else (a torn line).
    public init?(line: some Collection<UInt8>) {
        guard case .object(let fields)? = try? JSONValue.parse(line),
              case .string(Self.format)? = fields["format"],
              case .string(let kindText)? = fields["event"], let kind = Kind(rawValue: kindText),
              case .string(let idText)? = fields["id"], let id = try? JobID(validating: idText),
              case .string(let channelText)? = fields["channel"], let channel = Channel(rawValue: channelText),
              case .number(let at)? = fields["at"] else { return nil }
        func text(_ key: String) -> String? { if case .string(let value)? = fields[key] { value } else { nil } }
        var attempts: Int?
        if case .number(let value)? = fields["attempts"] { attempts = Int(value) }
        self.init(kind, id: id, channel: channel, at: Int64(at), provider: text("provider"), attempts: attempts,
                  reason: text("reason"), batch: text("batch"))
    }
}

/// notifyd's two-step write of a batch's job events (spool-layout.md, "Job event records"):
/// staged as `tmp/status.event.ULID` before the batch's history lines, published into
/// `status/` after them. A staged file found at start is reconciled against the histories
/// (`stagedJobEvents`), so a kill between the steps neither counts a decision notifyd will
/// take again nor drops one it recorded.
public struct StagedJobEvents: Sendable, Equatable {
    public let name: String
    static let prefix = "status.event."
}

extension Spool {
    /// Writes the events into `tmp/` without publishing them.
    public func stageJobEvents(_ events: [JobEventRecord], now: Int64 = WallClock.nowMilliseconds()) throws(SpoolError) -> StagedJobEvents {
        var writer = JSONWriter(capacity: 200 * events.count)
        for event in events { event.appendLine(to: &writer) }
        var generator = JobIDGenerator()
        let name = StagedJobEvents.prefix + generator.next(milliseconds: now).text
        try stageRecord(writer.bytes, staging: name, sync: false)
        return StagedJobEvents(name: name)
    }

    /// Moves staged events into `status/` for notify-statsd (not synced: the batch's sync).
    public func publishJobEvents(_ staged: StagedJobEvents) throws(SpoolError) {
        let target = String(staged.name.dropFirst("status.".count))
        let toFD = try directoryFD("status")
        if !io.rename(tmpFD, staged.name, toFD, target) {
            throw SpoolError("rename", path: display("status/\(target)"), errno: errno)
        }
    }

    /// The staged event files a killed notifyd left in `tmp/`, read: the events of each.
    public func stagedJobEvents() throws(SpoolError) -> [(staged: StagedJobEvents, events: [JobEventRecord])] {
        var found: [(StagedJobEvents, [JobEventRecord])] = []
        try listDirectory("tmp") { name, dirFD in
            guard name.hasPrefix(StagedJobEvents.prefix), let bytes = readWholeFile(dirFD, name) else { return }
            let events = bytes.split(separator: UInt8(ascii: "\n")).compactMap { JobEventRecord(line: $0) }
            found.append((StagedJobEvents(name: name), events))
        }
        return found
    }

    /// Removes a staged event file once reconciled.
    public func removeStagedJobEvents(_ staged: StagedJobEvents) {
        unlinkat(tmpFD, staged.name, 0)
    }
}
