import Mustache
import NotifyCore

/// A notification template: one directory in the template directory,
///
///     <template_directory>/<name>/template.conf      channels and per-channel fields
///     <template_directory>/<name>/<channel>.mustache  the body for each channel
///     <template_directory>/<name>/email.html.mustache optional HTML part of the email
///
/// `template.conf` uses the configuration syntax. Its values are Mustache templates too:
///
///     channels = sms, email
///     sms_to = {{mobile_number}}
///     email_to = {{email}}
///     email_subject = Welcome, {{name}}
///     priority = high            # optional: high, normal, bulk
///     ttl = 1d                   # optional
///
/// Text parts render without HTML escaping; the HTML part escapes values.
public struct NotificationTemplate: Sendable {
    public struct Part: Sendable {
        var channel: Channel
        var to: MustacheTemplate
        var subject: MustacheTemplate?
        var body: MustacheTemplate
        var html: MustacheTemplate?
    }

    public let name: String
    public let parts: [Part]
    let priority: String?
    let ttl: String?

    public var channels: [Channel] { parts.map(\.channel) }

    /// Template names are `[a-z0-9_-]{1,64}`, so a name never escapes the template directory.
    public static func validName(_ name: String) throws(FieldError) -> String {
        guard !name.isEmpty, name.utf8.count <= 64,
              name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D })
        else { throw FieldError("template", "not a template name: 1 to 64 of a-z 0-9 _ -") }
        return name
    }

    public init(name: String, directory: String) throws(FieldError) {
        self.name = try NotificationTemplate.validName(name)
        let root = "\(directory)/\(name)"
        let config: ConfigFile
        do {
            config = try ConfigFile.load(path: "\(root)/template.conf")
        } catch {
            throw FieldError("template", "\(name): \(error)")
        }
        guard !config.entries.isEmpty else {
            throw FieldError("template", "no template \"\(name)\" in \(directory) (expected \(root)/template.conf)")
        }
        var reader = ConfigReader(config)
        let channelList = reader.string("channels", default: "")
        var parts: [Part] = []
        for item in channelList.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let channel = try Channel.parse(String(item), field: "template \(name): channels")
            func compile(_ text: String, _ what: String, html: Bool = false) throws(FieldError) -> MustacheTemplate {
                do {
                    return try MustacheTemplate(string: html ? text : "{{% CONTENT_TYPE: TEXT}}" + text)
                } catch {
                    throw FieldError("template", "\(name): \(what): \(error)")
                }
            }
            guard let to = reader.optionalString("\(channel.rawValue)_to") else {
                throw FieldError("template", "\(name): \(root)/template.conf has no \(channel.rawValue)_to")
            }
            let bodyPath = "\(root)/\(channel.rawValue).mustache"
            guard let body = readTextFile(bodyPath) else {
                throw FieldError("template", "\(name): missing \(bodyPath)")
            }
            let subject = reader.optionalString("\(channel.rawValue)_subject")
            let html = channel == .email ? readTextFile("\(root)/email.html.mustache") : nil
            parts.append(Part(
                channel: channel,
                to: try compile(to, "\(channel.rawValue)_to"),
                subject: try subject.map { text throws(FieldError) in try compile(text, "\(channel.rawValue)_subject") },
                body: try compile(body, bodyPath),
                html: try html.map { text throws(FieldError) in try compile(text, "email.html.mustache", html: true) }))
        }
        guard !parts.isEmpty else { throw FieldError("template", "\(name): template.conf names no channels") }
        priority = reader.optionalString("priority")
        ttl = reader.optionalString("ttl")
        do { try reader.finish() } catch { throw FieldError("template", "\(name): \(error)") }
        self.parts = parts
    }

    /// Renders one data object into one draft per channel (or only `channels`, if given).
    /// Recipient lists in the rendered `to` may be separated by commas.
    public func render(_ data: JSONValue, channels filter: Set<Channel>? = nil) throws(FieldError) -> [JobDraft] {
        guard case .object = data else { throw FieldError("data", "expected a JSON object, got \(data.typeName)") }
        let object = data.mustacheValue
        var drafts: [JobDraft] = []
        for part in parts where filter?.contains(part.channel) ?? true {
            var draft = JobDraft()
            draft.channel = part.channel.rawValue
            draft.to = part.to.render(object).split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            if draft.to.isEmpty {
                throw FieldError("data", "the \(part.channel.rawValue) recipient rendered empty; is its field missing from the data?")
            }
            draft.subject = part.subject?.render(object)
            draft.body = part.body.render(object)
            draft.html = part.html?.render(object)
            draft.template = name
            draft.priority = priority
            draft.ttl = ttl
            drafts.append(draft)
        }
        if drafts.isEmpty { throw FieldError("channel", "template \(name) has no such channel") }
        return drafts
    }
}

extension JSONValue {
    /// The value as Mustache sees it: dictionaries, arrays, strings, numbers, booleans.
    var mustacheValue: Any {
        switch self {
        case .null: return ""
        case .bool(let value): return value
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? Int(value) as Any : value
        case .string(let value): return value
        case .array(let values): return values.map(\.mustacheValue)
        case .object(let entries): return entries.mapValues(\.mustacheValue)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}

extension NotificationTemplate {
    /// Renders a one-off text template (such as an idempotency key pattern) with data.
    public static func renderText(_ text: String, data: JSONValue, field: String) throws(FieldError) -> String {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text).render(data.mustacheValue)
        } catch {
            throw FieldError(field, "not a valid template: \(error)")
        }
    }
}
