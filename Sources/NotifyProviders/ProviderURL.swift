#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// A provider configured by a URL in the Apprise style (providers.md):
///
///     scheme://[user[:password]@]host[:port][/path][?name=value&…]
///
/// User and password are percent-decoded. Instead of writing a secret into the URL, the
/// query may name a file: `user_file=`, `password_file=` (and provider-specific ones such
/// as FCM's `key_file=`). A relative file name is looked up in `$CREDENTIALS_DIRECTORY`,
/// where systemd's `LoadCredential=` puts credentials.
public struct ProviderURL: Sendable {
    public var scheme: String
    public var host: String
    public var port: Int?
    public var path: String
    public var query: [String: String]
    /// The URL without secrets, for logs, history and status records.
    public var label: String
    var rawUser: String?
    var rawPassword: String?

    public init(_ text: String) throws(ProviderConfigError) {
        label = ProviderList.redacted(text)
        guard let schemeEnd = text.firstRange(of: "://") else { throw ProviderConfigError(label, "not a provider URL (scheme://…)") }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = Substring(text[schemeEnd.upperBound...])
        query = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[Self.percentDecoded(parts[0])] = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            }
            rest = rest[..<mark]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        path = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                rawUser = Self.percentDecoded(userinfo[..<colon])
                rawPassword = Self.percentDecoded(userinfo[userinfo.index(after: colon)...])
            } else {
                rawUser = Self.percentDecoded(userinfo)
            }
        }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {  // [::1]:port
            host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) }
        } else if let colon = authority.lastIndex(of: ":"), let number = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            port = number
        } else {
            host = String(authority)
        }
    }

    /// The user: from the URL or from `user_file`.
    public func user() throws(ProviderConfigError) -> String? {
        try secret(inline: rawUser, file: "user_file")
    }

    /// The password (token, API key…): from the URL or from `password_file`.
    public func password() throws(ProviderConfigError) -> String? {
        try secret(inline: rawPassword, file: "password_file")
    }

    /// A required query parameter.
    public func required(_ name: String) throws(ProviderConfigError) -> String {
        guard let value = query[name], !value.isEmpty else { throw ProviderConfigError(label, "needs ?\(name)=") }
        return value
    }

    func secret(inline: String?, file parameter: String) throws(ProviderConfigError) -> String? {
        if let name = query[parameter] { return try Self.readCredential(name, label: label) }
        return inline.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads a credential file: an absolute path, or a name in `$CREDENTIALS_DIRECTORY`.
    /// One trailing newline is dropped. The message names the file, never its content.
    public static func readCredential(_ name: String, label: String) throws(ProviderConfigError) -> String {
        let bytes = try readCredentialBytes(name, label: label)
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    public static func readCredentialBytes(_ name: String, label: String) throws(ProviderConfigError) -> [UInt8] {
        let path: String
        if name.hasPrefix("/") {
            path = name
        } else {
            guard let directory = getenv("CREDENTIALS_DIRECTORY").map({ String(cString: $0) }), !directory.isEmpty else {
                throw ProviderConfigError(label, "credential \"\(name)\" is relative, but $CREDENTIALS_DIRECTORY is not set")
            }
            path = directory + "/" + name
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ProviderConfigError(label, "cannot read credential \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ProviderConfigError(label, "cannot read credential \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// `base_url=` (a provider's API root, e.g. a test emulator), else the provider's own.
    public func baseURL(default value: String) -> String {
        var base = query["base_url"] ?? value
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    static func percentDecoded(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A provider URL that cannot work; the message holds the redacted label only.
public struct ProviderConfigError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ label: String, _ reason: String) { description = "\(label): \(reason)" }
}

/// Percent-encoding for form bodies and query strings (application/x-www-form-urlencoded).
public enum FormEncoding {
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
