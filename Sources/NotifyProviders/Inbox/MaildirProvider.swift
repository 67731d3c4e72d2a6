#if canImport(Glibc)
import Glibc
#endif
import NotifyAgentKit
import NotifyCore
import NotifySpool

/// The in-app inbox: no network. Delivers the job as an RFC 5322 message into the
/// recipient's maildir in the spool, `inbox/<user>/new/` (tmp/, fsync, rename; see
/// `Spool.deliverToMaildir`). Provider entry: `maildir`. The provider id is the maildir
/// file name.
public struct MaildirProvider: DeliveryProvider {
    public let name = "maildir"
    let spool: Spool

    public init(spool: Spool) { self.spool = spool }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let now = WallClock.nowMilliseconds()
        var message = MIMEMessage(
            from: "notifyd", to: job.to, subject: job.subject ?? "", text: job.body, html: job.html,
            messageID: "<\(job.id.text)@notifyd>", idempotencyKey: idempotencyKey(job), dateSeconds: now / 1000)
        message.extraHeaders = [("X-Notifyd-Job", job.id.text)] + job.meta.sorted { $0.key < $1.key }
            .filter { MetadataHeader.isSafeName($0.key) && MetadataHeader.isSafe($0.value) }
            .map { ("X-Notifyd-Meta-\($0.key)", $0.value) }
        let name = MaildirName.make(id: job.id, attempt: attempt, seconds: now / 1000)
        do {
            try spool.deliverToMaildir(message.bytes, user: job.to[0], name: name)
            return ProviderAnswer(.delivered, reason: "delivered to maildir", code: "250", providerID: name)
        } catch {
            if error.errno == EINVAL { return ProviderAnswer(.permanent, reason: error.description) }
            return ProviderAnswer(error.isTemporary ? .temporary : .down, reason: error.description, code: "errno \(error.errno)")
        }
    }
}

/// Metadata that can go into a header line as it is: printable ASCII, no colon in names.
enum MetadataHeader {
    static func isSafeName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
        }
    }

    static func isSafe(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 200 && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}
