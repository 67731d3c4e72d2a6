import NotifyTestSupport
import Foundation
import NotifyCore
import NotifySpool
import Testing

/// notifyd end to end: real notifyd, real agents (the outbox agents and notify-test-agent)
/// in a temporary spool.
@Suite(.serialized) struct QueueManagerTests {
    @Test func deliversThroughTheOutboxAndTheTestAgent() throws {
        let daemon = try RunningDaemon()
        let sms = try daemon.sms()
        let mail = try daemon.enqueue(["--channel", "email", "--to", "a@example.com", "--subject", "Hi", "--body", "Hello"])
        #expect(daemon.wait(sms, reaches: .done))
        #expect(daemon.wait(mail, reaches: .done))
        #expect(daemon.history(sms).outcome == "delivered")
        #expect(daemon.history(mail).events.first?.providerID == "outbox:\(mail.text)")
        let outbox = try daemon.store.outboxMessages(.email)
        #expect(outbox.map(\.id) == [mail.text] && outbox.first?.subject == "Hi")
        let records = try daemon.store.statusRecords()
        #expect(Set(records.map(\.id)) == [sms.text, mail.text])
        #expect(records.allSatisfy { $0.result == "delivered" && $0.attempt == 1 })

        let list = try daemon.spool.run("notifyctl", ["list", "--all", "--json"])
        let lines = try list.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == 2)
        for line in lines {
            #expect(line["state"] as? String == "done")
            #expect(line["attempts"] as? Int == 1)
            #expect(line["outcome"] as? String == "delivered")
            #expect(line.keys.contains("next_attempt") && line["next_attempt"] is NSNull)
        }
        daemon.stop()
        #expect(daemon.process.terminationStatus == 0)
    }

    @Test func temporaryFailuresThenSuccessOnTheThirdAttempt() throws {
        let daemon = try RunningDaemon()
        let id = try daemon.sms("temporary:2")
        #expect(daemon.wait(id, reaches: .done))
        let attempts = daemon.history(id).events.filter { $0.event == .attempt }
        #expect(attempts.map(\.result) == ["temporary", "temporary", "delivered"])
        #expect(attempts.map(\.code) == ["451", "451", "200"])
        // 100 ms, then 200 ms (sms_backoff_base 100ms, multiplier 2, no jitter).
        #expect(attempts.compactMap(\.delay) == [100, 200])
        #expect(attempts[1].at - attempts[0].at >= 100 && attempts[2].at - attempts[1].at >= 200)
    }

    @Test func retryAfterIsHonouredWithinThePolicyBounds() throws {
        let daemon = try RunningDaemon()
        let id = try daemon.sms("retry_after:300:1")
        let capped = try daemon.sms("retry_after:60000:1")
        #expect(daemon.wait(id, reaches: .done))
        #expect(daemon.history(id).events.first?.delay == 300)
        #expect(daemon.wait(capped, reaches: .done))
        #expect(daemon.history(capped).events.first?.delay == 400)  // clamped to sms_backoff_max
    }

    @Test func permanentFailureIsADeadLetterAtOnce() throws {
        let daemon = try RunningDaemon()
        let id = try daemon.sms("permanent")
        #expect(daemon.wait(id, reaches: .dead))
        let history = daemon.history(id)
        #expect(history.attempts == 1)
        #expect(history.outcome == "failed")
        #expect(history.events.last?.reason == "bad request")
        let show = try daemon.spool.run("notifyctl", ["list", "--all", "--json", "--state", "dead"])
        #expect(show.stdout.contains(#""outcome":"failed""#))
    }

    @Test func attemptsRunOutIntoTheDeadLetters() throws {
        let daemon = try RunningDaemon(config: RunningDaemon.testConfig + "\nsms_max_attempts = 2\n")
        let id = try daemon.sms("temporary:5")
        #expect(daemon.wait(id, reaches: .dead))
        #expect(daemon.history(id).attempts == 2)
        #expect(daemon.history(id).outcome == "failed")
    }

    @Test func breakerOpensWaitsProbesAndCloses() throws {
        let daemon = try RunningDaemon()
        daemon.setControl("down", true)
        let first = try daemon.sms("control")
        // "destination down" opens the breaker at once.
        #expect(waitFor(5) { daemon.breaker("sms")?.state == "open" })
        #expect(daemon.breaker("sms")?.coolOffMilliseconds == 700)
        let waiting = try daemon.sms("control")
        #expect(waitFor(5) { daemon.history(waiting).events.contains { $0.reason == "circuit breaker open" } })
        #expect(daemon.history(waiting).attempts == 0)  // waiting is not a failed attempt
        // The half-open probe fails: open again with a longer cool-off.
        #expect(waitFor(5) { daemon.breaker("sms")?.coolOffMilliseconds == 1400 })
        daemon.setControl("down", false)
        // The next probe succeeds: closed, and everything waiting goes out.
        #expect(daemon.wait(first, reaches: .done))
        #expect(daemon.wait(waiting, reaches: .done))
        #expect(waitFor(3) { daemon.breaker("sms")?.state == "closed" })
        // Two attempts found the provider down (the first job's, and the failed probe, made by
        // either job); then each job was delivered once.
        let results = [first, waiting].flatMap { daemon.history($0).events.filter { $0.event == .attempt }.compactMap(\.result) }
        #expect(results.sorted() == ["delivered", "delivered", "down", "down"])
        #expect(daemon.history(waiting).events.first?.event == .postponed)
        let status = try daemon.spool.run("notifyctl", ["status", "--json"])
        #expect(status.stdout.contains(#""notifyd":"running""#))
    }

    /// A provider refusing the credentials (HTTP 401): that job is a dead letter at once,
    /// and the provider is down, so the jobs behind it wait instead of each failing.
    @Test func refusedCredentialsDeadLetterTheJobAndOpenTheBreaker() throws {
        let config = RunningDaemon.testConfig.replacing("breaker_cool_off = 700ms", with: "breaker_cool_off = 3s")
        let daemon = try RunningDaemon(config: config)
        daemon.setControl("unauthorized", true)
        let first = try daemon.sms("control")
        #expect(daemon.wait(first, reaches: .dead))
        #expect(daemon.history(first).outcome == "failed")
        #expect(daemon.history(first).events.first { $0.event == .attempt }?.result == "unauthorized")
        #expect(daemon.breaker("sms")?.state == "open")
        // The log says why, so the operator knows to fix the credentials.
        #expect(waitFor(3) { daemon.log.contains("circuit breaker opened") && daemon.log.contains("HTTP 401: invalid credentials") })
        let waiting = try daemon.sms("control")
        #expect(waitFor(5) { daemon.history(waiting).events.contains { $0.reason == "circuit breaker open" } })
        #expect(daemon.history(waiting).attempts == 0)
        // The credentials are fixed before the cool-off ends: the probe delivers.
        daemon.setControl("unauthorized", false)
        #expect(daemon.wait(waiting, reaches: .done, within: 10))
        #expect(waitFor(3) { daemon.breaker("sms")?.state == "closed" })
        #expect(daemon.state(first) == .dead)
    }

    /// While the credentials stay refused, the half-open probe's job is not dead-lettered:
    /// it waits with the others, and goes out once the credentials are fixed.
    @Test func aProbeThatFindsTheCredentialsStillRefusedWaits() throws {
        let daemon = try RunningDaemon()
        daemon.setControl("unauthorized", true)
        let first = try daemon.sms("control")
        #expect(daemon.wait(first, reaches: .dead))
        let waiting = try daemon.sms("control")
        // The probe (after the 700 ms cool-off) is refused too: the breaker reopens for longer.
        #expect(waitFor(5) { daemon.breaker("sms")?.coolOffMilliseconds == 1400 })
        #expect(daemon.state(waiting) != .dead)
        #expect(daemon.history(waiting).events.contains { $0.event == .attempt && $0.result == "unauthorized" })
        daemon.setControl("unauthorized", false)
        #expect(daemon.wait(waiting, reaches: .done, within: 10))
        #expect(daemon.state(first) == .dead)
    }

    @Test func scheduledJobGoesOutAtItsTime() throws {
        let daemon = try RunningDaemon()
        let id = try daemon.sms(nil, ["--in", "2s"])
        let due = try daemon.store.read(id, in: daemon.state(id) ?? .incoming).notBefore!
        #expect(waitFor(3) { daemon.state(id) == .deferred })
        #expect(daemon.store.locate(id)?.modified == due)  // the due time is the mtime
        #expect(daemon.wait(id, reaches: .done, within: 10))
        let attempt = try #require(daemon.history(id).events.first { $0.event == .attempt })
        #expect(attempt.at >= due)
    }

    @Test func quietHoursDeferAndHighPriorityMayPass() throws {
        let daemon = try RunningDaemon()
        let now = Date()
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "HH:mm"
        let start = formatter.string(from: now.addingTimeInterval(-3600)), end = formatter.string(from: now.addingTimeInterval(3600))
        let set = try daemon.spool.run("notifyctl", ["prefs", "set", "--quiet", "\(start)-\(end)", "--time-zone", "Asia/Tokyo", "--allow-high", "+14155550123"])
        #expect(set.status == 0, "\(set.stderr)")
        let normal = try daemon.sms()
        let high = try daemon.sms(nil, ["--priority", "high"])
        #expect(daemon.wait(high, reaches: .done))
        #expect(waitFor(5) { daemon.state(normal) == .deferred })
        let postponed = try #require(daemon.history(normal).events.last)
        #expect(postponed.reason == "quiet hours")
        // Deferred to the end of the window, about an hour from now (minute resolution).
        let wait = (postponed.next ?? 0) - Int64(now.timeIntervalSince1970 * 1000)
        #expect(wait > 3_500_000 && wait <= 3_600_000)
    }

    @Test func optedOutRecipientIsSuppressed() throws {
        let daemon = try RunningDaemon()
        #expect(try daemon.spool.run("notifyctl", ["prefs", "set", "--opt-out", "sms", "+14155550123"]).status == 0)
        let id = try daemon.sms()
        #expect(daemon.wait(id, reaches: .done))
        #expect(daemon.history(id).outcome == "suppressed")
        #expect(daemon.history(id).attempts == 0)
        let mail = try daemon.enqueue(["--channel", "email", "--to", "other@example.com", "--subject", "s", "--body", "not opted out"])
        #expect(daemon.wait(mail, reaches: .done) && daemon.history(mail).outcome == "delivered")
    }

    /// Row E1: events staged by a notifyd killed before it published them are published at
    /// the next start if their decision reached the history, and dropped otherwise.
    @Test func stagedEventsAreReconciledAtStart() throws {
        let daemon = try RunningDaemon()
        daemon.stop()
        let decided = try daemon.sms(), undecided = try daemon.sms()
        try daemon.store.appendHistory(decided, [HistoryEvent(.attempt, at: 1, attempt: 1, result: "delivered"),
                                                 HistoryEvent(.final, at: 1, result: "delivered")])
        _ = try daemon.store.stageJobEvents([
            JobEventRecord(.delivered, id: decided, channel: .sms, at: 1, attempts: 1),
            JobEventRecord(.delivered, id: undecided, channel: .sms, at: 1, attempts: 1),
            JobEventRecord(.queued, id: undecided, channel: .sms, at: 1),
        ])
        try daemon.start()
        #expect(daemon.wait(undecided, reaches: .done))
        #expect(try daemon.store.stagedJobEvents().isEmpty)
        let lines = try daemon.store.statusFileNames().flatMap { name -> [String] in
            guard let file = daemon.store.readStatusFile(name) else { return [] }
            return String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        let published = lines.filter { $0.contains(#""format":"notifyd-event""#) && $0.contains(#""at":1,"#) }
        #expect(published.count == 1 && published[0].contains(decided.text), "\(published)")
    }

    @Test func optedOutEventTypeIsSuppressed() throws {
        let daemon = try RunningDaemon()
        var preferences = RecipientPreferences(recipient: "+14155550123")
        preferences.optOutTypes = ["marketing"]
        try daemon.store.setPreferences(preferences)
        let offer = try daemon.sms(nil, ["--meta", "type=marketing"])
        let code = try daemon.sms(nil, ["--meta", "type=login_code"])
        #expect(daemon.wait(offer, reaches: .done) && daemon.wait(code, reaches: .done))
        #expect(daemon.history(offer).outcome == "suppressed" && daemon.history(offer).attempts == 0)
        #expect(daemon.history(offer).events.last?.reason == "recipient opted out of marketing notifications")
        #expect(daemon.history(code).outcome == "delivered")
    }

    @Test func holdAndRelease() throws {
        let daemon = try RunningDaemon()
        daemon.stop()
        let id = try daemon.sms()
        let hold = try daemon.spool.run("notifyctl", ["hold", "--json", id.text])
        #expect(hold.stdout.contains(#""result":"done""#))
        try daemon.start()
        usleep(300_000)
        #expect(daemon.state(id) == .hold)
        #expect(try daemon.spool.run("notifyctl", ["release", "-"], stdin: id.text + "\n").status == 0)
        #expect(daemon.wait(id, reaches: .done))
        #expect(daemon.history(id).events.map(\.event) == [.held, .released, .attempt, .final])
    }

    @Test func requeueOfADeadLetter() throws {
        let daemon = try RunningDaemon()
        daemon.setControl("permanent", true)
        let id = try daemon.sms("control")
        #expect(daemon.wait(id, reaches: .dead))
        daemon.setControl("permanent", false)
        #expect(try daemon.spool.run("notifyctl", ["requeue", id.text]).status == 0)
        #expect(daemon.wait(id, reaches: .done))
        #expect(daemon.history(id).outcome == "delivered")
        #expect(daemon.history(id).attempts == 1)  // counted afresh since the requeue
    }

    @Test func cancelFlushDeleteAndBusy() throws {
        let daemon = try RunningDaemon()
        let later = try daemon.sms(nil, ["--in", "1h"])
        let other = try daemon.sms(nil, ["--in", "1h"])
        let gone = try daemon.sms(nil, ["--in", "1h"])
        #expect(waitFor(3) { [later, other, gone].allSatisfy { daemon.state($0) == .deferred } })
        #expect(try daemon.spool.run("notifyctl", ["cancel", later.text]).status == 0)
        #expect(daemon.state(later) == .done && daemon.history(later).outcome == "cancelled")
        #expect(try daemon.spool.run("notifyctl", ["delete", gone.text]).status == 0)
        #expect(daemon.state(gone) == nil)
        #expect(try daemon.spool.run("notifyctl", ["delete", "ALL"]).status == 64)
        // Flushing a scheduled job retries it now; it is still not due, so it waits again.
        #expect(try daemon.spool.run("notifyctl", ["flush", "--channel", "sms"]).status == 0)
        #expect(waitFor(3) { daemon.history(other).events.contains { $0.event == .flushed } && daemon.state(other) == .deferred })
        let unknown = try daemon.spool.run("notifyctl", ["cancel", "01ARZ3NDEKTSV4RRFFQ69G5FAV"])
        #expect(unknown.status == 65)
    }

    @Test func highPriorityOvertakesABulkFlood() throws {
        let daemon = try RunningDaemon(config: RunningDaemon.testConfig + "\nsms_concurrency_limit = 1\n")
        daemon.stop()
        let bulk = try (0..<12).map { _ in try daemon.sms("slow:10", ["--priority", "bulk"]) }
        let normal = try daemon.sms("slow:10")
        let high = try daemon.sms("slow:10", ["--priority", "high"])
        try daemon.start()
        let all = bulk + [normal, high]
        #expect(all.allSatisfy { daemon.wait($0, reaches: .done) })
        // One delivery at a time, so the order of attempts is the dispatch order.
        let order = all.sorted { (daemon.history($0).events.first?.at ?? 0, $0.text) < (daemon.history($1).events.first?.at ?? 0, $1.text) }
        #expect(order.firstIndex(of: high)! <= 1, "high waits at most one dispatch slot")
        #expect(order.firstIndex(of: normal)! <= 3, "normal is not starved by bulk")
    }

    @Test func expiredJobIsADeadLetter() throws {
        let daemon = try RunningDaemon()
        daemon.stop()
        let id = try daemon.sms(nil, ["--ttl", "1s"])
        usleep(1_100_000)
        try daemon.start()
        #expect(daemon.wait(id, reaches: .dead))
        #expect(daemon.history(id).outcome == "expired")
        #expect(daemon.history(id).attempts == 0)
    }

    @Test func hungDeliveryTimesOutAndIsRetried() throws {
        let daemon = try RunningDaemon(config: RunningDaemon.testConfig + "\nsms_delivery_timeout = 300ms\nsms_max_attempts = 2\n")
        let id = try daemon.sms("hang")
        #expect(daemon.wait(id, reaches: .dead))
        let attempts = daemon.history(id).events.filter { $0.event == .attempt }
        #expect(attempts.map(\.result) == ["unknown", "unknown"])
        #expect(attempts.first?.reason == "no reply within the delivery timeout")
    }

    @Test func rateLimitSpacesDeliveries() throws {
        let daemon = try RunningDaemon(config: RunningDaemon.testConfig + "\nsms_rate_limit = 10\nsms_rate_burst = 1\n")
        // Warm up: the first delivery starts the agent, which then reads requests at once.
        #expect(daemon.wait(try daemon.sms(), reaches: .done))
        usleep(200_000)
        var made = JobIDGenerator()
        let now = WallClock.nowMilliseconds()
        let rows = (0..<6).map { _ in
            [Job(id: made.next(milliseconds: now), created: now, channel: .sms, to: ["+14155550123"], body: "b",
                 submitter: Submitter(uid: getuid(), pid: getpid(), program: "test"))]
        }
        let ids = try daemon.store.submit(rows: rows, idempotencyWindow: .seconds(60)).map { try $0.get()[0].id }
        #expect(ids.allSatisfy { daemon.wait($0, reaches: .done) })
        let times = ids.compactMap { daemon.history($0).events.first?.at }.sorted()
        // One token at once, then one per 100 ms.
        #expect(times.last! - times.first! >= 450)
    }

    @Test func terminateWaitsForDeliveriesInFlight() throws {
        let daemon = try RunningDaemon()
        let id = try daemon.sms("slow:800")
        #expect(waitFor(3) { daemon.state(id) == .active })
        usleep(100_000)
        daemon.stop()
        #expect(daemon.process.terminationStatus == 0)
        #expect(daemon.state(id) == .done)  // the reply came within shutdown_timeout
    }

    @Test func reportsReadinessReloadAndStopToSystemd() throws {
        let listener = try DatagramListener()
        let daemon = try RunningDaemon(notifySocket: listener.path)
        #expect(listener.receive() == "READY=1")
        #expect(listener.receive() == "STATUS=delivering")
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(listener.receive()?.hasPrefix("RELOADING=1") == true)
        #expect(listener.receive() == "READY=1")
        daemon.stop()
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test func badConfigurationNamesFileLineAndKeyAndReloadKeepsTheOld() throws {
        let daemon = try RunningDaemon()
        let badPath = daemon.spool.base + "/bad.conf"
        try "# test\nsms_max_attempts = 3\nsms_max_atempts = 4\n".write(toFile: badPath, atomically: true, encoding: .utf8)
        let bad = try daemon.spool.run("notifyd", ["--config", badPath])
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("bad.conf:3: sms_max_atempts: unknown parameter"))

        let good = try String(contentsOfFile: daemon.spool.config, encoding: .utf8)
        try (good + "\nsms_concurrency_limit = lots\n").write(toFile: daemon.spool.config, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(waitFor(5) { daemon.log.contains("configuration not reloaded") })
        #expect(daemon.log.contains("notifyd.conf:10: sms_concurrency_limit: not a whole number"))
        try good.write(toFile: daemon.spool.config, atomically: true, encoding: .utf8)
        let id = try daemon.sms()
        #expect(daemon.wait(id, reaches: .done))  // still serving, with the old configuration
        try (good + "\nsms_max_attempts = 7\n").write(toFile: daemon.spool.config, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(waitFor(5) { daemon.log.contains("configuration reloaded") })
    }
}

extension RunningDaemon {
    func breaker(_ channel: String) -> QueueManagerState.Breaker? {
        store.queueManagerState()?.breakers.first { $0.channel == channel }
    }
}
