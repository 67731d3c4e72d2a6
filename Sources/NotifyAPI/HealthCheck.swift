#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import NotifySpool
import NotifyStats

/// One component of GET /health. Each check is a pure function of the spool's observable
/// state and the settings; /health is 200 when every check is ok, else 503. The last
/// four are seed 001's alert thresholds (`alert_queue_length`, `alert_success_rate`,
/// `alert_error_rate`, `alert_oldest_age`), the same that `notifyctl check` applies.
public struct HealthCheck: Sendable {
    public var name: String
    public var run: @Sendable (Spool) -> HealthComponent

    public static func standard(settings: Settings, queueShapes: QueueShapeCache) -> [HealthCheck] {
        basic(settings: settings) + alerts(settings.stats, queueShapes: queueShapes)
    }

    static func basic(settings: Settings) -> [HealthCheck] {
        [
            HealthCheck(name: "spool_writable") { spool in
                if let error = spool.probeWritable() { return HealthComponent(ok: false, detail: error.description) }
                return HealthComponent(ok: true, detail: "tmp/ accepts files")
            },
            HealthCheck(name: "free_space") { spool in
                guard let free = spool.freeSpace() else { return HealthComponent(ok: false, detail: "statvfs failed") }
                let minimum = Int64(settings.api.minimumFreeSpace)
                return HealthComponent(ok: free >= minimum, detail: "\(free >> 20) MiB free; minimum \(minimum >> 20) MiB",
                                       value: free)
            },
            HealthCheck(name: "notifyd") { spool in queueManager(spool, staleAfter: settings.api.queueManagerStaleAge) },
            HealthCheck(name: "agents") { spool in agents(spool) },
            HealthCheck(name: "breakers") { spool in
                guard let state = spool.queueManagerState() else { return HealthComponent(ok: false, detail: "no state/qmgr.json") }
                let open = state.breakers.filter { $0.state == "open" }
                return HealthComponent(ok: open.isEmpty, detail: open.isEmpty ? "all closed or half-open"
                                       : "open: " + open.map { "\($0.channel) (\($0.provider))" }.joined(separator: ", "),
                                       value: Int64(open.count))
            },
        ]
    }

    /// The seed's alert thresholds: the queue (incoming, active, deferred, hold) and its
    /// oldest job from the spool, the success and attempt error rates from notify-statsd's
    /// snapshot (the last hour when it had traffic, else all time; no traffic is ok).
    static func alerts(_ limits: StatsSettings, queueShapes: QueueShapeCache) -> [HealthCheck] {
        @Sendable func rates(_ spool: Spool) -> StatsCounters? {
            guard let snapshot = spool.statsSnapshot() else { return nil }
            let hour = snapshot.totals.windows["1h"] ?? StatsCounters()
            return hour.attempts > 0 || hour.delivered + hour.failed + hour.expired > 0 ? hour : snapshot.totals.counters
        }
        @Sendable func percent(_ value: Double) -> String { "\((value * 10).rounded() / 10)%" }
        return [
            HealthCheck(name: "queue_length") { spool in
                guard let shape = try? queueShapes.shape(spool) else { return HealthComponent(ok: false, detail: "cannot read the queue") }
                return HealthComponent(ok: shape.total <= limits.alertQueueLength,
                                       detail: "\(shape.total) queued; alert above \(limits.alertQueueLength)", value: Int64(shape.total))
            },
            HealthCheck(name: "oldest_job") { spool in
                guard let shape = try? queueShapes.shape(spool) else { return HealthComponent(ok: false, detail: "cannot read the queue") }
                let age = shape.oldestAge ?? 0, limit = limits.alertOldestAge.milliseconds
                return HealthComponent(ok: age <= limit, detail: "\(age / 1000) s; alert above \(limit / 1000) s", value: age / 1000)
            },
            HealthCheck(name: "success_rate") { spool in
                guard let rate = rates(spool)?.successRate else { return HealthComponent(ok: true, detail: "no deliveries yet") }
                return HealthComponent(ok: rate >= Double(limits.alertSuccessRate),
                                       detail: "\(percent(rate)); alert below \(limits.alertSuccessRate)%", value: Int64(rate.rounded()))
            },
            HealthCheck(name: "error_rate") { spool in
                guard let rate = rates(spool)?.errorRate else { return HealthComponent(ok: true, detail: "no attempts yet") }
                return HealthComponent(ok: rate <= Double(limits.alertErrorRate),
                                       detail: "\(percent(rate)); alert above \(limits.alertErrorRate)%", value: Int64(rate.rounded()))
            },
        ]
    }

    /// notifyd is alive when state/qmgr.json names a running process and was written
    /// within `staleAfter` (it rewrites it at least on every change and once a second
    /// while busy).
    static func queueManager(_ spool: Spool, staleAfter: Duration) -> HealthComponent {
        guard let state = spool.queueManagerState() else { return HealthComponent(ok: false, detail: "no state/qmgr.json: notifyd never ran") }
        guard kill(state.pid, 0) == 0 || errno == EPERM else {
            return HealthComponent(ok: false, detail: "pid \(state.pid) from state/qmgr.json is not running")
        }
        let written = (try? Timestamp.validate(state.written, field: "written")) ?? 0
        let age = WallClock.nowMilliseconds() - written
        // An idle notifyd does not rewrite its snapshot; only a dead pid is fatal then.
        return HealthComponent(ok: true, detail: "pid \(state.pid), state written \(age / 1000) s ago"
                               + (age > staleAfter.milliseconds ? " (idle or stalled)" : ""), value: Int64(state.pid))
    }

    /// notifyd's children (the delivery agents), from /proc.
    static func agents(_ spool: Spool) -> HealthComponent {
        guard let state = spool.queueManagerState(), kill(state.pid, 0) == 0 || errno == EPERM else {
            return HealthComponent(ok: false, detail: "notifyd is not running")
        }
        var names: [String] = []
        if let dir = opendir("/proc") {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
                guard let pid = Int32(name), let stat = readSmallFile("/proc/\(pid)/stat") else { continue }
                // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
                guard let close = stat.lastIndex(of: ")"), let open = stat.firstIndex(of: "(") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == state.pid {
                    names.append(String(stat[stat.index(after: open)..<close]))
                }
            }
        }
        return HealthComponent(ok: !names.isEmpty, detail: names.isEmpty ? "no delivery agent is running" : names.sorted().joined(separator: ", "),
                               value: Int64(names.count))
    }

    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

public struct HealthComponent: Sendable, Encodable {
    public var ok: Bool
    public var detail: String
    public var value: Int64?

    public init(ok: Bool, detail: String, value: Int64? = nil) {
        self.ok = ok
        self.detail = detail
        self.value = value
    }
}

extension APIService {
    struct HealthReport: Encodable {
        var status: String
        var components: [String: HealthComponent]
        var timestamp: String
    }

    /// 200 when every component is ok, 503 otherwise. Anyone who can connect sees the
    /// status; the component details need read_stats (or admin).
    func health(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        var components: [String: HealthComponent] = [:]
        for check in healthChecks { components[check.name] = check.run(spool) }
        let healthy = components.values.allSatisfy(\.ok)
        if !(rights.readStats || rights.admin) {
            for name in components.keys { components[name]!.detail = ""; components[name]!.value = nil }
        }
        return .json(healthy ? 200 : 503, HealthReport(status: healthy ? "ok" : "unhealthy", components: components,
                                                        timestamp: Timestamp.format(millisecondsSinceEpoch: WallClock.nowMilliseconds())))
    }
}
