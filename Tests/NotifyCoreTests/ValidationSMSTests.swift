import Testing
@testable import NotifyCore

private func rejection<T>(_ body: () throws(FieldError) -> T) -> FieldError? {
    do { _ = try body(); return nil } catch { return error }
}

private func text(_ count: Int, _ character: String = "a") -> String {
    String(repeating: character, count: count)
}

@Suite struct SMSBodyValidationTests {
    @Test(arguments: [
        // GSM-7 boundaries: 160 in one message, then 153 per segment.
        (text(1), SMSEncoding.gsm7, 1, 1),
        (text(160), .gsm7, 160, 1),
        (text(161), .gsm7, 161, 2),
        (text(306), .gsm7, 306, 2),
        (text(307), .gsm7, 307, 3),
        (text(1530), .gsm7, 1530, 10),
        (text(1531), .gsm7, 1531, 11),
        // Extension characters cost two septets.
        (text(80, "€"), .gsm7, 160, 1),
        (text(159) + "{", .gsm7, 161, 2),
        (text(158) + "^", .gsm7, 160, 1),
        ("^{}\\[~]|€\u{0C}", .gsm7, 20, 1),
        // An escape pair is never split: 152 septets + '[' moves to the second segment.
        (text(152) + "[" + text(9), .gsm7, 163, 2),
        (text(152) + "[" + text(152), .gsm7, 306, 3),
        // Basic-set accented letters, Greek capitals and CR/LF stay GSM-7.
        ("Ça coûte 5€? Δ ß é ü à", .ucs2, 22, 1),
        ("ÇÉÑÖÜ äöüñà ¡¿ £¥§¤ ΔΦΓΛΩΠΨΣΘΞ @$_", .gsm7, 34, 1),
        ("line one\r\nline two\n", .gsm7, 19, 1),
        // UCS-2 boundaries: 70 in one message, then 67 per segment.
        (text(70, "ç"), .ucs2, 70, 1),
        (text(71, "ç"), .ucs2, 71, 2),
        (text(134, "ç"), .ucs2, 134, 2),
        (text(135, "ç"), .ucs2, 135, 3),
        (text(69) + "é" + "ç", .ucs2, 71, 2),
        (text(69, "é") + "`", .ucs2, 70, 1),
        ("tab\there", .ucs2, 8, 1),
        // Emoji outside the BMP cost 2 units; a surrogate pair is never split.
        (text(35, "😀"), .ucs2, 70, 1),
        (text(69) + "😀", .ucs2, 71, 2),
        (text(66) + "😀" + text(4), .ucs2, 72, 2),
        (text(66) + "😀" + text(66), .ucs2, 134, 3),
        ("👍🏽", .ucs2, 4, 1),
        ("", .gsm7, 0, 0),
    ])
    func counts(body: String, encoding: SMSEncoding, units: Int, segments: Int) {
        let result = SMSBody.segments(of: body)
        #expect(result.encoding == encoding)
        #expect(result.units == units)
        #expect(result.segments == segments)
    }

    @Test func validateReturnsTheCount() throws {
        let result = try SMSBody.validate(text(161), field: "body", maxSegments: 2)
        #expect(result.encoding == .gsm7 && result.units == 161 && result.segments == 2)
    }

    @Test func emptyBodyIsRejected() {
        #expect(rejection { () throws(FieldError) in try SMSBody.validate("", field: "body") } == FieldError("body", "is empty: an SMS needs some text"))
    }

    @Test func gsmOverflowNamesSeptetsAndLimit() {
        let error = rejection { () throws(FieldError) in try SMSBody.validate(text(1531), field: "body") }
        #expect(error == FieldError("body", "needs 11 segments in GSM-7 (1531 septets); the limit is 10"))
    }

    @Test func ucs2OverflowNamesTheCharacterThatForcedIt() {
        let error = rejection { () throws(FieldError) in try SMSBody.validate("ç" + text(800), field: "sms.body", maxSegments: 10) }
        #expect(error == FieldError("sms.body", "needs 12 segments in UCS-2 (801 code units; 'ç' (U+00E7) is not in GSM-7); the limit is 10"))
    }

    @Test func exactlyAtTheSegmentLimitIsAccepted() throws {
        #expect(try SMSBody.validate(text(67 * 3, "ж"), field: "body", maxSegments: 3).segments == 3)
        #expect(rejection { () throws(FieldError) in try SMSBody.validate(text(67 * 3 + 1, "ж"), field: "body", maxSegments: 3) } != nil)
    }
}
