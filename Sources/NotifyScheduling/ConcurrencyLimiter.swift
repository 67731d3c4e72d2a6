/// Counts requests in flight per key (a channel, a provider) and caps them.
///
/// `tryAcquire` takes a slot if the key is below its limit; every successful `tryAcquire`
/// must be matched by one `release`. Keys with nothing in flight take no memory.
public struct ConcurrencyLimiter<Key: Hashable & Sendable>: Sendable {
    /// The cap for keys without their own entry in `limits`.
    public var defaultLimit: Int
    /// Per-key caps overriding `defaultLimit`.
    public var limits: [Key: Int]
    private var inFlightByKey: [Key: Int] = [:]

    public init(defaultLimit: Int, limits: [Key: Int] = [:]) {
        precondition(defaultLimit >= 0, "defaultLimit must not be negative")
        self.defaultLimit = defaultLimit
        self.limits = limits
    }

    /// The cap that applies to `key`.
    public func limit(for key: Key) -> Int {
        limits[key] ?? defaultLimit
    }

    /// Requests in flight for `key`.
    public func inFlight(_ key: Key) -> Int {
        inFlightByKey[key] ?? 0
    }

    /// Takes a slot for `key` if fewer than its limit are in flight.
    public mutating func tryAcquire(_ key: Key) -> Bool {
        let current = inFlight(key)
        guard current < limit(for: key) else { return false }
        inFlightByKey[key] = current + 1
        return true
    }

    /// Gives back a slot of `key`. Returns false (and changes nothing) if none was held,
    /// which is a caller bug.
    @discardableResult
    public mutating func release(_ key: Key) -> Bool {
        let current = inFlight(key)
        guard current > 0 else { return false }
        inFlightByKey[key] = current == 1 ? nil : current - 1
        return true
    }
}
