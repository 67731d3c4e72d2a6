import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import NotifySpool
import Synchronization

/// Validates rows of drafts, commits them in groups (one syncfs per group), prints each
/// job's ID and, for batches, a summary. A row is all-or-nothing: either every job of the
/// row is queued, or none is and the row is reported with its reason.
///
/// In a batch, a full group is committed on a serial queue while the caller's thread
/// parses and validates the next one, so the commit's system calls (on one core) overlap
/// the parsing (on the other). At most two groups are in flight. A lone job (the
/// notify-enqueue case) is committed synchronously at `finish()`.
///
/// Thread use: `add`, `reject`, `flush` and `finish` are called from one thread; the
/// commit queue touches only `report`, which is behind a mutex.
public final class SubmissionPipeline: @unchecked Sendable {
    public enum Output: Sendable { case text, json }

    private let spool: Spool
    private let context: JobDraft.Context
    private let output: Output
    private let groupSize: Int
    private let window: Duration
    private var ids = JobIDGenerator()
    private var pending: [(row: Int, jobs: [Job])] = []
    private var pendingJobs = 0
    private var progress: ProgressMeter?
    private let commitQueue = DispatchQueue(label: "notifyd.submission.commit")
    private let groupsInFlight = DispatchSemaphore(value: 2)
    private var committedAsynchronously = false
    private let report = Mutex(Report())

    /// What happened to the rows so far.
    public struct Report: Sendable {
        public var acceptedJobs = 0
        public var duplicateJobs = 0
        public var acceptedRows = 0
        public var rejected: [(row: Int, reason: String)] = []
        /// The spool failure that stopped the run, if any (disk full, permissions…).
        public var stoppedBy: SpoolError?
        public var notAttempted = 0
        var output = ""

        public var rowsDone: Int { acceptedRows + rejected.count }
    }

    public init(spool: Spool, context: JobDraft.Context, output: Output, showProgress: Bool) {
        self.spool = spool
        self.context = context
        self.output = output
        self.groupSize = context.settings.batchGroupSize
        self.window = context.settings.idempotencyWindow
        self.progress = showProgress && isatty(STDERR_FILENO) == 1 ? ProgressMeter(total: nil) : nil
    }

    /// The number of rows expected, once known, so the progress line can show a bar.
    public func expect(rows: Int) { progress?.total = rows }

    /// A copy of the report. Call after `finish()` for final figures.
    public var result: Report { report.withLock { $0 } }

    /// Adds a row. Validation failures reject the row at once; valid rows are committed when
    /// the group is full or at `finish()`.
    public func add(row: Int, drafts: [JobDraft]) {
        if report.withLock({ report in
            if report.stoppedBy != nil { report.notAttempted += 1 }
            return report.stoppedBy != nil
        }) { return }
        var jobs: [Job] = []
        do {
            for draft in drafts { jobs += try draft.validate(context, ids: &ids) }
        } catch {
            reject(row: row, error)
            return
        }
        pending.append((row, jobs))
        pendingJobs += jobs.count
        if pendingJobs >= groupSize {
            commitPending(asynchronously: true)
            progress?.update(rows: result.rowsDone)
        }
    }

    public func reject(row: Int, _ error: FieldError) {
        var line: String?
        if output == .json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.number("row", Int64(row))
            writer.object("error")
            writer.string("field", error.field)
            writer.string("reason", error.reason)
            writer.endObject()
            writer.endObject()
            line = writer.text
        }
        let done = report.withLock { report in
            report.rejected.append((row, error.description))
            if let line { report.output += line + "\n" }
            return report.rowsDone
        }
        progress?.update(rows: done)
    }

    /// Commits what is pending and returns the exit code: 75 if the spool failed in a way
    /// worth retrying, the spool error's code for other spool failures, 65 if any row was
    /// rejected, else 0.
    public func finish() -> ExitCode {
        commitPending(asynchronously: false)
        if committedAsynchronously { commitQueue.sync {} }
        writeOutput()
        progress?.finish()
        return report.withLock { report in
            report.rejected.sort { $0.row < $1.row }
            if let stoppedBy = report.stoppedBy { return stoppedBy.exitCode }
            return report.rejected.isEmpty ? .ok : .dataError
        }
    }

    /// The closing summary of a batch, for stderr.
    public func summary(program: String, rowLimit: Int = 20) -> [String] {
        let report = result
        var lines = ["\(program): accepted \(report.acceptedRows) rows as \(report.acceptedJobs) jobs"
            + (report.duplicateJobs > 0 ? " (\(report.duplicateJobs) more were duplicates of earlier jobs)" : "")
            + "; rejected \(report.rejected.count) rows"
            + (report.notAttempted > 0 ? "; \(report.notAttempted) rows not attempted" : "")]
        for entry in report.rejected.prefix(rowLimit) { lines.append("\(program): row \(entry.row): \(entry.reason)") }
        if report.rejected.count > rowLimit {
            lines.append("\(program): … and \(report.rejected.count - rowLimit) more rejected rows")
        }
        if let stoppedBy = report.stoppedBy { lines.append("\(program): stopped: \(stoppedBy.description)") }
        return lines
    }

    private func commitPending(asynchronously: Bool) {
        guard !pending.isEmpty else { return }
        let group = pending
        pending = []
        pendingJobs = 0
        if asynchronously || committedAsynchronously {
            // Keep groups in order behind any that are still committing.
            committedAsynchronously = true
            groupsInFlight.wait()
            commitQueue.async { [self] in
                commit(group)
                groupsInFlight.signal()
            }
        } else {
            commit(group)
        }
    }

    private func commit(_ group: [(row: Int, jobs: [Job])]) {
        // After a spool failure (say, the disk is full) the run stops: groups that were
        // already waiting are not attempted.
        let stopped = report.withLock { report in
            if report.stoppedBy != nil { report.notAttempted += group.count }
            return report.stoppedBy != nil
        }
        if stopped { return }
        let results = spool.submit(rows: group.map(\.jobs), idempotencyWindow: window)
        var lines = ""
        report.withLock { report in
            for (entry, result) in zip(group, results) {
                switch result {
                case .success(let submissions):
                    report.acceptedRows += 1
                    for (job, submission) in zip(entry.jobs, submissions) {
                        if submission.isDuplicate { report.duplicateJobs += 1 } else { report.acceptedJobs += 1 }
                        lines += line(row: entry.row, job: job, submission: submission)
                    }
                case .failure(let error):
                    if report.stoppedBy == nil { report.stoppedBy = error }
                    report.rejected.append((entry.row, error.description))
                }
            }
            report.output += lines
        }
        writeOutput()
    }

    private func line(row: Int, job: Job, submission: Submission) -> String {
        switch output {
        case .text: return submission.id.text + "\n"
        case .json:
            var writer = JSONWriter()
            writer.beginObject()
            writer.number("row", Int64(row))
            writer.string("id", submission.id.text)
            writer.string("channel", job.channel.rawValue)
            writer.beginArray("to")
            for recipient in job.to { writer.element(recipient) }
            writer.endArray()
            writer.bool("duplicate", submission.isDuplicate)
            writer.endObject()
            return writer.text + "\n"
        }
    }

    /// Output is written once per commit group, not once per job.
    private func writeOutput() {
        let text = report.withLock { report in
            defer { report.output = "" }
            return report.output
        }
        if !text.isEmpty { writeAll(STDOUT_FILENO, text) }
    }
}
