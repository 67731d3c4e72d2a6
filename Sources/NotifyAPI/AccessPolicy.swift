#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import Synchronization

/// What one peer may do: the union of every `api_access` entry that matches it.
public struct Rights: Sendable, Equatable {
    /// nil: may not submit; empty set never occurs; `Channel.allCases` for `submit`.
    public var submitChannels: Set<Channel> = []
    public var readOwn = false
    public var readStats = false
    public var admin = false
    public var preferences = false
    public var inboxAll = false
    public var inboxUsers: Set<String> = []

    public init() {}

    public func mayRead(inbox user: String) -> Bool { admin || inboxAll || inboxUsers.contains(user) }
    public func maySubmit(_ channel: Channel) -> Bool { submitChannels.contains(channel) }
    public var maySubmitAnything: Bool { !submitChannels.isEmpty }
}

/// The access policy of notify-apid (README.md, "notify-apid"): `api_access` rules matched
/// against the peer's SO_PEERCRED uid, its primary gid and its account's supplementary
/// groups. Names in rules are resolved once, when the policy is made; a peer's rights are
/// cached for a minute so that group lookups (NSS) stay off the hot path.
public final class AccessPolicy: Sendable {
    enum Subject: Sendable { case uid(UInt32), gid(UInt32), anyone, nobody }

    private let rules: [(subject: Subject, rights: [AccessRule.Right])]
    private let cache = Mutex<[UInt64: (rights: Rights, expires: Int64)]>([:])
    /// Names in the policy that did not resolve, for a warning at start.
    public let unresolvedNames: [String]

    /// The built-in policy when `api_access` is not set: root and the daemon's own account
    /// are admins; members of the submit group may submit, read their own jobs and stats,
    /// and read the inbox named like their account.
    public static func defaultRules(submitGroup: String) -> [AccessRule] {
        [
            AccessRule(subject: .uid(0), rights: [.admin]),
            AccessRule(subject: .uid(getuid()), rights: [.admin]),
            AccessRule(subject: .group(submitGroup), rights: [.submit(channels: nil), .readOwn, .readStats, .inboxSelf]),
        ]
    }

    public init(rules: [AccessRule]) {
        var unresolved: [String] = []
        self.rules = rules.map { rule in
            let subject: Subject
            switch rule.subject {
            case .uid(let uid): subject = .uid(uid)
            case .gid(let gid): subject = .gid(gid)
            case .anyone: subject = .anyone
            case .user(let name):
                if let entry = getpwnam(name) { subject = .uid(entry.pointee.pw_uid) } else {
                    unresolved.append("user:\(name)")
                    subject = .nobody
                }
            case .group(let name):
                if let entry = getgrnam(name) { subject = .gid(entry.pointee.gr_gid) } else {
                    unresolved.append("group:\(name)")
                    subject = .nobody
                }
            }
            return (subject, rule.rights)
        }
        unresolvedNames = unresolved
    }

    public func rights(for peer: PeerCredentials, now: Int64 = WallClock.nowMilliseconds()) -> Rights {
        let key = UInt64(peer.uid) << 32 | UInt64(peer.gid)
        if let hit = cache.withLock({ $0[key] }), hit.expires > now { return hit.rights }
        let account = Account(uid: peer.uid, gid: peer.gid)
        var rights = Rights()
        for (subject, granted) in rules {
            let matches = switch subject {
            case .uid(let uid): uid == peer.uid
            case .gid(let gid): account.groups.contains(gid)
            case .anyone: true
            case .nobody: false
            }
            guard matches else { continue }
            for right in granted {
                switch right {
                case .submit(let channels): rights.submitChannels.formUnion(channels ?? Set(Channel.allCases))
                case .readOwn: rights.readOwn = true
                case .readStats: rights.readStats = true
                case .admin: rights.admin = true
                case .preferences: rights.preferences = true
                case .inbox(let users): rights.inboxUsers.formUnion(users)
                case .inboxAll: rights.inboxAll = true
                case .inboxSelf: if let name = account.name { rights.inboxUsers.insert(name) }
                }
            }
        }
        if rights.admin {
            rights.submitChannels = Set(Channel.allCases)
            rights.readOwn = true
            rights.readStats = true
            rights.preferences = true
            rights.inboxAll = true
        }
        cache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[key] = (rights, now + 60_000)
        }
        return rights
    }
}

/// A peer's account: its name and groups (primary gid from SO_PEERCRED, plus the
/// supplementary groups of its account). A uid without a passwd entry has only its gid.
struct Account {
    var name: String?
    var groups: Set<UInt32>

    init(uid: UInt32, gid: UInt32) {
        groups = [gid]
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return }
        name = String(cString: entry.pw_name)
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: 64)
        if getgrouplist(entry.pw_name, entry.pw_gid, &list, &count) >= 0 {
            groups.formUnion(list.prefix(Int(count)))
        }
    }
}
