import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List jobs, oldest first (like mailq).")

    @OptionGroup var spool: SpoolOptions
    @Option(help: "Only this state (incoming, active, deferred, hold, dead, done); repeatable.")
    var state: [String] = []
    @Option(help: "Only this channel.")
    var channel: String?
    @Option(name: .customLong("older-than"), help: "Only jobs older than this, e.g. 10m.")
    var olderThan: String?
    @Option(help: "Only IDs starting with this.")
    var id: String?
    @Flag(help: "Include jobs in final states (dead letters, done).")
    var all = false
    @Flag(help: "JSON Lines output.")
    var json = false

    func run() throws {
        try reportingFailures(program: "notifyctl list") {
            let settings = try spool.settings()
            let states = try selectedStates()
            let channel = try channel.map { text throws(FieldError) in try Channel.parse(text) }
            let minimumAge = try olderThan.map { text throws(FieldError) in try DurationText.validate(text, field: "older-than").milliseconds }
            let store = try Spool.open(settings.spoolDirectory)
            let now = WallClock.nowMilliseconds()

            var entries: [SpoolEntry] = []
            try store.scan(states) { entry in
                if let id, !entry.id.text.hasPrefix(id.uppercased()) { return }
                if let minimumAge, now - entry.id.milliseconds < minimumAge { return }
                entries.append(entry)
            }
            entries.sort { $0.id < $1.id }
            if !json { print(JobTable.header) }
            for entry in entries {
                let job: Job
                do { job = try store.read(entry) } catch {
                    printError("notifyctl list: \(error)")
                    continue
                }
                if let channel, job.channel != channel { continue }
                let listing = JobListing(job: job, entry: entry, history: store.history(of: entry.id))
                print(json ? listing.jsonLine() : JobTable.row(listing, now: now))
            }
        }
    }

    private func selectedStates() throws(FieldError) -> [JobState] {
        if state.isEmpty { return all ? JobState.allCases : JobState.queued }
        var result: [JobState] = []
        for name in state {
            guard let parsed = JobState(rawValue: name) else {
                throw FieldError("state", "unknown state \"\(name)\"; use \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            result.append(parsed)
        }
        return result
    }
}
