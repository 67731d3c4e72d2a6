import Crypto

/// The signature of a webhook request (providers.md, "Webhook signatures"):
///
///     X-Notifyd-Timestamp: 1795278768
///     X-Notifyd-Signature: v1=<hex of HMAC-SHA256(key, "1795278768" + "." + body)>
///
/// A receiver recomputes the HMAC over the timestamp header, a dot and the raw body,
/// compares in constant time, and rejects timestamps more than 5 minutes from its clock
/// (replays). Several `v1=` values separated by commas may appear during a key rotation.
public enum WebhookSignature {
    public static let timestampHeader = "X-Notifyd-Timestamp"
    public static let signatureHeader = "X-Notifyd-Signature"
    public static let tolerance: Int64 = 300

    public static func sign(body: [UInt8], timestamp: Int64, key: [UInt8]) -> String {
        var message = Array(String(timestamp).utf8)
        message.append(UInt8(ascii: "."))
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "v1=" + mac.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The receiver's check: true if one of the header's `v1=` values matches and the
    /// timestamp is within the tolerance of `now`.
    public static func verify(body: [UInt8], timestampHeader: String, signatureHeader: String, key: [UInt8], now: Int64) -> Bool {
        guard let timestamp = Int64(timestampHeader), abs(now - timestamp) <= tolerance else { return false }
        var message = Array(timestampHeader.utf8)
        message.append(UInt8(ascii: "."))
        message += body
        for candidate in signatureHeader.split(separator: ",") where candidate.hasPrefix("v1=") {
            guard let expected = hexBytes(candidate.dropFirst(3)) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: message, using: SymmetricKey(data: key)) {
                return true
            }
        }
        return false
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
