import NotifyCore

extension NotificationTemplate {
    /// A JSON job that names a template (`{"template": NAME, "data": {...}, ...}`) rendered
    /// into one draft per channel (only `channel`'s, if the job names one). The job's own
    /// delivery fields (priority, times, metadata, callback) apply to every draft; its
    /// idempotency key gets `#channel` when the job fans out, so a replay finds the same
    /// jobs. notify-render's `--jobs` and notify-apid's POST /v1/notifications share it.
    public func expand(_ draft: JobDraft) throws(FieldError) -> [JobDraft] {
        let channels = try draft.channel.map { text throws(FieldError) in Set([try Channel.parse(text)]) }
        var rendered = try render(draft.templateData ?? .object([:]), channels: channels)
        for index in rendered.indices {
            rendered[index].priority = draft.priority ?? rendered[index].priority
            rendered[index].sendAt = draft.sendAt
            rendered[index].delay = draft.delay
            rendered[index].expiresAt = draft.expiresAt
            rendered[index].ttl = draft.ttl ?? rendered[index].ttl
            rendered[index].meta = draft.meta
            rendered[index].callbackURL = draft.callbackURL
            rendered[index].batch = draft.batch
            rendered[index].idempotencyKey = draft.idempotencyKey.map { rendered.count > 1 ? "\($0)#\(rendered[index].channel!)" : $0 }
        }
        return rendered
    }
}
