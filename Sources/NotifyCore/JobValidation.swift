/// Turns a draft into jobs, checking every field against the channel's rules and limits.
///
/// One draft becomes one job, except that a draft for a single-recipient channel (every
/// channel but email) with several recipients becomes one job per recipient. Their
/// idempotency keys are then `KEY#1`, `KEY#2`, … in recipient order, so a replay of the
/// same request finds the same jobs.
extension JobDraft {
    public struct Context: Sendable {
        public var settings: Settings
        public var submitter: Submitter
        /// Milliseconds since the epoch.
        public var now: Int64

        public init(settings: Settings, submitter: Submitter, now: Int64) {
            self.settings = settings
            self.submitter = submitter
            self.now = now
        }
    }

    /// The metadata entry that holds a job's callback URL.
    public static let callbackMetaKey = "callback_url"

    /// Email jobs may have this many recipients; larger lists belong in a batch.
    public static let maxEmailRecipients = 100

    public func validate(_ context: Context, ids: inout JobIDGenerator) throws(FieldError) -> [Job] {
        guard let channelText = channel, !channelText.isEmpty else { throw FieldError("channel", "required") }
        let channel = try Channel.parse(channelText)
        let limits = context.settings.channel(channel)
        guard !to.isEmpty else { throw FieldError("to", "required: at least one recipient") }

        let recipients = try validRecipients(channel)
        let body = try validBody(channel, limit: limits.bodySizeLimit, smsMaxSegments: context.settings.smsMaxSegments)
        let priority = try priority.map { text throws(FieldError) in try Priority.parse(text) } ?? .normal
        let (notBefore, expires) = try validTimes(context.now, lifetime: limits.maximalLifetime)
        let key = try idempotencyKey.map { text throws(FieldError) in try IdempotencyKey.validate(text, field: "idempotency_key") }
        var validMeta: [String: String] = [:]
        for (name, value) in meta {
            let field = "meta.\(name)"
            validMeta[try MetadataKey.validate(name, field: field)] = try MetadataValue.validate(value, field: field)
        }
        if let callbackURL {
            guard case .url(let url) = try WebhookTarget.validate(callbackURL, field: "callback_url") else {
                throw FieldError("callback_url", "expected an http or https URL")
            }
            validMeta[JobDraft.callbackMetaKey] = url
        }

        let groups = channel == .email ? [recipients] : recipients.map { [$0] }
        return groups.enumerated().map { index, to in
            Job(id: ids.next(milliseconds: context.now), created: context.now, channel: channel, to: to,
                subject: subject, body: body, html: html, template: template, priority: priority,
                notBefore: notBefore, expires: expires,
                idempotencyKey: key.map { groups.count == 1 ? $0 : "\($0)#\(index + 1)" },
                meta: validMeta, submitter: context.submitter, batch: batch)
        }
    }

    private func validRecipients(_ channel: Channel) throws(FieldError) -> [String] {
        if channel == .email && to.count > JobDraft.maxEmailRecipients {
            throw FieldError("to", "\(to.count) recipients; an email job has at most \(JobDraft.maxEmailRecipients) (use a batch)")
        }
        var result: [String] = []
        for (index, recipient) in to.enumerated() {
            let field = to.count == 1 ? "to" : "to[\(index)]"
            switch channel {
            case .email: result.append(try EmailAddress.validate(recipient, field: field))
            case .sms: result.append(try PhoneNumber.validate(recipient, field: field))
            case .push: result.append(try PushToken.validate(recipient, field: field))
            case .webhook: result.append(try WebhookTarget.validate(recipient, field: field).recipient)
            case .inbox: result.append(try InboxUser.validate(recipient, field: field))
            }
        }
        return result
    }

    private func validBody(_ channel: Channel, limit: Int, smsMaxSegments: Int) throws(FieldError) -> String {
        guard let body, !body.isEmpty else {
            if html != nil && channel == .email { return "" }
            throw FieldError("body", "required")
        }
        if html != nil && channel != .email { throw FieldError("html", "only email jobs have an HTML part") }
        if let subject {
            if subject.utf8.contains(where: { $0 == 10 || $0 == 13 }) {
                throw FieldError("subject", "must be one line (no CR or LF)")
            }
            if subject.utf8.count > 998 { throw FieldError("subject", "longer than 998 bytes") }
        } else if channel == .email {
            throw FieldError("subject", "required for email")
        }
        switch channel {
        case .sms:
            _ = try SMSBody.validate(body, field: "body", maxSegments: smsMaxSegments)
        case .push:
            _ = try PushPayload.validate(title: subject ?? "", body: body, field: "body", limit: limit)
        default:
            let size = body.utf8.count + (html?.utf8.count ?? 0) + (subject?.utf8.count ?? 0)
            if size > limit {
                throw FieldError("body", "\(size) bytes; the \(channel.rawValue) limit is \(limit) bytes")
            }
        }
        return body
    }

    private func validTimes(_ now: Int64, lifetime: Duration) throws(FieldError) -> (Int64?, Int64?) {
        if sendAt != nil && delay != nil { throw FieldError("send_at", "give either a send time or a delay, not both") }
        if expiresAt != nil && ttl != nil { throw FieldError("expires_at", "give either an expiry time or a ttl, not both") }
        var notBefore = try sendAt.map { text throws(FieldError) in try Timestamp.validate(text, field: "send_at") }
        if let delay { notBefore = now + (try Self.boundedDuration(delay, field: "delay")) }
        var expires = try expiresAt.map { text throws(FieldError) in try Timestamp.validate(text, field: "expires_at") }
        if let ttl { expires = now + (try Self.boundedDuration(ttl, field: "ttl")) }
        if let expires {
            let start = max(notBefore ?? now, now)
            if expires <= start { throw FieldError(expiresAt != nil ? "expires_at" : "ttl", "must be later than the send time") }
        }
        if let notBefore, notBefore > now + lifetime.milliseconds, expires == nil {
            throw FieldError(sendAt != nil ? "send_at" : "delay",
                             "later than the channel's maximal lifetime (\(DurationText.format(lifetime))); give expires_at too")
        }
        return (notBefore, expires)
    }

    /// A duration from now, in milliseconds, at most ten years (so adding it cannot overflow).
    private static func boundedDuration(_ text: String, field: String) throws(FieldError) -> Int64 {
        let milliseconds = try DurationText.validate(text, field: field).milliseconds
        guard milliseconds <= 10 * 366 * 86_400_000 else { throw FieldError(field, "longer than ten years") }
        return milliseconds
    }
}

extension Duration {
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
