/// Instants as RFC 3339 text (the internet profile of ISO 8601), held as milliseconds
/// since 1970-01-01T00:00:00Z (Unix time, no leap seconds).
///
/// Accepted (RFC 3339 §5.6, with the ISO 8601 liberties noted):
/// `YYYY-MM-DD` `T` `hh:mm[:ss[.fraction]]` zone, where
/// - the separator may be `T`, `t` or a space (RFC 3339 §5.6 note); seconds may be left
///   out (ISO 8601 reduced precision);
/// - the fraction has 1 or more digits after `.` or `,` and is truncated to milliseconds;
/// - the zone is required: `Z`/`z`, or an offset `+hh:mm`, `-hh:mm`, `+hhmm` or `+hh`
///   (offsets up to ±23:59; `-00:00` is read as UTC);
/// - years 0000–9999; days are checked against the month, with Gregorian leap years;
/// - a leap second (`:60`) is accepted and read as the first instant of the next minute,
///   as POSIX time has no leap seconds.
///
/// Parsing and formatting are hand-written integer arithmetic (days-from-civil, see
/// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"): FoundationEssentials'
/// `Date.ISO8601FormatStyle` goes through `Double` seconds and can print `.123` as
/// `.122`, and the formatter runs for every job.
public enum Timestamp {
    private static let msPerDay: Int64 = 86_400_000
    private static let example = "e.g. 2026-12-01T09:00:00Z"

    /// Milliseconds since the epoch for an RFC 3339 instant.
    /// - Throws: `FieldError(field, reason)`; a missing zone is reported as such.
    public static func validate(_ value: String, field: String) throws(FieldError) -> Int64 {
        var p = Parser(bytes: Array(value.utf8))
        guard !p.bytes.isEmpty else { throw FieldError(field, "is empty: expected an RFC 3339 timestamp (\(example))") }
        let bad = FieldError(field, "not an RFC 3339 timestamp: expected the form 2026-12-01T09:00:00Z or 2026-12-01T09:00:00.250+05:30")
        guard let year = p.number(4), p.skip("-"), let month = p.number(2), p.skip("-"), let day = p.number(2) else { throw bad }
        guard (1...12).contains(month) else { throw FieldError(field, "month \(month) is out of range (01 to 12)") }
        guard (1...daysIn(month: month, year: year)).contains(day) else {
            throw FieldError(field, "day \(day) does not exist in \(pad(year, 4))-\(pad(month, 2))")
        }
        if p.atEnd { throw FieldError(field, "is a date without a time: add a time and zone (\(example))") }
        guard p.skip("T") || p.skip("t") || p.skip(" ") else { throw bad }
        guard let hour = p.number(2), p.skip(":"), let minute = p.number(2) else { throw bad }
        var second = 0
        var millisecond = 0
        if p.skip(":") {
            guard let s = p.number(2) else { throw bad }
            second = s
            if p.skip(".") || p.skip(",") {
                var digits = 0
                while let d = p.number(1) {
                    if digits < 3 { millisecond = millisecond * 10 + d }
                    digits += 1
                }
                guard digits > 0 else { throw bad }
                for _ in digits..<max(digits, 3) { millisecond *= 10 }
            }
        }
        guard hour <= 23 else { throw FieldError(field, "hour \(hour) is out of range (00 to 23)") }
        guard minute <= 59 else { throw FieldError(field, "minute \(minute) is out of range (00 to 59)") }
        guard second <= 60 else { throw FieldError(field, "second \(second) is out of range (00 to 60)") }
        if p.atEnd { throw FieldError(field, "has no time zone: add Z or an offset such as +05:30") }
        var offsetMinutes = 0
        if !(p.skip("Z") || p.skip("z")) {
            let sign: Int
            if p.skip("+") { sign = 1 } else if p.skip("-") { sign = -1 } else { throw bad }
            guard let oh = p.number(2) else { throw bad }
            var om = 0
            if !p.atEnd {
                _ = p.skip(":")
                guard let m = p.number(2) else { throw bad }
                om = m
            }
            guard oh <= 23, om <= 59 else { throw FieldError(field, "time zone offset is out of range (at most ±23:59)") }
            offsetMinutes = sign * (oh * 60 + om)
        }
        guard p.atEnd else { throw bad }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        return days * msPerDay + seconds * 1000 + Int64(millisecond)
    }

    /// RFC 3339 UTC with exactly three fraction digits: `2026-12-01T09:00:00.000Z`.
    /// Years outside 0000–9999 come out in ISO 8601 expanded form (`+10000-…`, `-0001-…`),
    /// which `validate` does not accept.
    public static func format(millisecondsSinceEpoch ms: Int64) -> String {
        var days = ms / msPerDay
        var rest = ms % msPerDay
        if rest < 0 { rest += msPerDay; days -= 1 }
        let (year, month, day) = civilFromDays(days)
        let r = Int(rest)
        let fields = (month: Int(month), day: Int(day), hour: r / 3_600_000, minute: r / 60_000 % 60, second: r / 1000 % 60, ms: r % 1000)
        guard (0...9999).contains(year) else {
            let sign = year < 0 ? "-" : "+"
            return sign + pad(Int(year.magnitude), 4) + "-" + pad(fields.month, 2) + "-" + pad(fields.day, 2) + "T"
                + pad(fields.hour, 2) + ":" + pad(fields.minute, 2) + ":" + pad(fields.second, 2) + "." + pad(fields.ms, 3) + "Z"
        }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
            }
            put(Int(year), 4, at: 0); buffer[4] = 0x2D
            put(fields.month, 2, at: 5); buffer[7] = 0x2D
            put(fields.day, 2, at: 8); buffer[10] = 0x54
            put(fields.hour, 2, at: 11); buffer[13] = 0x3A
            put(fields.minute, 2, at: 14); buffer[16] = 0x3A
            put(fields.second, 2, at: 17); buffer[19] = 0x2E
            put(fields.ms, 3, at: 20); buffer[23] = 0x5A
            return 24
        }
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's civil_from_days).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }

        /// Exactly `width` ASCII digits, or nil (consuming nothing).
        mutating func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for b in bytes[index..<(index + width)] {
                guard ValidationSupport.isDigit(b) else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            index += width
            return value
        }
    }
}
