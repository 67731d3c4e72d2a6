/// A point in wall-clock time: whole milliseconds since the Unix epoch (UTC).
///
/// The scheduling state machines never read a clock; callers pass `now` as an `Instant`.
/// Millisecond granularity matches what the spool stores and keeps arithmetic exact.
/// Arithmetic saturates at the ends of `Int64` instead of trapping.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The Unix epoch, 1970-01-01T00:00:00Z.
    public static let epoch = Instant(millisecondsSinceEpoch: 0)

    public var description: String { "@\(millisecondsSinceEpoch)ms" }

    public static func < (a: Instant, b: Instant) -> Bool {
        a.millisecondsSinceEpoch < b.millisecondsSinceEpoch
    }

    /// `instant` moved later by `duration` (truncated to whole milliseconds).
    public static func + (instant: Instant, duration: Duration) -> Instant {
        instant.adding(milliseconds: duration.wholeMilliseconds)
    }

    /// `instant` moved earlier by `duration` (truncated to whole milliseconds).
    public static func - (instant: Instant, duration: Duration) -> Instant {
        let ms = duration.wholeMilliseconds
        return instant.adding(milliseconds: ms == .min ? .max : -ms)
    }

    /// The time from `b` to `a`; negative when `a` is earlier.
    public static func - (a: Instant, b: Instant) -> Duration {
        let (difference, overflow) = a.millisecondsSinceEpoch
            .subtractingReportingOverflow(b.millisecondsSinceEpoch)
        if overflow { return .milliseconds(a > b ? Int64.max : Int64.min) }
        return .milliseconds(difference)
    }

    public static func += (instant: inout Instant, duration: Duration) {
        instant = instant + duration
    }

    public static func -= (instant: inout Instant, duration: Duration) {
        instant = instant - duration
    }

    /// This instant moved by `milliseconds`, saturating instead of overflowing.
    public func adding(milliseconds: Int64) -> Instant {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(milliseconds)
        if overflow { return Instant(millisecondsSinceEpoch: milliseconds > 0 ? .max : .min) }
        return Instant(millisecondsSinceEpoch: sum)
    }
}
