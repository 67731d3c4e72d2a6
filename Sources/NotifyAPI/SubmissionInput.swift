import NotifyCore

/// The CPU-only first half of POST /v1/notifications: the body decoded into a `JobDraft`,
/// the `Idempotency-Key` header applied, and the validation context. No I/O and no NIO,
/// so Fuzz/run.sh compiles this file into its `apirequest` target.
public enum SubmissionInput {
    /// The draft of a request body; `headers` has lowercase names.
    public static func draft(body: [UInt8], headers: [String: String]) throws(FieldError) -> JobDraft {
        var draft = try JSONInput.decode(JobDraft.self, from: body, field: "body")
        try applyIdempotencyKey(headers["idempotency-key"], to: &draft)
        return draft
    }

    /// The `Idempotency-Key` header, as if it were the body's `idempotency_key`.
    public static func applyIdempotencyKey(_ key: String?, to draft: inout JobDraft) throws(FieldError) {
        guard let key else { return }
        if let given = draft.idempotencyKey, given != key {
            throw FieldError("idempotency_key", "differs from the Idempotency-Key header")
        }
        draft.idempotencyKey = key
    }

    /// Validates drafts (a plain job, or a template already expanded) into jobs.
    public static func validate(_ drafts: [JobDraft], settings: Settings, submitter: Submitter, now: Int64) throws(FieldError) -> [Job] {
        let context = JobDraft.Context(settings: settings, submitter: submitter, now: now)
        var ids = JobIDGenerator()
        var jobs: [Job] = []
        for draft in drafts { jobs += try draft.validate(context, ids: &ids) }
        return jobs
    }
}
