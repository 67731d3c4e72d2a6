#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore
import NotifySpool

/// One job as `list --json` and `show --json` print it. Fields may be added, never
/// renamed or removed (like `postqueue -j`).
struct JobListing: Encodable {
    var id: String
    var state: String
    var channel: String
    var priority: String
    var created: String
    var to: [String]
    var subject: String?
    var attempts: Int
    var nextAttempt: String?
    var expires: String?
    var idempotencyKey: String?
    var batch: String?
    var submitterUID: UInt32
    var submitterProgram: String
    var size: Int

    enum CodingKeys: String, CodingKey {
        case id, state, channel, priority, created, to, subject, attempts
        case nextAttempt = "next_attempt", expires, idempotencyKey = "idempotency_key", batch
        case submitterUID = "submitter_uid", submitterProgram = "submitter_program", size, outcome
    }

    /// The final outcome from the history: delivered, failed, expired, suppressed, cancelled.
    var outcome: String?

    init(job: Job, entry: SpoolEntry, history: JobHistory) {
        id = job.id.text
        state = entry.state.rawValue
        channel = job.channel.rawValue
        priority = job.priority.rawValue
        created = Timestamp.format(millisecondsSinceEpoch: job.created)
        to = job.to
        subject = job.subject
        // Attempts come from the history sidecar. A deferred job is due at its file's mtime
        // (spool-layout.md, "Due times"); a job nobody has tried yet at its not-before time.
        attempts = history.attempts
        outcome = history.outcome
        nextAttempt = entry.nextAttempt(of: job).map { Timestamp.format(millisecondsSinceEpoch: $0) }
        expires = job.expires.map { Timestamp.format(millisecondsSinceEpoch: $0) }
        idempotencyKey = job.idempotencyKey
        batch = job.batch
        submitterUID = job.submitter.uid
        submitterProgram = job.submitter.program
        size = entry.size
    }

    /// Like the synthesized encoding, except that `next_attempt` is always present
    /// (null for held and final jobs): every line has id, state, channel, attempts and
    /// next_attempt.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(channel, forKey: .channel)
        try container.encode(priority, forKey: .priority)
        try container.encode(created, forKey: .created)
        try container.encode(to, forKey: .to)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(nextAttempt, forKey: .nextAttempt)
        try container.encodeIfPresent(expires, forKey: .expires)
        try container.encodeIfPresent(idempotencyKey, forKey: .idempotencyKey)
        try container.encodeIfPresent(batch, forKey: .batch)
        try container.encode(submitterUID, forKey: .submitterUID)
        try container.encode(submitterProgram, forKey: .submitterProgram)
        try container.encode(size, forKey: .size)
        try container.encodeIfPresent(outcome, forKey: .outcome)
    }

    func jsonLine() -> String { encodeJSONLine(self) }
}

/// One JSON object on one line, keys sorted, for JSON Lines output.
func encodeJSONLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // The listing types hold strings and numbers only: encoding cannot fail.
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
}

/// The human table of `notifyctl list`.
enum JobTable {
    static let header = pad("ID", 26) + "  " + pad("STATE", 8) + "  " + pad("CHANNEL", 7) + "  "
        + pad("PRIO", 6) + "  " + pad("AGE", 6) + "  RECIPIENT"

    static func row(_ job: JobListing, now: Int64) -> String {
        let created = (try? Timestamp.validate(job.created, field: "created")) ?? now
        let recipient = (job.to.first ?? "") + (job.to.count > 1 ? " +\(job.to.count - 1)" : "")
        return pad(job.id, 26) + "  " + pad(job.state, 8) + "  " + pad(job.channel, 7) + "  "
            + pad(job.priority, 6) + "  " + pad(age(now - created), 6) + "  " + recipient
    }

    static func age(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
