import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool
import NotifyTemplates

/// Turns the command line into rows of drafts for the pipeline: a template with data,
/// a batch file, or JSON jobs. Flags that describe delivery (priority, times, meta)
/// apply to every draft.
struct RowSource {
    let options: EnqueueOptions
    let settings: Settings
    private var templates: [String: NotificationTemplate] = [:]

    init(options: EnqueueOptions, settings: Settings) throws {
        self.options = options
        self.settings = settings
        if options.template != nil {
            for (flag, value) in [("--to", options.to.first), ("--body", options.body), ("--body-file", options.bodyFile),
                                  ("--subject", options.subject), ("--html-file", options.htmlFile)] where value != nil {
                throw CommandFailure("\(flag) cannot be combined with --template: the template gives it", code: .usage)
            }
        } else if options.batch != nil || options.data != nil || options.dataFile != nil {
            throw CommandFailure("--batch, --data and --data-file need --template", code: .usage)
        }
        if options.jobs != nil && options.template != nil {
            throw CommandFailure("--jobs cannot be combined with --template; name the template in each job", code: .usage)
        }
    }

    /// Feeds every row to the pipeline; returns the number of rows.
    mutating func produce(into pipeline: SubmissionPipeline) throws -> Int {
        if let jobs = options.jobs { return try produceJobs(from: jobs, into: pipeline) }
        guard let name = options.template else {
            // The one-job case, which notify-enqueue normally handles itself.
            pipeline.add(row: 1, drafts: [try options.draft { path, option in try readInputFile(path, option: option) }])
            return 1
        }
        let channels = try options.channel.map { text throws(FieldError) in Set([try Channel.parse(text)]) }
        let template = try loadTemplate(name)
        guard let batch = options.batch else {
            if options.data != nil && options.dataFile != nil { throw FieldError("data", "give --data or --data-file, not both") }
            let text = try options.data ?? options.dataFile.map { try readInputFile($0, option: "data-file") } ?? "{}"
            let data = try JSONValue.parse(Array(text.utf8), field: "data")
            pipeline.add(row: 1, drafts: try applyFlags(template.render(data, channels: channels), data: data, batchID: nil))
            return 1
        }
        var batchIDs = JobIDGenerator()
        let batchID = batchIDs.next().text
        var rows = 0
        var failure: (any Error)?
        try BatchRows.read(path: batch, expect: pipeline.expect(rows:)) { row, data in
            rows = row
            do {
                let data = try data.get()
                pipeline.add(row: row, drafts: try applyFlags(template.render(data, channels: channels), data: data, batchID: batchID))
            } catch let error as FieldError {
                pipeline.reject(row: row, error)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return max(rows, 2)  // a batch always gets its summary, even of one row
    }

    private mutating func produceJobs(from path: String, into pipeline: SubmissionPipeline) throws -> Int {
        let text = try readInputFile(path, option: "jobs")
        var rows: [(Int, Result<JobDraft, FieldError>)] = []
        // An array of objects, one object (perhaps over several lines), else JSON Lines.
        let first = text.utf8.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "[") {
            let array = try JSONInput.decode([DecodedRow<JobDraft>].self, from: Array(text.utf8), field: "jobs")
            rows = array.enumerated().map { ($0 + 1, $1.result) }
        } else {
            // One object (perhaps over several lines) parses as a whole; JSON Lines do not
            // (the parser stops at the second object), and are then read line by line.
            switch Result(catching: { () throws(FieldError) in try JSONInput.decode(JobDraft.self, from: Array(text.utf8), field: "jobs") }) {
            case .success(let draft): rows = [(1, .success(draft))]
            case .failure(let error) where error.field != "jobs": rows = [(1, .failure(error))]
            case .failure(let wholeError):
                BatchRows.jsonLines(text) { row, line in
                    rows.append((row, Result { () throws(FieldError) in try JSONInput.decode(JobDraft.self, from: line, field: "json") }))
                }
                if rows.count <= 1 { rows = [(1, .failure(wholeError))] }
            }
        }
        pipeline.expect(rows: rows.count)
        for (row, draft) in rows {
            do {
                pipeline.add(row: row, drafts: try drafts(from: draft.get()))
            } catch let error as FieldError {
                pipeline.reject(row: row, error)
            }
        }
        return rows.count
    }

    /// A JSON job: a plain job, or `{"template": NAME, "data": {...}, ...}`.
    private mutating func drafts(from draft: JobDraft) throws -> [JobDraft] {
        guard let name = draft.template else { return try applyFlags([draft], data: nil, batchID: nil) }
        let rendered = try loadTemplate(name).expand(draft)
        return try applyFlags(rendered, data: nil, batchID: nil)
    }

    private mutating func loadTemplate(_ name: String) throws(FieldError) -> NotificationTemplate {
        if let template = templates[name] { return template }
        let template = try NotificationTemplate(name: name, directory: settings.templateDirectory)
        templates[name] = template
        return template
    }

    /// Applies the command line's delivery flags. In template modes the idempotency key is
    /// itself a template over the row's data, and gets `#channel` when a row fans out.
    private func applyFlags(_ drafts: [JobDraft], data: JSONValue?, batchID: String?) throws -> [JobDraft] {
        let key = try options.idempotencyKey.map { key throws -> String in
            guard let data else { return key }
            return try NotificationTemplate.renderText(key, data: data, field: "idempotency-key")
        }
        let meta = try options.parsedMeta()
        return drafts.map { original in
            var draft = original
            draft.priority = options.priority ?? draft.priority
            draft.sendAt = options.at ?? draft.sendAt
            draft.delay = options.delay ?? draft.delay
            draft.expiresAt = options.expires ?? draft.expiresAt
            if options.ttl != nil || options.expires != nil { draft.ttl = options.ttl }
            if let key { draft.idempotencyKey = drafts.count > 1 ? "\(key)#\(draft.channel!)" : key }
            draft.meta.merge(meta) { _, flag in flag }
            draft.batch = batchID ?? draft.batch
            return draft
        }
    }
}
