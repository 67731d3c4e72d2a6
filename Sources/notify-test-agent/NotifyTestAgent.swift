// NAME
//     notify-test-agent - a delivery agent whose behaviour a test controls (test only)
//
// SYNOPSIS
//     notify-test-agent --channel CHANNEL [--spool DIR] [--config FILE]
//
// DESCRIPTION
//     For tests and benchmarks only; never install it. It speaks the agent protocol
//     (agent-protocol.md) like notify-sms and the others, writes status records, and
//     answers each job as its metadata `test_outcome` says, so that a test can drive
//     notifyd through every result with real processes:
//
//         (none) or deliver   delivered at once
//         temporary:N         temporary failure on attempts 1..N, then delivered
//         retry_after:MS:N    temporary failure with Retry-After MS on attempts 1..N
//         permanent           permanent failure (code 400, bad request)
//         unauthorized        credentials refused (code 401): permanent, provider down
//         down:N              destination down on attempts 1..N
//         control             destination down while the file $NOTIFY_TEST_AGENT_CONTROL/down
//                             exists, permanent failure while .../permanent exists,
//                             credentials refused while .../unauthorized exists,
//                             delivered otherwise
//         hang                never answers
//         crash:N             kills itself (SIGKILL) mid-delivery on attempts 1..N
//         slow:MS             delivered after MS milliseconds
//
//     State comes from the attempt number in the request, or from the control directory,
//     so the agent keeps none of its own and may be killed at any time.
//
// EXIT STATUS
//     as notify-sms(8).
//
// ENVIRONMENT
//     NOTIFY_TEST_AGENT_CONTROL   the directory of the `control` outcome.
//
// SEE ALSO
//     notifyd(8), agent-protocol.md
import ArgumentParser
import NotifyAgentKit
import NotifyCore
#if canImport(Glibc)
import Glibc
#endif

@main
struct NotifyTestAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-test-agent", abstract: "A test-controlled delivery agent (tests only).")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let channel = try Channel.parse(options.channel ?? "sms")
        try await AgentRunner(program: "notify-test-agent", channel: channel) { _, _, _ in ScriptedProvider() }.run(options)
    }
}

/// Answers as the job's `test_outcome` says.
struct ScriptedProvider: DeliveryProvider {
    let name = "test"

    func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let parts = (job.meta["test_outcome"] ?? "deliver").split(separator: ":").map(String.init)
        let limit = parts.count > 1 ? Int(parts.last!) ?? 0 : 0
        let delivered = ProviderAnswer(.delivered, reason: "accepted", code: "200", providerID: "test:\(job.id.text)")
        switch parts.first ?? "deliver" {
        case "temporary" where attempt <= limit:
            return ProviderAnswer(.temporary, reason: "try again later", code: "451")
        case "retry_after" where attempt <= limit:
            return ProviderAnswer(.temporary, reason: "rate limited", code: "429", retryAfterMilliseconds: Int64(parts[1]) ?? 0)
        case "permanent":
            return ProviderAnswer(.permanent, reason: "bad request", code: "400")
        case "unauthorized":
            return ProviderAnswer(.unauthorized, reason: "HTTP 401: invalid credentials", code: "401")
        case "down" where attempt <= limit:
            return ProviderAnswer(.down, reason: "connection refused", code: "503")
        case "control":
            let directory = getenv("NOTIFY_TEST_AGENT_CONTROL").map { String(cString: $0) } ?? "/nonexistent"
            if access(directory + "/down", F_OK) == 0 {
                return ProviderAnswer(.down, reason: "connection refused", code: "503")
            }
            if access(directory + "/permanent", F_OK) == 0 {
                return ProviderAnswer(.permanent, reason: "bad request", code: "400")
            }
            if access(directory + "/unauthorized", F_OK) == 0 {
                return ProviderAnswer(.unauthorized, reason: "HTTP 401: invalid credentials", code: "401")
            }
            return delivered
        case "hang":
            while true { try? await Task.sleep(for: .seconds(3600)) }
        case "crash" where attempt <= limit:
            kill(getpid(), SIGKILL)
            return delivered
        case "slow":
            try? await Task.sleep(for: .milliseconds(Int64(parts.count > 1 ? Int(parts[1]) ?? 0 : 0)))
            return delivered
        default:
            return delivered
        }
    }
}
