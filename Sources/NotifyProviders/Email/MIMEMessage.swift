#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// An RFC 5322 message with MIME (RFC 2045–2047) for SMTP submission and maildirs:
/// Date, Message-ID, From, To, a Subject encoded as RFC 2047 words when it is not ASCII,
/// `Idempotency-Key`, and a text/plain body or a multipart/alternative text + HTML body,
/// each part UTF-8 in base64. Lines end in CRLF.
public struct MIMEMessage: Sendable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String?
    public var messageID: String
    public var idempotencyKey: String
    public var dateSeconds: Int64
    public var extraHeaders: [(String, String)] = []

    public init(from: String, to: [String], subject: String, text: String, html: String?, messageID: String,
                idempotencyKey: String, dateSeconds: Int64) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.idempotencyKey = idempotencyKey
        self.dateSeconds = dateSeconds
    }

    /// `<JOBID@domain>`: the same for every attempt, so a receiver can drop duplicates.
    public static func messageID(job: Job, from: String) -> String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "notifyd.invalid"
        return "<\(job.id.text)@\(domain)>"
    }

    public var bytes: [UInt8] {
        var lines = [
            "Date: \(Self.rfc5322Date(dateSeconds))",
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(Self.encodedWords(subject))",
            "Message-ID: \(messageID)",
            "Idempotency-Key: \(idempotencyKey)",
            "MIME-Version: 1.0",
        ]
        lines += extraHeaders.map { "\($0.0): \($0.1)" }
        if let html {
            let boundary = "=_notifyd_\(messageID.filter { $0.isLetter || $0.isNumber })"
            lines += ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "",
                      "This is a MIME message with text and HTML parts.", "",
                      "--\(boundary)"]
            lines += Self.part(type: "text/plain", content: text)
            lines += ["--\(boundary)"]
            lines += Self.part(type: "text/html", content: html)
            lines += ["--\(boundary)--", ""]
        } else {
            lines += Self.part(type: "text/plain", content: text)
        }
        return Array(lines.joined(separator: "\r\n").utf8) + Array("\r\n".utf8)
    }

    static func part(type: String, content: String) -> [String] {
        ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""] + base64Lines(Array(content.utf8))
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(76)))
            rest = rest.dropFirst(76)
        }
        return lines.isEmpty ? [""] : lines
    }

    /// The subject as is when it is printable ASCII, else as RFC 2047 `=?UTF-8?B?…?=`
    /// words of at most 45 bytes of text each (75 characters encoded), folded onto
    /// continuation lines. A character is never split between two words.
    public static func encodedWords(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Sat, 21 Nov 2026 16:42:17 +0000` (RFC 5322 §3.3), always UTC.
    public static func rfc5322Date(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var fields = tm()
        gmtime_r(&time, &fields)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(fields.tm_wday)]), \(two(fields.tm_mday)) \(months[Int(fields.tm_mon)]) \(fields.tm_year + 1900) "
            + "\(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec)) +0000"
    }
}
