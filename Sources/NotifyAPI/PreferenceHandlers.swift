#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import NotifySpool

/// GET and PUT /v1/preferences/{recipient}: channel and event-type opt-outs and quiet hours
/// (spool-layout.md, "Preferences"); notifyd honours them when it takes a job in.
extension APIService {
    struct PreferencesView: Encodable {
        var recipient: String
        var optOut: [String]
        var optOutTypes: [String]
        var quietHours: RecipientPreferences.QuietHours?
        enum CodingKeys: String, CodingKey { case recipient, optOut = "opt_out", optOutTypes = "opt_out_types", quietHours = "quiet_hours" }

        init(_ preferences: RecipientPreferences) {
            recipient = preferences.recipient
            optOut = preferences.optOut
            optOutTypes = preferences.optOutTypes ?? []
            quietHours = preferences.quietHours
        }
    }

    func preferencesRecipient(_ request: APIRequest, _ rights: Rights) -> Result<String, APIResponse> {
        guard rights.preferences || rights.admin else {
            return .failure(refuse(request, "uid \(request.peer.uid) may not read or change preferences (api_access)"))
        }
        guard let recipient = request.parameters["recipient"], RecipientPreferences.fileName(for: recipient) != nil else {
            return .failure(.invalid(FieldError("recipient", "1 to 120 bytes")))
        }
        // No channel's address holds a control character; a NUL or CR/LF would only smuggle
        // bytes into the preferences file and the logs.
        if let bad = recipient.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            return .failure(.invalid(FieldError("recipient", "contains the control character U+\(String(repeating: "0", count: 4 - code.count))\(code): not an address")))
        }
        return .success(recipient)
    }

    func showPreferences(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        switch preferencesRecipient(request, rights) {
        case .failure(let response): return response
        case .success(let recipient):
            // A recipient without a file has the defaults: nothing opted out, no quiet hours.
            return .json(200, PreferencesView(spool.preferences(of: recipient) ?? RecipientPreferences(recipient: recipient)))
        }
    }

    func putPreferences(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        let recipient: String
        switch preferencesRecipient(request, rights) {
        case .failure(let response): return response
        case .success(let value): recipient = value
        }
        let preferences: RecipientPreferences
        do { preferences = try Self.parsePreferences(request.body, recipient: recipient) } catch { return .invalid(error) }
        do throws(PreferencesError) {
            try spool.setPreferences(preferences)
        } catch {
            switch error {
            case .recipientTooLong: return .invalid(FieldError("recipient", "longer than 120 bytes"))
            case .io(let error): return spoolFailure(error)
            }
        }
        return .json(200, PreferencesView(preferences))
    }

    static let preferenceFields: Set<String> = ["opt_out", "opt_out_types", "quiet_hours"]
    static let quietHourFields: Set<String> = ["start", "end", "time_zone", "allow_high"]

    static func parsePreferences(_ body: [UInt8], recipient: String) throws(FieldError) -> RecipientPreferences {
        guard case .object(let fields) = try JSONValue.parse(body, field: "body") else { throw FieldError("body", "expected a JSON object") }
        for key in fields.keys.sorted() where !preferenceFields.contains(key) { throw FieldError(key, "unknown field") }
        var channels: [Channel] = []
        for (index, name) in try strings(fields["opt_out"], "opt_out").enumerated() {
            channels.append(try Channel.parse(name, field: "opt_out[\(index)]"))
        }
        var types: [String] = []
        for (index, name) in try strings(fields["opt_out_types"], "opt_out_types").enumerated() {
            types.append(try MetadataValue.validate(name, field: "opt_out_types[\(index)]"))
        }
        var hours: RecipientPreferences.QuietHours?
        switch fields["quiet_hours"] {
        case nil, .null?: break
        case .object(let quiet)?:
            for key in quiet.keys.sorted() where !quietHourFields.contains(key) { throw FieldError("quiet_hours.\(key)", "unknown field") }
            let start = try clock(quiet["start"], "quiet_hours.start")
            let end = try clock(quiet["end"], "quiet_hours.end")
            var zone = "UTC"
            if let value = quiet["time_zone"] {
                guard case .string(let text) = value else { throw FieldError("quiet_hours.time_zone", "expected a string") }
                guard text == "UTC" || zoneExists(text) else {
                    throw FieldError("quiet_hours.time_zone", "unknown time zone \"\(text)\" (no /usr/share/zoneinfo/\(text))")
                }
                zone = text
            }
            var allowHigh = false
            if let value = quiet["allow_high"] {
                guard case .bool(let flag) = value else { throw FieldError("quiet_hours.allow_high", "expected true or false") }
                allowHigh = flag
            }
            hours = .init(start: start, end: end, timeZone: zone, allowHigh: allowHigh)
        case let other?: throw FieldError("quiet_hours", "expected an object, got \(other.typeName)")
        }
        var preferences = RecipientPreferences(recipient: recipient, optOut: channels, quietHours: hours)
        if !types.isEmpty {
            preferences.optOutTypes = types
            preferences.version = "1.1"
        }
        return preferences
    }

    static func strings(_ value: JSONValue?, _ field: String) throws(FieldError) -> [String] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw FieldError(field, "expected an array of strings, got \(value.typeName)") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else { throw FieldError("\(field)[\(index)]", "expected a string, got \(item.typeName)") }
            result.append(text)
        }
        return result
    }

    static func clock(_ value: JSONValue?, _ field: String) throws(FieldError) -> String {
        guard case .string(let text)? = value else { throw FieldError(field, "required: a time HH:MM") }
        let parts = text.split(separator: ":")
        guard text.count == 5, parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { throw FieldError(field, "expected HH:MM, e.g. 22:00") }
        return text
    }

    /// An IANA zone name that names a file under /usr/share/zoneinfo (no `..`).
    static func zoneExists(_ name: String) -> Bool {
        guard !name.isEmpty, !name.contains(".."), !name.hasPrefix("/"),
              name.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2F || $0 == 0x5F || $0 == 0x2D || $0 == 0x2B })
        else { return false }
        var info = stat()
        return stat("/usr/share/zoneinfo/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}
