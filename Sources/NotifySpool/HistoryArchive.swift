import NotifyCore

/// The daily history archives of the retention sweep: `history/YYYY-MM-DD.jsonl`, the
/// history lines of jobs whose last event fell on that UTC day, each line given the job's
/// `id` as its first field (spool-layout.md, "Retention").
public enum HistoryArchive {
    public static func fileName(forDayOf milliseconds: Int64) -> String {
        String(Timestamp.format(millisecondsSinceEpoch: milliseconds).prefix(10)) + ".jsonl"
    }

    /// The day of an archive's name, nil for any other name.
    public static func day(ofFileName name: String) -> String? {
        guard name.hasSuffix(".jsonl") else { return nil }
        let day = String(name.dropLast(6))
        let bytes = Array(day.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element >= 0x30 && $0.element <= 0x39) })
        else { return nil }
        return day
    }

    /// When a day ends, ms since the epoch (its last millisecond + 1).
    static func dayEnd(_ day: String) -> Int64 {
        guard let start = try? Timestamp.validate(day + "T00:00:00Z", field: "day") else { return .max }
        return start + 86_400_000
    }

    /// A history file's lines with `"id":"<id>",` put first into each object; lines that do
    /// not start with `{` (a torn line) are left out.
    static func lines(_ bytes: [UInt8], id: String) -> [UInt8] {
        var out: [UInt8] = []
        let prefix = Array("{\"id\":\"\(id)\",".utf8)
        for line in bytes.split(separator: 0x0A) where line.first == UInt8(ascii: "{") && line.last == UInt8(ascii: "}") {
            out += prefix
            out += line.dropFirst()
            out.append(0x0A)
        }
        return out
    }
}
