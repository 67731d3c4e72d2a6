#if canImport(Glibc)
import Glibc
#endif
import CNotifyShims
import NotifyCore

/// One state change of a job: a rename from one state directory to another
/// (spool-layout.md, "Job states" and "State changes").
public struct JobMove: Sendable, Equatable {
    public var id: JobID
    public var from: JobState
    public var to: JobState
    /// For moves into `deferred/`: when the job is due, in ms since the epoch. It is stored
    /// as the file's mtime (set before the rename), so a restart learns every deferred job's
    /// due time from readdir + fstatat without reading a file.
    public var due: Int64?

    public init(_ id: JobID, from: JobState, to: JobState, due: Int64? = nil) {
        self.id = id
        self.from = from
        self.to = to
        self.due = due
    }
}

extension Spool {
    /// Renames one job. Returns false if it was not in `from` (someone else moved it first:
    /// an operator command racing the queue manager); throws on other errors.
    /// Does not sync: callers batch moves and call `syncState()` once.
    @discardableResult
    public func move(_ move: JobMove) throws(SpoolError) -> Bool {
        let fromDirectory = move.from.directory(of: move.id)
        let toDirectory = move.to.directory(of: move.id)
        let fromFD = try directoryFD(fromDirectory)
        let toFD = try directoryFD(toDirectory)
        let name = move.id.text
        if let due = move.due {
            var times = [timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2 /* UTIME_OMIT */),
                         timespec(tv_sec: time_t(due / 1000), tv_nsec: Int(due % 1000) * 1_000_000)]
            if utimensat(fromFD, name, &times, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { return false }
                throw SpoolError("utimensat", path: display("\(fromDirectory)/\(name)"), errno: errno)
            }
        }
        if renameat(fromFD, name, toFD, name) == 0 { return true }
        if errno == ENOENT { return false }
        throw SpoolError("rename", path: display("\(fromDirectory)/\(name)"), errno: errno)
    }

    /// Makes every change made so far durable with one `syncfs(2)`: the batch's renames,
    /// history lines, status records and outbox files. One device flush per batch instead
    /// of one per job (spool-layout.md, "Groups: why syncfs").
    public func syncState() throws(SpoolError) {
        // The root descriptor is O_PATH (submitters may only pass through it), which syncfs
        // refuses; incoming/ is opened for reading by every process that may run this.
        guard incomingReadable else { throw SpoolError("syncfs", path: root, errno: EACCES) }
        if !io.syncFilesystem(incomingFD) { throw SpoolError("syncfs", path: root, errno: errno) }
    }

    /// Lists up to `limit` job IDs in a non-hashed state directory (used for `incoming/`
    /// and `active/`), quarantining names that are not job IDs. Only reads the directory.
    public func names(in state: JobState, limit: Int = .max) throws(SpoolError) -> [JobID] {
        var result: [JobID] = []
        let fd = openDirectory(rootFD, state.directory)
        if fd < 0 { throw SpoolError("open directory", path: display(state.directory), errno: errno) }
        guard let dir = fdopendir(fd) else {
            close(fd)
            throw SpoolError("read directory", path: display(state.directory), errno: errno)
        }
        defer { closedir(dir) }
        while result.count < limit, let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            guard let id = try? JobID(validating: name) else {
                quarantine(directory: Glibc.dirfd(dir), name: name, from: state.directory)
                continue
            }
            result.append(id)
        }
        return result
    }

    /// Reads the job `id` from `state` (nil if it is not there). A damaged file is
    /// quarantined and reported as `SpoolReadError.quarantined`.
    public func read(_ id: JobID, in state: JobState) throws(SpoolReadError) -> Job {
        try read(SpoolEntry(id: id, state: state, modified: 0, size: 0))
    }

    /// Removes a job file for good (`notifyctl delete`), with its history.
    public func remove(_ id: JobID, from state: JobState) throws(SpoolError) -> Bool {
        let directory = state.directory(of: id)
        let fd = try directoryFD(directory)
        if unlinkat(fd, id.text, 0) != 0 {
            if errno == ENOENT { return false }
            throw SpoolError("unlink", path: display("\(directory)/\(id)"), errno: errno)
        }
        if let historyFD = try? directoryFD("history/\(id.bucket)") { unlinkat(historyFD, id.text, 0) }
        return true
    }
}

extension JobState {
    /// The directory that holds job `id` in this state (its bucket for hashed states).
    func directory(of id: JobID) -> String { isHashed ? "\(directory)/\(id.bucket)" : directory }
}
