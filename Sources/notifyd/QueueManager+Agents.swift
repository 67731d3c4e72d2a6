import NotifyCore
#if canImport(Glibc)
import Glibc
#endif

/// Keeping `<channel>_agent_processes` agents running per channel, restarted after they
/// exit (see `agentExited` for the backoff).
extension QueueManager {
    func startAgents(now: Int64) {
        for channel in Channel.allCases {
            let delivery = settings.channel(channel).delivery
            let running = (agents[channel] ?? []).filter { !$0.retiring }.count
            guard running < delivery.agentProcesses else { continue }
            if let restart = agentRestart[channel], restart.notBefore > now { continue }
            let program = agentPath(delivery.agent)
            let arguments = ["--channel", channel.rawValue, "--provider", delivery.provider,
                             "--spool", settings.spoolDirectory, "--config", configPath]
            for _ in running..<delivery.agentProcesses {
                switch AgentProcess.spawn(channel: channel, program: program, arguments: arguments, now: now) {
                case .success(let agent):
                    agents[channel, default: []].append(agent)
                    logger.debug("delivery agent started", metadata: ["channel": "\(channel.rawValue)", "pid": "\(agent.pid)"])
                case .failure(let error):
                    let failures = (agentRestart[channel]?.failures ?? 0) + 1
                    agentRestart[channel] = (failures, now + Int64(min(30_000, 100 << min(failures, 9))))
                    logger.error("cannot start delivery agent", metadata: ["channel": "\(channel.rawValue)", "error": "\(error)"])
                }
            }
        }
    }

    /// An agent program: absolute, or in `agent_directory` (default: notifyd's own directory).
    func agentPath(_ program: String) -> String {
        if program.hasPrefix("/") { return program }
        var directory = settings.queueManager.agentDirectory
        if directory.isEmpty {
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            let path = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
            directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        }
        return directory + "/" + program
    }
}
