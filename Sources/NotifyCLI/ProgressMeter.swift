#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on a terminal's stderr: rows done and rows per second,
/// redrawn at most ten times a second. Only used when stderr is a TTY.
struct ProgressMeter {
    private var started = ProgressMeter.seconds()
    private var lastDraw = 0.0

    mutating func update(rows: Int) {
        let now = ProgressMeter.seconds()
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        draw(rows: rows, elapsed: now - started)
    }

    func finish() { writeAll(STDERR_FILENO, "\r\u{1B}[K") }

    private func draw(rows: Int, elapsed: Double) {
        let rate = elapsed > 0 ? Int(Double(rows) / elapsed) : 0
        let spinner = ["|", "/", "-", "\\"][Int(elapsed * 10) % 4]
        writeAll(STDERR_FILENO, "\r\u{1B}[K\(spinner) \(rows) rows, \(rate) rows/s")
    }

    private static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
