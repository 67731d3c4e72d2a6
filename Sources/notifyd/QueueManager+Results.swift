import Logging
import NotifyAgentKit
import NotifyDaemonKit
import NotifyCore
import NotifyScheduling
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

/// Acting on agents' replies, on agents that die and on replies that never come.
extension QueueManager {
    func receive(from agent: AgentProcess) {
        let (replies, closed, malformed) = agent.receive()
        agent.replies += replies.count
        if malformed > 0 {
            logger.warning("malformed agent replies ignored", metadata: ["channel": "\(agent.channel.rawValue)", "count": "\(malformed)"])
        }
        let now = WallClock.nowMilliseconds()
        for reply in replies {
            guard let id = try? JobID(validating: reply.id), let sent = agent.inFlight[id], sent.attempt == reply.attempt else {
                continue  // late (timed out) or not ours
            }
            agent.inFlight[id] = nil
            settle(id, attempt: reply.attempt, reply: reply, now: now)
        }
        if closed { agentExited(agent, now: now) }
    }

    /// An agent closed its pipe: every job it held is retried (at-least-once), counted as
    /// an attempt with an unknown outcome. The agent is restarted with a backoff.
    func agentExited(_ agent: AgentProcess, now: Int64) {
        let status = agent.reap()
        agents[agent.channel]?.removeAll { $0 === agent }
        for (id, sent) in agent.inFlight {
            settle(id, attempt: sent.attempt, reply: nil, now: now, reason: "agent exited during delivery")
        }
        agent.inFlight = [:]
        if agent.retiring { return }
        // An agent that served and then died restarts after 100 ms; one that dies before
        // answering anything (a bad configuration, a missing program) backs off, doubling
        // up to 30 s, like Postfix throttling a delivery agent that fails at start.
        var restart = agentRestart[agent.channel] ?? (0, 0)
        restart.failures = agent.replies > 0 || now - agent.started > 30_000 ? 0 : restart.failures + 1
        let delay = min(30_000, 100 << min(restart.failures, 9))
        restart.notBefore = now + Int64(delay)
        agentRestart[agent.channel] = restart
        logger.warning("delivery agent exited; restarting", metadata: [
            "channel": "\(agent.channel.rawValue)", "pid": "\(agent.pid)", "status": "\(status)", "restart_in_ms": "\(delay)",
            "message_id": "\(JournalMessageID.agentExited)"])
    }

    /// Replies that did not come within the channel's delivery timeout.
    func expireReplies(now: Int64) {
        guard now >= nextTimeoutCheck else { return }
        nextTimeoutCheck = now + 50
        for list in agents.values {
            for agent in list {
                for (id, sent) in agent.inFlight where sent.deadline <= now {
                    agent.inFlight[id] = nil
                    settle(id, attempt: sent.attempt, reply: nil, now: now, reason: "no reply within the delivery timeout")
                }
            }
        }
    }

    /// Records an attempt's result and decides what comes next (RetryDecision, pure).
    func settle(_ id: JobID, attempt: Int, reply: AgentWire.Reply?, now: Int64, reason fallback: String = "") {
        guard var entry = active[id] else { return }
        let channel = entry.job.channel
        lanes[channel]!.inFlight -= 1
        lanes[channel]!.settling += 1
        entry.settling = true
        let instant = Instant(millisecondsSinceEpoch: now)
        let retryAfter = reply?.retryAfterMilliseconds.map { Duration.milliseconds($0) }
        let outcome: DeliveryOutcome
        let breakerResult: BreakerResult
        switch reply?.result {
        case .delivered?: (outcome, breakerResult) = (.delivered, .success)
        case .permanent?: (outcome, breakerResult) = (.permanentFailure, .success)
        case .temporary?: (outcome, breakerResult) = (.temporaryFailure(retryAfter: retryAfter), .failure)
        case .down?: (outcome, breakerResult) = (.destinationDown(retryAfter: retryAfter), .destinationDown)
        case .unauthorized?:
            // Refused credentials fail this job and open the breaker. A half-open probe that
            // finds them still refused waits like the jobs behind it: a long outage costs
            // the one job that revealed it, not one job per probe.
            outcome = entry.probe ? .destinationDown(retryAfter: retryAfter) : .permanentFailure
            breakerResult = .destinationDown
        case nil: (outcome, breakerResult) = (.unknownOutcome, .failure)
        }
        let transition = lanes[channel]!.breaker.record(breakerResult, now: instant)
        if transition != .none { writeSnapshot() }
        switch transition {
        case .opened(let until):
            // The reply that opened it tells the operator what to fix (a refused key, a
            // refused connection…); "no reply" when the agent timed out or died.
            logger.warning("circuit breaker opened", metadata: [
                "channel": "\(channel.rawValue)", "provider": "\(lanes[channel]!.settings.provider)",
                "message_id": "\(JournalMessageID.breakerOpened)",
                "result": "\(reply?.result.rawValue ?? "unknown")", "reason": "\(reply?.reason ?? fallback)",
                "until": "\(Timestamp.format(millisecondsSinceEpoch: until.millisecondsSinceEpoch))"])
        case .closed:
            logger.notice("circuit breaker closed", metadata: [
                "channel": "\(channel.rawValue)", "provider": "\(lanes[channel]!.settings.provider)",
                "message_id": "\(JournalMessageID.breakerClosed)"])
        case .none:
            if lanes[channel]!.breaker.snapshot.consecutiveFailures > 0 || entry.probe { snapshotDirty = true }
        }
        entry.probe = false
        entry.attempts = attempt
        active[id] = entry

        let decision = RetryDecision.decide(
            policy: lanes[channel]!.policy, attempt: attempt, outcome: outcome,
            createdAt: Instant(millisecondsSinceEpoch: entry.lifetimeStart),
            expiresAt: entry.job.expires.map { Instant(millisecondsSinceEpoch: $0) },
            previousDelay: entry.lastDelay.map { Duration.milliseconds($0) }, now: instant, using: &random)
        var event = HistoryEvent(
            .attempt, at: now, attempt: attempt, result: reply?.result.rawValue ?? "unknown",
            reason: reply?.reason ?? fallback, code: reply?.code, provider: lanes[channel]!.settings.provider,
            providerID: reply?.providerID)
        switch decision {
        case .delivered:
            finish(id, state: .done, result: "delivered", reason: reply?.reason ?? "", now: now, attemptEvent: event)
        case .retry(let at, let delay):
            event.next = at.millisecondsSinceEpoch
            event.delay = delay.wholeMilliseconds
            batch.add(id, event: event, move: JobMove(id, from: .active, to: .deferred, due: at.millisecondsSinceEpoch))
            batch.note(JobEventRecord(.retried, id: id, channel: channel, at: now, provider: lanes[channel]!.settings.provider,
                                      attempts: attempt, reason: event.reason))
        case .deadLetter(let why):
            let result = why == .expired ? "expired" : "failed"
            let text = why == .attemptsExhausted ? "\(attempt) attempts failed; last: \(event.reason ?? "")" : (event.reason ?? "")
            finish(id, state: .dead, result: result, reason: text, now: now, attemptEvent: event)
        }
    }
}
