#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// A job file found in the spool.
public struct SpoolEntry: Sendable, Equatable {
    public var id: JobID
    public var state: JobState
    /// The file's modification time in milliseconds since the epoch.
    public var modified: Int64
    public var size: Int

    public var relativePath: String { state.relativePath(of: id) }
}

public enum SpoolReadError: Error, CustomStringConvertible {
    case notFound(JobID)
    case io(SpoolError)
    /// The file was not a valid job and has been moved to `corrupt/`.
    case quarantined(String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let id): "\(id): no such job"
        case .io(let error): error.description
        case .quarantined(let path, let reason): "\(path): \(reason); moved to corrupt/"
        }
    }
}

extension Spool {
    /// Finds a job by ID: a few stat calls, one per state, never a directory scan.
    public func locate(_ id: JobID) -> SpoolEntry? {
        for state in JobState.allCases {
            var info = stat()
            if fstatat(rootFD, state.relativePath(of: id), &info, AT_SYMLINK_NOFOLLOW) == 0 {
                return SpoolEntry(id: id, state: state, modified: info.modifiedMilliseconds, size: Int(info.st_size))
            }
        }
        return nil
    }

    /// Reads a job. A file that is not a valid job (damaged, unknown major version) is
    /// quarantined and reported, never fatal.
    public func read(_ entry: SpoolEntry) throws(SpoolReadError) -> Job {
        try decodeJobFile(entry, JobFileFormat.decode, id: \.id)
    }

    /// Reads only what the queue manager decides with (`JobSummary`), with the same
    /// quarantine rules as `read`.
    public func summary(_ id: JobID, in state: JobState) throws(SpoolReadError) -> JobSummary {
        try decodeJobFile(SpoolEntry(id: id, state: state, modified: 0, size: 0), JobSummary.decode, id: \.id)
    }

    private func decodeJobFile<T>(
        _ entry: SpoolEntry, _ decode: ([UInt8]) throws(JobFileFormat.DecodeError) -> T, id: KeyPath<T, JobID>
    ) throws(SpoolReadError) -> T {
        let path = entry.relativePath
        guard let bytes = readWholeFile(rootFD, path) else {
            if errno == ENOENT { throw .notFound(entry.id) }
            throw .io(SpoolError("read", path: display(path), errno: errno))
        }
        let reason: String
        do {
            let value = try decode(bytes)
            if value[keyPath: id] == entry.id { return value }
            reason = "the file name and the job ID \(value[keyPath: id]) differ"
        } catch {
            reason = error.description
        }
        quarantine(path)
        throw .quarantined(display(path), reason: reason)
    }

    /// Lists the job files in the given states. Names that are not job IDs are quarantined.
    /// Reads directories only (plus one stat per file), not the jobs.
    public func scan(_ states: [JobState], visit: (SpoolEntry) -> Void) throws(SpoolError) {
        for state in states {
            let directories = state.isHashed ? SpoolLayout.buckets.map { "\(state.directory)/\($0)" } : [state.directory]
            for directory in directories {
                try listDirectory(directory) { name, dirfd in
                    guard let id = try? JobID(validating: name) else {
                        quarantine(directory: dirfd, name: name, from: directory)
                        return
                    }
                    var info = stat()
                    guard fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
                    visit(SpoolEntry(id: id, state: state, modified: info.modifiedMilliseconds, size: Int(info.st_size)))
                }
            }
        }
    }

    /// How many entries the given states hold: readdir only, no stat and no ID check (for a
    /// meter that polls, such as notify-bench; `scan` is the reader for everything else).
    public func count(_ states: [JobState]) throws(SpoolError) -> Int {
        var total = 0
        for state in states {
            let directories = state.isHashed ? SpoolLayout.buckets.map { "\(state.directory)/\($0)" } : [state.directory]
            for directory in directories { try listDirectory(directory) { _, _ in total += 1 } }
        }
        return total
    }

    /// Calls `body` with each entry name of a spool directory (not `.` and `..`).
    func listDirectory(_ relative: String, _ body: (String, Int32) -> Void) throws(SpoolError) {
        let fd = openDirectory(rootFD, relative)
        if fd < 0 { throw SpoolError("open directory", path: display(relative), errno: errno) }
        guard let dir = fdopendir(fd) else {
            close(fd)
            throw SpoolError("read directory", path: display(relative), errno: errno)
        }
        defer { closedir(dir) }
        let dirfd = Glibc.dirfd(dir)
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            body(name, dirfd)
        }
    }
}

extension stat {
    var modifiedMilliseconds: Int64 { Int64(st_mtim.tv_sec) * 1000 + Int64(st_mtim.tv_nsec) / 1_000_000 }
}
