// NAME
//     notify-push - the push delivery agent of notifyd
//
// SYNOPSIS
//     notify-push [--provider NAME] [--spool DIR] [--config FILE]
//
// DESCRIPTION
//     notify-push is started by notifyd(8), like a Postfix delivery agent by the master, and
//     is not meant to be run by hand. It reads delivery requests on stdin and writes one
//     reply per request on stdout, many requests at a time (agent-protocol.md). For each
//     request it reads the job from the spool's active/ directory, delivers it through its
//     provider, writes one status record into status/, and replies delivered, temporary,
//     permanent or down with the provider's code and reason.
//
//     Providers (push_providers, in fallback order; providers.md): outbox (the default)
//     writes the message into outbox/push/ID; fcm:// sends through FCM HTTP v1 with an
//     OAuth2 token minted from a service-account key (RS256 JWT, cached until expiry);
//     ntfy:// and ntfys:// post to an ntfy topic. All go through one libcurl multi handle.
//
//     When stdin closes it finishes the deliveries in flight (at most 10 s) and exits.
//
// EXIT STATUS
//     0 stdin closed; 64 usage; 73/74 the spool cannot be opened; 78 bad configuration,
//     unknown provider, or an unreadable credential file (sysexits).
//
// FILES
//     /var/spool/notifyd/active/ID, status/, outbox/push/, $CREDENTIALS_DIRECTORY/
//     /etc/notifyd/notifyd.conf
//
// SEE ALSO
//     notifyd(8), agent-protocol.md, providers.md, spool-layout.md
import ArgumentParser
import NotifyAgentKit
import NotifyCore
import NotifyProviders

@main
struct NotifyPushAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-push", abstract: "Deliver push jobs for notifyd (started by notifyd).")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        try await AgentRunner(program: "notify-push", channel: .push, providers: ProviderCatalog.factory(for: .push)).run(options)
    }
}
