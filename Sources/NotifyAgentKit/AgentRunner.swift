import NotifyArguments
import ArgumentParser
import Logging
import NotifyCLI
import NotifyCore
import NotifyDaemonKit
import NotifySpool
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The options every delivery agent takes. notifyd passes `--spool`, `--config` and
/// `--provider`; run by hand (for a test) an agent reads requests from the terminal.
public struct AgentOptions: ParsableArguments {
    @OptionGroup public var spool: SpoolOptions
    @Option(help: "The provider; default <channel>_providers from the configuration.")
    public var provider: String?
    @Option(help: "The channel served (notifyd passes it; a channel's own agent accepts only its channel).")
    public var channel: String?

    public init() {}
}

/// The shared skeleton of the delivery agents (like Postfix's single_server/multi_server):
/// it owns start-up, the pipe protocol, status records and shutdown; a program supplies
/// only its providers.
public struct AgentRunner: Sendable {
    /// Makes the provider of one `<channel>_providers` entry (a URL or a name); nil for an
    /// entry it does not know. Throws a `CommandFailure` for a known one that is
    /// misconfigured (a missing credential file…), with a message free of secrets.
    public typealias ProviderFactory = @Sendable (_ entry: String, _ spool: Spool, _ settings: Settings) throws -> (any DeliveryProvider)?

    let program: String
    let channel: Channel
    let providers: ProviderFactory

    public init(program: String, channel: Channel, providers: @escaping ProviderFactory) {
        self.program = program
        self.channel = channel
        self.providers = providers
    }

    /// The providers every agent has: outbox.
    public static let standardProviders: ProviderFactory = { name, spool, _ in
        name == "outbox" ? OutboxProvider(spool: spool) : nil
    }

    /// Serves requests from stdin until it closes, then waits for what is in flight (at most
    /// `drainTimeout`) and exits.
    public func run(_ options: AgentOptions, drainTimeout: Duration = .seconds(10)) async throws {
        try await reportingFailuresAsync(program: program) {
            signal(SIGPIPE, SIG_IGN)
            LoggingBootstrap.bootstrap(program: program)
            if let named = options.channel, named != channel.rawValue {
                throw CommandFailure("\(program) delivers \(channel.rawValue), not \(named)", code: .usage)
            }
            let settings = try options.spool.settings()
            let spool = try Spool.open(settings.spoolDirectory)
            let provider = try makeProvider(options.provider, spool: spool, settings: settings)
            let output = ReplyWriter()
            let session = AgentSession(channel: channel, spool: spool, provider: provider, output: output,
                                       status: StatusBatcher(spool: spool), logger: Logger(label: program))
            await withDiscardingTaskGroup { group in
                for await lines in LineReader.lines(fd: STDIN_FILENO) {
                    for line in lines {
                        guard let request = AgentWire.Request(line: line) else {
                            Logger(label: program).warning("malformed request line")
                            continue
                        }
                        group.addTask { await session.handle(request) }
                    }
                }
                // stdin closed: notifyd stops us. Finish what is in flight, within a bound.
                Task.detached {
                    try? await Task.sleep(for: drainTimeout)
                    exit(0)
                }
            }
        }
    }
}

extension AgentRunner {
    /// The configured providers, in fallback order. notifyd passes `--provider` with the
    /// list's label (never its credentials); that, or no option, means the configured list.
    /// Any other value (a test, a run by hand) is a list of its own.
    func makeProvider(_ option: String?, spool: Spool, settings: Settings) throws -> any DeliveryProvider {
        let delivery = settings.channel(channel).delivery
        let entries = option == nil || option == delivery.provider ? delivery.providerEntries : ProviderList.entries(option!)
        var made: [any DeliveryProvider] = []
        for entry in entries {
            guard let provider = try providers(entry, spool, settings) else {
                throw CommandFailure("\(settings.configPath): \(channel.rawValue)_providers: unknown provider \"\(ProviderList.redacted(entry))\"", code: .config)
            }
            made.append(provider)
        }
        guard !made.isEmpty else {
            throw CommandFailure("\(settings.configPath): \(channel.rawValue)_providers: no provider", code: .config)
        }
        return made.count == 1 ? made[0] : FallbackProvider(made)
    }
}

/// One agent's work: read the job, ask the provider, write the status record, reply.
struct AgentSession: Sendable {
    let channel: Channel
    let spool: Spool
    let provider: any DeliveryProvider
    let output: ReplyWriter
    let status: StatusBatcher
    let logger: Logger

    func handle(_ request: AgentWire.Request) async {
        let started = microsecondsNow()
        let answer: ProviderAnswer
        var job: Job?
        if let id = try? JobID(validating: request.id) {
            do {
                job = try spool.read(id, in: .active)
                answer = await provider.deliver(job!, attempt: request.attempt)
            } catch .notFound {
                answer = ProviderAnswer(.temporary, reason: "job not in active/")
            } catch {
                answer = ProviderAnswer(.permanent, reason: error.description)
            }
        } else {
            answer = ProviderAnswer(.permanent, reason: "not a job ID")
        }
        if let job {
            let record = StatusRecord(
                id: job.id, attempt: request.attempt, channel: channel, provider: answer.provider ?? provider.name,
                result: answer.result.rawValue, reason: answer.reason, code: answer.code,
                providerID: answer.providerID, started: started, finished: microsecondsNow())
            await status.record(record)
            // Quiet at info: notifyd logs what matters (breakers, dead letters); this is
            // for following single attempts. Metadata only, never the provider's URL.
            logger.debug("attempt answered", metadata: [
                "job_id": "\(job.id.text)", "channel": "\(channel.rawValue)", "provider": "\(record.provider)",
                "attempt": "\(request.attempt)", "outcome": "\(answer.result.rawValue)", "code": "\(answer.code ?? "")",
                "message_id": "\(JournalMessageID.attemptAnswered)",
            ])
        }
        output.write(AgentWire.Reply(
            id: request.id, attempt: request.attempt, result: answer.result, code: answer.code,
            retryAfterMilliseconds: answer.retryAfterMilliseconds, providerID: answer.providerID, reason: answer.reason))
    }
}

/// Writes replies to stdout whole, one at a time. If notifyd is gone (EPIPE) the agent
/// has nobody to answer and exits; notifyd's recovery retries what was in flight.
final class ReplyWriter: Sendable {
    private let lock = Mutex(())

    func write(_ reply: AgentWire.Reply) {
        var line = reply.line
        lock.withLock { _ in
            line.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { exit(0) }
                }
            }
        }
    }
}

func microsecondsNow() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}

/// `reportingFailures` for async bodies.
func reportingFailuresAsync(program: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ArgumentParser.ExitCode {
        throw error
    } catch {
        let failure = CommandFailure(error)
        printError("\(program): \(failure.message)")
        throw ArgumentParser.ExitCode(failure.code.rawValue)
    }
}
