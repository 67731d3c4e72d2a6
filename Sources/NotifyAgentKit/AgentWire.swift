/// The pipe protocol between notifyd and a delivery agent, version 1 (agent-protocol.md).
///
/// notifyd writes requests to the agent's stdin, the agent writes replies to its stdout;
/// one line each, fields separated by TAB, `%`, TAB, CR and LF in a field written as
/// `%25`, `%09`, `%0D`, `%0A`. Many requests may be outstanding (the concurrency window);
/// replies come in any order.
///
///     request:  D <id> <attempt>
///     reply:    R <id> <attempt> <result> <code> <retry-after-ms> <provider-id> <reason>
///
/// `result` is `delivered`, `temporary`, `permanent`, `down` or `unauthorized`; empty `code`,
/// `retry-after-ms` and `provider-id` mean none.
public enum AgentWire {
    public struct Request: Sendable, Equatable {
        public var id: String
        public var attempt: Int

        public init(id: String, attempt: Int) {
            self.id = id
            self.attempt = attempt
        }

        public var line: String { "D\t\(id)\t\(attempt)\n" }

        public init?(line: Substring) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == "D", let attempt = Int(fields[2]), attempt >= 1 else { return nil }
            self.init(id: String(fields[1]), attempt: attempt)
        }
    }

    public struct Reply: Sendable, Equatable {
        public var id: String
        public var attempt: Int
        public var result: AgentResult
        public var code: String?
        public var retryAfterMilliseconds: Int64?
        public var providerID: String?
        public var reason: String

        public init(id: String, attempt: Int, result: AgentResult, code: String? = nil,
                    retryAfterMilliseconds: Int64? = nil, providerID: String? = nil, reason: String) {
            self.id = id
            self.attempt = attempt
            self.result = result
            self.code = code
            self.retryAfterMilliseconds = retryAfterMilliseconds
            self.providerID = providerID
            self.reason = reason
        }

        public var line: String {
            let fields = ["R", id, String(attempt), result.rawValue, escape(code ?? ""),
                          retryAfterMilliseconds.map(String.init) ?? "", escape(providerID ?? ""), escape(reason)]
            return fields.joined(separator: "\t") + "\n"
        }

        public init?(line: Substring) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 8, fields[0] == "R", let attempt = Int(fields[2]),
                  let result = AgentResult(rawValue: String(fields[3])) else { return nil }
            let retryAfter: Int64?
            if fields[5].isEmpty { retryAfter = nil } else {
                guard let value = Int64(fields[5]), value >= 0 else { return nil }
                retryAfter = value
            }
            let code = unescape(fields[4]), providerID = unescape(fields[6])
            self.init(id: String(fields[1]), attempt: attempt, result: result, code: code.isEmpty ? nil : code,
                      retryAfterMilliseconds: retryAfter, providerID: providerID.isEmpty ? nil : providerID,
                      reason: unescape(fields[7]))
        }
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "%": result += "%25"
            case "\t": result += "%09"
            case "\n": result += "%0A"
            case "\r": result += "%0D"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        return String(text).replacing("%09", with: "\t").replacing("%0A", with: "\n")
            .replacing("%0D", with: "\r").replacing("%25", with: "%")
    }
}

/// The five results of an attempt (agent-protocol.md).
public enum AgentResult: String, Sendable, CaseIterable {
    /// The provider accepted the message; the reply carries its message id.
    case delivered
    /// This message failed for now; retry later (optionally after the provider's Retry-After).
    case temporary
    /// This message can never succeed (bad address, rejected content, a 4xx "bad request").
    case permanent
    /// The whole provider is failing (connection refused, 503 for everything): Postfix's
    /// hop status. Retried like `temporary`, and opens the provider's circuit breaker.
    case down
    /// The provider refused our credentials (HTTP 401/403, SMTP 530/534/535): this message
    /// fails permanently like `permanent`, and the provider is down like `down`, because
    /// the credentials are wrong for every job: its breaker opens, so the jobs behind this
    /// one wait for the fix instead of each being dead-lettered.
    case unauthorized
}
