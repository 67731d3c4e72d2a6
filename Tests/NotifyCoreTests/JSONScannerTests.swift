import NotifyCore
import Testing

/// The hot-path JSON reader shared by JobSummary and notify-statsd.
@Suite struct JSONScannerTests {
    func scan<T>(_ text: String, _ body: (inout JSONScanner) -> T) -> T {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            return body(&scanner)
        }
    }

    @Test func readsFieldsStringsWithEscapesAndIntegers() {
        var seen: [String: String] = [:]
        let complete = scan(#"{"a":"plain","b\n":"tab\there \"q\" \u00e9 \/","n":-42,"skip":{"x":[1,2,{"y":null}]},"f":1.5}"#) { scanner in
            scanner.forEachField { key, scanner in
                switch key {
                case "n": seen[key] = scanner.integer().map(String.init)
                case "f": seen[key] = scanner.integer().map(String.init) ?? "not an integer"; return scanner.skipValue()
                case "skip": return scanner.skipValue()
                default: seen[key] = scanner.string()
                }
                return true
            }
        }
        #expect(complete)
        #expect(seen == ["a": "plain", "b\n": "tab\there \"q\" é /", "n": "-42", "f": "not an integer"])
    }

    @Test func refusesWhatIsNotJSON() {
        #expect(scan(#""raw"# + "\u{01}" + #"control""#) { $0.string() } == nil)
        #expect(scan(#""bad \x escape""#) { $0.string() } == nil)
        #expect(scan(#""escaped \n""#) { $0.plainString() } == nil)  // the caller falls back
        #expect(!scan(#"{"a":1"#) { $0.forEachField { _, scanner in scanner.skipValue() } })
    }

    /// Deep nesting is refused, not recursed into without bound (a hostile job file).
    @Test func deepNestingIsRefusedNotRecursed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(!scan(deep) { $0.skipValue() })
        #expect(scan(String(repeating: "[", count: 10) + String(repeating: "]", count: 10)) { $0.skipValue() })
    }
}
