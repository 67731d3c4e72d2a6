import Foundation

/// A helper server started by a test: a script from Tests/Support run as a real process
/// on loopback. It prints its port on its first stdout line; it is stopped at deinit.
public final class LoopbackServer: @unchecked Sendable {
    public let directory: String
    public let port: Int
    private let process: Process

    /// Tests/Support, found from this file's path (the scripts are not build products).
    public static let supportDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    public init(script: String, arguments: [String] = []) throws {
        directory = NSTemporaryDirectory() + "notifyd-server-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.supportDirectory + "/" + script, directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw StartFailed(script: script)
        }
        self.port = port
    }

    public struct StartFailed: Error { public var script: String }

    deinit {
        // SIGKILL: a child of a test thread may inherit a mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
