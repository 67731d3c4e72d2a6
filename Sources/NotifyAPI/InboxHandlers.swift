import NotifyCore
import NotifySpool
import Synchronization

/// Unread/total counts per inbox, valid while the maildir's `new/` and `cur/` keep their
/// modification times and those times were over a second old when counted (so no rename
/// in the same clock tick can hide behind an equal time). A count is then two stats.
final class InboxCountCache: Sendable {
    private let entries = Mutex<[String: (stamp: InboxStamp, total: Int, unread: Int)]>([:])

    func counts(_ spool: Spool, user: String) throws(InboxError) -> (total: Int, unread: Int) {
        let stamp = spool.inboxStamp(user: user)
        if let hit = entries.withLock({ $0[user] }), hit.stamp == stamp { return (hit.total, hit.unread) }
        let total = try spool.inboxCount(user: user, unreadOnly: false)
        let unread = try spool.inboxCount(user: user, unreadOnly: true)
        let settled = WallClock.nowMilliseconds() * 1_000_000 - 1_000_000_000
        if stamp.new < settled && stamp.cur < settled && spool.inboxStamp(user: user) == stamp {
            entries.withLock { entries in
                if entries.count > 10_000 { entries.removeAll() }
                entries[user] = (stamp, total, unread)
            }
        }
        return (total, unread)
    }
}

/// /v1/inbox/{user}…: the in-app inbox maildirs.
extension APIService {
    func inboxUser(_ request: APIRequest, _ rights: Rights) -> Result<String, APIResponse> {
        let user: String
        do { user = try InboxUser.validate(request.parameters["user"] ?? "", field: "user") } catch { return .failure(.invalid(error)) }
        guard rights.mayRead(inbox: user) else {
            return .failure(refuse(request, "uid \(request.peer.uid) may not read the inbox of \(user) (api_access)"))
        }
        return .success(user)
    }

    func inboxFailure(_ error: InboxError) -> APIResponse {
        switch error {
        case .invalidName(let reason): .invalid(FieldError("id", reason))
        case .notFound: .notFound("no such message")
        case .io(let error): spoolFailure(error)
        }
    }

    struct InboxItem: Encodable {
        var id: String
        var job: String?
        var subject: String
        var body: String
        var type: String?
        var meta: [String: String]
        var read: Bool
        var received: String
    }

    struct InboxPage: Encodable {
        var user: String
        var total: Int
        var messages: [InboxItem]
    }

    func listInbox(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        let user: String
        switch inboxUser(request, rights) {
        case .failure(let response): return response
        case .success(let name): user = name
        }
        var unread: Bool?
        if let text = request.query["unread"], !text.isEmpty {
            guard let flag = Self.flag(text) else { return .invalid(FieldError("unread", "expected true or false")) }
            unread = flag
        }
        let limit: Int, offset: Int
        switch (Self.number(request, "limit", default: 50, range: 1...1000), Self.number(request, "offset", default: 0, range: 0...10_000_000)) {
        case (.success(let l), .success(let o)): (limit, offset) = (l, o)
        case (.failure(let error), _), (_, .failure(let error)): return .invalid(error)
        }
        let type = request.query["type"].flatMap { $0.isEmpty ? nil : $0 }
        var entries: [InboxEntry]
        do { entries = try spool.inboxEntries(user: user) } catch { return inboxFailure(error) }
        if let unread { entries = entries.filter { $0.unread == unread } }
        entries.sort { ($0.received, $0.name) > ($1.received, $1.name) }  // newest first
        var items: [InboxItem] = []
        var total = entries.count
        if type == nil {
            for entry in entries.dropFirst(offset).prefix(limit) {
                if let item = item(user, entry) { items.append(item) }
            }
        } else {
            // The type is in the message's headers: read messages until the page is full.
            total = 0
            for entry in entries {
                guard let item = item(user, entry), item.type == type else { continue }
                total += 1
                if total > offset && items.count < limit { items.append(item) }
            }
        }
        return .json(200, InboxPage(user: user, total: total, messages: items))
    }

    private func item(_ user: String, _ entry: InboxEntry) -> InboxItem? {
        guard let (bytes, unread) = try? spool.inboxMessage(user: user, name: entry.name) else { return nil }
        let message = InboxMessage(parsing: bytes)
        return InboxItem(id: entry.name, job: message.job, subject: message.subject, body: message.text, type: message.type,
                         meta: message.meta, read: !unread,
                         received: Timestamp.format(millisecondsSinceEpoch: entry.received * 1000))
    }

    struct InboxCount: Encodable {
        var user: String
        var count: Int
        var unread: Bool
    }

    func countInbox(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        let user: String
        switch inboxUser(request, rights) {
        case .failure(let response): return response
        case .success(let name): user = name
        }
        var unread = false
        if let text = request.query["unread"], !text.isEmpty {
            guard let flag = Self.flag(text) else { return .invalid(FieldError("unread", "expected true or false")) }
            unread = flag
        }
        do {
            let counts = try inboxCounts.counts(spool, user: user)
            return .json(200, InboxCount(user: user, count: unread ? counts.unread : counts.total, unread: unread))
        } catch { return inboxFailure(error) }
    }

    struct InboxAction: Encodable {
        var user: String
        var id: String?
        var action: String
        var count: Int?
    }

    func readInboxMessage(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        inboxMessageAction(request, rights, "read") { user, name throws(InboxError) in try spool.markInboxRead(user: user, name: name) }
    }

    func deleteInboxMessage(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        inboxMessageAction(request, rights, "deleted") { user, name throws(InboxError) in try spool.deleteInboxMessage(user: user, name: name) }
    }

    private func inboxMessageAction(_ request: APIRequest, _ rights: Rights, _ action: String,
                                    _ body: (String, String) throws(InboxError) -> Void) -> APIResponse {
        let user: String
        switch inboxUser(request, rights) {
        case .failure(let response): return response
        case .success(let name): user = name
        }
        do {
            let name = try Spool.validMaildirName(request.parameters["id"] ?? "")
            try body(user, name)
            return .json(200, InboxAction(user: user, id: name, action: action))
        } catch { return inboxFailure(error) }
    }

    func readAllInbox(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        let user: String
        switch inboxUser(request, rights) {
        case .failure(let response): return response
        case .success(let name): user = name
        }
        do {
            let count = try spool.markInboxAllRead(user: user)
            return .json(200, InboxAction(user: user, action: "read", count: count))
        } catch { return inboxFailure(error) }
    }

    static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no": false
        default: nil
        }
    }

    static func number(_ request: APIRequest, _ name: String, default value: Int, range: ClosedRange<Int>) -> Result<Int, FieldError> {
        guard let text = request.query[name], !text.isEmpty else { return .success(value) }
        guard let number = Int(text), range.contains(number) else {
            return .failure(FieldError(name, "expected a whole number from \(range.lowerBound) to \(range.upperBound)"))
        }
        return .success(number)
    }
}
