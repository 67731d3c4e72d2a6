import NotifyCore
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

/// `state/qmgr.json`: breaker states and in-memory counts for `notifyctl status`.
extension QueueManager {
    func writeSnapshot() {
        var breakers: [QueueManagerState.Breaker] = []
        var activeCounts: [String: Int] = [:], inFlight: [String: Int] = [:], rateLimited: [String: Int] = [:]
        for channel in Channel.allCases {
            let lane = lanes[channel]!
            let snapshot = lane.breaker.snapshot
            breakers.append(QueueManagerState.Breaker(
                channel: channel.rawValue, provider: lane.settings.provider, state: snapshot.state.rawValue,
                consecutiveFailures: snapshot.consecutiveFailures,
                openUntil: snapshot.openUntil.map { Timestamp.format(millisecondsSinceEpoch: $0.millisecondsSinceEpoch) },
                coolOffMilliseconds: snapshot.coolOff.wholeMilliseconds))
            activeCounts[channel.rawValue] = lane.activeCount
            inFlight[channel.rawValue] = lane.inFlight
            rateLimited[channel.rawValue] = lane.rateLimited
        }
        let state = QueueManagerState(pid: getpid(), written: Timestamp.format(millisecondsSinceEpoch: WallClock.nowMilliseconds()),
                                      breakers: breakers, active: activeCounts, inFlight: inFlight,
                                      rateLimited: rateLimited)
        do { try spool.writeQueueManagerState(state) } catch {
            logger.warning("cannot write state snapshot", metadata: ["error": "\(error)"])
        }
    }
}
