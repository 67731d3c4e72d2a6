import CSV
import Foundation
import NotifyCore

/// The rows of a batch file, each a data object for a template. Row numbers count data
/// rows from 1 (a CSV header is not a row), which is what the batch summary reports.
public enum BatchRows {
    public enum Format: Sendable { case csv, jsonLines }

    /// The format a file name implies: `.csv`, or `.jsonl` / `.ndjson` / `.json`.
    public static func format(of path: String) throws(FieldError) -> Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonLines }
        throw FieldError("batch", "\(path): name the file .csv or .jsonl so its format is known")
    }

    /// Calls `visit` with each row's data, or with the reason the row is unusable.
    /// A file that cannot be read at all throws.
    /// `expect` is told the number of rows (for CSV, the number of lines less the header:
    /// exact unless fields span lines) before the first row is visited.
    public static func read(
        path: String, expect: (Int) -> Void = { _ in }, visit: (Int, Result<JSONValue, FieldError>) -> Void
    ) throws(FieldError) {
        guard let text = readTextFile(path) else { throw FieldError("batch", "\(path): cannot read the file, or it is not UTF-8") }
        let lines = text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } + (text.utf8.last == 0x0A ? 0 : 1)
        switch try format(of: path) {
        case .csv:
            expect(max(0, lines - 1))
            try readCSV(text, path: path, visit: visit)
        case .jsonLines:
            expect(lines)
            jsonLines(text, visit: visit)
        }
    }

    public static func jsonLines(_ text: String, visit: (Int, Result<JSONValue, FieldError>) -> Void) {
        jsonLines(text) { row, line in
            visit(row, Result { () throws(FieldError) in try JSONValue.parse(line, field: "json") })
        }
    }

    /// Calls `visit` with each non-blank line's bytes and its row number. Splits on bytes:
    /// splitting a String on Characters would run grapheme breaking over the whole file.
    public static func jsonLines(_ text: String, lines visit: (Int, ArraySlice<UInt8>) -> Void) {
        let bytes = Array(text.utf8)
        var row = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            row += 1
            visit(row, line)
        }
    }

    private static func readCSV(_ text: String, path: String, visit: (Int, Result<JSONValue, FieldError>) -> Void) throws(FieldError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw FieldError("batch", "\(path): cannot read a CSV header row (\(error))")
        }
        guard let header = reader.headerRow, !header.isEmpty else { throw FieldError("batch", "\(path): no header row") }
        var row = 0
        while let fields = reader.next() {
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            row += 1
            guard fields.count == header.count else {
                visit(row, .failure(FieldError("csv", "has \(fields.count) fields; the header has \(header.count)")))
                continue
            }
            var object: [String: JSONValue] = [:]
            for (name, value) in zip(header, fields) { object[name] = .string(value) }
            visit(row, .success(.object(object)))
        }
        if let error = reader.error { throw FieldError("batch", "\(path): after row \(row): \(error)") }
    }
}
