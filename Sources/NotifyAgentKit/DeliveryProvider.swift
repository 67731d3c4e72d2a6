import NotifyCore
import NotifySpool

/// What a provider says about one attempt.
public struct ProviderAnswer: Sendable, Equatable {
    public var result: AgentResult
    public var reason: String
    public var code: String?
    public var providerID: String?
    public var retryAfterMilliseconds: Int64?
    /// The request may have reached the provider (a timeout after it was sent): a retry
    /// must carry the same idempotency key, and no other provider may be tried.
    public var outcomeUnknown: Bool
    /// The provider that answered, when a `FallbackProvider` chose among several.
    public var provider: String?

    public init(_ result: AgentResult, reason: String, code: String? = nil, providerID: String? = nil,
                retryAfterMilliseconds: Int64? = nil, outcomeUnknown: Bool = false) {
        self.result = result
        self.reason = reason
        self.code = code
        self.providerID = providerID
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.outcomeUnknown = outcomeUnknown
    }
}

/// A way of delivering a channel's messages: the outbox here, the network and inbox
/// providers in NotifyProviders (providers.md).
/// A provider classifies every outcome into the four results; it never retries itself.
public protocol DeliveryProvider: Sendable {
    var name: String { get }
    func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer
}

/// The default provider of every channel: writes the rendered message into
/// `outbox/<channel>/ID` with the commit protocol, so the suite delivers out of the box.
public struct OutboxProvider: DeliveryProvider {
    public let name = "outbox"
    let spool: Spool

    public init(spool: Spool) { self.spool = spool }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        do {
            try spool.writeOutbox(OutboxMessage(job: job, attempt: attempt, now: WallClock.nowMilliseconds()), id: job.id, channel: job.channel)
            return ProviderAnswer(.delivered, reason: "written to outbox", code: "250", providerID: "outbox:\(job.id.text)")
        } catch {
            // A full disk passes; anything else (permissions, a missing directory) is the
            // whole outbox failing, which is what "down" means.
            return ProviderAnswer(error.isTemporary ? .temporary : .down, reason: error.description, code: "errno \(error.errno)")
        }
    }
}
