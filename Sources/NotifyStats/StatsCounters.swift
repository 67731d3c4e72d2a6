/// The counts kept per channel, per provider, in total and per time slot.
public struct StatsCounters: Codable, Sendable, Equatable {
    public var queued: Int64 = 0
    public var attempts: Int64 = 0
    /// Attempts whose result was not `delivered` (temporary, permanent, down).
    public var attemptErrors: Int64 = 0
    public var delivered: Int64 = 0
    public var failed: Int64 = 0
    public var expired: Int64 = 0
    public var suppressed: Int64 = 0
    public var retried: Int64 = 0
    public var cancelled: Int64 = 0
    /// Sum of the attempt counts of delivered jobs (for attempts per delivered job).
    public var attemptsOfDelivered: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case queued, attempts, attemptErrors = "attempt_errors", delivered, failed, expired, suppressed, retried, cancelled
        case attemptsOfDelivered = "attempts_of_delivered"
    }

    public init() {}

    public var isZero: Bool { self == StatsCounters() }

    /// Delivered over jobs that reached an outcome of delivery (delivered, failed,
    /// expired), in percent; nil before any.
    public var successRate: Double? {
        let finished = delivered + failed + expired
        return finished == 0 ? nil : Double(delivered) * 100 / Double(finished)
    }

    /// Attempts that did not deliver, over all attempts, in percent; nil before any.
    public var errorRate: Double? {
        attempts == 0 ? nil : Double(attemptErrors) * 100 / Double(attempts)
    }

    public var attemptsPerDelivered: Double? {
        delivered == 0 ? nil : Double(attemptsOfDelivered) / Double(delivered)
    }

    mutating func count(_ record: StatsRecord) {
        switch record.kind {
        case .queued: queued += 1
        case .attempt:
            attempts += 1
            if record.result != "delivered" { attemptErrors += 1 }
        case .delivered:
            delivered += 1
            attemptsOfDelivered += Int64(record.attempt ?? 1)
        case .failed: failed += 1
        case .expired: expired += 1
        case .suppressed: suppressed += 1
        case .retried: retried += 1
        case .cancelled: cancelled += 1
        }
    }

    public static func + (a: StatsCounters, b: StatsCounters) -> StatsCounters {
        var sum = a
        sum.queued += b.queued
        sum.attempts += b.attempts
        sum.attemptErrors += b.attemptErrors
        sum.delivered += b.delivered
        sum.failed += b.failed
        sum.expired += b.expired
        sum.suppressed += b.suppressed
        sum.retried += b.retried
        sum.cancelled += b.cancelled
        sum.attemptsOfDelivered += b.attemptsOfDelivered
        return sum
    }
}
