import Foundation
import Glibc
import Testing

/// systemd/notifyd.tmpfiles and `notifyctl init` must build the same spool: every path with
/// the same type, mode and owners. systemd-tmpfiles applies the file under a scratch root
/// whose /etc/passwd and /etc/group name the accounts with test uids.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-tmpfiles"),
                "systemd-tmpfiles --root and chown need root"))
struct TmpfilesAgreementTests {
    @Test func tmpfilesAndInitBuildTheSameSpool() throws {
        let base = NSTemporaryDirectory() + "notifyd-tmpfiles-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/root"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try "root:x:0:0::/root:/bin/sh\nnotifyd:x:4250:4252::/var/spool/notifyd:/usr/sbin/nologin\n"
            .write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nnotify:x:4251:\nnotifyd:x:4252:\n".write(toFile: root + "/etc/group", atomically: true, encoding: .utf8)

        let repository = #filePath.components(separatedBy: "/Tests/").first!
        let tmpfiles = try Programs.runExternal("/usr/bin/systemd-tmpfiles",
                                                ["--create", "--root=\(root)", repository + "/systemd/notifyd.tmpfiles"])
        #expect(tmpfiles.status == 0, "\(tmpfiles.stderr)")
        let initialized = try Programs.run("notifyctl", ["init", "--spool", base + "/init", "--daemon-user", "4250",
                                                         "--daemon-group", "4252", "--submit-group", "4251"])
        #expect(initialized.status == 0, "\(initialized.stderr)")

        let fromTmpfiles = try Self.describe(root + "/var/spool/notifyd")
        let fromInit = try Self.describe(base + "/init")
        #expect(fromTmpfiles.count > 180)
        #expect(fromTmpfiles == fromInit, "differences: \(Set(fromTmpfiles.map(\.self)).symmetricDifference(fromInit))")
    }

    /// The shipped file is exactly what `notifyctl layout --tmpfiles` prints for the defaults.
    @Test func shippedFileIsTheGeneratedOne() throws {
        let repository = #filePath.components(separatedBy: "/Tests/").first!
        let shipped = try String(contentsOfFile: repository + "/systemd/notifyd.tmpfiles", encoding: .utf8)
        let generated = try Programs.run("notifyctl", ["layout", "--tmpfiles", "--spool", "/var/spool/notifyd"])
        #expect(generated.status == 0)
        #expect(generated.stdout == shipped, "regenerate with: notifyctl layout --tmpfiles --spool /var/spool/notifyd > systemd/notifyd.tmpfiles")
    }

    /// Every path below `top` (relative) with its type, mode and owners.
    static func describe(_ top: String) throws -> Set<String> {
        var result: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: top)!
        for case let path as String in enumerator {
            result.insert(try entry(top + "/" + path, as: path))
        }
        result.insert(try entry(top, as: "."))
        return result
    }

    static func entry(_ path: String, as name: String) throws -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno)!) }
        let type = info.st_mode & S_IFMT == S_IFDIR ? "d" : info.st_mode & S_IFMT == S_IFIFO ? "p" : "f"
        return "\(type) \(name) \(String(info.st_mode & 0o7777, radix: 8)) \(info.st_uid):\(info.st_gid)"
    }
}
