import Testing
@testable import NotifyCore

private func rejection<T>(_ body: () throws(FieldError) -> T) -> FieldError? {
    do { _ = try body(); return nil } catch { return error }
}

@Suite struct WebhookTargetValidationTests {
    @Test(arguments: [
        ("https://example.com/hooks/notify", WebhookTarget.url("https://example.com/hooks/notify")),
        ("HTTPS://Example.COM/Path?Q=1", .url("https://example.com/Path?Q=1")),
        ("http://localhost:8080/hook", .url("http://localhost:8080/hook")),
        ("http://my_service:9000", .url("http://my_service:9000")),
        ("https://example.com", .url("https://example.com")),
        ("https://example.com:00443/", .url("https://example.com:443/")),
        ("https://example.com:65535/", .url("https://example.com:65535/")),
        ("http://192.0.2.1/x", .url("http://192.0.2.1/x")),
        ("http://[::1]:8080/x", .url("http://[::1]:8080/x")),
        ("http://[2001:DB8::1]/", .url("http://[2001:db8::1]/")),
        ("http://[1:2:3:4:5:6:7::]/", .url("http://[1:2:3:4:5:6:7::]/")),
        ("https://h.example/a%20b?x=1&y=a:b@c,d;e=f~g!$'()*+", .url("https://h.example/a%20b?x=1&y=a:b@c,d;e=f~g!$'()*+")),
        ("https://xn--bcher-kva.example/", .url("https://xn--bcher-kva.example/")),
        ("https://h.example?only=query", .url("https://h.example?only=query")),
        ("billing", .endpoint("billing")),
        ("ops-alerts_2", .endpoint("ops-alerts_2")),
        (String(repeating: "e", count: 64), .endpoint(String(repeating: "e", count: 64))),
    ] as [(String, WebhookTarget)])
    func accepts(input: String, target: WebhookTarget) throws {
        #expect(try WebhookTarget.validate(input, field: "webhook") == target)
    }

    @Test func acceptsAURLOfExactly2048Bytes() throws {
        let url = "https://example.com/" + String(repeating: "p", count: 2048 - 20)
        #expect(try WebhookTarget.validate(url, field: "webhook") == .url(url))
    }

    @Test(arguments: [
        ("", "is empty"),
        ("https://user:secret@example.com/", "contains credentials"),
        ("https://token@example.com/", "contains credentials"),
        ("ftp://example.com/", "URL scheme 'ftp' is not supported"),
        ("javascript:alert(1)", "a URL starts with http:// or https://"),
        ("example.com/hook", "is neither a URL nor an endpoint name"),
        ("localhost:8080/hook", "a URL starts with http:// or https://"),
        ("https://example.com/a b", "a space"),
        ("https://example.com/\r\nHost: evil", "a carriage return"),
        (" https://example.com/", "a space"),
        ("https://example.com/\u{A0}", "a space character (U+00A0)"),
        ("https:///path", "URL has no host"),
        ("https://", "URL has no host"),
        ("https://:443/", "URL has no host"),
        ("https://example.com:/", "empty port"),
        ("https://example.com:0/", "port 0 is out of range"),
        ("https://example.com:65536/", "port 65536 is out of range"),
        ("https://example.com:99999999999999999999/", "is out of range"),
        ("https://example.com:https/", "port 'https' is not a number"),
        ("https://-example.com/", "cannot start or end with a hyphen"),
        ("https://example..com/", "empty label"),
        ("https://example.com./", "empty label"),
        ("https://exa!mple.com/", "'!' (U+0021)"),
        ("https://bücher.example/", "xn-- form"),
        ("https://example.com/café", "percent-encode it"),
        ("https://999.1.1.1/", "not a valid IPv4 address"),
        ("https://[::1/", "without a closing ]"),
        ("https://[::g]/", "not a valid IPv6 address"),
        ("https://[fe80::1%25eth0]/", "not a valid IPv6 address"),
        ("https://[::1]x/", "unexpected text after the IPv6 host"),
        ("https://example.com/a#frag", "has a fragment"),
        ("https://example.com/%zz", "% not followed by two hex digits"),
        ("https://example.com/100%", "% not followed by two hex digits"),
        ("https://example.com/<script>", "'<' (U+003C) in its path or query"),
        ("https://example.com/a\"b", "percent-encode it"),
        ("https://example.com/" + String(repeating: "p", count: 2029), "URL is 2049 bytes long; the limit is 2048"),
        ("Billing", "must be lowercase"),
        ("billing.prod", "is neither a URL nor an endpoint name"),
        ("a/b", "is neither a URL nor an endpoint name"),
        (String(repeating: "e", count: 65), "endpoint name is 65 characters long; the limit is 64"),
    ] as [(String, String)])
    func rejects(input: String, hint: String) {
        let error = rejection { () throws(FieldError) in try WebhookTarget.validate(input, field: "webhook") }
        #expect(error?.field == "webhook")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }
}
