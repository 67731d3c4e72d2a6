import Foundation
import Glibc
import Testing

/// The shipped units pass `systemd-analyze verify`, and every service rates 2.0 or lower
/// ("OK") in `systemd-analyze security`. Both run offline against a scratch root holding
/// systemd's own units, /bin/kill and the built programs at their installed paths.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
struct SystemdUnitTests {
    static let repository = #filePath.components(separatedBy: "/Tests/").first!
    static let units = ["notifyd.service", "notifyd.target"]
    static let services = units.filter { $0.hasSuffix(".service") }

    final class ScratchRoot {
        let path = NSTemporaryDirectory() + "notifyd-units-" + UUID().uuidString

        init() throws {
            let fm = FileManager.default
            for directory in ["usr/lib", "usr/sbin", "bin", "etc/systemd/system"] {
                try fm.createDirectory(atPath: "\(path)/\(directory)", withIntermediateDirectories: true)
            }
            try fm.copyItem(atPath: "/usr/lib/systemd", toPath: "\(path)/usr/lib/systemd")
            try fm.copyItem(atPath: "/bin/kill", toPath: "\(path)/bin/kill")
            try fm.copyItem(atPath: Programs.path("notifyd"), toPath: "\(path)/usr/sbin/notifyd")
            for unit in SystemdUnitTests.units {
                try fm.copyItem(atPath: "\(SystemdUnitTests.repository)/systemd/\(unit)", toPath: "\(path)/etc/systemd/system/\(unit)")
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func unitsVerifyAndServicesRateOK() throws {
        let root = try ScratchRoot()
        let verify = try Programs.runExternal("/usr/bin/systemd-analyze", ["verify", "--man=no", "--root=\(root.path)"] + Self.units)
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        for service in Self.services {
            let security = try Programs.runExternal(
                "/usr/bin/systemd-analyze", ["security", "--offline=yes", "--threshold=20", "--root=\(root.path)", service])
            let score = security.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? "no score"
            print("systemd-analyze security: \(score)")
            #expect(security.status == 0, "\(service) rates above 2.0: \(score)")
        }
    }
}
