import Logging
import NotifyDaemonKit
import NotifyCore
import NotifyScheduling
import NotifySpool

/// Bringing jobs into memory: from `incoming/` (fresh) and from `deferred/` when due
/// (retries), alternating like Postfix's qmgr, never beyond `qmgr_active_limit`.
extension QueueManager {
    func admit(now: Int64) {
        var room = settings.queueManager.activeLimit - active.count
        guard room > 0 else { return }
        var fresh: [JobID] = []
        if incomingCursor == nil && needIncomingScan {
            // A new pass over incoming/; wake-ups during it ask for the next one.
            needIncomingScan = false
            do { incomingCursor = try spool.cursor(over: .incoming) } catch {
                logger.error("cannot read incoming", metadata: ["error": "\(error)"])
            }
        }
        if let cursor = incomingCursor {
            fresh = cursor.next(limit: room)
            if cursor.finished { incomingCursor = nil }
        }
        let dueLimit = fresh.isEmpty ? room : max(room / 2, room - fresh.count)
        let retries = due.popDue(now: Instant(millisecondsSinceEpoch: now), limit: dueLimit)
        var freshIndex = 0, retryIndex = 0
        while room > 0 && (freshIndex < fresh.count || retryIndex < retries.count) {
            if freshIndex < fresh.count {
                if admit(fresh[freshIndex], from: .incoming, source: .fresh, now: now) { room -= 1 }
                freshIndex += 1
            }
            if room > 0 && retryIndex < retries.count {
                if admit(retries[retryIndex].id, from: .deferred, source: .retry, now: now) { room -= 1 }
                retryIndex += 1
            }
        }
        if freshIndex < fresh.count { needIncomingScan = true }  // skipped ones: read again
    }

    /// Moves one job into `active/` and decides whether it can go out now. Returns whether
    /// it was taken (false when another process moved it first or it was not a valid job).
    @discardableResult
    func admit(_ id: JobID, from state: JobState, source: JobSource, now: Int64) -> Bool {
        guard active[id] == nil else { return false }
        if state != .active {
            do {
                guard try spool.move(JobMove(id, from: state, to: .active)) else { return false }
            } catch {
                logger.error("cannot move job to active", metadata: ["job_id": "\(id.text)", "error": "\(error)"])
                return false
            }
        }
        let job: JobSummary
        do { job = try spool.summary(id, in: .active) } catch {
            logger.error("job file unreadable", metadata: ["job_id": "\(id.text)", "error": "\(error)"])
            return false
        }
        let history = spool.history(of: id)
        let entry = ActiveJob(
            job: job, attempts: history.attempts, lastDelay: history.lastDelay,
            lifetimeStart: max(job.created, history.requeuedAt ?? job.created),
            source: history.attempts > 0 ? .retry : source)
        active[id] = entry
        lanes[job.channel]!.activeCount += 1
        if state == .incoming || state == .active, history.isNewToQueue {
            batch.note(JobEventRecord(.queued, id: id, channel: job.channel, at: now, provider: lanes[job.channel]!.settings.provider))
        }
        triage(id, now: now)
        return true
    }

    /// Expired, scheduled, opted out, quiet hours, or ready.
    func triage(_ id: JobID, now: Int64) {
        guard let entry = active[id] else { return }
        let job = entry.job
        let lane = lanes[job.channel]!
        let nowInstant = Instant(millisecondsSinceEpoch: now)
        if RetryDecision.isExpired(policy: lane.policy, createdAt: Instant(millisecondsSinceEpoch: entry.lifetimeStart),
                                   expiresAt: job.expires.map { Instant(millisecondsSinceEpoch: $0) }, now: nowInstant) {
            finish(id, state: .dead, result: "expired", reason: "expired before delivery", now: now)
            return
        }
        if let notBefore = job.notBefore, notBefore > now {
            postpone(id, until: notBefore, reason: "scheduled", now: now)
            return
        }
        let preferences = job.to.map { spool.preferences(of: $0) }
        if !preferences.isEmpty, preferences.allSatisfy({ $0?.declines(channel: job.channel, eventType: job.eventType) == true }) {
            let what = preferences.allSatisfy({ $0?.optedOut(of: job.channel) == true })
                ? job.channel.rawValue : "\(job.eventType ?? "") notifications"
            finish(id, state: .done, result: "suppressed", reason: "recipient opted out of \(what)", now: now)
            return
        }
        if let quiet = preferences.first??.quietHours, !(job.priority == .high && quiet.allowHigh),
           let window = QuietWindow(start: quiet.start, end: quiet.end),
           let local = timeZones.localSecondOfDay(now, timeZone: quiet.timeZone),
           let remaining = window.remainingSeconds(atLocalSecond: local) {
            postpone(id, until: now + Int64(remaining) * 1000, reason: "quiet hours", now: now)
            return
        }
        lanes[job.channel]!.enqueue(id, priority: job.priority, source: entry.source)
    }

    /// Waits without an attempt: the job goes to `deferred/` with its due time as mtime.
    func postpone(_ id: JobID, until: Int64, reason: String, now: Int64) {
        batch.add(id, event: HistoryEvent(.postponed, at: now, reason: reason, next: until),
                  move: JobMove(id, from: .active, to: .deferred, due: until))
    }

    /// A final state: `done/` (delivered, suppressed, cancelled) or `dead/` (failed, expired).
    func finish(_ id: JobID, state: JobState, result: String, reason: String, now: Int64, attemptEvent: HistoryEvent? = nil) {
        var events = attemptEvent.map { [$0] } ?? []
        events.append(HistoryEvent(.final, at: now, result: result, reason: reason))
        batch.add(id, events: events, move: JobMove(id, from: .active, to: state))
        if let entry = active[id], let kind = JobEventRecord.Kind(rawValue: result) {
            batch.note(JobEventRecord(kind, id: id, channel: entry.job.channel, at: now, provider: lanes[entry.job.channel]!.settings.provider,
                                      attempts: attemptEvent?.attempt ?? entry.attempts, reason: kind == .delivered ? nil : reason))
        }
        // One record per final job, in the journal as JOB_ID, CHANNEL, OUTCOME, PROVIDER
        // and MESSAGE_ID: dead letters at notice (an operator acts on them), everything
        // else at debug (quiet at info; NOTIFYD_LOG_LEVEL=debug follows every job). The
        // level is checked first so that the hot path builds no metadata for nothing.
        guard let job = active[id]?.job, state == .dead || logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = ["outcome": "\(result)"]
        if let provider = attemptEvent?.provider { metadata["provider"] = "\(provider)" }
        if state == .dead {
            metadata["message_id"] = "\(JournalMessageID.jobDeadLettered)"
            metadata["reason"] = "\(reason)"
            jobLogger(id, job.channel).notice("job dead-lettered", metadata: metadata)
        } else {
            metadata["message_id"] = "\(result == "delivered" ? JournalMessageID.jobDelivered : JournalMessageID.jobEnded)"
            jobLogger(id, job.channel).debug("job finished", metadata: metadata)
        }
    }
}
