import FoundationEssentials
import Testing
@testable import NotifyCore

private func rejection<T>(_ body: () throws(FieldError) -> T) -> FieldError? {
    do { _ = try body(); return nil } catch { return error }
}

@Suite struct TimestampValidationTests {
    static let december1 = Int64(1_796_115_600_000)  // 2026-12-01T09:00:00Z

    @Test(arguments: [
        ("2026-12-01T09:00:00Z", december1),
        ("2026-12-01T09:00:00.5Z", december1 + 500),
        ("2026-12-01T09:00:00.25Z", december1 + 250),
        ("2026-12-01T09:00:00.123Z", december1 + 123),
        ("2026-12-01T09:00:00.123999999Z", december1 + 123),
        ("2026-12-01T09:00:00,750Z", december1 + 750),
        ("2026-12-01T14:30:00+05:30", december1),
        ("2026-12-01T14:30:00.001+05:30", december1 + 1),
        ("2026-12-01T14:30:00+0530", december1),
        ("2026-12-01T18:00:00+09", december1),
        ("2026-12-01T04:00:00-05:00", december1),
        ("2026-12-01T09:00:00-00:00", december1),
        ("2026-12-01t09:00:00z", december1),
        ("2026-12-01 09:00:00Z", december1),
        ("2026-12-01T09:00Z", december1),
        ("2026-12-02T08:00:00+23:00", december1),
        ("2026-12-01T00:30:00+01:00", 1_796_081_400_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("2026-02-28T23:00:00Z", 1_772_319_600_000),
        ("2026-03-01T00:00:00Z", 1_772_323_200_000),
        ("1900-03-01T00:00:00Z", -2_203_891_200_000),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2016-12-31T23:59:60Z", 1_483_228_800_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ] as [(String, Int64)])
    func parses(text: String, milliseconds: Int64) throws {
        #expect(try Timestamp.validate(text, field: "send_at") == milliseconds)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("2026-12-01T09:00:00", "has no time zone: add Z or an offset such as +05:30"),
        ("2026-12-01T09:00:00.500", "has no time zone"),
        ("2026-12-01T09:00", "has no time zone"),
        ("2026-12-01", "is a date without a time"),
        ("2023-02-29T00:00:00Z", "day 29 does not exist in 2023-02"),
        ("1900-02-29T00:00:00Z", "day 29 does not exist in 1900-02"),
        ("2026-04-31T00:00:00Z", "day 31 does not exist in 2026-04"),
        ("2026-12-00T00:00:00Z", "day 0 does not exist"),
        ("2026-13-01T00:00:00Z", "month 13 is out of range"),
        ("2026-00-10T00:00:00Z", "month 0 is out of range"),
        ("2026-12-01T24:00:00Z", "hour 24 is out of range"),
        ("2026-12-01T09:60:00Z", "minute 60 is out of range"),
        ("2026-12-01T09:00:61Z", "second 61 is out of range"),
        ("2026-12-01T09:00:00+24:00", "offset is out of range"),
        ("2026-12-01T09:00:00+05:60", "offset is out of range"),
        ("2026-12-01T09:00:00.Z", "not an RFC 3339 timestamp"),
        ("2026-12-01T09:00:00 Z", "not an RFC 3339 timestamp"),
        ("2026-12-01T09:00:00ZZ", "not an RFC 3339 timestamp"),
        ("2026-12-01T09:00:00+05:3", "not an RFC 3339 timestamp"),
        ("2026-12-01T09:00:00 +05:30", "not an RFC 3339 timestamp"),
        ("26-12-01T09:00:00Z", "not an RFC 3339 timestamp"),
        ("2026-12-1T09:00:00Z", "not an RFC 3339 timestamp"),
        ("2026-12-01T9:00:00Z", "not an RFC 3339 timestamp"),
        ("2026/12/01T09:00:00Z", "not an RFC 3339 timestamp"),
        ("2026-12-01X09:00:00Z", "not an RFC 3339 timestamp"),
        ("1796115600", "not an RFC 3339 timestamp"),
        ("+12026-12-01T09:00:00Z", "not an RFC 3339 timestamp"),
    ] as [(String, String)])
    func rejects(text: String, hint: String) {
        let error = rejection { () throws(FieldError) in try Timestamp.validate(text, field: "send_at") }
        #expect(error?.field == "send_at")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        (december1, "2026-12-01T09:00:00.000Z"),
        (december1 + 123, "2026-12-01T09:00:00.123Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
        (951_825_600_007, "2000-02-29T12:00:00.007Z"),
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (253_402_300_800_000, "+10000-01-01T00:00:00.000Z"),
        (-62_167_219_200_001, "-0001-12-31T23:59:59.999Z"),
    ] as [(Int64, String)])
    func formats(milliseconds: Int64, text: String) {
        #expect(Timestamp.format(millisecondsSinceEpoch: milliseconds) == text)
    }

    @Test func formatsTheExtremesWithoutTrapping() {
        #expect(Timestamp.format(millisecondsSinceEpoch: .max).hasSuffix(".807Z"))
        #expect(Timestamp.format(millisecondsSinceEpoch: .min).hasPrefix("-"))
    }

    /// Every day from 1999 to 2101 survives format → parse, and every 97th day from 1600 to
    /// 2400 agrees, to the second, with FoundationEssentials' formatter and parser.
    @Test func agreesWithFoundationEssentialsAndRoundTrips() throws {
        var roundTripFailures: [Int64] = []
        let from = Timestamp.daysFromCivil(year: 1999, month: 1, day: 1)
        let through = Timestamp.daysFromCivil(year: 2101, month: 12, day: 31)
        for day in from...through {
            let ms = day * 86_400_000 + (day &* 7_919_993) % 86_400_000
            if (try? Timestamp.validate(Timestamp.format(millisecondsSinceEpoch: ms), field: "t")) != ms {
                roundTripFailures.append(ms)
            }
        }
        #expect(roundTripFailures.isEmpty)

        let style = Date.ISO8601FormatStyle()
        let first = Timestamp.daysFromCivil(year: 1600, month: 1, day: 1)
        let last = Timestamp.daysFromCivil(year: 2400, month: 12, day: 31)
        var disagreements: [String] = []
        for day in stride(from: first, through: last, by: 97) {
            let seconds = day * 86_400 + (day &* 7_919) % 86_400
            let ours = String(Timestamp.format(millisecondsSinceEpoch: seconds * 1000).prefix(19)) + "Z"
            let theirs = Date(timeIntervalSince1970: Double(seconds)).formatted(style)
            let parsed = try style.parse(ours).timeIntervalSince1970
            if ours != theirs || parsed != Double(seconds) { disagreements.append(ours) }
        }
        #expect(disagreements.isEmpty)
    }
}
