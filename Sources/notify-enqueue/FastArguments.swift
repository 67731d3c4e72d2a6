import NotifyCLI
import NotifyCore

/// The command line of the one-job case, parsed without ArgumentParser: its reflection
/// costs about 2.5 ms per start in a static binary, more than the whole durable commit,
/// and notify-enqueue runs once per job from shell loops.
///
/// It knows exactly the one-job options of `EnqueueOptions` (a test checks that both
/// parsers make the same jobs). Anything else (help, a mistyped option, templates,
/// batches, JSON input) returns nil, and the command line goes to notify-render, which
/// parses it with ArgumentParser and gives the full usage message.
struct FastArguments {
    var spool: String?
    var config: String?
    var json = false
    var draft = JobDraft()
    var bodyFile: String?
    var htmlFile: String?

    init?(_ arguments: ArraySlice<String>) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            var name = arguments[index]
            var value: String?
            if let equals = name.firstIndex(of: "="), name.hasPrefix("--") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if name == "--json" && value == nil {
                json = true
                index += 1
                continue
            }
            if value == nil {
                index += 1
                guard index < arguments.endIndex else { return nil }
                value = arguments[index]
            }
            guard let value, set(name, value) else { return nil }
            index += 1
        }
    }

    private mutating func set(_ name: String, _ value: String) -> Bool {
        switch name {
        case "--spool": spool = value
        case "--config": config = value
        case "--channel": draft.channel = value
        case "--to": draft.to.append(value)
        case "--subject": draft.subject = value
        case "--body": draft.body = value
        case "--body-file": bodyFile = value
        case "--html-file": htmlFile = value
        case "--priority": draft.priority = value
        case "--at": draft.sendAt = value
        case "--in": draft.delay = value
        case "--expires": draft.expiresAt = value
        case "--ttl": draft.ttl = value
        case "--idempotency-key": draft.idempotencyKey = value
        case "--meta":
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else { return false }
            draft.meta[String(value[..<equals])] = String(value[value.index(after: equals)...])
        default: return false
        }
        return true
    }

    /// The draft, with --body-file and --html-file read.
    func completeDraft() throws -> JobDraft {
        var draft = self.draft
        if draft.body != nil && bodyFile != nil { throw FieldError("body", "give --body or --body-file, not both") }
        if let bodyFile { draft.body = try readInputFile(bodyFile, option: "body-file") }
        if let htmlFile { draft.html = try readInputFile(htmlFile, option: "html-file") }
        return draft
    }
}
