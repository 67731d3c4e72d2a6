import NotifyArguments
import ArgumentParser
import NotifyCLI
import NotifyCore
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

/// `notifyctl status`: per channel, queue depth by state, the oldest job's age, a
/// qshape-like age histogram, and the circuit breakers from notifyd's last snapshot.
/// Reads the spool directly (every queued job file: an admin command, like qshape).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Queue depth, oldest age, age histogram and breaker states per channel.")

    @OptionGroup var spool: SpoolOptions
    @Flag(help: "One JSON object.")
    var json = false

    /// Upper bounds of the age buckets in minutes, doubling like qshape's; the last is open.
    static let bucketMinutes = [5, 10, 20, 40, 80, 160, 320, 640, 1280]

    func run() throws {
        try reportingFailures(program: "notifyctl status") {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            let now = WallClock.nowMilliseconds()
            var channels: [String: ChannelStatus] = [:]
            for channel in Channel.allCases { channels[channel.rawValue] = ChannelStatus() }
            var entries: [SpoolEntry] = []
            try store.scan(JobState.queued) { entries.append($0) }
            for entry in entries {
                guard let job = try? store.read(entry) else { continue }
                channels[job.channel.rawValue]!.add(state: entry.state, ageMilliseconds: now - job.created)
            }
            let snapshot = store.queueManagerState()
            let running = snapshot.map { kill($0.pid, 0) == 0 } ?? false
            let report = StatusReport(
                notifyd: running ? "running" : "not running", snapshot: snapshot?.written,
                channels: channels, breakers: snapshot?.breakers ?? [],
                ageBuckets: Self.bucketMinutes.map { "\($0)m" } + ["more"])
            if json {
                print(encodeJSONLine(report))
                return
            }
            print("notifyd: \(report.notifyd)" + (snapshot.map { " (state of \($0.written))" } ?? ""))
            print(JobTable.pad("CHANNEL", 8) + JobTable.pad("QUEUED", 8) + JobTable.pad("INCOMING", 9) + JobTable.pad("ACTIVE", 7)
                  + JobTable.pad("DEFERRED", 9) + JobTable.pad("HOLD", 6) + JobTable.pad("OLDEST", 8) + "BREAKER")
            for channel in Channel.allCases {
                let status = channels[channel.rawValue]!
                let breaker = report.breakers.first { $0.channel == channel.rawValue }
                let breakerText = breaker.map { "\($0.provider) \($0.state)" + ($0.openUntil.map { " until \($0)" } ?? "") } ?? "-"
                print(JobTable.pad(channel.rawValue, 8) + JobTable.pad("\(status.queued)", 8) + JobTable.pad("\(status.byState["incoming"] ?? 0)", 9)
                      + JobTable.pad("\(status.byState["active"] ?? 0)", 7) + JobTable.pad("\(status.byState["deferred"] ?? 0)", 9)
                      + JobTable.pad("\(status.byState["hold"] ?? 0)", 6)
                      + JobTable.pad(status.oldestMilliseconds.map { JobTable.age($0) } ?? "-", 8) + breakerText)
            }
            print("")
            print("age histogram (jobs queued, by age; qshape):")
            print(JobTable.pad("CHANNEL", 8) + report.ageBuckets.map { JobTable.pad($0, 7) }.joined())
            for channel in Channel.allCases {
                print(JobTable.pad(channel.rawValue, 8) + channels[channel.rawValue]!.ages.map { JobTable.pad("\($0)", 7) }.joined())
            }
        }
    }
}

struct ChannelStatus: Encodable {
    var queued = 0
    var byState: [String: Int] = [:]
    var oldestMilliseconds: Int64?
    var ages = [Int](repeating: 0, count: StatusCommand.bucketMinutes.count + 1)

    enum CodingKeys: String, CodingKey { case queued, byState = "by_state", oldestMilliseconds = "oldest_ms", ages = "age_histogram" }

    mutating func add(state: JobState, ageMilliseconds: Int64) {
        queued += 1
        byState[state.rawValue, default: 0] += 1
        oldestMilliseconds = max(oldestMilliseconds ?? 0, ageMilliseconds)
        let minutes = ageMilliseconds / 60_000
        let bucket = StatusCommand.bucketMinutes.firstIndex { minutes < $0 } ?? StatusCommand.bucketMinutes.count
        ages[bucket] += 1
    }
}

struct StatusReport: Encodable {
    var notifyd: String
    var snapshot: String?
    var channels: [String: ChannelStatus]
    var breakers: [QueueManagerState.Breaker]
    var ageBuckets: [String]

    enum CodingKeys: String, CodingKey { case notifyd, snapshot, channels, breakers, ageBuckets = "age_buckets" }
}
