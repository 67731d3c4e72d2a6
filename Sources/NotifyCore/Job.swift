/// A notification job: what one delivery agent attempt sends. The spool stores it as one
/// JSON object in a file named by its ID (see spool-layout.md, "Job file"). A job file is
/// immutable once committed; the queue manager's attempt history lives in a sidecar.
public struct Job: Sendable, Equatable {
    public var id: JobID
    /// Milliseconds since the epoch.
    public var created: Int64
    public var channel: Channel
    /// Recipients. Email jobs may name several (one message, several To); every other
    /// channel has exactly one, so status, preferences and quiet hours apply per recipient.
    public var to: [String]
    public var subject: String?
    public var body: String
    /// Optional HTML alternative (email only).
    public var html: String?
    /// The template the content was rendered from, for provenance. The content is always
    /// rendered at enqueue time: a job is self-contained.
    public var template: String?
    public var priority: Priority
    /// Not before this time (ms since epoch): a scheduled send.
    public var notBefore: Int64?
    /// Give up at this time (ms since epoch); without it the channel's maximal lifetime applies.
    public var expires: Int64?
    public var idempotencyKey: String?
    /// Free metadata: event type, user id, anything the caller wants back in status and events.
    public var meta: [String: String]
    public var submitter: Submitter
    /// The batch this job belongs to, if any.
    public var batch: String?

    public init(
        id: JobID, created: Int64, channel: Channel, to: [String], subject: String? = nil,
        body: String, html: String? = nil, template: String? = nil, priority: Priority = .normal,
        notBefore: Int64? = nil, expires: Int64? = nil, idempotencyKey: String? = nil,
        meta: [String: String] = [:], submitter: Submitter, batch: String? = nil
    ) {
        self.id = id
        self.created = created
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
        self.html = html
        self.template = template
        self.priority = priority
        self.notBefore = notBefore
        self.expires = expires
        self.idempotencyKey = idempotencyKey
        self.meta = meta
        self.submitter = submitter
        self.batch = batch
    }
}

/// Who submitted a job. Numeric uid, because the enqueue CLI is a static binary where
/// name lookups (NSS) do not work; tools resolve names when they display them.
public struct Submitter: Sendable, Equatable, Codable {
    public var uid: UInt32
    public var pid: Int32
    /// The submitting program: `notify-enqueue`, `notify-apid`, or a name the caller gave.
    public var program: String

    public init(uid: UInt32, pid: Int32, program: String) {
        self.uid = uid
        self.pid = pid
        self.program = program
    }
}
