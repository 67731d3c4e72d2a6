// NAME
//     notify-bench - load generator and meter for bench/dispatch (benchmarks only)
//
// SYNOPSIS
//     notify-bench submit --count N [--group G] [--channel C] [--to RECIPIENT] [--spool DIR]
//     notify-bench wait --count N [--timeout SECONDS] [--spool DIR]
//     notify-bench latency --count N [--interval-ms MS] [--channel C] [--spool DIR]
//     notify-bench fill-deferred --count N [--spool DIR]
//     notify-bench fill-status --count N [--per-file R] [--spool DIR]
//
// DESCRIPTION
//     Never installed; bench/dispatch drives it. submit commits N jobs in groups of G
//     (one syncfs per group, as notify-render does). wait prints when N jobs have reached a
//     final state (done/ or dead/; counted by readdir). latency submits one job at a time
//     and, from the agents' status records, prints the time from just before the commit
//     (write, fsync, rename into incoming/, trigger) to the agent's receipt of the request,
//     and the time from the end of the commit (the trigger is its last step) to the
//     receipt: median, p99 and maximum of each. fill-deferred writes N jobs straight into deferred/, due in
//     a day, with notifyd stopped, for the restart measurement. fill-status writes N
//     records into status/ for bench/stats: files of R agent status records (R per file,
//     as an agent's StatusBatcher groups them) and, for every file of those, one file of R
//     job event records as notifyd writes them (queued, then delivered).
//
// EXIT STATUS
//     0 done; 1 wait timed out; 64 usage; 73/74 spool errors.
//
// SEE ALSO
//     bench/dispatch, notifyd(8)
import NotifyArguments
import ArgumentParser
import NotifyCLI
import NotifyCore
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

@main
struct NotifyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-bench", abstract: "Load and measure notifyd (benchmarks only).",
        subcommands: [Submit.self, Wait.self, Latency.self, FillDeferred.self, FillStatus.self])

    struct Submit: ParsableCommand {
        @OptionGroup var spool: SpoolOptions
        @Option var count: Int
        @Option var group = 1024
        @Option var channel = "sms"
        @Option(help: "The recipient of every job (default: one that suits the channel).")
        var to: String?

        func run() throws {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            let channel = try Channel.parse(channel)
            var made = JobIDGenerator()
            let start = nowMicroseconds()
            var left = count
            while left > 0 {
                let rows = (0..<min(group, left)).map { _ in [benchJob(&made, channel, to: to)] }
                for result in store.submit(rows: rows, idempotencyWindow: .seconds(60)) { _ = try result.get() }
                left -= rows.count
            }
            let seconds = Double(nowMicroseconds() - start) / 1e6
            print("submitted \(count) jobs in \(format(seconds)) s (\(Int(Double(count) / seconds)) jobs/s)")
        }
    }

    struct Wait: ParsableCommand {
        @OptionGroup var spool: SpoolOptions
        @Option var count: Int
        @Option var timeout = 600.0

        func run() throws {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            let start = nowMicroseconds()
            while true {
                // readdir only: a stat per final job every 20 ms took most of a core at 50,000
                // jobs, away from the notifyd being measured.
                let final = try store.count([.done, .dead])
                if final >= count { break }
                if Double(nowMicroseconds() - start) / 1e6 > timeout {
                    print("timed out with \(final) of \(count) final")
                    throw ExitCode(1)
                }
                usleep(20_000)
            }
        }
    }

    struct Latency: ParsableCommand {
        @OptionGroup var spool: SpoolOptions
        @Option var count = 1000
        @Option(name: .customLong("interval-ms")) var intervalMilliseconds = 5
        @Option var channel = "sms"

        func run() throws {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            let channel = try Channel.parse(channel)
            var made = JobIDGenerator()
            var sent: [String: (start: Int64, committed: Int64)] = [:]
            for _ in 0..<count {
                let job = benchJob(&made, channel)
                let start = nowMicroseconds()
                _ = try store.submit(job, idempotencyWindow: .seconds(60))
                sent[job.id.text] = (start, nowMicroseconds())
                usleep(UInt32(intervalMilliseconds * 1000))
            }
            var records: [StatusRecord] = []
            for _ in 0..<500 {
                records = try store.statusRecords().filter { sent[$0.id] != nil }
                if records.count >= count { break }
                usleep(20_000)
            }
            guard !records.isEmpty else { print("no status records"); throw ExitCode(1) }
            let total = records.map { $0.startedMicroseconds - sent[$0.id]!.start }.sorted()
            let wake = records.map { $0.startedMicroseconds - sent[$0.id]!.committed }.sorted()
            func ms(_ values: [Int64], _ q: Double) -> String { format(Double(values[min(values.count - 1, Int(Double(values.count) * q))]) / 1000) }
            print("wake-up latency, commit to agent receipt, \(total.count) jobs: median \(ms(total, 0.5)) ms, p99 \(ms(total, 0.99)) ms, max \(ms(total, 1)) ms")
            print("wake-up latency, trigger to agent receipt (commit excluded), \(wake.count) jobs: median \(ms(wake, 0.5)) ms, p99 \(ms(wake, 0.99)) ms, max \(ms(wake, 1)) ms")
        }
    }

    struct FillDeferred: ParsableCommand {
        @OptionGroup var spool: SpoolOptions
        @Option var count: Int

        func run() throws {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            var made = JobIDGenerator()
            let due = WallClock.nowMilliseconds() + 86_400_000
            var left = count
            while left > 0 {
                let rows = (0..<min(4096, left)).map { _ in [benchJob(&made, .sms)] }
                for result in store.submit(rows: rows, idempotencyWindow: .seconds(60)) {
                    for submission in try result.get() {
                        try store.move(JobMove(submission.id, from: .incoming, to: .deferred, due: due))
                    }
                }
                left -= rows.count
            }
            try store.syncState()
            print("\(count) jobs deferred")
        }
    }
}

