import NotifyAgentKit
import NotifyCore
import NotifyScheduling
import NotifySpool

/// Handing ready jobs to agents, within each channel's concurrency cap, rate limit and
/// circuit breaker.
extension QueueManager {
    func dispatch(now: Int64) {
        let instant = Instant(millisecondsSinceEpoch: now)
        for channel in Channel.allCases {
            var limited = 0
            defer {
                if lanes[channel]!.rateLimited != limited { snapshotDirty = true }
                lanes[channel]!.rateLimited = limited
            }
            while lanes[channel]!.readyCount > 0 && lanes[channel]!.hasRoom {
                guard let agent = agentWithRoom(channel) else { break }
                if var bucket = lanes[channel]!.bucket {
                    let available = bucket.availableTokens(now: instant) > 0
                    lanes[channel]!.bucket = bucket
                    guard available else {
                        limited = lanes[channel]!.readyCount
                        break
                    }
                }
                let permission = lanes[channel]!.breaker.requestPermission(now: instant)
                if case .denied(let until) = permission {
                    // Half-open with the probe out: the others stay ready until its result.
                    if lanes[channel]!.breaker.snapshot.state == .halfOpen { break }
                    // Open: jobs wait in deferred/ until the cool-off ends, without burning attempts.
                    for id in lanes[channel]!.drainReady() {
                        postpone(id, until: until.millisecondsSinceEpoch, reason: "circuit breaker open", now: now)
                    }
                    break
                }
                _ = lanes[channel]!.bucket?.take(now: instant)
                guard let id = lanes[channel]!.nextReady() else { break }
                guard var entry = active[id] else { continue }
                let attempt = entry.attempts + 1
                entry.probe = permission == .probe
                active[id] = entry
                let deadline = now + lanes[channel]!.settings.deliveryTimeout.wholeMilliseconds
                agent.inFlight[id] = (attempt, deadline)
                lanes[channel]!.inFlight += 1
                agent.queue(AgentWire.Request(id: id.text, attempt: attempt))
            }
        }
        for list in agents.values {
            for agent in list where !agent.flush() {
                // The agent is gone; its reply pipe will show EOF and its jobs are retried then.
                logger.warning("agent did not take its requests", metadata: ["channel": "\(agent.channel.rawValue)", "pid": "\(agent.pid)"])
            }
        }
    }

    /// The channel's live agent with the fewest requests, if it is below its share of the
    /// window.
    private func agentWithRoom(_ channel: Channel) -> AgentProcess? {
        guard let list = agents[channel] else { return nil }
        var best: AgentProcess?
        var live = 0
        for agent in list where !agent.retiring {
            live += 1
            if best == nil || agent.inFlight.count < best!.inFlight.count { best = agent }
        }
        guard let best, live > 0 else { return nil }
        let window = (lanes[channel]!.settings.concurrencyLimit + live - 1) / live
        return best.inFlight.count < window ? best : nil
    }
}
