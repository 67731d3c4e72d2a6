import Testing
@testable import NotifyCore

// Phone numbers, push payload size, inbox user names, idempotency keys, metadata, and the
// promise every validator keeps: a rejection names the field the caller passed in.

/// The FieldError `body` throws, or nil if it returns.
private func rejection<T>(_ body: () throws(FieldError) -> T) -> FieldError? {
    do { _ = try body(); return nil } catch { return error }
}

@Suite struct PhoneNumberValidationTests {
    @Test(arguments: ["+14155550123", "+447911123456", "+12345678", "+123456789012345", "+919876543210"])
    func accepts(number: String) throws {
        #expect(try PhoneNumber.validate(number, field: "to") == number)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("+1 415 555 0123", "remove spaces"),
        ("+1-415-555-0123", "remove spaces"),
        ("+1 (415) 5550123", "parentheses"),
        ("+1.415.555.0123", "remove spaces"),
        ("14155550123", "add the + and country code"),
        ("00447911123456", "replace the leading 00 with + (+447911123456)"),
        ("tel:+14155550123", "must start with + and a country code"),
        ("+0123456789", "country code cannot start with 0"),
        ("+", "no digits after the +"),
        ("+1234567", "has 7 digits after the +; must be 8 to 15"),
        ("+1234567890123456", "has 16 digits"),
        ("+1415555012a", "only digits may follow the +, found 'a'"),
        ("+1415555\u{0663}123", "only digits may follow the +"),
        ("++14155550123", "only digits may follow the +"),
    ])
    func rejects(number: String, hint: String) {
        let error = rejection { () throws(FieldError) in try PhoneNumber.validate(number, field: "to") }
        #expect(error?.field == "to")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }
}

@Suite struct PushPayloadValidationTests {
    @Test func countsUTF8BytesOfAllThreeParts() {
        #expect(PushPayload.byteCount(title: "Hé", body: "😀", data: "{}") == 3 + 4 + 2)
    }

    @Test(arguments: [4096, 4095])
    func acceptsUpToTheLimit(size: Int) throws {
        let data = String(repeating: "x", count: size - 10)
        #expect(try PushPayload.validate(title: "12345", body: "12345", data: data, field: "push") == size)
    }

    @Test func rejectsOneByteOverTheDefaultLimit() {
        let error = rejection { () throws(FieldError) in
            try PushPayload.validate(title: "t", body: String(repeating: "b", count: 4000), data: String(repeating: "d", count: 96), field: "push")
        }
        #expect(error == FieldError("push", "is 4097 bytes (title 1, body 4000, data 96); the limit is 4096 bytes"))
    }

    @Test func honoursACustomLimit() {
        #expect(rejection { () throws(FieldError) in try PushPayload.validate(title: "abc", body: "def", field: "p", limit: 5) }?.reason.contains("is 6 bytes") == true)
    }
}

@Suite struct InboxUserValidationTests {
    @Test(arguments: ["alice", "Alice.Smith", "a", "alice@example.com", "bob+test", "x_y-z", "user..name", String(repeating: "a", count: 64)])
    func accepts(name: String) throws {
        #expect(try InboxUser.validate(name, field: "user") == name)
    }

