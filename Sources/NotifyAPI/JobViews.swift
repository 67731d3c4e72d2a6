import NotifyCore
import NotifySpool

/// A job as the API shows it (GET /v1/jobs/{id} and the list).
struct JobView: Encodable {
    struct Attempt: Encodable {
        var at: String
        var attempt: Int?
        var provider: String?
        var result: String?
        var code: String?
        var reason: String?
    }

    struct SubmitterView: Encodable {
        var uid: UInt32
        var pid: Int32
        var program: String
    }

    var id: String
    var state: String
    var finalState: String?
    var channel: String
    var to: [String]
    var subject: String?
    var priority: String
    var created: String
    var nextAttempt: String?
    var expires: String?
    var batch: String?
    var idempotencyKey: String?
    var callbackURL: String?
    var meta: [String: String]
    var submitter: SubmitterView
    var attemptCount: Int
    var attempts: [Attempt]?

    enum CodingKeys: String, CodingKey {
        case id, state, finalState = "final_state", channel, to, subject, priority, created
        case nextAttempt = "next_attempt", expires, batch, idempotencyKey = "idempotency_key"
        case callbackURL = "callback_url", meta, submitter, attemptCount = "attempt_count", attempts
    }

    init(job: Job, entry: SpoolEntry, history: JobHistory, detailed: Bool) {
        id = job.id.text
        state = entry.state.rawValue
        finalState = entry.state == .done || entry.state == .dead ? history.outcome ?? (entry.state == .dead ? "failed" : nil) : nil
        channel = job.channel.rawValue
        to = job.to
        subject = job.subject
        priority = job.priority.rawValue
        created = Timestamp.format(millisecondsSinceEpoch: job.created)
        nextAttempt = entry.nextAttempt(of: job).map { Timestamp.format(millisecondsSinceEpoch: $0) }
        expires = job.expires.map { Timestamp.format(millisecondsSinceEpoch: $0) }
        batch = job.batch
        idempotencyKey = job.idempotencyKey
        callbackURL = job.meta[JobDraft.callbackMetaKey]
        meta = job.meta.filter { $0.key != JobDraft.callbackMetaKey }
        submitter = SubmitterView(uid: job.submitter.uid, pid: job.submitter.pid, program: job.submitter.program)
        attemptCount = history.attempts
        attempts = detailed ? history.events.filter { $0.event == .attempt }.map {
            Attempt(at: Timestamp.format(millisecondsSinceEpoch: $0.at), attempt: $0.attempt, provider: $0.provider,
                    result: $0.result, code: $0.code, reason: $0.reason)
        } : nil
    }
}

/// GET, DELETE /v1/jobs/{id}, POST /v1/jobs/{id}/retry, GET /v1/jobs.
extension APIService {
    /// The job named in the URL, if the peer may see it.
    func authorizedJob(_ request: APIRequest, _ rights: Rights) -> Result<(Job, SpoolEntry), APIResponse> {
        guard rights.admin || rights.readOwn else {
            return .failure(refuse(request, "uid \(request.peer.uid) may not read jobs (api_access)"))
        }
        let id: JobID
        do { id = try JobID(validating: request.parameters["id"] ?? "") } catch { return .failure(.invalid(error)) }
        guard let entry = spool.locate(id) else { return .failure(.notFound("\(id): no such job")) }
        let job: Job
        do { job = try spool.read(entry) } catch {
            if case .notFound = error { return .failure(.notFound("\(id): no such job")) }
            return .failure(.error(500, "spool_error", error.description))
        }
        guard rights.admin || job.submitter.uid == request.peer.uid else {
            return .failure(refuse(request, "job \(id) was submitted by another uid; uid \(request.peer.uid) may read only its own jobs"))
        }
        return .success((job, entry))
    }

    func showJob(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        switch authorizedJob(request, rights) {
        case .failure(let response): return response
        case .success(let (job, entry)):
            return .json(200, JobView(job: job, entry: entry, history: spool.history(of: job.id), detailed: true))
        }
    }

    /// DELETE (cancel, `action` .cancel) or retry (`action` nil: requeue a dead letter,
    /// flush a deferred job).
    func act(_ action: OperatorAction?, _ request: APIRequest, _ rights: Rights) -> APIResponse {
        let (job, entry): (Job, SpoolEntry)
        switch authorizedJob(request, rights) {
        case .failure(let response): return response
        case .success(let found): (job, entry) = found
        }
        let chosen = action ?? (entry.state == .dead ? .requeue : .flush)
        let outcome: OperatorOutcome
        do {
            outcome = try spool.apply(chosen, to: job.id)
            try spool.syncState()
        } catch { return spoolFailure(error) }
        let verb = action == nil ? "retried" : "cancelled"
        switch outcome {
        case .done(let from):
            if chosen.target == .incoming { spool.wakeQueueManager() }
            logger.info("job action through the API", metadata: ["JOB_ID": "\(job.id)", "ACTION": "\(verb)", "PEER_UID": "\(request.peer.uid)"])
            return .json(200, ActionResult(id: job.id.text, action: action == nil ? "retry" : "cancel", from: from.rawValue,
                                           state: (chosen.target ?? .done).rawValue))
        case .notFound: return .notFound("\(job.id): no such job")
        case .busy:
            return .error(409, "busy", "\(job.id) is being delivered; try again later", headers: [("Retry-After", "1")])
        case .notApplicable(let state):
            let allowed = action == nil ? "dead or deferred" : "pending (incoming, deferred or hold)"
            return .error(409, "conflict", "\(job.id) is \(state.rawValue); only \(allowed) jobs can be \(verb)")
        }
    }

