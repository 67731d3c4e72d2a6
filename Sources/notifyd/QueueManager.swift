import Logging
import NotifyAgentKit
import NotifyCore
import NotifyDaemonKit
import NotifyScheduling
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

/// A job notifyd holds in memory: in `active/`, ready or in flight.
struct ActiveJob {
    var job: JobSummary
    /// Attempts made before (from the history).
    var attempts: Int
    /// The last retry delay, for decorrelated jitter.
    var lastDelay: Int64?
    /// The job's lifetime counts from here: creation, or the last requeue.
    var lifetimeStart: Int64
    var source: JobSource
    /// Whether the breaker let this attempt through as its half-open probe.
    var probe = false
    /// Answered, with its decision in a batch not yet durable (ChannelLane.settling).
    var settling = false
}

/// The queue manager, like Postfix's qmgr: the only component that decides what happens
/// to a job next. One thread owns all of its state and runs `run()`, a poll(2) loop over
/// the trigger FIFO, the control pipe (signals) and the agents' reply pipes; no locks.
final class QueueManager {
    let spool: Spool
    var settings: Settings
    let configPath: String
    let logger: Logger
    let notifier = ServiceNotifier()
    /// Read end of the control pipe: `T` terminate, `H` reload (written by the signal task).
    let controlFD: Int32
    var triggerFD: Int32 = -1

    var lanes: [Channel: ChannelLane] = [:]
    var active: [JobID: ActiveJob] = [:]
    var due = DueQueue<PackedJobID>()
    var batch = CompletionBatch()
    /// When the job event records now in `batch` began waiting without state changes (0: none).
    var eventsWaitingSince: Int64 = 0
    let committer: Committer
    /// Started after the start-up recovery, so the two never run at once.
    var sweeper: Sweeper?
    var agents: [Channel: [AgentProcess]] = [:]
    /// Per channel: consecutive agent deaths before any reply, and when the next start may happen.
    var agentRestart: [Channel: (failures: Int, notBefore: Int64)] = [:]
    var needIncomingScan = true
    /// The current pass over incoming/, read as room in memory allows.
    var incomingCursor: DirectoryCursor?
    var nextIncomingRescan: Int64 = 0
    var stopping = false
    var stopDeadline: Int64 = 0
    var nextSnapshot: Int64 = 0
    var snapshotDirty = true
    var nextWatchdogPing: Int64 = 0
    /// Reply deadlines are checked every 50 ms, not on every turn of the loop.
    var nextTimeoutCheck: Int64 = 0
    var random = SystemRandomNumberGenerator()
    let timeZones = RecipientClock()

    init(spool: Spool, settings: Settings, configPath: String, controlFD: Int32, logger: Logger) {
        self.spool = spool
        self.settings = settings
        self.configPath = configPath
        self.controlFD = controlFD
        self.logger = logger
        self.committer = Committer(spool: spool, logger: logger)
        let now = Instant(millisecondsSinceEpoch: WallClock.nowMilliseconds())
        for channel in Channel.allCases { lanes[channel] = ChannelLane(channel: channel, settings: settings, now: now) }
    }