extension NotifyBench {
    struct FillStatus: ParsableCommand {
        @OptionGroup var spool: SpoolOptions
        @Option var count: Int
        @Option(name: .customLong("per-file")) var perFile = 512

        func run() throws {
            let store = try Spool.open(try spool.settings().spoolDirectory)
            var made = JobIDGenerator()
            var left = count
            var written = 0
            while left > 0 {
                let now = WallClock.nowMilliseconds()
                let n = min(perFile, left)
                let ids = (0..<n).map { _ in made.next(milliseconds: now - 3000) }
                if written % 2 == 0 {
                    try store.writeStatusBatch(ids.enumerated().map { index, id in
                        StatusRecord(id: id, attempt: 1, channel: .sms, provider: "twilio://+15551234567", result: index % 10 == 0 ? "temporary" : "delivered",
                                     reason: "HTTP 201: {\"sid\":\"SM123\"}", code: "201", providerID: "SM123",
                                     started: (now - Int64(index % 200)) * 1000, finished: now * 1000)
                    })
                } else {
                    try store.writeJobEvents(ids.enumerated().map { index, id in
                        JobEventRecord(index % 2 == 0 ? .queued : .delivered, id: id, channel: .sms, at: now, provider: "twilio://+15551234567", attempts: 1)
                    }, now: now)
                }
                written += 1
                left -= n
            }
            try store.syncState()
            print("\(count) records in \(written) files")
        }
    }
}

func benchJob(_ made: inout JobIDGenerator, _ channel: Channel, to recipient: String? = nil) -> Job {
    let now = WallClock.nowMilliseconds()
    let to = recipient ?? (channel == .email ? "bench@example.com" : channel == .webhook ? "https://example.com/hook" : channel == .inbox ? "bench" : "+14155550123")
    return Job(id: made.next(milliseconds: now), created: now, channel: channel, to: [to], subject: "bench", body: "bench",
               submitter: Submitter(uid: getuid(), pid: getpid(), program: "notify-bench"))
}

func nowMicroseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}

func format(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return "\(rounded)"
}
