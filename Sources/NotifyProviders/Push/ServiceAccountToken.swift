#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import _CryptoExtras
import Crypto
import NotifyAgentKit
import NotifyCore

/// OAuth2 access tokens for a Google service account (RFC 7523 JWT bearer grant), as FCM
/// HTTP v1 needs them: an RS256-signed JWT (`iss` the account's `client_email`, `scope`
/// firebase.messaging, `aud` its `token_uri`, one hour) is exchanged at `token_uri` for
/// an access token, which is cached until a minute before it expires. Concurrent
/// deliveries share one exchange.
public actor ServiceAccountToken {
    public struct Account: Sendable {
        public var clientEmail: String
        public var privateKey: _RSA.Signing.PrivateKey
        public var privateKeyID: String?
        public var tokenURI: String
    }

    public static let scope = "https://www.googleapis.com/auth/firebase.messaging"
    let account: Account
    let environment: ProviderEnvironment
    private var cached: (token: String, expires: Int64)?
    private var exchanging: Task<Result<String, TokenError>, Never>?

    public struct TokenError: Error, Sendable {
        public var answer: ProviderAnswer
    }

    init(account: Account, environment: ProviderEnvironment) {
        self.account = account
        self.environment = environment
    }

    /// Parses a service-account JSON key file (`client_email`, `private_key` PEM,
    /// `private_key_id`, `token_uri`).
    public static func account(json bytes: [UInt8], label: String) throws(ProviderConfigError) -> Account {
        guard let json = JSONValue.response(bytes), let email = json["client_email"]?.string,
              let pem = json["private_key"]?.string else {
            throw ProviderConfigError(label, "key_file is not a service-account JSON key (client_email, private_key)")
        }
        let key: _RSA.Signing.PrivateKey
        do { key = try _RSA.Signing.PrivateKey(pemRepresentation: pem) } catch {
            throw ProviderConfigError(label, "key_file: private_key is not an RSA private key in PEM")
        }
        return Account(clientEmail: email, privateKey: key, privateKeyID: json["private_key_id"]?.string,
                       tokenURI: json["token_uri"]?.string ?? "https://oauth2.googleapis.com/token")
    }

    /// A valid access token, from the cache or a new exchange.
    public func token() async -> Result<String, TokenError> {
        let now = WallClock.nowMilliseconds() / 1000
        if let cached, cached.expires > now + 60 { return .success(cached.token) }
        if let exchanging { return await exchanging.value }
        let task = Task { await self.exchange(now: now) }
        exchanging = task
        let result = await task.value
        exchanging = nil
        return result
    }

    /// Forgets the cached token (the provider answered 401 to it).
    public func invalidate() { cached = nil }

    private func exchange(now: Int64) async -> Result<String, TokenError> {
        let assertion: String
        do { assertion = try Self.jwt(account: account, now: now) } catch {
            return .failure(TokenError(answer: ProviderAnswer(.unauthorized, reason: "cannot sign the OAuth2 JWT")))
        }
        let form = FormEncoding.encode([("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)])
        let response = await environment.engine.perform(environment.http(
            "POST", account.tokenURI, headers: ["Content-Type: application/x-www-form-urlencoded", "Accept: application/json"],
            body: Array(form.utf8)))
        let answer = ProviderAnswer.http(response) { _ in nil }
        guard answer.result == .delivered else {
            // A token endpoint refusing the key (400 invalid_grant, 401) fails every job.
            var failed = answer
            if failed.result == .permanent { failed.result = .unauthorized }
            failed.reason = "OAuth2 token exchange: " + failed.reason
            return .failure(TokenError(answer: failed))
        }
        guard let json = JSONValue.response(response.body), let token = json["access_token"]?.string else {
            return .failure(TokenError(answer: ProviderAnswer(.temporary, reason: "OAuth2 token exchange: no access_token in the response")))
        }
        let lifetime = Int64(json["expires_in"]?.number ?? 3600)
        cached = (token, now + lifetime)
        return .success(token)
    }

    /// `header.claims.signature`, base64url without padding (RFC 7515), RS256.
    static func jwt(account: Account, now: Int64) throws -> String {
        var header: [String: JSONValue] = ["alg": .string("RS256"), "typ": .string("JWT")]
        if let kid = account.privateKeyID { header["kid"] = .string(kid) }
        let claims: JSONValue = .object([
            "iss": .string(account.clientEmail), "scope": .string(scope), "aud": .string(account.tokenURI),
            "iat": .number(Double(now)), "exp": .number(Double(now + 3600)),
        ])
        let signingInput = base64URL(JSONValue.object(header).bytes) + "." + base64URL(claims.bytes)
        let signature = try account.privateKey.signature(for: Array(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + base64URL(Array(signature.rawRepresentation))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }
}
