import Logging
import NotifyAgentKit
import NotifyCore
#if canImport(Glibc)
import Glibc
#endif

/// One running delivery agent: its pid, the pipes of the agent protocol, and the jobs it
/// has been handed (agent-protocol.md).
final class AgentProcess {
    let channel: Channel
    let pid: pid_t
    /// notifyd writes requests here (the agent's stdin).
    private(set) var input: Int32
    /// notifyd reads replies here (the agent's stdout); non-blocking.
    let output: Int32
    let started: Int64
    /// Job → (attempt, reply deadline in ms).
    var inFlight: [JobID: (attempt: Int, deadline: Int64)] = [:]
    private var pending: [UInt8] = []
    /// Requests queued in this dispatch round, sent by `flush()`.
    private var outgoing: [UInt8] = []
    var retiring = false
    /// Replies received: an agent that answered nothing before dying is throttled harder.
    var replies = 0

    private init(channel: Channel, pid: pid_t, input: Int32, output: Int32, started: Int64) {
        self.channel = channel
        self.pid = pid
        self.input = input
        self.output = output
        self.started = started
    }

    /// Starts `program` with pipes on its stdin and stdout; stderr is shared with notifyd.
    static func spawn(channel: Channel, program: String, arguments: [String], now: Int64) -> Result<AgentProcess, AgentSpawnError> {
        var toAgent: [Int32] = [-1, -1], fromAgent: [Int32] = [-1, -1]
        guard pipe(&toAgent) == 0 else { return .failure(AgentSpawnError(program: program, errno: errno)) }
        guard pipe(&fromAgent) == 0 else {
            let saved = errno
            close(toAgent[0]); close(toAgent[1])
            return .failure(AgentSpawnError(program: program, errno: saved))
        }
        for fd in toAgent + fromAgent { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fromAgent[0], F_SETFL, fcntl(fromAgent[0], F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toAgent[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromAgent[1], 1)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, nil, argv, environ)
        close(toAgent[0])
        close(fromAgent[1])
        guard result == 0 else {
            close(toAgent[1]); close(fromAgent[0])
            return .failure(AgentSpawnError(program: program, errno: result))
        }
        return .success(AgentProcess(channel: channel, pid: pid, input: toAgent[1], output: fromAgent[0], started: now))
    }

    /// Queues one request; `flush()` sends everything queued with one write.
    func queue(_ request: AgentWire.Request) {
        outgoing.append(contentsOf: request.line.utf8)
    }

    /// Writes the queued requests; false if the agent is gone (EPIPE). One write per
    /// dispatch round instead of one per job.
    func flush() -> Bool {
        defer { outgoing.removeAll(keepingCapacity: true) }
        guard !outgoing.isEmpty else { return true }
        guard input >= 0 else { return false }
        return outgoing.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(input, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
    }

    /// Reads what the agent wrote. Returns the complete replies, and whether the agent
    /// closed its stdout (it exited or crashed).
    func receive() -> (replies: [AgentWire.Reply], closed: Bool, malformed: Int) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var closed = false
        while true {
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n > 0 { pending.append(contentsOf: chunk[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { closed = true }
            break
        }
        guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return ([], closed, 0) }
        let text = String(decoding: pending[...lastNewline], as: UTF8.self)
        pending.removeSubrange(...lastNewline)
        var replies: [AgentWire.Reply] = []
        var malformed = 0
        for line in text.split(separator: "\n") {
            if let reply = AgentWire.Reply(line: line) { replies.append(reply) } else { malformed += 1 }
        }
        return (replies, closed, malformed)
    }

    /// Closes the agent's stdin: it finishes what it has and exits.
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
        retiring = true
    }

    /// Collects the exited agent, killing it first if it closed stdout but lives on.
    func reap() -> Int32 {
        closeInput()
        close(output)
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        return status
    }
}

struct AgentSpawnError: Error, CustomStringConvertible {
    var program: String
    var errno: Int32
    var description: String { "cannot start \(program): \(String(cString: strerror(errno)))" }
}
