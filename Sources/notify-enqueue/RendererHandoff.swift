#if canImport(Glibc)
import Glibc
#endif
import NotifyCLI

/// Replaces this process with notify-render, passing the command line on unchanged.
/// notify-render is looked for in $NOTIFYD_RENDER, next to this executable, and in
/// /usr/lib/notifyd, in that order.
enum RendererHandoff {
    static let libexecPath = "/usr/lib/notifyd/notify-render"

    static func execute() throws -> Never {
        var candidates: [String] = []
        if let path = getenv("NOTIFYD_RENDER") { candidates.append(String(cString: path)) }
        if let directory = executableDirectory() { candidates.append(directory + "/notify-render") }
        candidates.append(libexecPath)

        let arguments = Array(CommandLine.arguments.dropFirst())
        for path in candidates where access(path, X_OK) == 0 {
            // argv[0] stays notify-enqueue, so that messages name the command the user ran.
            var argv: [UnsafeMutablePointer<CChar>?] = (["notify-enqueue"] + arguments).map { strdup($0) }
            argv.append(nil)
            execv(path, argv)
            throw CommandFailure("cannot execute \(path): \(String(cString: strerror(errno)))", code: .osError)
        }
        throw CommandFailure(
            "templates, batches and JSON input need notify-render, which is not installed (looked in \(candidates.joined(separator: ", ")))",
            code: .unavailable)
    }

    private static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }
}
