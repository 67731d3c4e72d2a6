import Logging

/// Pure functions that turn a log record into systemd journal fields (`FIELD=value`).
///
/// Journal field names may hold only `A`–`Z`, `0`–`9` and `_`, may not start with `_`
/// (those are trusted fields set by journald) or a digit, and are at most 64 characters.
public enum JournalFields {
    /// The fields every record carries; metadata may not reuse these names.
    public static let reservedNames: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
    ]

    /// The journal field name for a metadata key.
    ///
    /// Letters are uppercased, every other character that is not an ASCII letter or digit
    /// becomes `_`, and leading underscores are dropped. A name that would then start with a
    /// digit gets the prefix `X_`, and one that would clash with ``reservedNames`` gets `META_`.
    /// The result is cut to 64 characters. So `job_id` → `JOB_ID`, `channel` → `CHANNEL`,
    /// `http.status` → `HTTP_STATUS`, `_private` → `PRIVATE`, `2fa` → `X_2FA`,
    /// `message` → `META_MESSAGE`.
    ///
    /// - Returns: `nil` when the key has no ASCII letter or digit at all.
    public static func fieldName(forMetadataKey key: String) -> String? {
        var name = String(key.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z": Character(Unicode.Scalar(scalar.value - 32)!)
            case "A"..."Z", "0"..."9": Character(scalar)
            default: "_"
            }
        })
        name = String(name.drop(while: { $0 == "_" }))
        guard let first = name.first else { return nil }
        if first.isASCII, first.isNumber { name = "X_" + name }
        if reservedNames.contains(name) { name = "META_" + name }
        return String(name.prefix(64))
    }

    /// The syslog priority (0 = emerg … 7 = debug) for a swift-log level.
    public static func priority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// All `FIELD=value` strings for one record: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`,
    /// `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`, then one field per metadata entry, sorted by key.
    /// Metadata whose key maps to no valid name is dropped.
    public static func record(
        program: String,
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        file: String,
        function: String,
        line: UInt
    ) -> [String] {
        var fields = [
            "MESSAGE=\(message)",
            "PRIORITY=\(priority(for: level))",
            "SYSLOG_IDENTIFIER=\(program)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        for key in metadata.keys.sorted() {
            guard let name = fieldName(forMetadataKey: key), let value = metadata[key] else { continue }
            fields.append("\(name)=\(value)")
        }
        return fields
    }
}
