#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore

/// One HTTP request, complete, with the peer that sent it.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Header names in lowercase.
    public var headers: [String: String]
    public var body: [UInt8]
    public var peer: PeerCredentials
    public var parameters: [String: String] = [:]

    public init(method: String, path: String, query: [String: String], headers: [String: String], body: [UInt8], peer: PeerCredentials) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.peer = peer
    }
}

/// One HTTP response with a complete body (every route but the event stream).
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body from an Encodable value (keys sorted, slashes unescaped).
    public static func json(_ status: Int, _ value: some Encodable) -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array("{}".utf8)
        bytes.append(UInt8(ascii: "\n"))
        return APIResponse(status: status, headers: [("Content-Type", "application/json")], body: bytes)
    }

    /// A JSON body written by hand (the hot paths).
    public static func json(_ status: Int, writer: JSONWriter) -> APIResponse {
        var bytes = writer.bytes
        bytes.append(UInt8(ascii: "\n"))
        return APIResponse(status: status, headers: [("Content-Type", "application/json")], body: bytes)
    }

    /// `{"error":CODE,"reason":…,"field":…}`: every refusal has this shape.
    public static func error(_ status: Int, _ code: String, _ reason: String, field: String? = nil,
                             headers extra: [(String, String)] = []) -> APIResponse {
        var writer = JSONWriter(capacity: 128 + reason.utf8.count)
        writer.beginObject()
        writer.string("error", code)
        writer.string("field", field)
        writer.string("reason", reason)
        writer.number("status", Int64(status))
        writer.endObject()
        var response = json(status, writer: writer)
        response.headers += extra
        return response
    }

    /// 400 for input that is not the JSON asked for (malformed, an unknown field, a value of
    /// the wrong type), 422 for a value the field does not accept; both name the field.
    public static func invalid(_ error: FieldError) -> APIResponse {
        var error = error
        if error.field == "input" { error.field = "body" }
        let malformed = error.reason.hasPrefix("malformed JSON") || error.reason == "unknown field"
            || error.reason.hasPrefix("expected a ") || error.reason.hasPrefix("expected an ")
            || error.reason.hasPrefix("expected a JSON")
        return .error(malformed ? 400 : 422, malformed ? "bad_request" : "invalid", error.reason, field: error.field)
    }

    public static func forbidden(_ reason: String) -> APIResponse { .error(403, "forbidden", reason) }
    public static func notFound(_ reason: String) -> APIResponse { .error(404, "not_found", reason) }
}

/// The reason phrases of the statuses notify-apid sends.
enum StatusText {
    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// A response can stand as the failure of a lookup (`Result<Job, APIResponse>`).
extension APIResponse: Error {}
