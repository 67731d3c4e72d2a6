import NotifyCore
import NotifyScheduling

/// Everything notifyd keeps per channel (and its one provider): ready queues by priority
/// and source, the priority dispatcher, the concurrency count, the rate limit and the
/// circuit breaker. The decisions are NotifyScheduling's; this only holds their state.
struct ChannelLane {
    let channel: Channel
    private(set) var settings: DeliverySettings
    private(set) var policy: RetryPolicy
    var breaker: CircuitBreaker
    var bucket: TokenBucket?
    var dispatcher = PriorityDispatcher()
    /// `ready[priority][source]`.
    private var ready: [[ReadyQueue<JobID>]] = Array(repeating: [ReadyQueue(), ReadyQueue()], count: PriorityClass.allCases.count)
    private(set) var readyCount = 0
    /// Attempts handed to an agent and not yet answered.
    var inFlight = 0
    /// Attempts answered whose decision (history line and rename) is not yet durable. They
    /// count against the concurrency limit with `inFlight`: a crash of notifyd can repeat
    /// only attempts that are undecided on disk, so at most `concurrency_limit` per channel
    /// are delivered twice however fast the agents answer.
    var settling = 0
    /// Whether another attempt may be handed out under the concurrency limit.
    var hasRoom: Bool { inFlight + settling < settings.concurrencyLimit }
    /// Ready jobs the rate limiter held back at the last dispatch (0 when it let all go).
    var rateLimited = 0
    /// Jobs of this channel in memory (ready, in flight, or with a state change pending).
    var activeCount = 0

    init(channel: Channel, settings: Settings, now: Instant) {
        self.channel = channel
        self.settings = settings.channel(channel).delivery
        self.policy = Self.policy(settings, channel)
        self.breaker = CircuitBreaker(configuration: Self.breakerConfiguration(settings.queueManager))
        self.bucket = Self.bucket(self.settings, now: now)
    }

    /// Applies a reloaded configuration. Breaker state survives unless its thresholds changed.
    mutating func reconfigure(_ settings: Settings, now: Instant) {
        let delivery = settings.channel(channel).delivery
        if delivery.rateLimit != self.settings.rateLimit || delivery.rateBurst != self.settings.rateBurst {
            bucket = Self.bucket(delivery, now: now)
        }
        self.settings = delivery
        policy = Self.policy(settings, channel)
        let configuration = Self.breakerConfiguration(settings.queueManager)
        if configuration != breaker.configuration { breaker = CircuitBreaker(configuration: configuration) }
    }

    mutating func enqueue(_ id: JobID, priority: Priority, source: JobSource) {
        ready[Self.priorityClass(priority).rawValue][source.rawValue].append(id)
        readyCount += 1
    }

    /// The next job by the dispatcher's wheel (high before normal before bulk, no class
    /// starves, fresh and retry alternate).
    mutating func nextReady() -> JobID? {
        let queues = ready
        guard let slot = dispatcher.next(available: { !queues[$0.rawValue][$1.rawValue].isEmpty }) else { return nil }
        readyCount -= 1
        return ready[slot.priority.rawValue][slot.source.rawValue].popFirst()
    }

    /// Takes every ready job out (to postpone them while the breaker is open).
    mutating func drainReady() -> [JobID] {
        var all: [JobID] = []
        for p in ready.indices { for s in ready[p].indices { all += ready[p][s].drain() } }
        readyCount = 0
        return all
    }

    static func priorityClass(_ priority: Priority) -> PriorityClass {
        switch priority {
        case .high: .high
        case .normal: .normal
        case .bulk: .bulk
        }
    }

    static func policy(_ settings: Settings, _ channel: Channel) -> RetryPolicy {
        let channelSettings = settings.channel(channel)
        let delivery = channelSettings.delivery
        let jitter: Jitter = switch delivery.jitter {
        case "none": .none
        case "full": .full
        case "decorrelated": .decorrelated
        default: .equal
        }
        return RetryPolicy(
            maxAttempts: delivery.maxAttempts, baseDelay: delivery.backoffBase, multiplier: delivery.backoffMultiplier,
            maxDelay: delivery.backoffMax, maxLifetime: channelSettings.maximalLifetime, jitter: jitter)
    }

    static func breakerConfiguration(_ settings: QueueManagerSettings) -> CircuitBreaker.Configuration {
        CircuitBreaker.Configuration(
            failureThreshold: settings.breakerFailureThreshold, coolOff: settings.breakerCoolOff,
            maxCoolOff: settings.breakerMaxCoolOff, coolOffMultiplier: 2,
            probeTimeout: max(.seconds(120), settings.breakerCoolOff))
    }

    static func bucket(_ delivery: DeliverySettings, now: Instant) -> TokenBucket? {
        delivery.rateLimit > 0 ? TokenBucket(ratePerSecond: delivery.rateLimit, burst: delivery.rateBurst, now: now) : nil
    }
}
