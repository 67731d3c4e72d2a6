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
        let name = options.template!
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
        try BatchRows.read(path: batch) { row, data in
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
        var values: [(Int, Result<JSONValue, FieldError>)] = []
        // One JSON text (an object, or an array of objects), else JSON Lines.
        let whole = Result { () throws(FieldError) in try JSONValue.parse(Array(text.utf8), field: "jobs") }
        switch whole {
        case .success(.array(let items)): values = items.enumerated().map { ($0 + 1, .success($1)) }
        case .success(let single): values = [(1, .success(single))]
        case .failure:
            BatchRows.jsonLines(text) { values.append(($0, $1)) }
            // A single malformed line is reported as the input, not as row 1 of many.
            if values.count == 1, case .failure = values[0].1 { values = [(1, whole)] }
        }
        for (row, value) in values {
            do {
                pipeline.add(row: row, drafts: try drafts(fromJSON: value.get()))
            } catch let error as FieldError {
                pipeline.reject(row: row, error)
            }
        }
        return values.count
    }

    /// A JSON job: a plain job, or `{"template": NAME, "data": {...}, ...}`.
    private mutating func drafts(fromJSON value: JSONValue) throws -> [JobDraft] {
        let draft = try JobDraft(json: value)
        guard let name = draft.template else { return try applyFlags([draft], data: nil, batchID: nil) }
        guard case .object(let object) = value else { return [] }
        let channels = try draft.channel.map { text throws(FieldError) in Set([try Channel.parse(text)]) }
        var rendered = try loadTemplate(name).render(object["data"] ?? .object([:]), channels: channels)
        for index in rendered.indices {
            rendered[index].priority = draft.priority ?? rendered[index].priority
            rendered[index].sendAt = draft.sendAt
            rendered[index].delay = draft.delay
            rendered[index].expiresAt = draft.expiresAt
            rendered[index].ttl = draft.ttl ?? rendered[index].ttl
            rendered[index].meta = draft.meta
            rendered[index].idempotencyKey = draft.idempotencyKey.map { rendered.count > 1 ? "\($0)#\(rendered[index].channel!)" : $0 }
        }
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
