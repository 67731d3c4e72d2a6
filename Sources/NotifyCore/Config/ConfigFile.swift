#if canImport(Glibc)
import Glibc
#endif

/// A parse or value error in a configuration file, naming file, line and parameter.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var key: String?
    public var reason: String

    public init(path: String, line: Int?, key: String?, reason: String) {
        self.path = path
        self.line = line
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let key { text += ": \(key)" }
        return text + ": " + reason
    }
}

/// The raw text of a configuration file in Postfix's main.cf syntax:
///
///     # comment
///     parameter = value
///     long_parameter = first part,
///         continued on a line that starts with white space
///
/// Values keep their text; `ConfigReader` types them. A parameter given twice is an error
/// (Postfix lets the last one win silently, which hides mistakes).
public struct ConfigFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    public var path: String
    public var entries: [String: Entry]

    public init(path: String, entries: [String: Entry] = [:]) {
        self.path = path
        self.entries = entries
    }

    /// Reads a file. A file that does not exist yields an empty configuration (built-in
    /// defaults); any other read error is reported.
    public static func load(path: String) throws(ConfigError) -> ConfigFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return ConfigFile(path: path) }
            throw ConfigError(path: path, line: nil, key: nil, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        guard let bytes = readToEnd(fd, limit: 1 << 20) else {
            throw ConfigError(path: path, line: nil, key: nil, reason: String(cString: strerror(errno)))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(path: path, line: nil, key: nil, reason: "not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        var file = ConfigFile(path: path)
        var current: (key: String, value: String, line: Int)?

        func flush() throws(ConfigError) {
            guard let entry = current else { return }
            if let previous = file.entries[entry.key] {
                throw ConfigError(
                    path: path, line: entry.line, key: entry.key,
                    reason: "given twice (first on line \(previous.line))")
            }
            file.entries[entry.key] = Entry(value: entry.value, line: entry.line)
            current = nil
        }

        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            if line.first == " " || line.first == "\t" {
                guard current != nil else {
                    throw ConfigError(path: path, line: number, key: nil, reason: "continuation line without a parameter before it")
                }
                current!.value += " " + trimmed.trimmingTrailingSpace()
                continue
            }
            try flush()
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(path: path, line: number, key: nil, reason: "expected \"parameter = value\"")
            }
            let key = String(line[..<equals].trimmingTrailingSpace())
            guard !key.isEmpty, key.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }) else {
                throw ConfigError(path: path, line: number, key: key.isEmpty ? nil : key,
                                  reason: "a parameter name is lowercase letters, digits and _")
            }
            let value = line[line.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
            current = (key, String(value.trimmingTrailingSpace()), number)
        }
        try flush()
        return file
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
