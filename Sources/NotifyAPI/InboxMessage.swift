import Foundation

/// The parts of an inbox maildir message (the RFC 5322 text the maildir provider writes)
/// that the API shows: subject, job ID, metadata headers and the text body.
public struct InboxMessage: Sendable, Equatable {
    public var subject = ""
    public var job: String?
    public var meta: [String: String] = [:]
    public var text = ""

    /// The event type: metadata `type` (RecipientPreferences.eventTypeMetaKey).
    public var type: String? { meta["type"] }

    public init(parsing bytes: [UInt8]) {
        let message = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let (headerText, rest) = Self.split(message)
        let headers = Self.headers(headerText)
        for (name, value) in headers {
            switch name.lowercased() {
            case "subject": subject = Self.decodeWords(value)
            case "x-notifyd-job": job = value
            default:
                if name.lowercased().hasPrefix("x-notifyd-meta-") { meta[String(name.dropFirst(15))] = value }
            }
        }
        let contentType = headers.first { $0.0.lowercased() == "content-type" }?.1 ?? "text/plain"
        if contentType.lowercased().hasPrefix("multipart/") {
            // The first text/plain part.
            for part in rest.components(separatedBy: "\n--").dropFirst() {
                let (partHeaders, partBody) = Self.split(part.drop { $0 != "\n" }.dropFirst().description)
                let fields = Self.headers(partHeaders)
                if fields.contains(where: { $0.0.lowercased() == "content-type" && $0.1.lowercased().hasPrefix("text/plain") }) {
                    text = Self.decodeBody(partBody, headers: fields)
                    break
                }
            }
        } else {
            text = Self.decodeBody(rest, headers: headers)
        }
    }

    static func split(_ text: String) -> (String, String) {
        guard let range = text.range(of: "\n\n") else { return (text, "") }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }

    static func headers(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == " " || line.first == "\t", !result.isEmpty {
                result[result.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                result.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return result
    }

    static func decodeBody(_ body: String, headers: [(String, String)]) -> String {
        let encoding = headers.first { $0.0.lowercased() == "content-transfer-encoding" }?.1.lowercased()
        guard encoding == "base64" else { return body.hasSuffix("\n") ? String(body.dropLast()) : body }
        let joined = body.split(separator: "\n").prefix { !$0.hasPrefix("--") }.joined()
        guard let data = Data(base64Encoded: joined) else { return body }
        return String(decoding: data, as: UTF8.self)
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words, as the maildir provider writes non-ASCII subjects.
    static func decodeWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var result = ""
        for word in value.split(separator: " ") {
            let parts = word.split(separator: "?")
            if word.hasPrefix("=?"), word.hasSuffix("?="), parts.count == 5, parts[2].uppercased() == "B",
               let data = Data(base64Encoded: String(parts[3])) {
                result += String(decoding: data, as: UTF8.self)
            } else {
                result += (result.isEmpty ? "" : " ") + word
            }
        }
        return result
    }
}