    struct ActionResult: Encodable {
        var id: String
        var action: String
        var from: String
        var state: String
    }

    struct JobPage: Encodable {
        var jobs: [JobView]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey { case jobs, nextCursor = "next_cursor" }
    }

    /// The jobs in the given states, in ID (creation) order after `cursor`. Reads the state
    /// directories (no job files) and then only the jobs it returns or filters.
    func listJobs(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        guard rights.admin || rights.readOwn else { return refuse(request, "uid \(request.peer.uid) may not read jobs (api_access)") }
        var states = JobState.allCases
        if let text = request.query["state"], !text.isEmpty {
            states = []
            for name in text.split(separator: ",") {
                if name == "queued" { states += JobState.queued; continue }
                guard let state = JobState(rawValue: String(name)) else {
                    return .invalid(FieldError("state", "unknown state \"\(name)\" (incoming, active, deferred, hold, dead, done, queued)"))
                }
                states.append(state)
            }
        }
        var channel: Channel?
        if let text = request.query["channel"], !text.isEmpty {
            do { channel = try Channel.parse(text) } catch { return .invalid(error) }
        }
        var limit = 100
        if let text = request.query["limit"] {
            guard let number = Int(text), (1...1000).contains(number) else {
                return .invalid(FieldError("limit", "expected a whole number from 1 to 1000"))
            }
            limit = number
        }
        var cursor: JobID?
        if let text = request.query["cursor"], !text.isEmpty {
            do { cursor = try JobID(validating: text, field: "cursor") } catch { return .invalid(error) }
        }
        var entries: [SpoolEntry] = []
        do {
            try spool.scan(Array(Set(states))) { entry in
                if cursor.map({ entry.id > $0 }) ?? true { entries.append(entry) }
            }
        } catch { return spoolFailure(error) }
        entries.sort { $0.id < $1.id }
        var page: [JobView] = []
        var last: JobID?
        var more = false
        for entry in entries {
            guard let job = try? spool.read(entry) else { continue }
            if let channel, job.channel != channel { continue }
            if !rights.admin && job.submitter.uid != request.peer.uid { continue }
            if page.count == limit {
                more = true
                break
            }
            page.append(JobView(job: job, entry: entry, history: spool.history(of: job.id), detailed: false))
            last = job.id
        }
        return .json(200, JobPage(jobs: page, nextCursor: more ? last?.text : nil))
    }

    // MARK: batches

    struct BatchProgress: Encodable {
        var id: String
        var created: String
        var template: String?
        var rows: Int
        var jobs: Int
        var rejected: [BatchRecord.Rejected]
        var states: [String: Int]
        var outcomes: [String: Int]
        var pending: Int
        var complete: Bool
    }

    /// Progress from the batch record: one `locate` (a stat per state) per job, and the
    /// history only of final jobs. Never a directory scan.
    func showBatch(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        guard rights.admin || rights.readOwn else { return refuse(request, "uid \(request.peer.uid) may not read batches (api_access)") }
        let id: JobID
        do { id = try JobID(validating: request.parameters["id"] ?? "", field: "id") } catch { return .invalid(error) }
        guard let record = spool.batch(id) else { return .notFound("\(id): no such batch") }
        guard rights.admin || record.submitterUID == request.peer.uid else {
            return refuse(request, "batch \(id) was submitted by another uid; uid \(request.peer.uid) may read only its own batches")
        }
        var states: [String: Int] = [:]
        var outcomes: [String: Int] = [:]
        var pending = 0
        for text in record.jobs {
            guard let job = try? JobID(validating: text), let entry = spool.locate(job) else {
                states["unknown", default: 0] += 1
                continue
            }
            states[entry.state.rawValue, default: 0] += 1
            switch entry.state {
            case .done, .dead:
                let outcome = spool.history(of: job).outcome ?? (entry.state == .dead ? "failed" : "done")
                outcomes[outcome, default: 0] += 1
            default: pending += 1
            }
        }
        return .json(200, BatchProgress(
            id: record.id, created: record.created, template: record.template, rows: record.rows, jobs: record.jobs.count,
            rejected: record.rejected, states: states, outcomes: outcomes, pending: pending, complete: pending == 0))
    }
}
