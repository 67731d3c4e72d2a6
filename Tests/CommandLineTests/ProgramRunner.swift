import Foundation

/// Runs the package's built programs as real processes, the way scripts use them.
enum Programs {
    /// The build products directory: where this test bundle's executable lives.
    static let directory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // swift test runs <dir>/notifydPackageTests.xctest; the programs sit in <dir>.
        if url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ name: String) -> String { directory + "/" + name }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    @discardableResult
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Result {
        try runExternal(path(name), arguments, environment: environment, stdin: stdin)
    }

    /// Runs any program by path, with the same environment handling.
    @discardableResult
    static func runExternal(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NOTIFYD_CONFIG"] = env["NOTIFYD_CONFIG"] ?? "/nonexistent/notifyd.conf"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A private spool (every role is the invoking user) and a config directory, in a fresh
/// temporary directory.
final class TemporarySpool: Sendable {
    let base: String
    /// `<base>/spool`, unless given (e.g. on a small filesystem while the rest stays put).
    let spool: String
    var config: String { base + "/notifyd.conf" }
    var templates: String { base + "/templates" }

    init(config text: String = "", spool spoolDirectory: String? = nil) throws {
        base = NSTemporaryDirectory() + "notifyd-cli-" + UUID().uuidString
        spool = spoolDirectory ?? base + "/spool"
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        try (text + "\ntemplate_directory = \(templates)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let result = try run("notifyctl", ["init", "--private"])
        guard result.status == 0 else { throw InitFailed(stderr: result.stderr) }
    }

    struct InitFailed: Error { var stderr: String }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    var environment: [String: String] { ["NOTIFYD_SPOOL": spool, "NOTIFYD_CONFIG": config] }

    @discardableResult
    func run(_ program: String, _ arguments: [String], stdin: String? = nil) throws -> Programs.Result {
        try Programs.run(program, arguments, environment: environment, stdin: stdin)
    }

    func files(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + relative)) ?? []).sorted()
    }

    /// Every job file in incoming/, parsed as JSON.
    func incomingJobs() throws -> [[String: Any]] {
        try files("incoming").map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: spool + "/incoming/" + name))
            return try JSONSerialization.jsonObject(with: data) as! [String: Any]
        }
    }

    func writeTemplate(_ name: String, files: [String: String]) throws {
        let directory = templates + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (file, text) in files { try text.write(toFile: directory + "/" + file, atomically: true, encoding: .utf8) }
    }
}
