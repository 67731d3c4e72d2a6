#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore
import NotifySpool
import NotifyTemplates

/// POST /v1/notifications and POST /v1/batches.
extension APIService {
    func submitNotification(_ request: APIRequest, _ rights: Rights, respond: @escaping Respond) {
        guard rights.maySubmitAnything else {
            respond(refuse(request, "uid \(request.peer.uid) may not submit notifications (api_access)"))
            return
        }
        var draft: JobDraft
        do {
            draft = try SubmissionInput.draft(body: request.body, headers: request.headers)
        } catch {
            respond(.invalid(error))
            return
        }
        let jobs: [Job]
        do throws(FieldError) {
            jobs = try validate(expand(draft), request)
        } catch {
            respond(.invalid(error))
            return
        }
        if let refusal = channelRefusal(jobs, rights, request) {
            respond(refuse(request, refusal))
            return
        }
        committer.submit(rows: [jobs]) { [self] results in
            switch results[0] {
            case .failure(let error): respond(spoolFailure(error))
            case .success(let submissions): respond(Self.accepted(jobs, submissions))
            }
        }
    }

    /// 201 with the job IDs; 200 when every job was a replay of an earlier one.
    static func accepted(_ jobs: [Job], _ submissions: [Submission], batch: String? = nil) -> APIResponse {
        var writer = JSONWriter(capacity: 96 * jobs.count + 64)
        writer.beginObject()
        writer.string("batch", batch)
        writer.bool("duplicate", submissions.allSatisfy(\.isDuplicate))
        writer.beginArray("ids")
        for submission in submissions { writer.element(submission.id.text) }
        writer.endArray()
        writer.beginArray("channels")
        for job in jobs { writer.element(job.channel.rawValue) }
        writer.endArray()
        writer.endObject()
        return .json(submissions.allSatisfy(\.isDuplicate) ? 200 : 201, writer: writer)
    }

    /// The `Idempotency-Key` header, as if it were the body's `idempotency_key`.
    func applyIdempotencyHeader(_ request: APIRequest, to draft: inout JobDraft) throws(FieldError) {
        try SubmissionInput.applyIdempotencyKey(request.headers["idempotency-key"], to: &draft)
    }

    /// A template job rendered into one draft per channel; a plain job as it is.
    func expand(_ draft: JobDraft) throws(FieldError) -> [JobDraft] {
        guard let name = draft.template, draft.body == nil else {
            if draft.templateData != nil { throw FieldError("data", "only a job that names a template has data") }
            return [draft]
        }
        return try NotificationTemplate(name: name, directory: settings.templateDirectory).expand(draft)
    }

    func validate(_ drafts: [JobDraft], _ request: APIRequest) throws(FieldError) -> [Job] {
        try SubmissionInput.validate(drafts, settings: settings,
                                     submitter: Submitter(uid: request.peer.uid, pid: request.peer.pid, program: "notify-apid"),
                                     now: WallClock.nowMilliseconds())
    }

    func channelRefusal(_ jobs: [Job], _ rights: Rights, _ request: APIRequest) -> String? {
        guard let job = jobs.first(where: { !rights.maySubmit($0.channel) }) else { return nil }
        return "uid \(request.peer.uid) may not submit to channel \(job.channel.rawValue) (api_access)"
    }

    // MARK: batches

    static let batchFields: Set<String> = [
        "template", "channel", "recipients", "jobs", "priority", "send_at", "delay", "expires_at", "ttl",
        "meta", "idempotency_key", "callback_url",
    ]

    func submitBatch(_ request: APIRequest, _ rights: Rights, respond: @escaping Respond) {
        guard rights.maySubmitAnything else {
            respond(refuse(request, "uid \(request.peer.uid) may not submit notifications (api_access)"))
            return
        }
        let plan: BatchPlan
        do {
            plan = try BatchPlan(request: request, service: self)
        } catch {
            respond(.invalid(error))
            return
        }
        if let refusal = channelRefusal(plan.rows.flatMap(\.jobs), rights, request) {
            respond(refuse(request, refusal))
            return
        }
        guard !plan.rows.isEmpty else {
            var response = APIResponse.json(422, BatchRejection(batch: nil, rejected: plan.rejected))
            response.status = 422
            respond(response)
            return
        }
        committer.submit(rows: plan.rows.map(\.jobs)) { [self] results in
            respond(finishBatch(plan, results, request))
        }
    }

    private func finishBatch(_ plan: BatchPlan, _ results: [Result<[Submission], SpoolError>], _ request: APIRequest) -> APIResponse {
        var accepted: [(row: Int, jobs: [Job], submissions: [Submission])] = []
        var failure: SpoolError?
        for (row, result) in zip(plan.rows, results) {
            switch result {
            case .success(let submissions): accepted.append((row.row, row.jobs, submissions))
            case .failure(let error): failure = failure ?? error
            }
        }
        let submissions = accepted.flatMap(\.submissions)
        // A replay: the earlier jobs name the batch they came from.
        var batchID = plan.id
        if let duplicate = submissions.first(where: \.isDuplicate),
           let entry = spool.locate(duplicate.id), let earlier = try? spool.read(entry), let earlierBatch = earlier.batch {
            batchID = earlierBatch
        }
        let replay = !submissions.isEmpty && submissions.allSatisfy(\.isDuplicate)
        if !submissions.isEmpty, let id = try? JobID(validating: batchID), !replay || spool.batch(id) == nil {
            let record = BatchRecord(
                id: batchID, created: Timestamp.format(millisecondsSinceEpoch: WallClock.nowMilliseconds()),
                submitterUID: request.peer.uid, template: plan.template, rows: plan.rowCount,
                jobs: submissions.map(\.id.text), rejected: plan.rejected)
            do { try spool.writeBatch(record) } catch { return spoolFailure(error) }
        }
        if let failure, accepted.isEmpty { return spoolFailure(failure) }
        let body = BatchAccepted(
            batch: batchID, duplicate: replay, rows: plan.rowCount, acceptedRows: accepted.count,
            jobs: submissions.map(\.id.text), rejected: plan.rejected,
            notCommitted: failure.map { _ in plan.rows.count - accepted.count })
        if let failure {
            var response = APIResponse.json(503, body)
            response.headers.append(("Retry-After", "5"))
            logger.error("batch partly committed", metadata: ["BATCH": "\(batchID)", "ERROR": "\(failure)"])
            return response
        }
        return .json(replay ? 200 : 201, body)
    }

