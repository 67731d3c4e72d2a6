/// What one delivery attempt achieved, as the delivery agent classifies it.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The provider accepted the notification.
    case delivered
    /// A failure that may pass (rate limited, 5xx, connection reset before sending).
    /// `retryAfter` is the provider's Retry-After, if it sent one.
    case temporaryFailure(retryAfter: Duration?)
    /// A failure that will not pass by retrying (bad address, rejected content, 4xx other
    /// than 408/429). Never retried.
    case permanentFailure
    /// The provider as a whole is unreachable or down. Retried like a temporary failure;
    /// the queue manager also reports it to the provider's `CircuitBreaker`.
    case destinationDown(retryAfter: Duration?)
    /// The request was sent but no answer came (timeout). It may or may not have been
    /// delivered; retried like a temporary failure (at-least-once delivery).
    case unknownOutcome
}
