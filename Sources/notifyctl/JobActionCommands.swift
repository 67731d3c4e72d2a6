import NotifyArguments
import ArgumentParser
import NotifyCLI
import NotifyCore
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

/// The arguments of the commands that act on jobs by ID (hold, release, delete…).
struct JobSelection: ParsableArguments {
    @OptionGroup var spool: SpoolOptions
    @Flag(help: "JSON Lines output: one object per job with id, action and result.")
    var json = false
    @Argument(help: "Job IDs; `-` reads IDs from stdin, one per line.")
    var ids: [String] = []

    /// The IDs named, validated (a bad ID is a usage error before anything is changed).
    func jobIDs() throws(FieldError) -> [JobID] {
        var texts: [String] = []
        for id in ids {
            if id == "-" {
                while let line = readLine() {
                    let trimmed = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
                    if !trimmed.isEmpty { texts.append(trimmed) }
                }
            } else {
                texts.append(id)
            }
        }
        var result: [JobID] = []
        for text in texts { result.append(try JobID(validating: text)) }
        return result
    }
}

/// Runs one operator action over IDs: one rename each, one syncfs for all, and a wake-up
/// of notifyd when jobs went back to incoming/. Works whether notifyd runs or not.
func perform(_ action: OperatorAction, on ids: [JobID], spool store: Spool, json: Bool, program: String) throws {
    var failures = 0, busy = 0
    for id in ids {
        let outcome = try store.apply(action, to: id)
        let result: String
        switch outcome {
        case .done(let from): result = "done"; if !json { print("\(id): \(action.rawValue) (was \(from.rawValue))") }
        case .notFound: result = "not found"; failures += 1; printError("\(program): \(id): no such job")
        case .notApplicable(let state):
            result = "not applicable"; failures += 1
            printError("\(program): \(id): is \(state.rawValue); \(action.rawValue) applies to \(action.sources.map(\.rawValue).joined(separator: ", "))")
        case .busy: result = "busy"; busy += 1; printError("\(program): \(id): being delivered; try again later")
        }
        if json { print(encodeJSONLine(ActionLine(id: id.text, action: action.rawValue, result: result))) }
    }
    try store.syncState()
    if action.target == .incoming { store.wakeQueueManager() }
    if failures > 0 { throw ArgumentParser.ExitCode(NotifyCore.ExitCode.dataError.rawValue) }
    if busy > 0 { throw ArgumentParser.ExitCode(NotifyCore.ExitCode.temporaryFailure.rawValue) }
}

struct ActionLine: Encodable {
    var id: String
    var action: String
    var result: String
}

struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Put queued jobs on hold (postsuper -h).")
    @OptionGroup var selection: JobSelection
    func run() throws { try runAction(.hold, selection, "notifyctl hold") }
}

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release held jobs (postsuper -H).")
    @OptionGroup var selection: JobSelection
    func run() throws { try runAction(.release, selection, "notifyctl release") }
}

struct RequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue", abstract: "Move dead letters back to the queue with fresh attempts (postsuper -r).")
    @OptionGroup var selection: JobSelection
    func run() throws { try runAction(.requeue, selection, "notifyctl requeue") }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel pending jobs: they end in done/ as cancelled, with their history.")
    @OptionGroup var selection: JobSelection
    func run() throws { try runAction(.cancel, selection, "notifyctl cancel") }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Remove jobs and their history for good (postsuper -d).")
    @OptionGroup var selection: JobSelection
    @Flag(help: "Confirms `delete ALL`: every job in incoming, deferred, hold and dead.")
    var yes = false

    func run() throws {
        try reportingFailures(program: "notifyctl delete") {
            let store = try Spool.open(try selection.spool.settings().spoolDirectory)
            var ids: [JobID]
            if selection.ids == ["ALL"] {
                guard yes else { throw CommandFailure("delete ALL needs --yes", code: .usage) }
                ids = []
                try store.scan([.incoming, .deferred, .hold, .dead]) { ids.append($0.id) }
            } else {
                ids = try selection.jobIDs()
            }
            try perform(.delete, on: ids, spool: store, json: selection.json, program: "notifyctl delete")
        }
    }
}

struct FlushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush", abstract: "Retry deferred jobs now (postqueue -f / -i): all, some IDs, or one channel's.")
    @OptionGroup var selection: JobSelection
    @Option(help: "Only this channel's deferred jobs.")
    var channel: String?

    func run() throws {
        try reportingFailures(program: "notifyctl flush") {
            let store = try Spool.open(try selection.spool.settings().spoolDirectory)
            var ids = try selection.jobIDs()
            if selection.ids.isEmpty {
                let only = try channel.map { text throws(FieldError) in try Channel.parse(text) }
                try store.scan([.deferred]) { entry in
                    if let only, (try? store.read(entry))?.channel != only { return }
                    ids.append(entry.id)
                }
            }
            try perform(.flush, on: ids, spool: store, json: selection.json, program: "notifyctl flush")
        }
    }
}

private func runAction(_ action: OperatorAction, _ selection: JobSelection, _ program: String) throws {
    try reportingFailures(program: program) {
        let store = try Spool.open(try selection.spool.settings().spoolDirectory)
        let ids = try selection.jobIDs()
        guard !ids.isEmpty else { throw CommandFailure("name at least one job ID, or - to read them from stdin", code: .usage) }
        try perform(action, on: ids, spool: store, json: selection.json, program: program)
    }
}
