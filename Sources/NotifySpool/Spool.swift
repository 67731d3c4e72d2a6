#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import Synchronization

/// An open spool. Holds descriptors of the directories it writes, so each operation is an
/// `*at` call relative to them: no path is built from outside input, and a job ID reaches
/// a file name only as a validated `JobID`.
public final class Spool: Sendable {
    public let root: String
    let rootFD: Int32
    let tmpFD: Int32
    let incomingFD: Int32
    let io: FileIO
    private let bucketFDs: Mutex<[String: Int32]>

    /// Opens an initialized spool. Fails with a message that says to run `notifyctl init`
    /// when the spool does not exist.
    public static func open(_ root: String, faults: FaultPlan? = nil) throws(SpoolError) -> Spool {
        let rootFD = Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if rootFD < 0 {
            let error = errno
            throw SpoolError("open spool", path: root, errno: error,
                             detail: error == ENOENT ? "create it with notifyctl init" : nil)
        }
        let tmpFD = openDirectory(rootFD, "tmp")
        let incomingFD = tmpFD < 0 ? -1 : openDirectory(rootFD, "incoming")
        if tmpFD < 0 || incomingFD < 0 {
            let error = errno
            close(rootFD)
            if tmpFD >= 0 { close(tmpFD) }
            throw SpoolError("open spool", path: root + (tmpFD < 0 ? "/tmp" : "/incoming"), errno: error,
                             detail: error == ENOENT ? "not an initialized spool; run notifyctl init" : nil)
        }
        return Spool(root: root, rootFD: rootFD, tmpFD: tmpFD, incomingFD: incomingFD, faults: faults)
    }

    private init(root: String, rootFD: Int32, tmpFD: Int32, incomingFD: Int32, faults: FaultPlan?) {
        self.root = root
        self.rootFD = rootFD
        self.tmpFD = tmpFD
        self.incomingFD = incomingFD
        self.io = FileIO(faults: faults)
        self.bucketFDs = Mutex([:])
    }

    deinit {
        close(rootFD)
        close(tmpFD)
        close(incomingFD)
        bucketFDs.withLock { for fd in $0.values { close(fd) } }
    }

    /// A full path, for messages only. Operations use descriptors.
    func display(_ relative: String) -> String { root + "/" + relative }

    /// A cached descriptor of a spool directory (e.g. `idem/7`).
    func directoryFD(_ relative: String) throws(SpoolError) -> Int32 {
        let result: Result<Int32, SpoolError> = bucketFDs.withLock { cache in
            if let fd = cache[relative] { return .success(fd) }
            let fd = openDirectory(rootFD, relative)
            if fd < 0 { return .failure(SpoolError("open directory", path: display(relative), errno: errno)) }
            cache[relative] = fd
            return .success(fd)
        }
        return try result.get()
    }
}
