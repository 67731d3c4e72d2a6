import NotifyCore

/// Several providers of one channel in fallback order (`email_providers = smtp://…,
/// brevo://…`): the first is tried; on `temporary`, `down` or `unauthorized` (that
/// provider's credentials, not the message) the next one is, and so on.
/// A `permanent` answer stops (the message itself is bad), and so does an unknown outcome
/// (a timeout after the request was sent: another provider could deliver it twice; it is
/// retried later with the same idempotency key). When every provider fails for now, the
/// mildest failure speaks for the job: a `temporary` anywhere keeps it temporary (retried,
/// no breaker), else `down`; only credentials refused by every provider make it
/// `unauthorized` (a dead letter). The answer names the provider that gave it, so the
/// status record names the provider that delivered.
public struct FallbackProvider: DeliveryProvider {
    public let providers: [any DeliveryProvider]
    public let name: String

    public init(_ providers: [any DeliveryProvider]) {
        self.providers = providers
        self.name = providers.map(\.name).joined(separator: ",")
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        var failures: [ProviderAnswer] = []
        for provider in providers {
            var answer = await provider.deliver(job, attempt: attempt)
            if answer.provider == nil { answer.provider = provider.name }
            switch answer.result {
            case .delivered, .permanent: return answer
            case .temporary where answer.outcomeUnknown: return answer
            case .temporary, .down, .unauthorized: failures.append(answer)
            }
        }
        return failures.last { $0.result == .temporary } ?? failures.last { $0.result == .down } ?? failures.last
            ?? ProviderAnswer(.down, reason: "no provider configured")
    }
}
