#if canImport(Glibc)
import Glibc
#endif
import CNotifyShims
import NotifyCore
import Synchronization

/// An open spool. Holds descriptors of the directories it writes, so each operation is an
/// `*at` call relative to them: no path is built from outside input, and a job ID reaches
/// a file name only as a validated `JobID`.
///
/// A member of the submit group may pass through the spool root and write into `tmp/`,
/// `incoming/` and `idem/*/`, but may not read (list) them. Those directories are then
/// opened with O_PATH, which serves every `*at` call but not fsync; their entries are made
/// durable with syncfs(2) instead (see `syncEntries`, and spool-layout.md).
public final class Spool: Sendable {
    public let root: String
    let rootFD: Int32
    let tmpFD: Int32
    let incomingFD: Int32
    /// Whether `incomingFD` can be fsynced (see the type's comment).
    let incomingReadable: Bool
    let io: FileIO
    private let bucketFDs: Mutex<[String: (fd: Int32, readable: Bool)]>

    /// Opens an initialized spool. Fails with a message that says to run `notifyctl init`
    /// when the spool does not exist.
    public static func open(_ root: String, faults: FaultPlan? = nil) throws(SpoolError) -> Spool {
        // O_PATH: the root is 0710, so a submitter may pass it but not read it.
        let rootFD = notifyd_open_path_directory(AT_FDCWD, root)
        if rootFD < 0 {
            let error = errno
            throw SpoolError("open spool", path: root, errno: error,
                             detail: error == ENOENT ? "create it with notifyctl init" : nil)
        }
        let (tmpFD, _) = openWritableDirectory(rootFD, "tmp")
        let (incomingFD, incomingReadable) = tmpFD < 0 ? (-1, false) : openWritableDirectory(rootFD, "incoming")
        if tmpFD < 0 || incomingFD < 0 {
            let error = errno
            close(rootFD)
            if tmpFD >= 0 { close(tmpFD) }
            throw SpoolError("open spool", path: root + (tmpFD < 0 ? "/tmp" : "/incoming"), errno: error,
                             detail: error == ENOENT ? "not an initialized spool; run notifyctl init" : nil)
        }
        return Spool(root: root, rootFD: rootFD, tmpFD: tmpFD, incomingFD: incomingFD,
                     incomingReadable: incomingReadable, faults: faults)
    }

    private init(root: String, rootFD: Int32, tmpFD: Int32, incomingFD: Int32, incomingReadable: Bool, faults: FaultPlan?) {
        self.root = root
        self.rootFD = rootFD
        self.tmpFD = tmpFD
        self.incomingFD = incomingFD
        self.incomingReadable = incomingReadable
        self.io = FileIO(faults: faults)
        self.bucketFDs = Mutex([:])
    }

    deinit {
        close(rootFD)
        close(tmpFD)
        close(incomingFD)
        bucketFDs.withLock { for entry in $0.values { close(entry.fd) } }
    }

    /// A full path, for messages only. Operations use descriptors.
    func display(_ relative: String) -> String { root + "/" + relative }

    /// A cached descriptor of a spool directory (e.g. `idem/7`).
    func directoryFD(_ relative: String) throws(SpoolError) -> Int32 {
        try cachedDirectory(relative).fd
    }

    /// A cached descriptor of a spool directory, and whether it can be fsynced.
    func cachedDirectory(_ relative: String) throws(SpoolError) -> (fd: Int32, readable: Bool) {
        let result: Result<(fd: Int32, readable: Bool), SpoolError> = bucketFDs.withLock { cache in
            if let entry = cache[relative] { return .success(entry) }
            let entry = openWritableDirectory(rootFD, relative)
            if entry.fd < 0 { return .failure(SpoolError("open directory", path: display(relative), errno: errno)) }
            cache[relative] = entry
            return .success(entry)
        }
        return try result.get()
    }

    /// Makes the entries of a directory durable: fsync the directory when this process may
    /// read it, else syncfs(2) through `file`, a file in it that this process wrote (which
    /// flushes the whole filesystem, the directory included).
    func syncEntries(of dirfd: Int32, readable: Bool, via file: String) -> Bool {
        if readable { return io.fsyncDirectory(dirfd) }
        let fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return io.syncFilesystem(fd)
    }
}
