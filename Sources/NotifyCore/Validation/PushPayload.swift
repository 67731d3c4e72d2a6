/// Push notification size check: the UTF-8 bytes of the title, the body and the data
/// JSON (as it will be sent) together must not exceed a limit, by default 4096 bytes,
/// the maximum message payload documented for Firebase Cloud Messaging (APNs allows
/// the same 4 KB for regular pushes).
///
/// This is a size check only: it does not parse the data JSON.
public enum PushPayload {
    public static let defaultLimitBytes = 4096

    /// UTF-8 bytes of title + body + data.
    public static func byteCount(title: String, body: String, data: String) -> Int {
        title.utf8.count + body.utf8.count + data.utf8.count
    }

    /// Returns the byte count if it is within `limit`.
    /// - Throws: `FieldError(field, reason)` naming the byte count of each part.
    @discardableResult
    public static func validate(title: String, body: String, data: String = "", field: String, limit: Int = defaultLimitBytes) throws(FieldError) -> Int {
        let total = byteCount(title: title, body: body, data: data)
        guard total <= limit else {
            throw FieldError(field, "is \(total) bytes (title \(title.utf8.count), body \(body.utf8.count), data \(data.utf8.count)); the limit is \(limit) bytes")
        }
        return total
    }
}