    @Test(arguments: [
        ("", "is empty"),
        (".", "cannot start with '.'"),
        ("..", "cannot start with '.'"),
        (".hidden", "cannot start with '.'"),
        ("-rf", "cannot start with '-'"),
        ("../etc", "a path separator '/'"),
        ("a/b", "a path separator '/'"),
        ("a\\b", "a path separator '\\'"),
        ("a\0b", "a NUL byte"),
        ("a\nb", "a line feed"),
        ("a b", "a space"),
        ("josé", "'é' (U+00E9)"),
        ("a:b", "':'"),
        (String(repeating: "a", count: 65), "is 65 characters long; the limit is 64"),
    ])
    func rejects(name: String, hint: String) {
        let error = rejection { () throws(FieldError) in try InboxUser.validate(name, field: "user") }
        #expect(error?.field == "user")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }
}

@Suite struct IdempotencyKeyValidationTests {
    @Test(arguments: ["k", "order-123:retry", "!~", String(repeating: "x", count: 100)])
    func accepts(key: String) throws {
        #expect(try IdempotencyKey.validate(key, field: "idempotency_key") == key)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("a b", "a space"),
        ("a\tb", "a tab"),
        ("a\u{7F}", "a control character (U+007F)"),
        ("clé", "'é' (U+00E9)"),
        (String(repeating: "x", count: 101), "is 101 bytes long; the limit is 100"),
    ])
    func rejects(key: String, hint: String) {
        let error = rejection { () throws(FieldError) in try IdempotencyKey.validate(key, field: "idempotency_key") }
        #expect(error?.field == "idempotency_key")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }
}

@Suite struct MetadataValidationTests {
    @Test(arguments: ["a", "order_id", "trace.span-id", "A9", String(repeating: "k", count: 64)])
    func acceptsKey(key: String) throws {
        #expect(try MetadataKey.validate(key, field: "metadata") == key)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("a b", "a space"),
        ("a/b", "'/'"),
        ("ключ", "'к'"),
        (String(repeating: "k", count: 65), "is 65 characters long; the limit is 64"),
    ])
    func rejectsKey(key: String, hint: String) {
        let error = rejection { () throws(FieldError) in try MetadataKey.validate(key, field: "metadata") }
        #expect(error?.field == "metadata")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }

    @Test(arguments: ["", "plain", "ünïcødé and emoji 😀", "quotes \" and \\ are fine", String(repeating: "v", count: 1024), String(repeating: "é", count: 512)])
    func acceptsValue(value: String) throws {
        #expect(try MetadataValue.validate(value, field: "metadata.k") == value)
    }

    @Test(arguments: [
        ("line\nbreak", "a line feed"),
        ("cr\rhere", "a carriage return"),
        ("tab\there", "a tab"),
        ("nul\0", "a NUL byte"),
        ("c1\u{85}", "a control character (U+0085)"),
        (String(repeating: "v", count: 1025), "is 1025 bytes long; the limit is 1024"),
        (String(repeating: "é", count: 513), "is 1026 bytes long"),
    ])
    func rejectsValue(value: String, hint: String) {
        let error = rejection { () throws(FieldError) in try MetadataValue.validate(value, field: "metadata.k") }
        #expect(error?.field == "metadata.k")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }
}

/// Each validator, fed a bad value, must report exactly the field name it was given.
@Suite struct ValidationErrorsNameTheirField {
    static let field = "recipients[3].address"

    static let cases: [(String, @Sendable (String) throws(FieldError) -> Void)] = [
        ("PhoneNumber", { f throws(FieldError) in _ = try PhoneNumber.validate("555-0123", field: f) }),
        ("EmailAddress", { f throws(FieldError) in _ = try EmailAddress.validate("a..b@x.com", field: f) }),
        ("SMSBody empty", { f throws(FieldError) in _ = try SMSBody.validate("", field: f) }),
        ("SMSBody long", { f throws(FieldError) in _ = try SMSBody.validate(String(repeating: "a", count: 2000), field: f) }),
        ("PushPayload", { f throws(FieldError) in _ = try PushPayload.validate(title: "", body: String(repeating: "b", count: 5000), field: f) }),
        ("InboxUser", { f throws(FieldError) in _ = try InboxUser.validate("../x", field: f) }),
        ("WebhookTarget", { f throws(FieldError) in _ = try WebhookTarget.validate("https://u:p@x.com/", field: f) }),
        ("DurationText", { f throws(FieldError) in _ = try DurationText.validate("5 years", field: f) }),
        ("Timestamp", { f throws(FieldError) in _ = try Timestamp.validate("2026-12-01T09:00:00", field: f) }),
        ("IdempotencyKey", { f throws(FieldError) in _ = try IdempotencyKey.validate("", field: f) }),
        ("MetadataKey", { f throws(FieldError) in _ = try MetadataKey.validate("a b", field: f) }),
        ("MetadataValue", { f throws(FieldError) in _ = try MetadataValue.validate("a\nb", field: f) }),
    ]

    @Test(arguments: cases.indices)
    func errorNamesTheField(index: Int) {
        let (name, validate) = Self.cases[index]
        let error = rejection { () throws(FieldError) in try validate(Self.field) }
        #expect(error?.field == Self.field, "\(name)")
        #expect(error?.reason.isEmpty == false, "\(name)")
        #expect(error?.description.hasPrefix(Self.field + ": ") == true, "\(name)")
    }
}
