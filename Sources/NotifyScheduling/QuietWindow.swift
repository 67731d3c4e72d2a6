/// A recipient's daily quiet window in local wall-clock time, such as 22:00-07:00.
/// Pure: the caller converts `now` to a local second of the day with the recipient's
/// time zone.
public struct QuietWindow: Sendable, Hashable {
    /// Minutes after local midnight; `start == end` is an empty window.
    public var startMinute: Int
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        precondition((0..<1440).contains(startMinute) && (0..<1440).contains(endMinute), "minutes of a day")
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `HH:MM` times (00:00 to 23:59); nil if either is malformed.
    public init?(start: String, end: String) {
        guard let startMinute = Self.minute(start), let endMinute = Self.minute(end) else { return nil }
        self.init(startMinute: startMinute, endMinute: endMinute)
    }

    /// If `localSecond` (seconds after local midnight, 0..<86400) is inside the window, the
    /// seconds until it ends; nil outside. A window that wraps midnight (start after end)
    /// covers start..24:00 and 00:00..end.
    public func remainingSeconds(atLocalSecond localSecond: Int) -> Int? {
        let start = startMinute * 60, end = endMinute * 60
        let inside: Bool
        if start == end { inside = false } else if start < end {
            inside = localSecond >= start && localSecond < end
        } else {
            inside = localSecond >= start || localSecond < end
        }
        guard inside else { return nil }
        return ((end - localSecond) % 86400 + 86400) % 86400
    }

    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }
}
