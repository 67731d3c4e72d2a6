import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one job.")

    @OptionGroup var spool: SpoolOptions
    @Flag(help: "JSON output (the fields of list --json, plus body, html and meta).")
    var json = false
    @Argument(help: "The job ID.")
    var id: String

    func run() throws {
        try reportingFailures(program: "notifyctl show") {
            let settings = try spool.settings()
            let id = try JobID(validating: id)
            let store = try Spool.open(settings.spoolDirectory)
            guard let entry = store.locate(id) else {
                // Past history_retention only the daily archive knows the job.
                guard let archived = store.archivedHistory(of: id) else { throw SpoolReadError.notFound(id) }
                printArchived(id, archived)
                return
            }
            let job = try store.read(entry)
            let listing = JobListing(job: job, entry: entry, history: store.history(of: entry.id))
            if json {
                print(JobDetail(listing: listing, job: job).jsonLine())
                return
            }
            print("id:          \(listing.id)")
            print("state:       \(listing.state)  (\(store.root)/\(entry.relativePath))")
            print("channel:     \(listing.channel)")
            print("to:          \(listing.to.joined(separator: ", "))")
            print("priority:    \(listing.priority)")
            print("created:     \(listing.created)")
            print("attempts:    \(listing.attempts)" + (listing.outcome.map { "  (\($0))" } ?? ""))
            if let next = listing.nextAttempt { print("next:        \(next)") }
            if let expires = listing.expires { print("expires:     \(expires)") }
            if let key = listing.idempotencyKey { print("idempotency: \(key)") }
            if let batch = listing.batch { print("batch:       \(batch)") }
            if let template = job.template { print("template:    \(template)") }
            print("submitter:   uid \(listing.submitterUID) (\(listing.submitterProgram), pid \(job.submitter.pid))")
            for (key, value) in job.meta.sorted(by: { $0.key < $1.key }) { print("meta:        \(key)=\(value)") }
            if let subject = job.subject { print("subject:     \(subject)") }
            printHistory(store.history(of: id))
            print("")
            print(job.body)
            if let html = job.html { print("\n--- html ---\n\(html)") }
        }
    }
}

/// `show --json`: the listing plus the content.
extension ShowCommand {
    func printHistory(_ history: JobHistory) {
        for event in history.events {
            var line = "history:     \(Timestamp.format(millisecondsSinceEpoch: event.at)) \(event.event.rawValue)"
            if let attempt = event.attempt { line += " \(attempt)" }
            if let result = event.result { line += " \(result)" }
            if let code = event.code { line += " [\(code)]" }
            if let reason = event.reason, !reason.isEmpty { line += ": \(reason)" }
            if let next = event.next { line += " (next \(Timestamp.format(millisecondsSinceEpoch: next)))" }
            print(line)
        }
    }

    /// A job the retention sweep removed: what its daily archive kept (no recipient, body
    /// or metadata: those went with the job file).
    func printArchived(_ id: JobID, _ archived: ArchivedHistory) {
        let archive = "history/\(archived.day).jsonl"
        if json {
            print(encodeJSONLine(ArchivedDetail(id: id.text, created: Timestamp.format(millisecondsSinceEpoch: id.milliseconds),
                                                archive: archive, attempts: archived.history.attempts,
                                                outcome: archived.history.outcome, history: archived.history.events)))
            return
        }
        print("id:          \(id)")
        print("state:       archived  (\(archive): the job file is gone after history_retention)")
        print("created:     \(Timestamp.format(millisecondsSinceEpoch: id.milliseconds))")
        print("attempts:    \(archived.history.attempts)" + (archived.history.outcome.map { "  (\($0))" } ?? ""))
        printHistory(archived.history)
    }
}

/// `notifyctl show --json` of an archived job.
struct ArchivedDetail: Encodable {
    var id: String
    var state = "archived"
    var created: String
    var archive: String
    var attempts: Int
    var outcome: String?
    var history: [HistoryEvent]
}

struct JobDetail: Encodable {
    var listing: JobListing
    var body: String
    var html: String?
    var meta: [String: String]
    var template: String?

    init(listing: JobListing, job: Job) {
        self.listing = listing
        body = job.body
        html = job.html
        meta = job.meta
        template = job.template
    }

    enum CodingKeys: String, CodingKey { case body, html, meta, template }

    func encode(to encoder: any Encoder) throws {
        try listing.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(body, forKey: .body)
        try container.encodeIfPresent(html, forKey: .html)
        try container.encode(meta, forKey: .meta)
        try container.encodeIfPresent(template, forKey: .template)
    }

    func jsonLine() -> String { encodeJSONLine(self) }
}
