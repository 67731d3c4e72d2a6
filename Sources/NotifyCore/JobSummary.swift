/// The fields of a job the queue manager decides with: who, which channel, how urgent,
/// and its times. The body, meta and the rest are the agent's business, so notifyd reads
/// only these (`JobSummary.decode`), without JSONDecoder and without the job's text.
public struct JobSummary: Sendable, Equatable {
    public var id: JobID
    public var created: Int64
    public var channel: Channel
    public var to: [String]
    public var priority: Priority
    public var notBefore: Int64?
    public var expires: Int64?

    public init(_ job: Job) {
        id = job.id
        created = job.created
        channel = job.channel
        to = job.to
        priority = job.priority
        notBefore = job.notBefore
        expires = job.expires
    }

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
        var notBefore: Int64?, expires: Int64?
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
            case "meta": meta = scanner.peek == UInt8(ascii: "{") && scanner.skipValue()
            case "submitter": submitter = scanner.peek == UInt8(ascii: "{") && scanner.skipValue()
            default: guard scanner.skipValue() else { return nil }
            }
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")), format, version, body, meta, submitter,
              let id, let created, let channel, let to, !to.isEmpty, let priority else { return nil }
        return JobSummary(id: id, created: created, channel: channel, to: to, priority: priority, notBefore: notBefore, expires: expires)
    }

    private init(id: JobID, created: Int64, channel: Channel, to: [String], priority: Priority, notBefore: Int64?, expires: Int64?) {
        self.id = id
        self.created = created
        self.channel = channel
        self.to = to
        self.priority = priority
        self.notBefore = notBefore
        self.expires = expires
    }
}
