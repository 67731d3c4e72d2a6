/// The fields of a job the queue manager decides with: who, which channel, how urgent,
/// its times, and its event type (`meta.type`, for per-type opt-outs). The body, the rest
/// of meta and the rest are the agent's business, so notifyd reads only these (`JobSummary.decode`), without JSONDecoder and without the job's text.
public struct JobSummary: Sendable, Equatable {
    public var id: JobID
    public var created: Int64
    public var channel: Channel
    public var to: [String]
    public var priority: Priority
    public var notBefore: Int64?
    public var expires: Int64?
    /// `meta.type`: the event type recipients may opt out of (RecipientPreferences).
    public var eventType: String?

    public init(_ job: Job) {
        id = job.id
        created = job.created
        channel = job.channel
        to = job.to
        priority = job.priority
        notBefore = job.notBefore
        expires = job.expires
        eventType = job.meta[Self.eventTypeKey]
    }

    /// The meta entry that names a job's event type.
    public static let eventTypeKey = "type"

    /// Reads the summary from a job file's bytes. A file the quick pass does not fully
    /// understand (escapes in a field it needs, a missing field, another version, a field
    /// given twice) goes through `JobFileFormat.decode`, so every error is reported exactly
    /// as before and a hand-made file cannot be read one way here and another by the agent.
    public static func decode(_ bytes: [UInt8]) throws(JobFileFormat.DecodeError) -> JobSummary {
        if let summary = bytes.withUnsafeBufferPointer({ quick($0) }) { return summary }
        return JobSummary(try JobFileFormat.decode(bytes))
    }

    private static func quick(_ bytes: UnsafeBufferPointer<UInt8>) -> JobSummary? {
        var scanner = JSONScanner(bytes)
        var format = false, version = false, body = false, meta = false, submitter = false
        var id: JobID?, created: Int64?, channel: Channel?, to: [String]?, priority: Priority?
        var notBefore: Int64?, expires: Int64?, eventType: String?
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        var seen: Set<String> = []
        repeat {
            guard let key = scanner.plainString(), scanner.consume(UInt8(ascii: ":")) else { return nil }
            // Which of two equal keys counts is the full decoder's business (found by Fuzz/).
            guard seen.insert(key).inserted else { return nil }
            switch key {
            case "format": format = scanner.plainString() == JobFileFormat.name
            case "version": version = scanner.plainString().map { $0.hasPrefix("\(JobFileFormat.major).") } ?? false
            case "id": id = scanner.plainString().flatMap { try? JobID(validating: $0) }
            case "created": created = scanner.plainString().flatMap { try? Timestamp.validate($0, field: "created") }
            case "channel": channel = scanner.plainString().flatMap(Channel.init(rawValue:))
            case "priority": priority = scanner.plainString().flatMap(Priority.init(rawValue:))
            case "not_before":
                guard let text = scanner.plainString(), let value = try? Timestamp.validate(text, field: "not_before") else { return nil }
                notBefore = value
            case "expires":
                guard let text = scanner.plainString(), let value = try? Timestamp.validate(text, field: "expires") else { return nil }
                expires = value
            case "to": to = scanner.plainStringArray()
            case "body": body = scanner.peek == UInt8(ascii: "\"") && scanner.skipValue()
            case "meta":
                guard quickMeta(&scanner, type: &eventType) else { return nil }
                meta = true
            case "submitter": submitter = scanner.peek == UInt8(ascii: "{") && scanner.skipValue()
            default: guard scanner.skipValue() else { return nil }
            }
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")), format, version, body, meta, submitter,
              let id, let created, let channel, let to, !to.isEmpty, let priority else { return nil }
        return JobSummary(id: id, created: created, channel: channel, to: to, priority: priority, notBefore: notBefore, expires: expires,
                          eventType: eventType)
    }

    /// Reads the meta object, keeping only `type`. False (the full decoder then reads the
    /// file) for anything the quick pass does not read: not an object, escapes in a key or
    /// in `type`, a key given twice.
    private static func quickMeta(_ scanner: inout JSONScanner, type: inout String?) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        if scanner.consume(UInt8(ascii: "}")) { return true }
        var seen: Set<String> = []
        repeat {
            guard let key = scanner.plainString(), scanner.consume(UInt8(ascii: ":")), seen.insert(key).inserted else { return false }
            if key == eventTypeKey {
                guard let value = scanner.plainString() else { return false }
                type = value
            } else {
                guard scanner.skipValue() else { return false }
            }
        } while scanner.consume(UInt8(ascii: ","))
        return scanner.consume(UInt8(ascii: "}"))
    }

    private init(id: JobID, created: Int64, channel: Channel, to: [String], priority: Priority, notBefore: Int64?, expires: Int64?,
                 eventType: String?) {
        self.id = id
        self.created = created
        self.channel = channel
        self.to = to
        self.priority = priority
        self.notBefore = notBefore
        self.expires = expires
        self.eventType = eventType
    }
}
