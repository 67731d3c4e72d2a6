import ArgumentParser
import NotifyCLI
import NotifyCore

/// The options of notify-enqueue. notify-render takes the same ones, so that notify-enqueue
/// can hand its whole command line over when it needs the template engine.
public struct EnqueueOptions: ParsableArguments {
    @OptionGroup public var spool: SpoolOptions

    @Option(help: ArgumentHelp("The channel: email, sms, push, webhook or inbox.", valueName: "channel"))
    public var channel: String?
    @Option(help: ArgumentHelp("A recipient; repeat for several. Email takes up to 100 per job; other channels get one job per recipient.", valueName: "recipient"))
    public var to: [String] = []
    @Option(help: ArgumentHelp("The subject (email), title (push, inbox).", valueName: "text"))
    public var subject: String?
    @Option(help: ArgumentHelp("The message body.", valueName: "text"))
    public var body: String?
    @Option(name: .customLong("body-file"), help: ArgumentHelp("Read the body from this file (- for stdin).", valueName: "file"))
    public var bodyFile: String?
    @Option(name: .customLong("html-file"), help: ArgumentHelp("An HTML alternative for an email, from this file.", valueName: "file"))
    public var htmlFile: String?
    @Option(help: ArgumentHelp("high, normal (the default) or bulk.", valueName: "priority"))
    public var priority: String?
    @Option(help: ArgumentHelp("Send no earlier than this RFC 3339 time, e.g. 2026-12-01T09:00:00Z.", valueName: "time"))
    public var at: String?
    @Option(name: .customLong("in"), help: ArgumentHelp("Send no earlier than this long from now, e.g. 10m, 2h, 1d.", valueName: "duration"))
    public var delay: String?
    @Option(help: ArgumentHelp("Give up at this RFC 3339 time.", valueName: "time"))
    public var expires: String?
    @Option(help: ArgumentHelp("Give up this long from now.", valueName: "duration"))
    public var ttl: String?
    @Option(name: .customLong("idempotency-key"), help: ArgumentHelp("A second submission with this key, within the idempotency window, returns the first job's ID.", valueName: "key"))
    public var idempotencyKey: String?
    @Option(help: ArgumentHelp("Metadata as key=value; repeat for several.", valueName: "key=value"))
    public var meta: [String] = []

    @Option(help: ArgumentHelp("Render this template (from the template directory). Handled by notify-render.", valueName: "name"))
    public var template: String?
    @Option(help: ArgumentHelp("Template data as a JSON object.", valueName: "json"))
    public var data: String?
    @Option(name: .customLong("data-file"), help: ArgumentHelp("Template data from a JSON file (- for stdin).", valueName: "file"))
    public var dataFile: String?
    @Option(help: ArgumentHelp("A CSV (with a header row) or JSON Lines file: one row per recipient, rendered with --template.", valueName: "file"))
    public var batch: String?
    @Option(help: ArgumentHelp("Jobs as JSON: one object, or JSON Lines (- for stdin).", valueName: "file"))
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
