#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// What an operator can do to a job (`notifyctl`, like Postfix's postsuper): each is one
/// rename (or unlink) plus a history line. They work with notifyd running or not: a rename
/// is atomic, so when notifyd moves the same job first the operator's rename finds nothing
/// and the job is looked up again.
public enum OperatorAction: String, Sendable, CaseIterable {
    case hold, release, requeue, flush, cancel, delete

    /// The states the action applies to. A job in `active/` is being delivered and can
    /// only be acted on when it comes back.
    public var sources: [JobState] {
        switch self {
        case .hold: [.incoming, .deferred]
        case .release: [.hold]
        case .requeue: [.dead]
        case .flush: [.deferred]
        case .cancel: [.incoming, .deferred, .hold]
        case .delete: [.incoming, .deferred, .hold, .dead, .done]
        }
    }

    /// Where the job goes; nil for delete.
    public var target: JobState? {
        switch self {
        case .hold: .hold
        case .release, .requeue, .flush: .incoming
        case .cancel: .done
        case .delete: nil
        }
    }
}

public enum OperatorOutcome: Sendable, Equatable {
    case done(from: JobState)
    case notFound
    /// The job is in a state the action does not apply to.
    case notApplicable(JobState)
    /// The job is being delivered (in active/); try again later.
    case busy
}

extension Spool {
    /// Applies an operator action to one job. Not synced: call `syncState()` once after a
    /// group of actions.
    public func apply(_ action: OperatorAction, to id: JobID, now: Int64 = WallClock.nowMilliseconds()) throws(SpoolError) -> OperatorOutcome {
        for _ in 0..<3 {
            guard let entry = locate(id) else { return .notFound }
            guard action.sources.contains(entry.state) else {
                return entry.state == .active ? .busy : .notApplicable(entry.state)
            }
            guard let target = action.target else {
                if try remove(id, from: entry.state) { return .done(from: entry.state) }
                continue
            }
            guard try move(JobMove(id, from: entry.state, to: target)) else { continue }  // raced: look again
            let event: HistoryEvent = switch action {
            case .hold: HistoryEvent(.held, at: now, reason: "held by an operator")
            case .release: HistoryEvent(.released, at: now, reason: "released by an operator")
            case .requeue: HistoryEvent(.requeued, at: now, reason: "requeued by an operator")
            case .flush: HistoryEvent(.flushed, at: now, reason: "flushed by an operator")
            case .cancel, .delete: HistoryEvent(.final, at: now, result: "cancelled", reason: "cancelled by an operator")
            }
            try appendHistory(id, [event])
            if action == .cancel, let job = try? summary(id, in: target) {
                // For notify-statsd; made durable by the command's syncState like the rest.
                try writeJobEvents([JobEventRecord(.cancelled, id: id, channel: job.channel, at: now, reason: "cancelled by an operator")], now: now)
            }
            return .done(from: entry.state)
        }
        return .busy
    }
}
