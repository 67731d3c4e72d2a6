import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool
import NotifyStats
#if canImport(Glibc)
import Glibc
#endif

/// `notifyctl stats`: notify-statsd's snapshot and the live queue as a table; `--json`
/// prints the `/v1/stats` body (SeedsStatsView).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Delivery counts, rates, latency percentiles and the queue, per channel and provider.")

    @OptionGroup var spool: SpoolOptions
    @Flag(help: "The /v1/stats JSON object.")
    var json = false

    func run() throws {
        try reportingFailures(program: "notifyctl stats") {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            let queue = try QueueShape.read(store)
            let snapshot = store.statsSnapshot()
            if json {
                writeAll(STDOUT_FILENO, String(decoding: SeedsStatsView.json(snapshot, queue: queue), as: UTF8.self))
                return
            }
            print(StatsTable.render(snapshot, queue: queue))
        }
    }
}

/// The text of `notifyctl stats`.
enum StatsTable {
    static var counterColumns: [(String, KeyPath<StatsCounters, Int64>)] { [
        ("QUEUED", \.queued), ("ATTEMPTS", \.attempts), ("DELIVERED", \.delivered), ("FAILED", \.failed), ("EXPIRED", \.expired),
        ("SUPPRESSED", \.suppressed), ("RETRIED", \.retried), ("CANCELLED", \.cancelled),
    ] }

    static func render(_ snapshot: StatsSnapshot?, queue: QueueShape) -> String {
        var lines: [String] = []
        if let snapshot {
            lines.append("stats since \(Timestamp.format(millisecondsSinceEpoch: snapshot.since)), written \(JobTable.age(max(0, queue.read - snapshot.written))) ago, \(snapshot.records) records")
        } else {
            lines.append("no stats snapshot yet (notify-statsd has not run)")
        }
        lines.append("")
        lines.append(header("CHANNEL", 9))
        for name in (snapshot?.channels.keys.sorted() ?? []) { lines.append(row(name, snapshot!.channels[name]!, 9)) }
        if let totals = snapshot?.totals { lines.append(row("total", totals, 9)) }
        if let providers = snapshot?.providers, !providers.isEmpty {
            let width = max(9, (providers.keys.map(\.count).max() ?? 0) + 2)
            lines.append("")
            lines.append(header("PROVIDER", width))
            for name in providers.keys.sorted() { lines.append(row(name, providers[name]!, width)) }
        }
        if let snapshot {
            lines.append("")
            lines.append(JobTable.pad("WINDOW", 8) + counterColumns.map { JobTable.pad($0.0, $0.0.count + 2) }.joined() + "SUCCESS")
            for (name, _) in StatsSnapshot.windows {
                let counters = snapshot.totals.windows[name] ?? StatsCounters()
                lines.append(JobTable.pad(name, 8) + counterColumns.map { JobTable.pad("\(counters[keyPath: $0.1])", $0.0.count + 2) }.joined()
                             + rate(counters.successRate))
            }
        }
        lines.append("")
        lines.append("queue: \(queue.total) jobs, oldest \(queue.oldestAge.map(JobTable.age) ?? "-"), \(queue.dead) dead letters")
        for state in QueueShape.states {
            let perChannel = (queue.depth[state.rawValue] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  " + JobTable.pad(state.rawValue, 9) + (perChannel.isEmpty ? "0" : perChannel.joined(separator: ", ")))
        }
        let limited = (snapshot?.rateLimited ?? [:]).filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !limited.isEmpty {
            lines.append("rate limiter holding back: " + limited.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for breaker in snapshot?.breakers ?? [] where breaker.state != "closed" {
            lines.append("breaker \(breaker.channel) \(breaker.provider): \(breaker.state)" + (breaker.openUntil.map { " until \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    static func header(_ first: String, _ width: Int) -> String {
        JobTable.pad(first, width) + counterColumns.map { JobTable.pad($0.0, $0.0.count + 2) }.joined()
            + JobTable.pad("SUCCESS", 9) + JobTable.pad("P50MS", 8) + JobTable.pad("P90MS", 8) + JobTable.pad("P99MS", 8)
            + JobTable.pad("MAXMS", 9) + JobTable.pad("PROV-P99", 10) + "ATT/DLV"
    }

    static func row(_ name: String, _ group: StatsSnapshot.GroupStats, _ width: Int) -> String {
        let latency = group.deliveryLatency
        return JobTable.pad(name, width) + counterColumns.map { JobTable.pad("\(group.counters[keyPath: $0.1])", $0.0.count + 2) }.joined()
            + JobTable.pad(rate(group.successRate), 9) + JobTable.pad("\(latency.p50)", 8) + JobTable.pad("\(latency.p90)", 8)
            + JobTable.pad("\(latency.p99)", 8) + JobTable.pad("\(latency.max)", 9) + JobTable.pad("\(group.providerLatency.p99)", 10)
            + (group.attemptsPerDelivered.map { fixed($0, 2) } ?? "-")
    }

    static func rate(_ value: Double?) -> String { value.map { fixed($0, 1) + "%" } ?? "-" }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = scaled / Int64(scale), fraction = abs(scaled % Int64(scale))
        guard digits > 0 else { return "\(whole)" }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}
