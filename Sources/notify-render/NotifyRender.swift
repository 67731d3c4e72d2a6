// NAME
//     notify-render - queue notifications from templates, batches and JSON
//
// SYNOPSIS
//     notify-render --template NAME (--data JSON | --data-file FILE) [--channel C] [options]
//     notify-render --batch FILE.csv|FILE.jsonl --template NAME [--channel C] [options]
//     notify-render --jobs FILE|- [options]
//
// DESCRIPTION
//     notify-render takes the command line of notify-enqueue(1), which executes it for
//     the modes that need the template engine. It can be run directly as well.
//
//     --template renders a template from template_directory (see NotificationTemplate
//     in the sources, and contrib/templates) with a JSON data object into one job per
//     channel the template names; --channel keeps only that channel.
//
//     --batch renders the template once per row of a CSV file (with a header row; the
//     columns are the data fields) or a JSON Lines file (one data object per line).
//     Every row becomes one job per channel, all-or-nothing per row. Rows are committed
//     in groups of batch_group_size jobs with one syncfs per group. Progress shows on a
//     terminal; at the end a summary on stderr counts accepted and rejected rows and
//     gives each rejected row's number and reason. In batch mode --idempotency-key is a
//     template too (e.g. "welcome-{{roll_number}}"), so a re-run queues nothing twice.
//
//     --jobs reads jobs as JSON: one object, an array of objects, or JSON Lines. An
//     object may name a template and data instead of a body.
//
//     --priority, --at, --in, --expires, --ttl and --meta apply to every job.
//
// EXIT STATUS
//     As notify-enqueue(1). With rows rejected for their data: 65. When the spool fails
//     (e.g. disk full: 75) the run stops; the summary says which rows were not attempted.
//
// FILES
//     /etc/notifyd/templates/NAME/template.conf, /etc/notifyd/templates/NAME/*.mustache
//
// SEE ALSO
//     notify-enqueue(1), notifyctl(8), spool-layout.md
import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool
import NotifyTemplates

@main
struct NotifyRender: ParsableCommand {
    /// Named after argv[0], so that usage messages say notify-enqueue when it handed over.
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: program,
            abstract: program == "notify-enqueue"
                ? "Queue notifications: one from options, or many from templates, batch files and JSON. Prints job IDs."
                : "Queue notifications from templates, batch files and JSON (for notify-enqueue).")
    }

    @OptionGroup var options: EnqueueOptions

    /// The name the user typed: notify-enqueue when it handed over, so messages name the
    /// command the user ran.
    static var program: String {
        String(CommandLine.arguments.first?.split(separator: "/").last ?? "notify-render")
    }

    func run() throws {
        let program = Self.program
        try reportingFailures(program: program) {
            let settings = try options.spool.settings()
            let spool = try Spool.open(settings.spoolDirectory)
            let context = JobDraft.Context(
                settings: settings, submitter: currentSubmitter(program: program),
                now: WallClock.nowMilliseconds())
            let pipeline = SubmissionPipeline(spool: spool, context: context, output: options.json ? .json : .text, showProgress: true)
            var source = try RowSource(options: options, settings: settings)
            let rows = try source.produce(into: pipeline)
            let code = pipeline.finish()
            if rows == 1, code != .ok, let (_, reason) = pipeline.result.rejected.first {
                throw CommandFailure(reason, code: code)
            }
            if rows != 1 {
                for line in pipeline.summary(program: program) { printError(line) }
            }
            if code != .ok { throw ExitCode(code.rawValue) }
        }
    }
}
