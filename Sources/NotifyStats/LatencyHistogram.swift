import Histogram

/// Milliseconds in an HdrHistogram (two significant digits: 1% precision, a few KB), saved
/// in the snapshot as the recorded values and their counts so a restart restores it exactly.
public struct LatencyHistogram: Sendable {
    /// 30 days: longer waits are recorded as this.
    static let highest: UInt64 = 30 * 86_400_000
    private(set) var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: .two)

    public init() {}

    public var count: UInt64 { histogram.totalCount }

    public mutating func record(_ milliseconds: Int64, count: UInt64 = 1) {
        let value = UInt64(max(0, min(Int64(Self.highest), milliseconds)))
        _ = histogram.record(value, count: count)
    }

    public mutating func add(_ other: LatencyHistogram) { histogram.add(other.histogram) }

    public func percentile(_ p: Double) -> Int64 { histogram.totalCount == 0 ? 0 : Int64(histogram.valueAtPercentile(p)) }

    public var summary: LatencySummary {
        LatencySummary(count: Int64(histogram.totalCount), p50: percentile(50), p90: percentile(90), p99: percentile(99),
                       max: histogram.totalCount == 0 ? 0 : Int64(histogram.max),
                       mean: histogram.totalCount == 0 ? 0 : histogram.mean)
    }

    /// How many values are at or below each bound (ms), for a Prometheus histogram.
    public func cumulativeCounts(bounds: [Int64]) -> [Int64] {
        guard histogram.totalCount > 0 else { return bounds.map { _ in 0 } }
        return bounds.map { Int64(histogram.count(within: 0...UInt64(max(0, $0)))) }
    }

    /// Recorded values and counts: `[[value, count], …]`.
    public var pairs: [[Int64]] {
        histogram.recordedValues().map { [Int64($0.value), Int64($0.count)] }
    }

    public init(pairs: [[Int64]]) {
        for pair in pairs where pair.count == 2 && pair[1] > 0 { record(pair[0], count: UInt64(pair[1])) }
    }

    /// The sum of all values (approximate, from the mean), for a Prometheus histogram.
    public var sum: Double { histogram.totalCount == 0 ? 0 : histogram.mean * Double(histogram.totalCount) }
}

/// Percentiles of a latency histogram, in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int64
    public var p50: Int64
    public var p90: Int64
    public var p99: Int64
    public var max: Int64
    public var mean: Double

    public init(count: Int64, p50: Int64, p90: Int64, p99: Int64, max: Int64, mean: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
        self.mean = mean
    }
}
