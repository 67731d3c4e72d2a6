import Testing
@testable import NotifyCore

private func rejection<T>(_ body: () throws(FieldError) -> T) -> FieldError? {
    do { _ = try body(); return nil } catch { return error }
}

@Suite struct DurationTextValidationTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)),
        ("10m", .seconds(600)),
        ("1h30m", .seconds(5400)),
        ("2d", .seconds(172_800)),
        ("1w", .seconds(604_800)),
        ("500ms", .milliseconds(500)),
        ("90", .seconds(90)),
        ("0", .zero),
        ("0s", .zero),
        ("007s", .seconds(7)),
        ("1w2d3h4m5s6ms", .milliseconds(788_645_006)),
        ("1m30s500ms", .milliseconds(90_500)),
        ("36h", .seconds(129_600)),
        ("9223372036854775807ms", .milliseconds(Int64.max)),
    ])
    func parses(text: String, expected: Duration) throws {
        #expect(try DurationText.validate(text, field: "delay") == expected)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("-5s", "cannot be negative"),
        ("-1", "cannot be negative"),
        ("5y", "unknown unit 'y': use ms, s, m, h, d or w"),
        ("5M", "unknown unit 'M'"),
        ("5sec", "unknown unit 'sec'"),
        ("1h30", "the number 30 has no unit"),
        ("h", "the unit 'h' without a number"),
        ("1.5h", "write whole numbers of a smaller unit"),
        ("1h 30m", "contains a space"),
        (" 30s", "contains a space"),
        ("+5s", "contains '+' (U+002B)"),
        ("30m1h", "largest to smallest"),
        ("1m1m", "largest to smallest"),
        ("9223372036854775808", "is too large"),
        ("9223372036854775808ms", "is too large"),
        ("9223372036854776s", "is too large"),
        ("15250284453w", "is too large"),
        ("15250284452w4d", "is too large"),
        ("5 years", "contains a space"),
    ])
    func rejects(text: String, hint: String) {
        let error = rejection { () throws(FieldError) in try DurationText.validate(text, field: "delay") }
        #expect(error?.field == "delay")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        (Duration.seconds(90), "1m30s"),
        (.zero, "0s"),
        (.milliseconds(500), "500ms"),
        (.milliseconds(1500), "1s500ms"),
        (.seconds(3600), "1h"),
        (.seconds(5400), "1h30m"),
        (.seconds(86_400 * 8 + 1), "1w1d1s"),
        (.seconds(1_209_600), "2w"),
        (.microseconds(1_999), "1ms"),
        (.microseconds(999), "0s"),
        (.milliseconds(-90_500), "-1m30s500ms"),
        (.milliseconds(Int64.max), "15250284452w3d7h12m55s807ms"),
    ])
    func formats(duration: Duration, text: String) {
        #expect(DurationText.format(duration) == text)
    }

    @Test(arguments: [0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 86_400_000, 604_799_999, 123_456_789_012] as [Int64])
    func formatThenParseRoundTrips(milliseconds: Int64) throws {
        let duration = Duration.milliseconds(milliseconds)
        #expect(try DurationText.validate(DurationText.format(duration), field: "d") == duration)
    }
}
