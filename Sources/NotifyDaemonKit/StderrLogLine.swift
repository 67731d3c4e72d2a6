import Logging

/// Pure formatting of a log record as one stderr line, for daemons not run under systemd:
/// `program[pid]: level: message key=value key="value with spaces"`.
public enum StderrLogLine {
    /// The line for one record, without the trailing newline.
    ///
    /// Metadata is sorted by key. A value is quoted when it is empty or contains whitespace,
    /// `"` or `\`; inside quotes `"` and `\` are escaped with `\`. Line breaks in the message,
    /// keys and values are written as `\n` / `\r`, so a record is always a single line.
    public static func format(
        program: String,
        pid: Int32,
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        var line = "\(program)[\(pid)]: \(level.rawValue): \(escapeLineBreaks(message))"
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(escapeLineBreaks(key))=\(quoteIfNeeded(value.description))"
        }
        return line
    }

    /// `value` as written after `key=`: bare when it is a single word, otherwise quoted.
    public static func quoteIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0.isWhitespace || $0 == "\"" || $0 == "\\" }
        guard needsQuotes else { return value }
        var quoted = "\""
        for character in value {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }

    static func escapeLineBreaks(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case _ where character.isNewline: escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
