/// One transfer for the `CurlEngine`: an HTTP request or an SMTP submission.
public struct CurlRequest: Sendable {
    public enum Kind: Sendable {
        /// `method` with `headers` ("Name: value") and `body` (sent as is; empty for GET).
        case http(method: String, headers: [String], body: [UInt8])
        /// SMTP submission: MAIL FROM, one RCPT TO per recipient, then `message` (CRLF lines).
        case smtp(from: String, recipients: [String], message: [UInt8], security: SMTPSecurity)
    }

    /// How an `smtp://` connection is protected; `smtps://` is TLS from the start anyway.
    public enum SMTPSecurity: Sendable, Equatable {
        /// STARTTLS is required: a server that does not offer it fails the transfer.
        case requireStartTLS
        /// STARTTLS when offered (opportunistic), plain text otherwise.
        case tryStartTLS
        /// No TLS (a local relay on loopback).
        case none
    }

    public var url: String
    public var kind: Kind
    /// Basic auth for HTTP, AUTH for SMTP.
    public var username: String?
    public var password: String?
    /// A CA bundle to trust instead of the system's (a test's own CA, a private relay).
    public var caFile: String?
    public var connectTimeoutMilliseconds: Int
    public var timeoutMilliseconds: Int

    public init(url: String, kind: Kind, username: String? = nil, password: String? = nil, caFile: String? = nil,
                connectTimeoutMilliseconds: Int, timeoutMilliseconds: Int) {
        self.url = url
        self.kind = kind
        self.username = username
        self.password = password
        self.caFile = caFile
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// What came back from a transfer.
public struct CurlResponse: Sendable {
    /// libcurl's result (CURLcode); 0 is CURLE_OK.
    public var curlCode: Int
    /// curl's error text for a failed transfer.
    public var errorText: String
    /// The HTTP status, or the last SMTP reply code; 0 when there was none.
    public var status: Int
    /// HTTP response headers (names lowercased), in order.
    public var headers: [(name: String, value: String)]
    /// SMTP: the server's reply lines, in order ("250 2.0.0 Ok: queued as …").
    public var serverLines: [String]
    public var body: [UInt8]
    /// The request (HTTP headers, SMTP message data) had started going out: after a
    /// timeout the provider may have acted on it.
    public var requestSent: Bool
    public var latencyMicroseconds: Int64

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.last(where: { $0.name == lower })?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
