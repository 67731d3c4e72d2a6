/// A delivery channel. Each has its own delivery agent program (`notify-<channel>`).
public enum Channel: String, CaseIterable, Codable, Sendable, Comparable {
    case email, sms, push, webhook, inbox

    /// Parses a channel name, naming the known ones when the input is unknown.
    public static func parse(_ text: String, field: String = "channel") throws(FieldError) -> Channel {
        guard let channel = Channel(rawValue: text.lowercased()) else {
            let known = Channel.allCases.map(\.rawValue).joined(separator: ", ")
            throw FieldError(field, "unknown channel \"\(text)\"; known channels: \(known)")
        }
        return channel
    }

    public static func < (a: Channel, b: Channel) -> Bool { a.rawValue < b.rawValue }
}

/// Dispatch priority. `high` (one-time passwords) goes before `normal`, `normal` before `bulk`;
/// the queue manager guarantees that no class starves.
public enum Priority: String, CaseIterable, Codable, Sendable {
    case high, normal, bulk

    public static func parse(_ text: String, field: String = "priority") throws(FieldError) -> Priority {
        guard let priority = Priority(rawValue: text.lowercased()) else {
            throw FieldError(field, "unknown priority \"\(text)\"; use high, normal or bulk")
        }
        return priority
    }
}
