#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// The commit protocol (spool-layout.md, "Commit protocol"):
///
///  1. create `tmp/ID` with O_EXCL, write the whole job;
///  2. make the data durable: fsync the file (one job) or syncfs the spool's filesystem
///     once for a group;
///  3. with an idempotency key: hard-link `tmp/ID` to `idem/B/KEY` (EEXIST means a
///     duplicate), then fsync each touched bucket directory;
///  4. rename `tmp/ID` to `incoming/ID`;
///  5. fsync `incoming/` once for the group.
///
/// Only then is a job reported accepted. A job that fails at any step is removed from
/// `tmp/` (and `idem/`) before its failure is reported, so nothing half-written is visible.
extension Spool {
    /// Commits one job durably and wakes the queue manager.
    public func submit(_ job: Job, idempotencyWindow: Duration) throws(SpoolError) -> Submission {
        try commit([[job]], idempotencyWindow: idempotencyWindow, groupSync: false)[0].get()[0]
    }

    /// Commits rows of jobs with one round of syncs for all of them. A row (say, the SMS and
    /// the email of one batch line) is all-or-nothing: if any of its jobs fails, none of them
    /// is queued. Results are in input order, one per row, with one submission per job.
    public func submit(rows: [[Job]], idempotencyWindow: Duration) -> [Result<[Submission], SpoolError>] {
        commit(rows, idempotencyWindow: idempotencyWindow, groupSync: rows.count > 1 || (rows.first?.count ?? 0) > 1)
    }

    private func commit(_ rows: [[Job]], idempotencyWindow: Duration, groupSync: Bool) -> [Result<[Submission], SpoolError>] {
        var state = rows.map { RowCommit(jobs: $0) }
        var live: [Int] { state.indices.filter { state[$0].failure == nil } }

        // Steps 1 and 2 (per file when alone).
        for row in state.indices {
            for job in state[row].jobs {
                if let error = writeTemporary(job, sync: !groupSync) {
                    fail(&state[row], error)
                    break
                }
                state[row].staged.append(job.id)
            }
        }
        // Step 2 for a group: one syncfs makes every staged file's data durable.
        if groupSync, let row = live.first, !syncEntries(of: tmpFD, readable: false, via: state[row].staged[0].text) {
            let error = SpoolError("syncfs", path: root, errno: errno)
            for row in live { fail(&state[row], error) }
        }

        // Step 3: idempotency keys, then one fsync per touched bucket.
        for row in live {
            for job in state[row].jobs {
                guard let key = job.idempotencyKey else { continue }
                let path = IdempotencyKeyPath(uid: job.submitter.uid, key: key)
                switch claimKey(path, for: job, window: idempotencyWindow) {
                case .success(.claimed): state[row].keys.append(path)
                case .success(.existing(let id)):
                    discardTemporary(job.id)
                    state[row].staged.removeAll { $0 == job.id }
                    state[row].duplicates[job.id] = id
                case .failure(let error): fail(&state[row], error)
                }
                if state[row].failure != nil { break }
            }
        }
        var buckets: [String: String] = [:]  // bucket directory -> a key name in it
        for row in live { for key in state[row].keys { buckets[key.bucketDirectory] = key.name } }
        for (bucket, keyName) in buckets {
            if let directory = try? cachedDirectory(bucket),
               syncEntries(of: directory.fd, readable: directory.readable, via: keyName) { continue }
            let error = SpoolError("fsync", path: display(bucket), errno: errno)
            for row in live where state[row].keys.contains(where: { $0.bucketDirectory == bucket }) {
                fail(&state[row], error)
            }
        }

        // Step 4.
        var renamed: [Int] = []
        for row in live {
            for id in state[row].staged {
                // ENOENT with a key: a concurrent duplicate submitter completed our commit
                // for us (see completeCommit), which is what we wanted.
                if io.rename(tmpFD, id.text, incomingFD, id.text) || errno == ENOENT && !state[row].keys.isEmpty {
                    state[row].renamed.append(id)
                } else {
                    fail(&state[row], SpoolError("rename", path: display("tmp/\(id)"), errno: errno))
                    break
                }
            }
            if state[row].failure == nil && !state[row].renamed.isEmpty { renamed.append(row) }
        }

        // Step 5.
        if let row = renamed.first,
           !syncEntries(of: incomingFD, readable: incomingReadable, via: state[row].renamed[0].text) {
            // The renames happened but may not survive a crash: report a temporary failure.
            // The jobs may still be delivered; a retry with the same idempotency key cannot
            // duplicate them.
            let error = SpoolError("fsync", path: display("incoming"), errno: errno,
                                   detail: "the job may or may not have been queued")
            for row in renamed { state[row].failure = error }
        }
        if state.contains(where: { $0.failure == nil && !$0.renamed.isEmpty }) { wakeQueueManager() }
        return state.map { row in
            if let error = row.failure { return .failure(error) }
            return .success(row.jobs.map { job in
                row.duplicates[job.id].map(Submission.duplicate) ?? .accepted(job.id)
            })
        }
    }

    /// Undoes what a failed row did so far: staged files, claimed keys, and (rarely, a rename
    /// failed half way through a row) jobs already renamed into incoming/.
    private func fail(_ row: inout RowCommit, _ error: SpoolError) {
        row.failure = error
        for id in row.renamed where renameat(incomingFD, id.text, tmpFD, id.text) == 0 {
            row.staged.append(id)
        }
        row.renamed = []
        for path in row.keys { unlinkat(rootFD, path.relative, 0) }
        row.keys = []
        for id in row.staged { discardTemporary(id) }
        row.staged = []
    }

    /// Step 1 (and step 2 when `sync`): the whole job in `tmp/ID`, or nothing.
    private func writeTemporary(_ job: Job, sync: Bool) -> SpoolError? {
        let name = job.id.text
        let bytes = JobFileFormat.encode(job)
        let fd = io.openExclusive(tmpFD, name, mode: 0o640)
        if fd < 0 { return SpoolError("create", path: display("tmp/\(name)"), errno: errno) }
        var failed: (String, Int32)?
        if !io.writeAll(fd, bytes) {
            failed = ("write", errno)
        } else if sync && !io.fsyncFile(fd) {
            failed = ("fsync", errno)
        }
        if close(fd) != 0 && failed == nil { failed = ("close", errno) }
        guard let (operation, error) = failed else { return nil }
        unlinkat(tmpFD, name, 0)
        return SpoolError(operation, path: display("tmp/\(name)"), errno: error)
    }

    func discardTemporary(_ id: JobID) { unlinkat(tmpFD, id.text, 0) }
}

/// The progress of one row through the commit protocol.
private struct RowCommit {
    let jobs: [Job]
    var staged: [JobID] = []
    var keys: [IdempotencyKeyPath] = []
    var renamed: [JobID] = []
    var duplicates: [JobID: JobID] = [:]
    var failure: SpoolError?
}
