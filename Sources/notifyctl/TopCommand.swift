import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool
import NotifyStats
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `notifyctl top`: a live view refreshing every second, like top(1) and qshape: per
/// channel deliveries per second, queue depth by state, oldest age, p99 latency, and the
/// breakers. q or Ctrl-C quits; the terminal is restored (also on SIGTERM and SIGHUP).
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "A live view of deliveries, queue depth, latency and breakers; q quits.")

    @OptionGroup var spool: SpoolOptions
    @Option(help: "Seconds between refreshes.")
    var interval: Double = 1

    func run() throws {
        try reportingFailures(program: "notifyctl top") {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            let terminal = RawTerminal()
            defer { terminal.restore() }
            var previous: StatsSnapshot?
            var rates: [String: Double] = [:]
            while !TopSignals.stop.load(ordering: .relaxed) {
                let queue = try QueueShape.read(store)
                let snapshot = store.statsSnapshot()
                if let snapshot, let previous, snapshot.written > previous.written {
                    let seconds = Double(snapshot.written - previous.written) / 1000
                    rates = [:]
                    for (name, group) in snapshot.channels {
                        let before = previous.channels[name]?.counters.delivered ?? 0
                        rates[name] = Double(group.counters.delivered - before) / seconds
                    }
                } else if previous == nil, let snapshot {
                    for (name, group) in snapshot.channels { rates[name] = Double(group.windows["1m"]?.delivered ?? 0) / 60 }
                }
                if let snapshot, snapshot.written != previous?.written { previous = snapshot }
                let (rows, columns) = terminal.size
                terminal.draw(TopScreen.render(snapshot, queue: queue, rates: rates, qmgr: store.queueManagerState(),
                                               width: columns, height: rows))
                if terminal.waitForQuit(milliseconds: Int32(max(50, interval * 1000))) { break }
            }
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT end `top` through this flag, so the terminal is restored.
enum TopSignals {
    static let stop = Atomic<Bool>(false)
}

/// The terminal in non-canonical mode without echo, on the alternate screen with the
/// cursor hidden; `restore` puts everything back.
final class RawTerminal {
    private var saved = termios()
    private let isTerminal: Bool

    init() {
        isTerminal = isatty(STDIN_FILENO) == 1
        if isTerminal {
            tcgetattr(STDIN_FILENO, &saved)
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        // The runtime starts the main thread with these blocked; top must see them.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGTERM, SIGHUP, SIGINT] {
            signal(number) { _ in TopSignals.stop.store(true, ordering: .relaxed) }
            sigaddset(&signals, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        writeAll(STDOUT_FILENO, "\u{1B}[?1049h\u{1B}[?25l")
    }

    func restore() {
        writeAll(STDOUT_FILENO, "\u{1B}[?25h\u{1B}[?1049l")
        if isTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
    }

    var size: (rows: Int, columns: Int) {
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 { return (Int(window.ws_row), Int(window.ws_col)) }
        return (24, 80)
    }

    func draw(_ lines: [String]) {
        writeAll(STDOUT_FILENO, "\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n"))
    }

    /// Waits up to `milliseconds` for a key; true when it was q, Q or Ctrl-C (or a signal
    /// asked to stop).
    func waitForQuit(milliseconds: Int32) -> Bool {
        var deadline = milliseconds
        while deadline > 0 {
            var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let started = Self.now()
            let ready = poll(&fd, 1, deadline)
            if TopSignals.stop.load(ordering: .relaxed) { return true }
            if ready > 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                let n = read(STDIN_FILENO, &bytes, bytes.count)
                // The terminal went away (end of input on a tty, EIO): nobody is watching.
                if isTerminal && (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) { return true }
                if n == 0 { return false }  // end of a non-terminal input: refresh until a signal
                if n > 0 && bytes[0..<n].contains(where: { $0 == UInt8(ascii: "q") || $0 == UInt8(ascii: "Q") || $0 == 3 }) { return true }
            }
            deadline -= Int32(Self.now() - started)
            if ready == 0 { return false }
        }
        return false
    }

    private static func now() -> Int64 { WallClock.nowMilliseconds() }
}

/// One frame of `notifyctl top`.
enum TopScreen {
    static func render(_ snapshot: StatsSnapshot?, queue: QueueShape, rates: [String: Double], qmgr: QueueManagerState?,
                       width: Int, height: Int) -> [String] {
        var lines: [String] = []
        let time = Timestamp.format(millisecondsSinceEpoch: queue.read)
        let statsd = snapshot.map { "stats \(JobTable.age(max(0, queue.read - $0.written))) old" } ?? "no stats (notify-statsd not running?)"
        let notifyd = qmgr.map { kill($0.pid, 0) == 0 ? "notifyd running" : "notifyd not running" } ?? "notifyd not running"
        lines.append("notifyctl top - \(time)  \(notifyd)  \(statsd)")
        let totalRate = rates.values.reduce(0, +)
        lines.append("queue \(queue.total) jobs  oldest \(queue.oldestAge.map(JobTable.age) ?? "-")  dead \(queue.dead)  deliveries/s \(StatsTable.fixed(totalRate, 1))"
                     + "  p99 \(snapshot?.totals.deliveryLatency.p99 ?? 0) ms")
        lines.append("")
        lines.append(JobTable.pad("CHANNEL", 9) + JobTable.pad("DLV/S", 9) + JobTable.pad("QUEUED", 8) + JobTable.pad("INCOMING", 9)
                     + JobTable.pad("ACTIVE", 8) + JobTable.pad("DEFERRED", 9) + JobTable.pad("HOLD", 6) + JobTable.pad("OLDEST", 8)
                     + JobTable.pad("P99MS", 8) + JobTable.pad("DELIVERED", 11) + JobTable.pad("FAILED", 8) + "SUCCESS")
        var names = Set(Channel.allCases.map(\.rawValue))
        names.formUnion(snapshot?.channels.keys.map { $0 } ?? [])
        for name in names.sorted() {
            let group = snapshot?.channels[name]
            let queued = QueueShape.states.reduce(0) { $0 + queue.depth($1, name) }
            lines.append(JobTable.pad(name, 9) + JobTable.pad(StatsTable.fixed(rates[name] ?? 0, 1), 9) + JobTable.pad("\(queued)", 8)
                         + JobTable.pad("\(queue.depth(.incoming, name))", 9) + JobTable.pad("\(queue.depth(.active, name))", 8)
                         + JobTable.pad("\(queue.depth(.deferred, name))", 9) + JobTable.pad("\(queue.depth(.hold, name))", 6)
                         + JobTable.pad(queue.oldestAgeByChannel[name].map(JobTable.age) ?? "-", 8)
                         + JobTable.pad("\(group?.deliveryLatency.p99 ?? 0)", 8) + JobTable.pad("\(group?.counters.delivered ?? 0)", 11)
                         + JobTable.pad("\(group?.counters.failed ?? 0)", 8) + StatsTable.rate(group?.successRate))
        }
        lines.append("")
        let breakers = qmgr?.breakers ?? snapshot?.breakers ?? []
        if breakers.isEmpty {
            lines.append("breakers: none reported")
        } else {
            lines.append("breakers: " + breakers.map { "\($0.channel)/\($0.provider) \($0.state)" }.joined(separator: "  "))
        }
        let limited = (qmgr?.rateLimited ?? [:]).filter { $0.value > 0 }.sorted { $0.key < $1.key }
        lines.append("rate limited: " + (limited.isEmpty ? "none" : limited.map { "\($0.key) \($0.value) jobs" }.joined(separator: "  ")))
        lines.append("")
        lines.append("q: quit")
        return lines.prefix(max(1, height)).map { String($0.prefix(max(20, width))) }
    }
}
