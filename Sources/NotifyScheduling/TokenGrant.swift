/// The `TokenBucket`'s answer to "may I send one request now?".
public enum TokenGrant: Sendable, Hashable {
    /// A token was taken; send.
    case granted
    /// No token now; the next one will be there at `until`. Nothing is reserved: take again
    /// then (another taker may have got it first, in which case the answer is a later time).
    case wait(until: Instant)
}
