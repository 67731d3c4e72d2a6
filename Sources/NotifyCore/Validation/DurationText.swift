/// Short duration text, as in Postfix and systemd settings: one or more
/// `<whole number><unit>` parts, largest unit first, each unit at most once
/// (`30s`, `10m`, `1h30m`, `2d`, `1w`, `500ms`, `1m30s500ms`), or a bare whole number
/// meaning seconds (`90`).
///
/// Units: `ms` milliseconds, `s` seconds, `m` minutes, `h` hours, `d` days (86400 s),
/// `w` weeks (7 d). Days and weeks are fixed lengths, not calendar days. Units are
/// lower-case (`M` is not minutes). No sign, fractions, or spaces; the total must fit
/// in 64-bit milliseconds (about 292 million years).
public enum DurationText {
    /// Units from largest to smallest with their length in milliseconds.
    static let units: [(name: String, milliseconds: Int64)] = [
        ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]
    private static let unitList = "ms, s, m, h, d or w (e.g. 500ms, 90s, 1h30m, 2d)"

    public static func validate(_ value: String, field: String) throws(FieldError) -> Duration {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else {
            throw FieldError(field, "is empty: expected a duration such as 30s, 10m or 1h30m")
        }
        if bytes[0] == UInt8(ascii: "-") { throw FieldError(field, "cannot be negative") }
        if bytes.allSatisfy(ValidationSupport.isDigit) {
            return .milliseconds(try product(bytes[...], 1_000, field: field))
        }
        var total: Int64 = 0
        var previousUnit = -1
        var i = 0
        while i < bytes.count {
            let numberStart = i
            while i < bytes.count, ValidationSupport.isDigit(bytes[i]) { i += 1 }
            let unitStart = i
            while i < bytes.count, ValidationSupport.isLetter(bytes[i]) { i += 1 }
            let number = bytes[numberStart..<unitStart]
            let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            if i < bytes.count, !ValidationSupport.isDigit(bytes[i]) {
                let scalar = value.unicodeScalars[value.utf8.index(value.utf8.startIndex, offsetBy: i)]
                switch scalar {
                case ".", ",": throw FieldError(field, "uses a fraction: write whole numbers of a smaller unit instead (90m, not 1.5h)")
                case " ", "\t": throw FieldError(field, "contains a space: write durations without spaces, e.g. 1h30m")
                default: throw FieldError(field, "contains \(ValidationSupport.describe(scalar)): expected a number and a unit, one of \(unitList)")
                }
            }
            guard !number.isEmpty else {
                throw FieldError(field, "has the unit '\(unit)' without a number before it")
            }
            guard !unit.isEmpty else {
                throw FieldError(field, "the number \(String(decoding: number, as: UTF8.self)) has no unit: use \(unitList)")
            }
            guard let rank = units.firstIndex(where: { $0.name == unit }) else {
                throw FieldError(field, "has an unknown unit '\(unit)': use \(unitList)")
            }
            guard rank > previousUnit else {
                throw FieldError(field, "units must go from largest to smallest, each at most once (e.g. 1h30m)")
            }
            previousUnit = rank
            let (sum, overflow) = total.addingReportingOverflow(try product(number, units[rank].milliseconds, field: field))
            guard !overflow else { throw tooLarge(field) }
            total = sum
        }
        return .milliseconds(total)
    }

    /// The short form of `duration`, largest unit first, zero parts left out:
    /// 90 s → `1m30s`, 1.5 s → `1s500ms`, 0 → `0s`. Sub-millisecond parts are truncated;
    /// a negative duration gets a leading `-` (which `validate` rejects).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let negative = seconds < 0 || attoseconds < 0
        // Both components carry the sign. Seconds and milliseconds are kept apart so that
        // no product can overflow.
        var wholeSeconds = seconds.magnitude
        let milliseconds = attoseconds.magnitude / 1_000_000_000_000_000
        var text = negative ? "-" : ""
        for (name, length) in units where length >= 1000 {
            let unitSeconds = UInt64(length / 1000)
            if wholeSeconds >= unitSeconds {
                text += "\(wholeSeconds / unitSeconds)\(name)"
                wholeSeconds %= unitSeconds
            }
        }
        if milliseconds > 0 { text += "\(milliseconds)ms" }
        return text.isEmpty || text == "-" ? "0s" : text
    }

    /// `digits × multiplier`, or a "too large" error.
    private static func product(_ digits: ArraySlice<UInt8>, _ multiplier: Int64, field: String) throws(FieldError) -> Int64 {
        var number: Int64 = 0
        for digit in digits {
            let (shifted, o1) = number.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int64(digit - 0x30))
            guard !o1, !o2 else { throw tooLarge(field) }
            number = next
        }
        let (result, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw tooLarge(field) }
        return result
    }

    private static func tooLarge(_ field: String) -> FieldError {
        FieldError(field, "is too large: the longest duration is about 292 million years")
    }
}
