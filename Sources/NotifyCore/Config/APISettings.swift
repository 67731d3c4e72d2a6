/// notify-apid's parameters, `api_*` in the configuration file (contrib/notifyd.conf.example
/// documents each one; README.md has the access policy).
public struct APISettings: Sendable, Equatable {
    /// The listening socket when not socket-activated; `--socket` and `$NOTIFYD_SOCKET` win.
    public var socket = "/run/notifyd/api.sock"
    /// The socket file's mode and group once bound: the submit group may connect.
    public var socketMode: UInt32 = 0o660
    /// Empty: the configuration's `submit_group`.
    public var socketGroup = ""
    /// The largest request body, in bytes (413 beyond).
    public var bodySizeLimit = 4 << 20
    /// The largest request line plus headers, in bytes (431 beyond).
    public var headerSizeLimit = 16 << 10
    /// Connections open at once (503 beyond).
    public var connectionLimit = 512
    /// A connection that has not sent a complete request within this time is closed
    /// (408 if it had started one): idle keep-alive clients and slow-loris alike.
    public var idleTimeout: Duration = .seconds(10)
    /// Rows in one POST /v1/batches.
    public var batchRowLimit = 10_000
    /// Jobs the group committer puts into one round of syncs.
    public var commitGroupLimit = 2048
    /// Commit rounds that may run at once (GroupCommitter): one waits for the device while
    /// the next writes its group.
    public var commitThreads = 4
    /// /health reports the spool unhealthy below this much free space, in bytes.
    public var minimumFreeSpace = 100 << 20
    /// notifyd's state/qmgr.json older than this counts as a stale queue manager.
    public var queueManagerStaleAge: Duration = .seconds(60)
    /// The access policy: who may do what (`AccessRule`). Empty: the built-in default.
    public var access: [AccessRule] = []

    public init() {}

    init(reader: inout ConfigReader) throws(ConfigError) {
        socket = reader.string("api_socket", default: socket)
        let modeText = reader.string("api_socket_mode", default: String(socketMode, radix: 8))
        guard let mode = UInt32(modeText, radix: 8), mode <= 0o777 else {
            throw reader.error("api_socket_mode", "not an octal file mode: \"\(modeText)\"")
        }
        socketMode = mode
        socketGroup = reader.string("api_socket_group", default: socketGroup)
        bodySizeLimit = try reader.size("api_body_size_limit", default: bodySizeLimit)
        headerSizeLimit = try reader.size("api_header_size_limit", default: headerSizeLimit)
        guard headerSizeLimit >= 1024, headerSizeLimit <= 64 << 10 else {
            throw reader.error("api_header_size_limit", "must be between 1k and 64k")
        }
        connectionLimit = try reader.integer("api_connection_limit", default: connectionLimit, range: 1...65536)
        idleTimeout = try reader.duration("api_idle_timeout", default: idleTimeout)
        batchRowLimit = try reader.integer("api_batch_row_limit", default: batchRowLimit, range: 1...1_000_000)
        commitGroupLimit = try reader.integer("api_commit_group_limit", default: commitGroupLimit, range: 1...65536)
        commitThreads = try reader.integer("api_commit_threads", default: commitThreads, range: 1...64)
        minimumFreeSpace = try reader.size("api_minimum_free_space", default: minimumFreeSpace)
        queueManagerStaleAge = try reader.duration("api_queue_manager_stale_age", default: queueManagerStaleAge)
        if let text = reader.optionalString("api_access") {
            do { access = try AccessRule.parseList(text) } catch { throw reader.error("api_access", error.reason) }
        }
    }
}

/// One entry of `api_access`: a subject and the rights it grants.
///
///     api_access = uid:0 admin; group:notify submit read_own inbox:self;
///         user:webapp submit:email+inbox read_own read_stats inbox:* preferences
///
/// Entries are separated by `;`. A subject is `uid:N`, `user:NAME`, `gid:N`, `group:NAME`
/// (the peer's primary or supplementary group) or `*` (anyone who can connect). Rights:
/// `submit` (any channel) or `submit:CH+CH`, `read_own` (jobs and batches the peer
/// submitted), `read_stats` (/v1/stats, /metrics, /health details), `admin` (read, cancel,
/// retry any job; every inbox; preferences), `inbox:USER+USER`, `inbox:*` (every inbox),
/// `inbox:self` (the inbox named like the peer's user name), `preferences` (read and
/// write recipient preferences). A peer gets the union of the rights of every entry
/// that matches it.
public struct AccessRule: Sendable, Equatable {
    public enum Subject: Sendable, Equatable {
        case uid(UInt32), user(String), gid(UInt32), group(String), anyone
    }

    public enum Right: Sendable, Equatable {
        case submit(channels: Set<Channel>?)
        case readOwn, readStats, admin, preferences
        case inbox(users: Set<String>)
        case inboxAll, inboxSelf
    }

    public var subject: Subject
    public var rights: [Right]

    public init(subject: Subject, rights: [Right]) {
        self.subject = subject
        self.rights = rights
    }

    public static func parseList(_ text: String) throws(FieldError) -> [AccessRule] {
        var rules: [AccessRule] = []
        for entry in text.split(separator: ";") {
            let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
            guard let first = words.first else { continue }
            let subject = try parseSubject(first)
            guard words.count > 1 else { throw FieldError("api_access", "\(first): names no rights") }
            var rights: [Right] = []
            for word in words.dropFirst() { rights.append(try parseRight(word)) }
            rules.append(AccessRule(subject: subject, rights: rights))
        }
        return rules
    }

    static func parseSubject(_ word: String) throws(FieldError) -> Subject {
        if word == "*" { return .anyone }
        let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw FieldError("api_access", "\(word): a subject is uid:N, user:NAME, gid:N, group:NAME or *")
        }
        switch parts[0] {
        case "uid", "gid":
            guard let number = UInt32(parts[1]) else { throw FieldError("api_access", "\(word): not a number") }
            return parts[0] == "uid" ? .uid(number) : .gid(number)
        case "user": return .user(parts[1])
        case "group": return .group(parts[1])
        default: throw FieldError("api_access", "\(word): a subject is uid:N, user:NAME, gid:N, group:NAME or *")
        }
    }

    static func parseRight(_ word: String) throws(FieldError) -> Right {
        let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
        let list = parts.count == 2 ? parts[1].split(separator: "+").map(String.init) : []
        switch (parts[0], parts.count) {
        case ("submit", 1): return .submit(channels: nil)
        case ("submit", 2):
            var channels: Set<Channel> = []
            for name in list { channels.insert(try Channel.parse(name, field: "api_access")) }
            return .submit(channels: channels)
        case ("read_own", 1): return .readOwn
        case ("read_stats", 1): return .readStats
        case ("admin", 1): return .admin
        case ("preferences", 1): return .preferences
        case ("inbox", 2):
            if list == ["*"] { return .inboxAll }
            if list == ["self"] { return .inboxSelf }
            var users: Set<String> = []
            for name in list { users.insert(try InboxUser.validate(name, field: "api_access")) }
            return .inbox(users: users)
        default:
            throw FieldError("api_access", "\(word): unknown right (submit, submit:CH+CH, read_own, read_stats, admin, preferences, inbox:USER+USER, inbox:*, inbox:self)")
        }
    }
}
