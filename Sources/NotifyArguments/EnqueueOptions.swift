import ArgumentParser
import NotifyCLI
import NotifyCore

/// The options of notify-enqueue. notify-render takes the same ones, so that notify-enqueue
/// can hand its whole command line over when it needs the template engine.
public struct EnqueueOptions: ParsableArguments {
    @OptionGroup public var spool: SpoolOptions

    @Option(help: "The channel: email, sms, push, webhook or inbox.")
    public var channel: String?
    @Option(help: "A recipient; repeat for several. Email takes up to 100 per job; other channels get one job per recipient.")
    public var to: [String] = []
    @Option(help: "The subject (email), title (push, inbox).")
    public var subject: String?
    @Option(help: "The message body.")
    public var body: String?
    @Option(name: .customLong("body-file"), help: "Read the body from this file (- for stdin).")
    public var bodyFile: String?
    @Option(name: .customLong("html-file"), help: "An HTML alternative for an email, from this file.")
    public var htmlFile: String?
    @Option(help: "high, normal (the default) or bulk.")
    public var priority: String?
    @Option(help: "Send no earlier than this RFC 3339 time, e.g. 2026-12-01T09:00:00Z.")
    public var at: String?
    @Option(name: .customLong("in"), help: "Send no earlier than this long from now, e.g. 10m, 2h, 1d.")
    public var delay: String?
    @Option(help: "Give up at this RFC 3339 time.")
    public var expires: String?
    @Option(help: "Give up this long from now.")
    public var ttl: String?
    @Option(name: .customLong("idempotency-key"), help: "A second submission with this key, within the idempotency window, returns the first job's ID.")
    public var idempotencyKey: String?
    @Option(help: "Metadata as key=value; repeat for several.")
    public var meta: [String] = []

    @Option(help: "Render this template (from the template directory). Handled by notify-render.")
    public var template: String?
    @Option(help: "Template data as a JSON object.")
    public var data: String?
    @Option(name: .customLong("data-file"), help: "Template data from a JSON file (- for stdin).")
    public var dataFile: String?
    @Option(help: "A CSV (with a header row) or JSON Lines file: one row per recipient, rendered with --template.")
    public var batch: String?
    @Option(help: "Jobs as JSON: one object, or JSON Lines (- for stdin).")
    public var jobs: String?

    @Flag(help: "Print one JSON object per job instead of bare IDs.")
    public var json = false

    public init() {}

    /// Whether this invocation needs notify-render (templates, batches, JSON input).
    public var needsRenderer: Bool { template != nil || batch != nil || jobs != nil || data != nil || dataFile != nil }

    /// The job described by the flags, before validation. File reads happen here.
    public func draft(readFile: (String, String) throws -> String) throws -> JobDraft {
        var draft = JobDraft()
        draft.channel = channel
        draft.to = to
        draft.subject = subject
        if body != nil && bodyFile != nil { throw FieldError("body", "give --body or --body-file, not both") }
        draft.body = try body ?? bodyFile.map { try readFile($0, "body-file") }
        draft.html = try htmlFile.map { try readFile($0, "html-file") }
        draft.priority = priority
        draft.sendAt = at
        draft.delay = delay
        draft.expiresAt = expires
        draft.ttl = ttl
        draft.idempotencyKey = idempotencyKey
        draft.meta = try parsedMeta()
        return draft
    }

    /// The --meta key=value pairs.
    public func parsedMeta() throws(FieldError) -> [String: String] {
        var result: [String: String] = [:]
        for item in meta {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw FieldError("meta", "expected key=value, got \"\(item)\"")
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }
}
