// NAME
//     notifyctl - notifyd administration: the spool, its jobs and the queue manager
//
// SYNOPSIS
//     notifyctl init [--private | --daemon-user U --daemon-group G --submit-group G]
//     notifyctl list [--state STATE]... [--channel C] [--older-than DURATION]
//                    [--id PREFIX] [--all] [--json]
//     notifyctl show [--json] ID
//     notifyctl status [--json]
//     notifyctl flush [--json] [ID... | - | --channel C]
//     notifyctl hold|release|cancel|requeue [--json] ID... | -
//     notifyctl delete [--json] ID... | - | ALL --yes
//     notifyctl prefs set [--opt-out C]... [--quiet HH:MM-HH:MM [--time-zone TZ] [--allow-high]] RECIPIENT
//     notifyctl prefs show RECIPIENT
//     notifyctl stats [--json]
//     notifyctl check
//     notifyctl top [--interval SECONDS]
//     (every command takes --spool DIR and --config FILE)
//
// DESCRIPTION
//     notifyctl is to notifyd what postqueue(1) and postsuper(1) are to Postfix.
//
//     init creates the spool with the directories, owners and modes of spool-layout.md,
//     or repairs an existing one. As root it gives the spool to daemon_user, daemon_group
//     and submit_group from the configuration, which must exist (systemd-sysusers creates
//     them). --private, or running as another user, gives every role to the invoking user:
//     a private spool for development and the demo.
//
//     list prints queued jobs, one per line, oldest first: ID, state, channel, priority,
//     age and first recipient. --all adds jobs in final states. --json prints JSON Lines
//     whose fields may grow, like postqueue -j; each has at least id, state, channel,
//     attempts and next_attempt.
//
//     show prints one job: where it is, everything it holds, and its attempts. A job the
//     retention sweep removed is shown from its daily history archive (state archived:
//     its attempts and final outcome; recipient and body went with the job file).
//
//     status prints per channel the queued jobs by state, the oldest one's age, a
//     qshape-like age histogram, and the circuit breakers from notifyd's state/qmgr.json.
//
//     flush retries deferred jobs now (all, the IDs named, or one channel's); hold and
//     release take jobs out of the queue and put them back; cancel ends pending jobs as
//     "cancelled" in done/; requeue moves dead letters back with fresh attempts; delete
//     removes jobs and their history (ALL: every job in incoming, deferred, hold and dead;
//     needs --yes). Each is a rename in the spool, so they work whether notifyd runs or
//     not; jobs that go back to incoming/ wake notifyd through public/trigger. A job in
//     active/ is being delivered: such a command exits 75 (try again).
//
//     prefs sets or shows a recipient's preferences: channels opted out of (jobs end as
//     "suppressed") and quiet hours in a time zone (jobs wait until they end).
//
//     stats prints notify-statsd's numbers (state/stats.json) per channel and provider:
//     queued, attempts, delivered, failed, expired, suppressed, retried, cancelled, the
//     success rate, delivery latency p50/p90/p99/max, the provider's p99 and attempts per
//     delivered job; the last 1 minute, 5 minutes and hour; and the queue now. --json
//     prints the same object notify-apid serves as /v1/stats.
//
//     check is a Nagios/Icinga plugin: one line, and exit 0 OK, 1 WARNING, 2 CRITICAL or
//     3 UNKNOWN, against alert_queue_length, alert_success_rate, alert_error_rate and
//     alert_oldest_age (WARNING also when notify-statsd's snapshot is missing or stale).
//
//     top is a live view refreshing every second: deliveries per second, queue depth by
//     state, oldest age and p99 latency per channel, and the breakers. q or Ctrl-C quits
//     and restores the terminal.
//
//     list --json lines have at least id, state, channel, attempts (from the history),
//     next_attempt (a deferred job's due time) and, for final jobs, outcome.
//
//     list and show read the spool directly and work without a running daemon. Files
//     that are not valid jobs are moved to corrupt/ and reported on stderr.
//
// EXIT STATUS
//     check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Otherwise: 0 success; 64 usage; 65 no such job, or bad input; 67 a named account or group
//     does not exist; 73 a spool directory cannot be created; 74 I/O error;
//     77 permission denied; 78 invalid configuration.
//
// ENVIRONMENT
//     NOTIFYD_SPOOL, NOTIFYD_CONFIG: defaults for --spool and --config.
//
// FILES
//     /var/spool/notifyd, /etc/notifyd/notifyd.conf
//
// SEE ALSO
//     notify-enqueue(1), notifyd(8), spool-layout.md
import ArgumentParser

@main
struct Notifyctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifyctl",
        abstract: "Administer a notifyd spool.",
        subcommands: [
            InitCommand.self, ListCommand.self, ShowCommand.self, StatusCommand.self, FlushCommand.self,
            HoldCommand.self, ReleaseCommand.self, DeleteCommand.self, RequeueCommand.self, CancelCommand.self,
            PrefsCommand.self, LayoutCommand.self, StatsCommand.self, CheckCommand.self, TopCommand.self,
        ])
}
