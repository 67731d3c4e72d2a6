import NotifyCore
import NotifySpool

/// The queue as it is now, read from the spool: depth per state and channel, the oldest
/// job's age and a qshape-like age histogram. Cheap: a directory scan, and for each queued
/// job its `JobSummary` (the quick reader, no JSONDecoder); the age comes from the job ID.
public struct QueueShape: Codable, Sendable, Equatable {
    /// Upper bounds of the age buckets in minutes, doubling like qshape's; the last is open.
    public static let bucketMinutes = [5, 10, 20, 40, 80, 160, 320, 640, 1280]
    public static let states: [JobState] = JobState.queued

    /// When read, ms since the epoch.
    public var read: Int64
    /// state → channel → jobs.
    public var depth: [String: [String: Int]]
    /// Jobs in incoming, active, deferred and hold.
    public var total: Int
    /// Dead letters waiting for an operator.
    public var dead: Int
    /// The oldest queued job's age in ms, in all and per channel.
    public var oldestAge: Int64?
    public var oldestAgeByChannel: [String: Int64]
    /// channel → jobs per age bucket (`bucketMinutes`, then older).
    public var ages: [String: [Int]]

    enum CodingKeys: String, CodingKey {
        case read, depth, total, dead, oldestAge = "oldest_age_ms", oldestAgeByChannel = "oldest_age_ms_by_channel", ages = "age_histogram"
    }

    public init(read: Int64) {
        self.read = read
        depth = [:]
        for state in Self.states { depth[state.rawValue] = [:] }
        total = 0
        dead = 0
        oldestAge = nil
        oldestAgeByChannel = [:]
        ages = [:]
    }

    public mutating func add(state: JobState, channel: String, created: Int64) {
        depth[state.rawValue, default: [:]][channel, default: 0] += 1
        total += 1
        let age = max(0, read - created)
        oldestAge = max(oldestAge ?? 0, age)
        oldestAgeByChannel[channel] = max(oldestAgeByChannel[channel] ?? 0, age)
        let minutes = age / 60_000
        let bucket = Self.bucketMinutes.firstIndex { minutes < $0 } ?? Self.bucketMinutes.count
        ages[channel, default: [Int](repeating: 0, count: Self.bucketMinutes.count + 1)][bucket] += 1
    }

    /// Jobs of one channel in one state (0 when none).
    public func depth(_ state: JobState, _ channel: String) -> Int { depth[state.rawValue]?[channel] ?? 0 }

    public static func read(_ spool: Spool) throws -> QueueShape {
        try read(spool, now: WallClock.nowMilliseconds())
    }

    public static func read(_ spool: Spool, now: Int64) throws -> QueueShape {
        var shape = QueueShape(read: now)
        var entries: [SpoolEntry] = []
        try spool.scan(states) { entries.append($0) }
        for entry in entries {
            // A job that moved meanwhile is counted where it was; one that is gone is not.
            guard let summary = try? spool.summary(entry.id, in: entry.state) else { continue }
            shape.add(state: entry.state, channel: summary.channel.rawValue, created: summary.created)
        }
        shape.dead = try spool.count([.dead])
        return shape
    }
}
