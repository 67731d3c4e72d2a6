/// The recipient of a push job: a device registration token, or `topic:NAME` for a topic.
///
/// FCM registration tokens are opaque strings of URL-safe characters (in practice about
/// 150–200 characters); ntfy topics are names. Only `[A-Za-z0-9_.:-]` is accepted, up to
/// 4096 bytes for a token and 256 for a topic name, so no recipient can smuggle a path,
/// a header or a URL into a provider request.
public enum PushToken {
    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        func allowed(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x3A || byte == 0x2D
        }
        if value.hasPrefix("topic:") {
            let name = value.utf8.dropFirst(6)
            guard !name.isEmpty, name.count <= 256, name.allSatisfy({ allowed($0) && $0 != 0x3A }) else {
                throw FieldError(field, "not a topic: \"topic:\" then 1 to 256 of A-Z a-z 0-9 _ . -")
            }
            return value
        }
        guard !value.isEmpty else { throw FieldError(field, "empty push token") }
        guard value.utf8.count <= 4096 else { throw FieldError(field, "push token longer than 4096 bytes") }
        guard value.utf8.allSatisfy(allowed) else {
            throw FieldError(field, "not a push token: only A-Z a-z 0-9 _ . : - are allowed (or topic:NAME)")
        }
        return value
    }
}

extension WebhookTarget {
    /// The recipient as stored in a job: the URL, or the endpoint name.
    public var recipient: String {
        switch self {
        case .url(let url): url
        case .endpoint(let name): name
        }
    }
}
