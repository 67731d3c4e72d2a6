#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore

/// What the outbox provider delivers: the rendered message as a file,
/// `outbox/<channel>/ID` (spool-layout.md, "Outbox").
public struct OutboxMessage: Codable, Sendable, Equatable {
    public var format = "notifyd-outbox"
    public var version = "1.0"
    public var id: String
    public var channel: String
    public var to: [String]
    public var subject: String?
    public var body: String
    public var html: String?
    public var idempotencyKey: String?
    public var meta: [String: String]
    public var attempt: Int
    /// RFC 3339 UTC.
    public var delivered: String

    enum CodingKeys: String, CodingKey {
        case format, version, id, channel, to, subject, body, html, idempotencyKey = "idempotency_key", meta, attempt, delivered
    }

    public init(job: Job, attempt: Int, now: Int64) {
        id = job.id.text
        channel = job.channel.rawValue
        to = job.to
        subject = job.subject
        body = job.body
        html = job.html
        idempotencyKey = job.idempotencyKey
        meta = job.meta
        self.attempt = attempt
        delivered = Timestamp.format(millisecondsSinceEpoch: now)
    }
}

extension Spool {
    /// Delivers a message into `outbox/<channel>/ID`: tmp/ file, fsync, rename. A second
    /// delivery of the same job (at-least-once) replaces the first, as a provider drops a
    /// duplicate by its idempotency key. The directory is synced by `syncOutbox`.
    public func writeOutbox(_ message: OutboxMessage, id: JobID, channel: Channel) throws(SpoolError) {
        try commitRecord(encodeRecord(message), staging: "outbox.\(channel.rawValue).\(id.text)",
                         directory: "outbox/\(channel.rawValue)", name: id.text, sync: true)
    }

    /// fsyncs `outbox/<channel>/` once for a group of deliveries.
    public func syncOutbox(_ channel: Channel) throws(SpoolError) { try syncDirectory("outbox/\(channel.rawValue)") }

    /// The messages in `outbox/<channel>/`.
    public func outboxMessages(_ channel: Channel) throws(SpoolError) -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        let decoder = JSONDecoder()
        try listDirectory("outbox/\(channel.rawValue)") { name, dirfd in
            if let bytes = readWholeFile(dirfd, name), let message = try? decoder.decode(OutboxMessage.self, from: Data(bytes)) {
                messages.append(message)
            }
        }
        return messages
    }
}
