#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on a terminal's stderr, redrawn at most ten times a second:
///
///     [##########..........]  52%  52000/100000 rows  24100 rows/s
///
/// Without a known total it shows the count and rate only. Only used when stderr is a TTY,
/// so nothing extra appears when the output is piped or logged.
struct ProgressMeter {
    var total: Int?
    private var started = ProgressMeter.seconds()
    private var lastDraw = -1.0

    init(total: Int?) { self.total = total }

    mutating func update(rows: Int) {
        let now = ProgressMeter.seconds()
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        writeAll(STDERR_FILENO, "\r\u{1B}[K" + ProgressMeter.line(rows: rows, total: total, elapsed: now - started))
    }

    /// Clears the line, so the summary starts on a clean one.
    func finish() { writeAll(STDERR_FILENO, "\r\u{1B}[K") }

    static func line(rows: Int, total: Int?, elapsed: Double) -> String {
        let rate = elapsed > 0 ? " \(Int(Double(rows) / elapsed)) rows/s" : ""
        guard let total, total > 0 else { return "\(rows) rows\(rate)" }
        let fraction = min(1, Double(rows) / Double(total))
        let filled = Int(fraction * 20)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
        let percent = String(Int(fraction * 100))
        return "[\(bar)] \(String(repeating: " ", count: 3 - percent.count))\(percent)%  \(rows)/\(total) rows\(rate)"
    }

    private static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
