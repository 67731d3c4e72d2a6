/// Reads typed parameters out of a `ConfigFile`, remembering which ones were used so that
/// `finish()` can reject parameters nobody knows (typos must not pass silently).
public struct ConfigReader: Sendable {
    public let file: ConfigFile
    private var used: Set<String> = []

    public init(_ file: ConfigFile) { self.file = file }

    func error(_ key: String, _ reason: String) -> ConfigError {
        ConfigError(path: file.path, line: file.entries[key]?.line, key: key, reason: reason)
    }

    public mutating func string(_ key: String, default value: String) -> String {
        used.insert(key)
        return file.entries[key]?.value ?? value
    }

    public mutating func optionalString(_ key: String) -> String? {
        used.insert(key)
        guard let value = file.entries[key]?.value, !value.isEmpty else { return nil }
        return value
    }

    public mutating func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        used.insert(key)
        guard let text = file.entries[key]?.value else { return value }
        guard let number = Int(text) else { throw error(key, "not a whole number: \"\(text)\"") }
        guard range.contains(number) else {
            throw error(key, "\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    public mutating func duration(_ key: String, default value: Duration) throws(ConfigError) -> Duration {
        used.insert(key)
        guard let text = file.entries[key]?.value else { return value }
        do { return try DurationText.validate(text, field: key) } catch { throw self.error(key, error.reason) }
    }

    /// A byte size: a number with an optional k, m or g suffix (powers of 1024).
    public mutating func size(_ key: String, default value: Int) throws(ConfigError) -> Int {
        used.insert(key)
        guard let text = file.entries[key]?.value.lowercased() else { return value }
        let multipliers: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let factor = multipliers[last] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard let number = Int(digits), number >= 0, number <= Int(Int32.max) / multiplier else {
            throw error(key, "not a size: \"\(text)\" (use bytes, or a number with k, m or g)")
        }
        return number * multiplier
    }

    public mutating func boolean(_ key: String, default value: Bool) throws(ConfigError) -> Bool {
        used.insert(key)
        guard let text = file.entries[key]?.value.lowercased() else { return value }
        switch text {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw error(key, "not yes or no: \"\(text)\"")
        }
    }

    /// Rejects every parameter in the file that no reader asked for.
    public func finish() throws(ConfigError) {
        let unknown = file.entries.keys.filter { !used.contains($0) }
            .sorted { file.entries[$0]!.line < file.entries[$1]!.line }
        if let key = unknown.first { throw error(key, "unknown parameter") }
    }
}
