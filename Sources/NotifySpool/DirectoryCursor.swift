#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// An open pass over a non-hashed job directory (`incoming/`), read a little at a time.
/// Starting every read from the top of a large ext4 directory walks the blocks of all the
/// entries already renamed away, which made taking in a big backlog quadratic; a cursor
/// reads each block once per pass. Entries added during a pass may or may not be seen:
/// the caller starts a new pass for the wake-ups that came meanwhile.
public final class DirectoryCursor {
    private let spool: Spool
    private let state: JobState
    private var dir: OpaquePointer?

    init(spool: Spool, state: JobState, dir: OpaquePointer) {
        self.spool = spool
        self.state = state
        self.dir = dir
    }

    deinit { if let dir { closedir(dir) } }

    /// Whether the pass has reached the end of the directory.
    public var finished: Bool { dir == nil }

    /// Up to `limit` more job IDs; names that are not job IDs are quarantined.
    public func next(limit: Int) -> [JobID] {
        var result: [JobID] = []
        guard let dir else { return result }
        while result.count < limit {
            errno = 0
            guard let entry = readdir(dir) else {
                closedir(dir)
                self.dir = nil
                break
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            guard let id = try? JobID(validating: name) else {
                spool.quarantine(directory: Glibc.dirfd(dir), name: name, from: state.directory)
                continue
            }
            result.append(id)
        }
        return result
    }
}

extension Spool {
    /// Starts a pass over a non-hashed state directory.
    public func cursor(over state: JobState) throws(SpoolError) -> DirectoryCursor {
        let fd = openDirectory(rootFD, state.directory)
        if fd < 0 { throw SpoolError("open directory", path: display(state.directory), errno: errno) }
        guard let dir = fdopendir(fd) else {
            close(fd)
            throw SpoolError("read directory", path: display(state.directory), errno: errno)
        }
        return DirectoryCursor(spool: self, state: state, dir: dir)
    }
}
