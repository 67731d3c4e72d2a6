/// The routes notify-apid serves. `APIRouter.table` is the single list: the server
/// dispatches on it, and a test checks it against openapi.yaml both ways.
public enum RouteName: String, Sendable, CaseIterable {
    case submitNotification, submitBatch, showBatch
    case listJobs, showJob, cancelJob, retryJob
    case listInbox, countInbox, readAllInbox, readInboxMessage, deleteInboxMessage
    case showPreferences, putPreferences
    case health, events
    case stats, metrics, statusPage
}

public struct RouteTemplate: Sendable {
    public var method: String
    public var pattern: String
    public var name: RouteName
    var segments: [Substring] { pattern.split(separator: "/") }
}

public enum RouteMatch: Equatable {
    case route(RouteName, parameters: [String: String])
    case methodNotAllowed(allowed: [String])
    case notFound
}

public enum APIRouter {
    /// Literal segments come before parameters where two patterns could both match.
    public static let table: [RouteTemplate] = [
        RouteTemplate(method: "POST", pattern: "/v1/notifications", name: .submitNotification),
        RouteTemplate(method: "POST", pattern: "/v1/batches", name: .submitBatch),
        RouteTemplate(method: "GET", pattern: "/v1/batches/{id}", name: .showBatch),
        RouteTemplate(method: "GET", pattern: "/v1/jobs", name: .listJobs),
        RouteTemplate(method: "GET", pattern: "/v1/jobs/{id}", name: .showJob),
        RouteTemplate(method: "DELETE", pattern: "/v1/jobs/{id}", name: .cancelJob),
        RouteTemplate(method: "POST", pattern: "/v1/jobs/{id}/retry", name: .retryJob),
        RouteTemplate(method: "GET", pattern: "/v1/inbox/{user}", name: .listInbox),
        RouteTemplate(method: "GET", pattern: "/v1/inbox/{user}/count", name: .countInbox),
        RouteTemplate(method: "POST", pattern: "/v1/inbox/{user}/read-all", name: .readAllInbox),
        RouteTemplate(method: "POST", pattern: "/v1/inbox/{user}/{id}/read", name: .readInboxMessage),
        RouteTemplate(method: "DELETE", pattern: "/v1/inbox/{user}/{id}", name: .deleteInboxMessage),
        RouteTemplate(method: "GET", pattern: "/v1/preferences/{recipient}", name: .showPreferences),
        RouteTemplate(method: "PUT", pattern: "/v1/preferences/{recipient}", name: .putPreferences),
        RouteTemplate(method: "GET", pattern: "/health", name: .health),
        RouteTemplate(method: "GET", pattern: "/v1/events", name: .events),
        RouteTemplate(method: "GET", pattern: "/v1/stats", name: .stats),
        RouteTemplate(method: "GET", pattern: "/metrics", name: .metrics),
        RouteTemplate(method: "GET", pattern: "/", name: .statusPage),
    ]

    /// Matches a request path (without the query) against the table. Segments are
    /// percent-decoded; a segment that does not decode to UTF-8 matches nothing.
    public static func match(method: String, path: String) -> RouteMatch {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        var literalHit = false
        for template in table {
            let pattern = template.segments
            guard pattern.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var matched = true
            var literals = 0
            for (want, have) in zip(pattern, segments) {
                if want.hasPrefix("{") {
                    guard let decoded = percentDecode(have), !decoded.isEmpty else { matched = false; break }
                    parameters[String(want.dropFirst().dropLast())] = decoded
                } else if want != have {
                    matched = false
                    break
                } else {
                    literals += 1
                }
            }
            guard matched else { continue }
            // A path whose literal segments matched a more specific pattern with another
            // method is not also a parameter match of a less specific one.
            if literals == pattern.count { literalHit = true }
            if template.method == method { return .route(template.name, parameters: parameters) }
            if !literalHit || literals == pattern.count { allowed.append(template.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// `%XX` decoding of a path segment or query value (`+` is a space in queries only).
    public static func percentDecode(_ text: Substring, plusIsSpace: Bool = false) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard iterator.count >= 2, let high = hexValue(iterator.popFirst()!), let low = hexValue(iterator.popFirst()!) else { return nil }
                bytes.append(high << 4 | low)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x37
        case 0x61...0x66: byte - 0x57
        default: nil
        }
    }

    /// The query string's parameters; the last value wins for a repeated name.
    public static func query(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(parts[0], plusIsSpace: true) else { continue }
            result[name] = parts.count > 1 ? percentDecode(parts[1], plusIsSpace: true) ?? "" : ""
        }
        return result
    }
}
