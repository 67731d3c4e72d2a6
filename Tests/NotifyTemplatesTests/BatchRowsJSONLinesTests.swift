import NotifyCore
import Testing
import NotifyTemplates

/// The JSON Lines reader numbers rows from 1 and reports a bad line without stopping.
@Suite struct BatchRowsJSONLinesTests {
    @Test func goodAndBadLinesAreNumbered() {
        var seen: [(Int, Bool)] = []
        BatchRows.jsonLines("{\"a\":1}\nnot json\n{\"b\":2}\n") { row, result in
            if case .success = result { seen.append((row, true)) } else { seen.append((row, false)) }
        }
        #expect(seen.map(\.0) == [1, 2, 3])
        #expect(seen.map(\.1) == [true, false, true])
    }
}
