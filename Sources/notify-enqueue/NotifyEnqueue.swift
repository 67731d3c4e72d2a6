// NAME
//     notify-enqueue - queue a notification from a shell script
//
// SYNOPSIS
//     notify-enqueue --channel CHANNEL --to RECIPIENT [--subject TEXT]
//                    (--body TEXT | --body-file FILE) [--html-file FILE]
//                    [--priority high|normal|bulk] [--at TIME | --in DURATION]
//                    [--expires TIME | --ttl DURATION] [--idempotency-key KEY]
//                    [--meta KEY=VALUE]... [--json] [--spool DIR] [--config FILE]
//     notify-enqueue --template NAME (--data JSON | --data-file FILE) [options]
//     notify-enqueue --batch FILE.csv|FILE.jsonl --template NAME [options]
//     notify-enqueue --jobs FILE|- [options]
//
// DESCRIPTION
//     notify-enqueue validates one notification, writes it into the spool with the
//     commit protocol of spool-layout.md (O_EXCL temporary file, fsync, rename, directory
//     fsync), wakes notifyd through the spool's trigger FIFO, and prints the job ID.
//     It never talks to a provider and needs no running daemon: jobs wait in the spool
//     until notifyd runs, like mail dropped by Postfix's sendmail(1).
//
//     A member of the submit group (notify) may run it; it needs no other privilege.
//     For SMS, push, webhook and inbox, each --to becomes its own job.
//
//     Templates, batches and JSON input need the template engine, which this program
//     does not load so that it starts in about a millisecond. For those it executes
//     notify-render(8) with the same arguments.
//
//     With --idempotency-key, a second submission with the same key (from the same uid,
//     within idempotency_window) creates nothing and prints the first job's ID.
//
// EXIT STATUS
//     0   the job is queued (or was, under its idempotency key).
//     64  usage: an unknown or malformed option.
//     65  data error: a field is invalid; the message names it.
//     66  an input file cannot be read.
//     69  notify-render is needed but not installed.
//     73  the spool cannot be written (not initialized?).
//     74  an I/O error on the spool.
//     75  temporary failure, e.g. the spool's disk is full: try again later.
//     77  permission denied: not a member of the submit group.
//     78  the configuration file is invalid.
//
// ENVIRONMENT
//     NOTIFYD_SPOOL    the spool directory, if --spool is not given.
//     NOTIFYD_CONFIG   the configuration file, if --config is not given.
//     NOTIFYD_RENDER   the notify-render program to execute.
//
// FILES
//     /var/spool/notifyd            the spool (spool-layout.md).
//     /etc/notifyd/notifyd.conf     the configuration (missing: built-in defaults).
//
// SEE ALSO
//     notify-render(8), notifyctl(8), notifyd(8), spool-layout.md
#if canImport(Glibc)
import Glibc
#endif
import NotifyCLI
import NotifyCore
import NotifySpool

@main
enum NotifyEnqueue {
    static func main() {
        guard let arguments = FastArguments(CommandLine.arguments.dropFirst()) else {
            // Help, usage errors, templates, batches, JSON input: notify-render parses
            // the same command line with ArgumentParser.
            do { try RendererHandoff.execute() } catch { exit(report(error)) }
        }
        do {
            try enqueue(arguments)
        } catch {
            exit(report(error))
        }
    }

    static func enqueue(_ arguments: FastArguments) throws {
        let settings = try loadSettings(spool: arguments.spool, config: arguments.config)
        let draft = try arguments.completeDraft()
        let spool = try Spool.open(settings.spoolDirectory)
        let context = JobDraft.Context(
            settings: settings, submitter: currentSubmitter(program: "notify-enqueue"),
            now: WallClock.nowMilliseconds())
        let pipeline = SubmissionPipeline(spool: spool, context: context, output: arguments.json ? .json : .text, showProgress: false)
        pipeline.add(row: 1, drafts: [draft])
        let code = pipeline.finish()
        if let (_, reason) = pipeline.result.rejected.first { throw CommandFailure(reason, code: code) }
    }

    /// Prints `notify-enqueue: message` and returns the exit code.
    static func report(_ error: any Error) -> Int32 {
        let failure = CommandFailure(error)
        printError("notify-enqueue: \(failure.message)")
        return failure.code.rawValue
    }
}
