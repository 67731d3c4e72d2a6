#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// A recipient's delivery preferences: `prefs/HEX`, where HEX is the recipient's bytes in
/// lowercase hex (spool-layout.md, "Preferences"). The API issue exposes them; `notifyctl
/// prefs` writes them now.
public struct RecipientPreferences: Codable, Sendable, Equatable {
    public struct QuietHours: Codable, Sendable, Equatable {
        /// Local wall-clock times `HH:MM`; a window may wrap midnight (22:00-07:00).
        public var start: String
        public var end: String
        /// An IANA time zone name (`Europe/Berlin`), read from /usr/share/zoneinfo.
        public var timeZone: String
        /// Whether high-priority jobs (one-time passwords) may pass during quiet hours.
        public var allowHigh: Bool

        enum CodingKeys: String, CodingKey { case start, end, timeZone = "time_zone", allowHigh = "allow_high" }

        public init(start: String, end: String, timeZone: String, allowHigh: Bool) {
            self.start = start
            self.end = end
            self.timeZone = timeZone
            self.allowHigh = allowHigh
        }
    }

    public var format = "notifyd-preferences"
    public var version = "1.0"
    public var recipient: String
    /// Channels the recipient opted out of: their jobs end as "suppressed".
    public var optOut: [String]
    public var quietHours: QuietHours?
    /// Event types the recipient does not want (version 1.1): a job whose `meta.type` is
    /// one of them ends as "suppressed" on every channel.
    public var optOutTypes: [String]?

    enum CodingKeys: String, CodingKey {
        case format, version, recipient, optOut = "opt_out", quietHours = "quiet_hours", optOutTypes = "opt_out_types"
    }

    /// The job metadata entry that names a job's event type.
    public static let eventTypeMetaKey = "type"

    /// Whether this recipient declined the job: its channel, or its event type.
    public func declines(_ job: Job) -> Bool { declines(channel: job.channel, eventType: job.meta[Self.eventTypeMetaKey]) }

    /// Whether the recipient opted out of this channel or of this event type (`meta.type`).
    public func declines(channel: Channel, eventType: String?) -> Bool {
        if optedOut(of: channel) { return true }
        guard let eventType, let types = optOutTypes else { return false }
        return types.contains(eventType)
    }

    public init(recipient: String, optOut: [Channel] = [], quietHours: QuietHours? = nil) {
        self.recipient = recipient
        self.optOut = optOut.map(\.rawValue)
        self.quietHours = quietHours
    }

    public func optedOut(of channel: Channel) -> Bool { optOut.contains(channel.rawValue) }

    /// The file name for a recipient; nil when the recipient is too long to have preferences
    /// (more than 120 bytes: the hex name must fit in 255).
    public static func fileName(for recipient: String) -> String? {
        let bytes = Array(recipient.utf8)
        guard !bytes.isEmpty, bytes.count <= 120 else { return nil }
        let digits = Array("0123456789abcdef".utf8)
        var name: [UInt8] = []
        for byte in bytes {
            name.append(digits[Int(byte >> 4)])
            name.append(digits[Int(byte & 15)])
        }
        return String(decoding: name, as: UTF8.self)
    }
}

public enum PreferencesError: Error, CustomStringConvertible {
    case recipientTooLong
    case io(SpoolError)

    public var description: String {
        switch self {
        case .recipientTooLong: "recipient: longer than 120 bytes; such recipients cannot have preferences"
        case .io(let error): error.description
        }
    }
}

extension Spool {
    /// The preferences of a recipient, or nil if it has none (or its file is damaged: a
    /// damaged file is quarantined and the job goes out as if there were none).
    public func preferences(of recipient: String) -> RecipientPreferences? {
        guard let name = RecipientPreferences.fileName(for: recipient) else { return nil }
        guard let bytes = readWholeFile(rootFD, "prefs/\(name)") else { return nil }
        guard let preferences = try? JSONDecoder().decode(RecipientPreferences.self, from: Data(bytes)),
              preferences.format == "notifyd-preferences", preferences.version.hasPrefix("1.") else {
            quarantine("prefs/\(name)")
            return nil
        }
        return preferences
    }

    /// Stores a recipient's preferences durably (tmp/, fsync, rename, fsync prefs/).
    public func setPreferences(_ preferences: RecipientPreferences) throws(PreferencesError) {
        guard let name = RecipientPreferences.fileName(for: preferences.recipient) else { throw .recipientTooLong }
        do {
            try commitRecord(encodeRecord(preferences), staging: "prefs.\(name)", directory: "prefs", name: name, sync: true)
            try syncDirectory("prefs")
        } catch { throw .io(error) }
    }
}
