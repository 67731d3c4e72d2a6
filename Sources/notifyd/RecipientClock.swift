import Foundation

/// Local time of day in a recipient's time zone, from the system's zoneinfo through
/// Foundation's TimeZone (notifyd may link full Foundation; notify-enqueue may not).
final class RecipientClock {
    private var zones: [String: TimeZone?] = [:]

    /// Seconds after local midnight at `milliseconds` (ms since the epoch) in `identifier`,
    /// or nil for an unknown zone (the job then goes out as if there were no quiet hours).
    func localSecondOfDay(_ milliseconds: Int64, timeZone identifier: String) -> Int? {
        let zone: TimeZone?
        if let cached = zones[identifier] { zone = cached } else {
            zone = TimeZone(identifier: identifier)
            zones[identifier] = .some(zone)
        }
        guard let zone else { return nil }
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let seconds = Int(milliseconds / 1000) + zone.secondsFromGMT(for: date)
        return ((seconds % 86400) + 86400) % 86400
    }
}