    struct BatchAccepted: Encodable {
        var batch: String
        var duplicate: Bool
        var rows: Int
        var acceptedRows: Int
        var jobs: [String]
        var rejected: [BatchRecord.Rejected]
        var notCommitted: Int?

        enum CodingKeys: String, CodingKey {
            case batch, duplicate, rows, acceptedRows = "accepted_rows", jobs, rejected, notCommitted = "not_committed"
        }
    }

    struct BatchRejection: Encodable {
        var error = "invalid"
        var status = 422
        var reason = "no row of the batch is valid"
        var batch: String?
        var rejected: [BatchRecord.Rejected]
    }
}

/// A batch request, parsed and validated row by row: the rows that will be committed and
/// the rows rejected with their field and reason.
struct BatchPlan {
    var id: String
    var template: String?
    var rowCount: Int
    var rows: [(row: Int, jobs: [Job])] = []
    var rejected: [BatchRecord.Rejected] = []

    init(request: APIRequest, service: APIService) throws(FieldError) {
        guard case .object(let fields) = try JSONValue.parse(request.body, field: "body") else {
            throw FieldError("body", "expected a JSON object")
        }
        for key in fields.keys.sorted() where !APIService.batchFields.contains(key) { throw FieldError(key, "unknown field") }
        var generator = JobIDGenerator()
        id = generator.next().text
        // The delivery fields every row shares, read like a job's.
        var common = fields
        common["recipients"] = nil
        common["jobs"] = nil
        common["channel"] = nil
        var shared = try JSONInput.decode(JobDraft.self, from: Self.encode(.object(common)), field: "body")
        try service.applyIdempotencyHeader(request, to: &shared)
        if let channel = fields["channel"] {
            guard case .string(let text) = channel else { throw FieldError("channel", "expected a string, got \(channel.typeName)") }
            shared.channel = text
        }
        template = shared.template
        let inputs: [JSONValue]
        switch (fields["recipients"], fields["jobs"]) {
        case (.array(let rows)?, nil):
            guard shared.template != nil else { throw FieldError("template", "required with recipients") }
            inputs = rows
        case (nil, .array(let rows)?):
            guard shared.template == nil else { throw FieldError("template", "give either recipients with a template, or jobs") }
            inputs = rows
        case (nil, nil): throw FieldError("recipients", "required: an array of data objects (or jobs: an array of jobs)")
        case (.some, .some): throw FieldError("jobs", "give either recipients or jobs, not both")
        default: throw FieldError(fields["recipients"] != nil ? "recipients" : "jobs", "expected an array")
        }
        guard !inputs.isEmpty else { throw FieldError(fields["recipients"] != nil ? "recipients" : "jobs", "is empty") }
        guard inputs.count <= service.settings.api.batchRowLimit else {
            throw FieldError(fields["recipients"] != nil ? "recipients" : "jobs",
                             "\(inputs.count) rows; the limit is \(service.settings.api.batchRowLimit) (api_batch_row_limit)")
        }
        rowCount = inputs.count
        let loaded: NotificationTemplate? = try shared.template.map { name throws(FieldError) in
            try NotificationTemplate(name: name, directory: service.settings.templateDirectory)
        }
        for (index, input) in inputs.enumerated() {
            let row = index + 1
            do throws(FieldError) {
                var draft: JobDraft
                if let loaded {
                    draft = shared
                    draft.templateData = input
                    draft.idempotencyKey = shared.idempotencyKey.map { "\($0)#\(row)" }
                    draft.batch = id
                    let drafts = try loaded.expand(draft)
                    rows.append((row, try service.validate(drafts, request)))
                } else {
                    draft = try JSONInput.decode(JobDraft.self, from: Self.encode(input), field: "jobs[\(index)]")
                    if draft.template != nil { throw FieldError("template", "a job in a batch cannot name a template; use recipients") }
                    draft.batch = id
                    draft.priority = draft.priority ?? shared.priority
                    draft.meta.merge(shared.meta) { own, _ in own }
                    draft.callbackURL = draft.callbackURL ?? shared.callbackURL
                    if draft.idempotencyKey == nil { draft.idempotencyKey = shared.idempotencyKey.map { "\($0)#\(row)" } }
                    rows.append((row, try service.validate([draft], request)))
                }
            } catch {
                rejected.append(BatchRecord.Rejected(row: row, field: error.field, reason: error.reason))
            }
        }
    }

    static func encode(_ value: JSONValue) -> [UInt8] {
        (try? JSONEncoder().encode(value)).map { [UInt8]($0) } ?? []
    }
}
