import Foundation
import Glibc

/// notify-apid running as a real process on a fresh private spool, with its socket in the
/// spool's base directory; stderr in `<base>/apid.log`.
final class RunningAPI {
    let base: String
    var spool: String { base + "/spool" }
    var socket: String { base + "/api.sock" }
    var config: String { base + "/notifyd.conf" }
    var templates: String { base + "/templates" }
    private(set) var pid: pid_t = 0

    static let binaries: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        if url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Whether `base` is a tmpfs this object mounted (a small disk for the disk-full test).
    private var mounted = false

    init(config text: String = "", start: Bool = true, tmpfsKilobytes: Int? = nil) throws {
        base = "/tmp/notifyd-api-" + UUID().uuidString.prefix(8)
        if let tmpfsKilobytes {
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            guard mount("tmpfs", base, "tmpfs", 0, "size=\(tmpfsKilobytes)k,mode=0755") == 0 else { throw Failure(message: "mount: \(errno)") }
            mounted = true
        }
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        chmod(base, 0o755)
        try (text + "\ntemplate_directory = \(templates)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let initialized = try Self.run(Self.binaries + "/notifyctl", ["init", "--private", "--spool", spool], environment: ["NOTIFYD_CONFIG": config])
        guard initialized.status == 0 else { throw Failure(message: initialized.stderr) }
        if start { try self.start() }
    }

    deinit {
        stop()
        if mounted { umount2(base, Int32(MNT_DETACH)) }
        try? FileManager.default.removeItem(atPath: base)
    }

    struct Failure: Error { var message: String }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFYD_CONFIG"] = config
        environment["NOTIFYD_SPOOL"] = spool
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] { environment[name] = nil }
        return environment
    }

    func start(executable: String? = nil, arguments: [String]? = nil, extra: [String: String] = [:]) throws {
        var environment = self.environment
        for (key, value) in extra { environment[key] = value }
        let log = open(base + "/apid.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(log) }
        pid = try Spawn.start(executable ?? Self.binaries + "/notify-apid", arguments ?? ["--socket", socket],
                              environment: environment, stdout: -1, stderr: log)
        for _ in 0..<200 {
            if (try? request("GET", "/health").status) != nil { return }
            usleep(25_000)
        }
        throw Failure(message: "notify-apid did not answer: " + self.log)
    }

    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
    }

    var log: String { (try? String(contentsOfFile: base + "/apid.log", encoding: .utf8)) ?? "" }

    struct Response {
        var status: Int
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    /// One request with curl over the Unix socket; `asUID` runs curl under that uid and
    /// gid with no supplementary groups (setpriv).
    func request(_ method: String, _ path: String, body: String? = nil, headers: [String] = [], asUID: UInt32? = nil,
                 extra: [String] = []) throws -> Response {
        var arguments = ["-s", "-S", "--unix-socket", socket, "-X", method, "-w", "\n%{http_code}", "--max-time", "20"]
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        arguments += extra
        arguments.append("http://localhost" + path)
        var executable = "/usr/bin/curl"
        if let asUID {
            arguments = ["--reuid=\(asUID)", "--regid=\(asUID)", "--clear-groups", executable] + arguments
            executable = "/usr/bin/setpriv"
        }
        let result = try Self.run(executable, arguments)
        let text = result.stdout
        guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]), status > 0 else {
            throw Failure(message: "curl: \(result.stderr) \(text)")
        }
        return Response(status: status, body: String(text[..<newline]))
    }

    func files(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + relative)) ?? []).sorted()
    }

    struct ProcessResult { var status: Int32; var stdout: String; var stderr: String }

    /// Runs a program to its end with posix_spawn (not Foundation's Process: its child
    /// reaping hung here when several suites spawned programs at once).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment ?? [:] { merged[key] = value }
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        // pipe2(O_CLOEXEC) is not in Glibc's Swift overlay: the lock keeps other spawns from
        // inheriting these pipes before FD_CLOEXEC is set.
        Spawn.lock.lock()
        guard pipe(&out) == 0, pipe(&err) == 0 else { Spawn.lock.unlock(); throw Failure(message: "pipe") }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let pid: pid_t
        do {
            pid = try Spawn.start(executable, arguments, environment: merged, stdout: out[1], stderr: err[1])
        } catch {
            Spawn.lock.unlock()
            for fd in out + err { close(fd) }
            throw error
        }
        Spawn.lock.unlock()
        close(out[1])
        close(err[1])
        var outBytes: [UInt8] = [], errBytes: [UInt8] = []
        var open = [(out[0], true), (err[0], false)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0.0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), -1)
            for (index, entry) in fds.enumerated().reversed() where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count <= 0 {
                    close(entry.fd)
                    open.remove(at: index)
                } else if open[index].1 {
                    outBytes += buffer[..<count]
                } else {
                    errBytes += buffer[..<count]
                }
            }
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ProcessResult(status: (status >> 8) & 0xff, stdout: String(decoding: outBytes, as: UTF8.self),
                             stderr: String(decoding: errBytes, as: UTF8.self))
    }
}

enum Spawn {
    static let lock = NSLock()

    /// Starts a program with stdin from /dev/null and the given stdout/stderr (-1: /dev/null).
    static func start(_ executable: String, _ arguments: [String], environment: [String: String], stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if stdout >= 0 { posix_spawn_file_actions_adddup2(&actions, stdout, 1) } else { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        if stderr >= 0 { posix_spawn_file_actions_adddup2(&actions, stderr, 2) } else { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw RunningAPI.Failure(message: "posix_spawn \(executable): \(result)") }
        return pid
    }
}
