import _CryptoExtras
import Foundation

/// The provider emulator (provider-emulator.py) on loopback: checks each provider's
/// method, path, auth and body encoding, answers as told, and logs every request.
public final class ProviderEmulator: @unchecked Sendable {
    public let server: LoopbackServer
    public var baseURL: String { "http://127.0.0.1:\(server.port)" }

    public init() throws { server = try LoopbackServer(script: "provider-emulator.py") }

    /// One logged request.
    public struct Request: @unchecked Sendable {
        public var provider: String
        public var method: String
        public var path: String
        public var query: [String: String]
        public var headers: [String: String]
        public var body: String
        public var violation: String?
        public var status: Int
        public var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
    }

    /// The requests so far, of one provider or all.
    public func requests(_ provider: String? = nil) -> [Request] {
        let text = (try? String(contentsOfFile: server.directory + "/requests.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let request = Request(
                provider: object["provider"] as? String ?? "", method: object["method"] as? String ?? "",
                path: object["path"] as? String ?? "", query: object["query"] as? [String: String] ?? [:],
                headers: object["headers"] as? [String: String] ?? [:], body: object["body"] as? String ?? "",
                violation: object["violation"] as? String, status: object["status"] as? Int ?? 0)
            return provider == nil || request.provider == provider ? request : nil
        }
    }

    /// How providers answer from now on: `["twilio": ["status": 429, "headers": ["Retry-After": "7"]]]`,
    /// `["webhook": ["hang": 5]]`. Providers not named answer their documented success.
    public func behave(_ behaviours: [String: [String: Any]]) throws {
        let data = try JSONSerialization.data(withJSONObject: behaviours)
        try data.write(to: URL(fileURLWithPath: server.directory + "/control.json.new"))
        rename(server.directory + "/control.json.new", server.directory + "/control.json")
    }

    /// The public key the emulator's token endpoint checks JWT signatures with.
    /// The next FCM send finds every access token minted so far revoked (401).
    public func revokeTokens() {
        FileManager.default.createFile(atPath: server.directory + "/revoke-tokens", contents: nil)
    }

    public func trustJWTKey(pem: String) throws {
        try pem.write(toFile: server.directory + "/fcm-public-key.pem", atomically: true, encoding: .utf8)
    }

    /// A service-account JSON key for FCM whose token_uri is this emulator: its RSA key
    /// pair is made here, and the emulator trusts the public half for the JWT exchange.
    public func fcmServiceAccount(project: String = "demo-project") throws -> String {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        try trustJWTKey(pem: key.publicKey.pemRepresentation)
        let account: [String: String] = [
            "type": "service_account", "project_id": project, "private_key_id": "k1",
            "private_key": key.pemRepresentation, "client_email": "notifyd@\(project).iam.gserviceaccount.com",
            "token_uri": baseURL + "/token",
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: account), as: UTF8.self)
    }
}

/// A real SMTP server (aiosmtpd, smtp-server.py) on loopback.
public final class SMTPTestServer: @unchecked Sendable {
    public let server: LoopbackServer
    public let certificate: TestCertificate?
    public var port: Int { server.port }

    /// With `user`, AUTH is required; with `tls`, STARTTLS is required before it; with
    /// `implicitTLS` the connection is TLS from its first byte (smtps://).
    public init(tls: Bool = false, implicitTLS: Bool = false, user: (String, String)? = nil) throws {
        certificate = tls || implicitTLS ? try TestCertificate() : nil
        var arguments: [String] = []
        if let certificate {
            arguments += [implicitTLS ? "--smtps" : "--tls", certificate.certificatePath, certificate.keyPath]
        }
        if let user { arguments += ["--user", user.0, user.1] }
        server = try LoopbackServer(script: "smtp-server.py", arguments: arguments)
    }

    public struct Message: @unchecked Sendable {
        public var raw: String
        public var envelope: [String: Any]
    }

    /// The messages accepted so far, in order.
    public func messages() -> [Message] {
        var result: [Message] = []
        var index = 1
        while let raw = try? String(contentsOfFile: "\(server.directory)/\(index).eml", encoding: .utf8) {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: "\(server.directory)/\(index).json"))) ?? Data()
            result.append(Message(raw: raw, envelope: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]))
            index += 1
        }
        return result
    }
}

/// A self-signed certificate for 127.0.0.1 made with the openssl command, for TLS tests.
public final class TestCertificate: @unchecked Sendable {
    public let directory: String
    public var certificatePath: String { directory + "/cert.pem" }
    public var keyPath: String { directory + "/key.pem" }

    public init() throws {
        directory = NSTemporaryDirectory() + "notifyd-cert-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                             "-keyout", keyPath, "-out", certificatePath]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed() }
    }

    struct Failed: Error {}

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}
