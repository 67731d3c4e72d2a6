import Foundation
import Glibc
import Testing

/// The shipped units pass `systemd-analyze verify`, and every service rates 2.0 or lower
/// ("OK") in `systemd-analyze security`, with the scores printed. Both run offline against
/// a scratch root holding systemd's own units, /bin/kill, and at each ExecStart= path the
/// built program. A program not built by this package yet (notify-apid, notify-statsd
/// before their branches merge) gets a placeholder script there instead, and the test says
/// so: verify checks that ExecStart= names an executable file, not what the file does.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
struct SystemdUnitTests {
    static let repository = #filePath.components(separatedBy: "/Tests/").first!
    static let units: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: repository + "/systemd")) ?? []
        return names.filter { $0.hasSuffix(".service") || $0.hasSuffix(".socket") || $0.hasSuffix(".target") }.sorted()
    }()
    static let services = units.filter { $0.hasSuffix(".service") }

    /// Directives the issue asks of every service (`ProtectKernel*` spelled out).
    static let hardening = [
        "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/spool/notifyd", "ProtectHome=yes",
        "PrivateTmp=yes", "PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes", "ProtectControlGroups=yes", "ProtectProc=invisible", "RestrictAddressFamilies=",
        "RestrictNamespaces=yes", "LockPersonality=yes", "MemoryDenyWriteExecute=yes",
        "SystemCallFilter=@system-service", "CapabilityBoundingSet=", "UMask=",
        "Type=notify", "WatchdogSec=", "Restart=on-failure", "RestartSec=",
    ]

    static func lines(of unit: String) throws -> [String] {
        try String(contentsOfFile: "\(repository)/systemd/\(unit)", encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The program path of a service's ExecStart= (without systemd's `-@:+!` prefixes).
    static func execStart(of service: String) throws -> String? {
        guard let line = try lines(of: service).first(where: { $0.hasPrefix("ExecStart=") }) else { return nil }
        let command = line.dropFirst("ExecStart=".count).drop { "-@:+!".contains($0) }
        return command.split(separator: " ").first.map(String.init)
    }

    final class ScratchRoot {
        let path = NSTemporaryDirectory() + "notifyd-units-" + UUID().uuidString
        private(set) var placeholders: [String] = []

        init() throws {
            let fm = FileManager.default
            for directory in ["usr/lib", "usr/sbin", "bin", "etc/systemd/system"] {
                try fm.createDirectory(atPath: "\(path)/\(directory)", withIntermediateDirectories: true)
            }
            try fm.copyItem(atPath: "/usr/lib/systemd", toPath: "\(path)/usr/lib/systemd")
            try fm.copyItem(atPath: "/bin/kill", toPath: "\(path)/bin/kill")
            for service in SystemdUnitTests.services {
                guard let program = try SystemdUnitTests.execStart(of: service) else { continue }
                let name = (program as NSString).lastPathComponent
                if fm.isExecutableFile(atPath: Programs.path(name)) {
                    try fm.copyItem(atPath: Programs.path(name), toPath: path + program)
                } else {
                    try "#!/bin/sh\nexit 0\n".write(toFile: path + program, atomically: true, encoding: .utf8)
                    chmod(path + program, 0o755)
                    placeholders.append(name)
                }
            }
            for unit in SystemdUnitTests.units {
                try fm.copyItem(atPath: "\(SystemdUnitTests.repository)/systemd/\(unit)", toPath: "\(path)/etc/systemd/system/\(unit)")
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func unitsVerifyAndServicesRateOK() throws {
        #expect(Set(Self.units).isSuperset(of: [
            "notifyd.service", "notifyd.target", "notify-apid.socket", "notify-apid.service", "notify-statsd.service"]))
        let root = try ScratchRoot()
        for name in root.placeholders {
            print("systemd-analyze verify: \(name) is not built by this package yet; a placeholder script stands at its ExecStart= path")
        }
        let verify = try Programs.runExternal("/usr/bin/systemd-analyze", ["verify", "--man=no", "--root=\(root.path)"] + Self.units)
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        print("systemd-analyze verify: clean for \(Self.units.joined(separator: ", "))")
        for service in Self.services {
            let security = try Programs.runExternal(
                "/usr/bin/systemd-analyze", ["security", "--offline=yes", "--threshold=20", "--root=\(root.path)", service])
            let score = security.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? "no score"
            print("systemd-analyze security: \(score)")
            #expect(security.status == 0, "\(service) rates above 2.0: \(score)")
        }
    }

    @Test(arguments: services)
    func serviceCarriesTheHardeningList(_ service: String) throws {
        let lines = try Self.lines(of: service)
        for directive in Self.hardening {
            #expect(lines.contains { $0.hasPrefix(directive) }, "\(service) lacks \(directive)")
        }
        // The API and stats daemons talk only to Unix sockets; the agents (notifyd's
        // children) need IP for their providers.
        let families = lines.first { $0.hasPrefix("RestrictAddressFamilies=") }
        if service == "notifyd.service" {
            #expect(families == "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6")
        } else {
            #expect(families == "RestrictAddressFamilies=AF_UNIX")
        }
    }

    /// Each service is part of the target, and the target pulls each in.
    @Test func targetGroupsTheSuite() throws {
        let target = try Self.lines(of: "notifyd.target")
        let wanted = target.first { $0.hasPrefix("Wants=") }.map { Set($0.dropFirst(6).split(separator: " ").map(String.init)) } ?? []
        #expect(wanted == ["notifyd.service", "notify-apid.socket", "notify-statsd.service"])
        for unit in Self.units where unit != "notifyd.target" {
            #expect(try Self.lines(of: unit).contains("PartOf=notifyd.target"), "\(unit)")
        }
        let socket = try Self.lines(of: "notify-apid.socket")
        #expect(socket.contains("ListenStream=/run/notifyd/api.sock"))
        #expect(socket.contains("SocketMode=0660"))
        #expect(socket.contains("SocketGroup=notify"))
    }
}
