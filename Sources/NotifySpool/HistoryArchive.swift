#if canImport(Glibc)
import Glibc
#endif
import CNotifyShims
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

/// A pruned job's history, found in a daily archive.
public struct ArchivedHistory: Sendable, Equatable {
    /// The archive's day (`YYYY-MM-DD`): the day of the job's last event.
    public var day: String
    public var history: JobHistory
}

extension Spool {
    /// The history of a job whose files the retention sweep removed, from the daily
    /// archives: the archives are searched day by day from the day the job was created
    /// (its ID's time), since its last event cannot be earlier, and the first that holds
    /// its lines has all of them (a job's lines go to one day's file). Duplicate lines (a
    /// sweep that appended twice after a crash) are dropped. Nil when no archive holds it.
    ///
    /// Each archive is mapped and searched for the line prefix `{"id":"ID",` without
    /// being parsed, but a miss reads every archive after the job's day: an operator's
    /// lookup (`notifyctl show`), not a path for every request.
    public func archivedHistory(of id: JobID) -> ArchivedHistory? {
        let firstDay = String(HistoryArchive.fileName(forDayOf: id.milliseconds).prefix(10))
        var days: [String] = []
        try? listDirectory("history") { name, _ in
            if let day = HistoryArchive.day(ofFileName: name), day >= firstDay { days.append(day) }
        }
        let needle = Array("{\"id\":\"\(id.text)\",".utf8)
        for day in days.sorted() {
            let lines = HistoryArchive.matchingLines(in: rootFD, "history/\(day).jsonl", prefix: needle)
            guard !lines.isEmpty else { continue }
            var events: [HistoryEvent] = []
            for event in JobHistory(lines: lines).events where !events.contains(event) { events.append(event) }
            return ArchivedHistory(day: day, history: JobHistory(events: events))
        }
        return nil
    }
}

extension HistoryArchive {
    /// The lines of an archive that start with `prefix`, read through a read-only mapping.
    static func matchingLines(in dirfd: Int32, _ path: String, prefix: [UInt8]) -> [[UInt8]] {
        let fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return [] }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return [] }
        defer { munmap(base, size) }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        var lines: [[UInt8]] = []
        var offset = 0
        while offset < size, let hit = prefix.withUnsafeBytes({ needle in
            notifyd_memmem(base + offset, size - offset, needle.baseAddress, needle.count)
        }) {
            let start = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            var end = start
            while end < size && bytes[end] != 0x0A { end += 1 }
            // Only a match at the start of a line is a line of this job.
            if start == 0 || bytes[start - 1] == 0x0A { lines.append(Array(bytes[start..<end])) }
            offset = end + 1
        }
        return lines
    }
}