    var inFlightCount: Int { agents.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.inFlight.count } } }

    /// Starts up (crash recovery, the one full scan), reports readiness, and serves until
    /// told to stop. Throws only when start-up fails.
    func run() throws(SpoolError) {
        try startUp()
        notifier.ready()
        notifier.status("delivering")
        logger.info("notifyd ready", metadata: ["deferred": "\(due.count)", "active": "\(active.count)"])
        while true {
            var now = WallClock.nowMilliseconds()
            if stopping && (inFlightCount == 0 || now >= stopDeadline) && batch.isEmpty && committer.isIdle { break }
            waitForEvents(timeout: pollTimeout(now: now))
            now = WallClock.nowMilliseconds()
            collectCommits()
            expireReplies(now: now)
            if !stopping {
                startAgents(now: now)
                admit(now: now)
                dispatch(now: now)
            }
            commitBatch()
            housekeeping(now: now)
        }
        shutDown()
    }

    // MARK: - Start-up and shutdown

    private func startUp() throws(SpoolError) {
        try reconcileStagedEvents()
        let recovered = try spool.recoverTemporaryFiles(olderThan: settings.staleTemporaryAge)
        if recovered.removed + recovered.completed > 0 {
            logger.notice("recovered temporary files", metadata: ["removed": "\(recovered.removed)", "completed": "\(recovered.completed)"])
        }
        triggerFD = try spool.openTriggerForReading()
        // Jobs found in active/ were in memory or in flight when notifyd stopped: retry them
        // (spool-layout.md, state table row A2), except those whose history already ends in
        // a `final` line: their batch was durable but not yet renamed (row C2), so the rename
        // is completed instead of delivering them again.
        let now = WallClock.nowMilliseconds()
        for id in try spool.names(in: .active) {
            if let state = Self.recordedFinalState(spool.history(of: id)) {
                batch.add(id, events: [], move: JobMove(id, from: .active, to: state))
            } else {
                admit(id, from: .active, source: .retry, now: now)
            }
        }
        commitBatch()
        // The only full scan: every deferred job's due time is its file's mtime.
        try spool.scan([.deferred]) { entry in
            due.push(PackedJobID(entry.id), due: Instant(millisecondsSinceEpoch: entry.modified))
        }
        needIncomingScan = true
        sweeper = Sweeper(spool: spool, settings: settings, logger: logger)
    }

    /// The final directory a history's last line names, if that line is `final`.
    /// Event files a killed notifyd staged in tmp/ but did not publish (Committer): the
    /// events whose decision reached the job's history (its last line) are published; the
    /// others are dropped, because those jobs are decided again (and `queued` is counted
    /// again when the job is taken back in at start). So a kill between the steps neither
    /// counts a decision twice nor loses one (spool-layout.md, "Job event records").
    private func reconcileStagedEvents() throws(SpoolError) {
        for (staged, events) in try spool.stagedJobEvents() {
            let recorded = events.filter { Self.decisionRecorded($0, in: spool.history(of: $0.id)) }
            if !recorded.isEmpty { try spool.writeJobEvents(recorded) }
            spool.removeStagedJobEvents(staged)
            logger.notice("reconciled staged job events", metadata: ["published": "\(recorded.count)", "dropped": "\(events.count - recorded.count)"])
        }
    }

    static func decisionRecorded(_ event: JobEventRecord, in history: JobHistory) -> Bool {
        guard let last = history.events.last else { return false }
        switch event.event {
        case .queued: return false
        case .retried: return last.event == .attempt && last.attempt == event.attempts
        case .delivered, .failed, .expired, .suppressed, .cancelled: return last.event == .final && last.result == event.event.rawValue
        }
    }

    static func recordedFinalState(_ history: JobHistory) -> JobState? {
        guard let last = history.events.last, last.event == .final else { return nil }
        switch last.result {
        case "delivered", "suppressed", "cancelled": return .done
        case "failed", "expired": return .dead
        default: return nil
        }
    }

    private func shutDown() {
        notifier.stopping()
        commitBatch(force: true)
        while !committer.isIdle {
            usleep(1000)
            collectCommits()
        }
        for list in agents.values { for agent in list { agent.closeInput() } }
        let deadline = WallClock.nowMilliseconds() + 2000
        for list in agents.values {
            for agent in list {
                var status: Int32 = 0
                while waitpid(agent.pid, &status, WNOHANG) == 0 && WallClock.nowMilliseconds() < deadline { usleep(10000) }
                _ = agent.reap()
            }
        }
        agents = [:]
        writeSnapshot()
        logger.info("notifyd stopped", metadata: ["active": "\(active.count)"])
    }

    // MARK: - Events

    private func pollTimeout(now: Int64) -> Int32 {
        var wake = now + 1000
        if let next = due.nextDue?.millisecondsSinceEpoch { wake = min(wake, next) }
        if agents.values.contains(where: { $0.contains { !$0.inFlight.isEmpty } }) { wake = min(wake, nextTimeoutCheck) }
        for (_, restart) in agentRestart { wake = min(wake, restart.notBefore) }
        for lane in lanes.values where lane.readyCount > 0 {
            // Waiting for a rate-limit token or a breaker: look again soon.
            wake = min(wake, now + 5)
        }
        if (needIncomingScan || incomingCursor != nil) && active.count < settings.queueManager.activeLimit { wake = now }
        return Int32(clamping: max(0, wake - now))
    }

    private func waitForEvents(timeout: Int32) {
        var fds = [pollfd(fd: triggerFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: controlFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: committer.completionFD, events: Int16(POLLIN), revents: 0)]
        var owners: [AgentProcess] = []
        for list in agents.values {
            for agent in list {
                fds.append(pollfd(fd: agent.output, events: Int16(POLLIN), revents: 0))
                owners.append(agent)
            }
        }
        let ready = poll(&fds, nfds_t(fds.count), timeout)
        guard ready > 0 else { return }
        if fds[0].revents != 0 { drainTrigger() }
        if fds[1].revents != 0 { readControl() }
        for (index, agent) in owners.enumerated() where fds[index + 3].revents != 0 {
            receive(from: agent)
        }
    }

    /// Empties the FIFO: bursts of wake-ups coalesce into one look at incoming/.
    private func drainTrigger() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(triggerFD, $0.baseAddress, $0.count) }) > 0 {}
        needIncomingScan = true
    }

    private func readControl() {
        var byte: UInt8 = 0
        while read(controlFD, &byte, 1) == 1 {
            switch byte {
            case UInt8(ascii: "T"):
                if !stopping {
                    stopping = true
                    committer.giveUpFailingBatches()
                    stopDeadline = WallClock.nowMilliseconds() + settings.queueManager.shutdownTimeout.wholeMilliseconds
                    notifier.stopping()
                    logger.info("stopping: no new dispatch, waiting for deliveries in flight", metadata: ["in_flight": "\(inFlightCount)"])
                }
            case UInt8(ascii: "H"):
                reload()
            default:
                break
            }
        }
    }

    private func housekeeping(now: Int64) {
        if now >= nextIncomingRescan {
            needIncomingScan = true
            nextIncomingRescan = now + settings.queueManager.queueScanInterval.wholeMilliseconds
        }
        if snapshotDirty && now >= nextSnapshot {
            writeSnapshot()
            snapshotDirty = false
            nextSnapshot = now + 1000
        }
        if let interval = notifier.watchdogPingInterval, now >= nextWatchdogPing {
            notifier.watchdogPing()
            nextWatchdogPing = now + interval.wholeMilliseconds
        }
    }

    // MARK: - Reload

    private func reload() {
        notifier.reloading()
        do {
            var fresh = try Settings.load(path: configPath)
            fresh.spoolDirectory = settings.spoolDirectory
            let now = Instant(millisecondsSinceEpoch: WallClock.nowMilliseconds())
            for channel in Channel.allCases {
                let old = settings.channel(channel).delivery, new = fresh.channel(channel).delivery
                lanes[channel]!.reconfigure(fresh, now: now)
                if old.agent != new.agent || old.provider != new.provider || old.agentProcesses != new.agentProcesses {
                    // New agents take over; the old ones finish what they have and exit.
                    for agent in agents[channel] ?? [] { agent.closeInput() }
                }
            }
            settings = fresh
            sweeper?.reconfigure(fresh)
            logger.info("configuration reloaded", metadata: [
                "config": "\(configPath)", "message_id": "\(JournalMessageID.configurationReloaded)"])
        } catch {
            logger.error("configuration not reloaded; keeping the old one", metadata: [
                "error": "\(error)", "message_id": "\(JournalMessageID.configurationReloaded)"])
        }
        snapshotDirty = true
        notifier.ready()
    }

    func jobLogger(_ id: JobID, _ channel: Channel) -> Logger {
        var logger = self.logger
        logger[metadataKey: "job_id"] = "\(id.text)"
        logger[metadataKey: "channel"] = "\(channel.rawValue)"
        return logger
    }
}
