#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import NotifySpool

/// Validates rows of drafts, commits them in groups (one syncfs per group), prints each
/// job's ID and, for batches, a summary. A row is all-or-nothing: either every job of the
/// row is queued, or none is and the row is reported with its reason.
public final class SubmissionPipeline {
    public enum Output: Sendable { case text, json }

    private let spool: Spool
    private let context: JobDraft.Context
    private let output: Output
    private let groupSize: Int
    private let window: Duration
    private var ids = JobIDGenerator()
    private var pending: [(row: Int, jobs: [Job])] = []
    private var progress: ProgressMeter?

    public private(set) var acceptedJobs = 0
    public private(set) var duplicateJobs = 0
    public private(set) var acceptedRows = 0
    public private(set) var rejected: [(row: Int, reason: String)] = []
    /// The spool failure that stopped the run, if any (disk full, permissions…).
    public private(set) var stoppedBy: SpoolError?
    public private(set) var notAttempted = 0

    public init(spool: Spool, context: JobDraft.Context, output: Output, showProgress: Bool) {
        self.spool = spool
        self.context = context
        self.output = output
        self.groupSize = context.settings.batchGroupSize
        self.window = context.settings.idempotencyWindow
        self.progress = showProgress && isatty(STDERR_FILENO) == 1 ? ProgressMeter() : nil
    }

    /// Adds a row. Validation failures reject the row at once; valid rows are committed when
    /// the group is full or at `finish()`.
    public func add(row: Int, drafts: [JobDraft]) {
        guard stoppedBy == nil else { notAttempted += 1; return }
        var jobs: [Job] = []
        do {
            for draft in drafts { jobs += try draft.validate(context, ids: &ids) }
        } catch {
            reject(row: row, error)
            return
        }
        pending.append((row, jobs))
        if pending.reduce(0, { $0 + $1.jobs.count }) >= groupSize { flush() }
    }

    public func reject(row: Int, _ error: FieldError) {
        rejected.append((row, error.description))
        if output == .json {
            emit(#"{"row":\#(row),"error":{"field":\#(jsonString(error.field)),"reason":\#(jsonString(error.reason))}}"#)
        }
        progress?.update(rows: acceptedRows + rejected.count)
    }

    public func flush() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        let results = spool.submit(rows: batch.map(\.jobs), idempotencyWindow: window)
        for (entry, result) in zip(batch, results) {
            switch result {
            case .success(let submissions):
                acceptedRows += 1
                for (job, submission) in zip(entry.jobs, submissions) {
                    if submission.isDuplicate { duplicateJobs += 1 } else { acceptedJobs += 1 }
                    report(row: entry.row, job: job, submission: submission)
                }
            case .failure(let error):
                if stoppedBy == nil { stoppedBy = error }
                rejected.append((entry.row, error.description))
            }
        }
        flushOutput()
        progress?.update(rows: acceptedRows + rejected.count)
    }

    /// Commits what is pending and returns the exit code: 75 if the spool failed in a way
    /// worth retrying, the spool error's code for other spool failures, 65 if any row was
    /// rejected, else 0.
    public func finish() -> ExitCode {
        flush()
        flushOutput()
        progress?.finish()
        if let stoppedBy { return stoppedBy.exitCode }
        return rejected.isEmpty ? .ok : .dataError
    }

    /// The closing summary of a batch, for stderr.
    public func summary(program: String, rowLimit: Int = 20) -> [String] {
        var lines = ["\(program): accepted \(acceptedRows) rows as \(acceptedJobs) jobs"
            + (duplicateJobs > 0 ? " (\(duplicateJobs) more were duplicates of earlier jobs)" : "")
            + "; rejected \(rejected.count) rows"
            + (notAttempted > 0 ? "; \(notAttempted) rows not attempted" : "")]
        for entry in rejected.prefix(rowLimit) { lines.append("\(program): row \(entry.row): \(entry.reason)") }
        if rejected.count > rowLimit { lines.append("\(program): … and \(rejected.count - rowLimit) more rejected rows") }
        if let stoppedBy { lines.append("\(program): stopped: \(stoppedBy.description)") }
        return lines
    }

    private func report(row: Int, job: Job, submission: Submission) {
        switch output {
        case .text: emit(submission.id.text)
        case .json:
            let to = job.to.map(jsonString).joined(separator: ",")
            emit(#"{"row":\#(row),"id":"\#(submission.id)","channel":"\#(job.channel.rawValue)","to":[\#(to)],"duplicate":\#(submission.isDuplicate)}"#)
        }
    }

    /// Output is written once per commit group, not once per job.
    private var outputBuffer = ""

    private func emit(_ line: String) {
        outputBuffer += line
        outputBuffer += "\n"
    }

    private func flushOutput() {
        guard !outputBuffer.isEmpty else { return }
        writeAll(STDOUT_FILENO, outputBuffer)
        outputBuffer = ""
    }
}

/// A JSON string literal.
public func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
