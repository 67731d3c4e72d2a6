import Glibc
import NotifyCore
@testable import NotifySpool

/// A private spool in a fresh temporary directory, removed at deinit.
final class SpoolFixture {
    let root: String
    let spool: Spool
    private var ids = JobIDGenerator()

    init(faults: FaultPlan? = nil) throws {
        var template = Array("/tmp/notifyd-spooltest-XXXXXX".utf8CString)
        let base = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        root = base + "/spool"
        _ = try SpoolInitializer.initialize(root: root, owners: .invokingUser)
        spool = try Spool.open(root, faults: faults)
    }

    deinit { _ = system("rm -rf '\(root.dropLast(6))'") }

    func reopen(faults: FaultPlan?) throws -> Spool { try Spool.open(root, faults: faults) }

    func job(key: String? = nil, channel: Channel = .sms, to: String = "+14155550123", created: Int64? = nil) -> Job {
        let now = created ?? WallClock.nowMilliseconds()
        return Job(id: ids.next(milliseconds: now), created: now, channel: channel, to: [to], body: "hello",
                   idempotencyKey: key, submitter: Submitter(uid: getuid(), pid: getpid(), program: "test"))
    }

    /// The names in a spool directory.
    func names(_ relative: String) -> [String] {
        guard let dir = opendir(root + "/" + relative) else { return [] }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { result.append(name) }
        }
        return result.sorted()
    }

    /// Every file below idem/.
    func keyFiles() -> [String] { SpoolLayout.buckets.flatMap { names("idem/\($0)") } }

    func write(_ relative: String, _ text: String) {
        let fd = open(root + "/" + relative, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    func setModified(_ relative: String, secondsAgo: Int) {
        var times = [timespec(tv_sec: time(nil) - secondsAgo, tv_nsec: 0), timespec(tv_sec: time(nil) - secondsAgo, tv_nsec: 0)]
        utimensat(AT_FDCWD, root + "/" + relative, &times, 0)
    }
}
