import Foundation
import Glibc
import Testing

/// `make install` into a DESTDIR, from the debug build these tests run (BUILD_DIR given, so
/// make builds nothing): every installed file is where the units and programs expect it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/make")))
struct InstallTests {
    static let repository = #filePath.components(separatedBy: "/Tests/").first!

    final class Staging {
        let root = NSTemporaryDirectory() + "notifyd-install-" + UUID().uuidString
        deinit { try? FileManager.default.removeItem(atPath: root) }

        func install(prefix: String) throws -> Programs.Result {
            try Programs.runExternal("/usr/bin/make", [
                "-C", InstallTests.repository, "install", "DESTDIR=\(root)", "PREFIX=\(prefix)",
                "BUILD_DIR=\(Programs.directory)", "STRIP=no",
            ])
        }
    }

    /// The programs Package.swift ships, as install.sh reads them.
    static func products() throws -> [String] {
        let manifest = try String(contentsOfFile: repository + "/Package.swift", encoding: .utf8)
        return manifest.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: ".executable(name: \"") else { return nil }
            return line[range.upperBound...].split(separator: "\"").first.map(String.init)
        }
    }

    static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    @Test func installedFilesAreWhereTheUnitsExpectThem() throws {
        let staging = Staging()
        let installed = try staging.install(prefix: "/usr/local")
        #expect(installed.status == 0, "\(installed.stderr)")
        print(installed.stdout.split(separator: "\n").filter { $0.hasPrefix("install:") }.joined(separator: "\n"))
        let root = staging.root
        let unitDirectory = root + "/usr/local/lib/systemd/system"

        // Every unit's ExecStart= names an installed executable (paths moved to PREFIX),
        // and every config file it passes exists.
        let units = try FileManager.default.contentsOfDirectory(atPath: unitDirectory).sorted()
        #expect(units.contains("notifyd.service") && units.contains("notifyd.target"))
        for unit in units {
            let text = try String(contentsOfFile: unitDirectory + "/" + unit, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("ExecStart=") {
                let words = line.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
                #expect(words[0].hasPrefix("/usr/local/sbin/"), "\(unit): \(line)")
                #expect(Self.isExecutable(root + words[0]), "\(unit): \(words[0]) is not installed")
                if let index = words.firstIndex(of: "--config") {
                    #expect(FileManager.default.fileExists(atPath: root + words[index + 1]), "\(unit): \(words[index + 1])")
                }
            }
        }

        // Every shipped program, with agents beside notifyd (where it looks for them).
        for program in try Self.products() {
            let directory = ["notify-enqueue", "notify-render"].contains(program) ? "bin" : "sbin"
            #expect(Self.isExecutable("\(root)/usr/local/\(directory)/\(program)"), "\(program)")
        }
        for program in try Self.products() where program.hasPrefix("notify-") && !["notify-enqueue", "notify-render"].contains(program) {
            #expect(Self.isExecutable("\(root)/usr/local/sbin/\(program)"), "\(program) is not beside notifyd")
        }

        #expect(FileManager.default.fileExists(atPath: root + "/usr/local/lib/sysusers.d/notifyd.conf"))
        #expect(try String(contentsOfFile: root + "/usr/local/lib/tmpfiles.d/notifyd.conf", encoding: .utf8)
            == String(contentsOfFile: Self.repository + "/systemd/notifyd.tmpfiles", encoding: .utf8))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/notifyd/notifyd.conf"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/notifyd/templates/student_credentials/template.conf"))
    }

    @Test func manualPagesRenderWithMan() throws {
        let staging = Staging()
        #expect(try staging.install(prefix: "/usr").status == 0)
        var pages = 0
        for section in ["1", "8"] {
            let directory = "\(staging.root)/usr/share/man/man\(section)"
            for page in try FileManager.default.contentsOfDirectory(atPath: directory) {
                let shown = try Programs.runExternal("/usr/bin/man", ["-l", directory + "/" + page],
                                                     environment: ["MANPAGER": "cat", "MANWIDTH": "80", "LANG": "C.UTF-8"])
                #expect(shown.status == 0 && shown.stdout.contains("NAME") && shown.stdout.contains("SYNOPSIS"), "\(page): \(shown.stderr)")
                pages += 1
            }
        }
        #expect(pages == (try Self.products()).count)
    }

    @Test func completionsAreValidBash() throws {
        let staging = Staging()
        #expect(try staging.install(prefix: "/usr").status == 0)
        for program in ["notify-enqueue", "notify-render", "notifyctl"] {
            let file = "\(staging.root)/usr/share/bash-completion/completions/\(program)"
            let loaded = try Programs.runExternal("/bin/bash", ["-c", "source \(file) && complete -p \(program)"])
            #expect(loaded.status == 0 && loaded.stdout.contains(program), "\(program): \(loaded.stderr)")
        }
    }

    /// notify-enqueue's completion is written by hand; it must offer exactly the options
    /// notify-render (which parses the same EnqueueOptions) lists in its help.
    @Test func handWrittenEnqueueCompletionMatchesTheOptions() throws {
        let help = try Programs.run("notify-render", ["--help"])
        let completion = try String(contentsOfFile: Self.repository + "/contrib/completions/notify-enqueue", encoding: .utf8)
        func options(_ text: String) -> Set<String> {
            let pattern = try! NSRegularExpression(pattern: "--[a-z][a-z-]*")
            return Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) })
        }
        let offered = options(completion.components(separatedBy: "local options=\"")[1].components(separatedBy: "\"")[0])
        #expect(offered == options(help.stdout + help.stderr).subtracting(["--version"]))
    }

    /// A second install keeps the operator's configuration.
    @Test func existingConfigurationIsKept() throws {
        let staging = Staging()
        #expect(try staging.install(prefix: "/usr").status == 0)
        let config = staging.root + "/etc/notifyd/notifyd.conf"
        try "sms_providers = outbox\n".write(toFile: config, atomically: true, encoding: .utf8)
        let again = try staging.install(prefix: "/usr")
        #expect(again.status == 0)
        #expect(again.stdout.contains("kept the existing"))
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "sms_providers = outbox\n")
    }

    /// A listed program that is not built is an error naming it, before anything is
    /// installed (install.sh checks the same way that every product has a row).
    @Test func missingProgramsAreClearErrors() throws {
        let staging = Staging()
        let emptyBuild = staging.root + "-build"
        try FileManager.default.createDirectory(atPath: emptyBuild, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: emptyBuild) }
        let result = try Programs.runExternal("/usr/bin/make", [
            "-C", Self.repository, "install", "DESTDIR=\(staging.root)", "BUILD_DIR=\(emptyBuild)", "STRIP=no"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("notify-enqueue is not built in \(emptyBuild)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: staging.root + "/usr/local/bin"))
    }
}
