import Testing
@testable import NotifyCore

private func rejection<T>(_ body: () throws(FieldError) -> T) -> FieldError? {
    do { _ = try body(); return nil } catch { return error }
}

@Suite struct EmailAddressValidationTests {
    static let local64 = String(repeating: "l", count: 64)
    /// 64 + 1 + 189 = 254 octets: the longest accepted address.
    static let longest = local64 + "@" + String(repeating: "d", count: 63) + "." + String(repeating: "d", count: 63) + "." + String(repeating: "d", count: 57) + ".com"

    @Test(arguments: [
        ("alice@example.com", "alice@example.com"),
        ("Alice.Smith@Example.COM", "Alice.Smith@example.com"),
        ("a@x.io", "a@x.io"),
        ("user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk"),
        ("!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com"),
        ("first.middle.last@example.com", "first.middle.last@example.com"),
        ("\"a b\"@x.com", "\"a b\"@x.com"),
        ("\"a..b\"@x.com", "\"a..b\"@x.com"),
        ("\".a\"@x.com", "\".a\"@x.com"),
        ("\"a@b\"@x.com", "\"a@b\"@x.com"),
        ("\"a\\\"b\"@x.com", "\"a\\\"b\"@x.com"),
        ("\"a\\\\b\"@x.com", "\"a\\\\b\"@x.com"),
        ("\"<a>\"@x.com", "\"<a>\"@x.com"),
        ("a@[127.0.0.1]", "a@[127.0.0.1]"),
        ("a@[IPv6:::1]", "a@[IPv6:::1]"),
        ("a@[ipv6:2001:DB8::1]", "a@[IPv6:2001:db8::1]"),
        ("a@[IPv6:2001:db8:0:0:0:0:0:1]", "a@[IPv6:2001:db8:0:0:0:0:0:1]"),
        ("a@[IPv6:::ffff:192.0.2.1]", "a@[IPv6:::ffff:192.0.2.1]"),
        ("a@xn--bcher-kva.example", "a@xn--bcher-kva.example"),
        ("a@1-2.example.com", "a@1-2.example.com"),
        ("josé@example.com", "josé@example.com"),
        ("用户@example.com", "用户@example.com"),
        (local64 + "@x.com", local64 + "@x.com"),
        (longest, longest),
    ])
    func accepts(input: String, normalized: String) throws {
        #expect(try EmailAddress.validate(input, field: "to") == normalized)
    }

    @Test func longestAddressIs254Octets() {
        #expect(Self.longest.utf8.count == 254)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("plainaddress", "has no @"),
        ("a..b@x.com", "two dots in a row"),
        (".a@x.com", "cannot start with a dot"),
        ("a.@x.com", "cannot end with a dot"),
        ("a@b@x.com", "more than one @"),
        ("@x.com", "nothing before the @"),
        ("a@", "nothing after the @"),
        ("a@x", "has no dot"),
        ("a@-x.com", "cannot start or end with a hyphen"),
        ("a@x-.com", "cannot start or end with a hyphen"),
        ("a@x..com", "empty label"),
        ("a@.x.com", "empty label"),
        ("a@x.com.", "empty label"),
        ("a@x_y.com", "'_' (U+005F)"),
        ("a@1.2.3.4", "use a literal such as [192.0.2.1]"),
        ("a@bücher.de", "xn-- form"),
        ("a b@x.com", "a space, which is only allowed inside quotes"),
        ("a\"b@x.com", "only allowed inside quotes"),
        ("a(comment)@x.com", "'(' (U+0028)"),
        ("\"a b@x.com", "no closing \""),
        ("\"\"@x.com", "quoted local part is empty"),
        ("\"a\"b@x.com", "followed directly by @"),
        ("\"a\tb\"@x.com", "a tab"),
        (" a@x.com", "leading or trailing spaces"),
        ("a@x.com ", "leading or trailing spaces"),
        ("Alice <alice@example.com>", "pass the bare address"),
        ("<alice@example.com>", "pass the bare address"),
        ("a@x.com\r\nBcc: victim@evil.com", "a carriage return"),
        ("a@x.com\nBcc: victim@evil.com", "a line feed"),
        ("a\0@x.com", "a NUL byte"),
        ("a\u{202E}b@x.com", "invisible or unassigned character (U+202E)"),
        ("a\u{200B}b@x.com", "U+200B"),
        ("a\u{A0}b@x.com", "a space character (U+00A0)"),
        ("a@[127.0.0.256]", "not a valid IPv4 address"),
        ("a@[127.0.0]", "not a valid IPv4 address"),
        ("a@[IPv6:1:2:3:4:5:6::8]", "not a valid IPv6 address"),
        ("a@[IPv6:1::2::3]", "not a valid IPv6 address"),
        ("a@[IPv6:12345::1]", "not a valid IPv6 address"),
        ("a@[IPv6:1:2:3:4:5:6:7]", "not a valid IPv6 address"),
        ("a@[::1]", "unsupported address literal"),
        ("a@[x:y]", "unsupported address literal"),
        ("a@[127.0.0.1", "no closing ]"),
        (String(repeating: "l", count: 65) + "@x.com", "local part (before the @) is 65 octets; the limit is 64"),
        (local64 + "@" + String(repeating: "d", count: 64) + ".com", "is 64 octets; the limit is 63"),
        (String(longest.dropLast(4)) + "x.com", "is 255 octets long; the limit is 254"),
    ])
    func rejects(input: String, hint: String) {
        let error = rejection { () throws(FieldError) in try EmailAddress.validate(input, field: "to") }
        #expect(error?.field == "to")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }

    @Test func displayNameReasonTellsTheOperatorWhatToPass() {
        let error = rejection { () throws(FieldError) in try EmailAddress.validate("Alice <alice@example.com>", field: "recipients[3]") }
        #expect(error?.description == "recipients[3]: looks like a display-name form (Name <a@example.com>): pass the bare address only, e.g. a@example.com")
    }
}
