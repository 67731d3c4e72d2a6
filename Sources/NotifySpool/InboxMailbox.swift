#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// One message of an in-app inbox maildir, as the API lists it.
public struct InboxEntry: Sendable, Equatable {
    /// The maildir base name (`<seconds>.<job-id>_<attempt>.notifyd`), without `:2,FLAGS`.
    public var name: String
    /// In `new/`, or in `cur/` without the S (seen) flag.
    public var unread: Bool
    /// Seconds since the epoch, from the name.
    public var received: Int64 { Int64(name.prefix { $0 != "." }) ?? 0 }
}

/// What changed in a maildir since a count: the modification times of `new/` and `cur/`
/// in nanoseconds. A count taken while both are older than a second cannot have missed
/// a rename in the same clock tick (the "racy timestamp" rule of git's index).
public struct InboxStamp: Sendable, Equatable {
    public var new: Int64
    public var cur: Int64
}

public enum InboxError: Error, Sendable, CustomStringConvertible {
    case invalidName(String)
    case notFound
    case io(SpoolError)

    public var description: String {
        switch self {
        case .invalidName(let reason): reason
        case .notFound: "no such message"
        case .io(let error): error.description
        }
    }
}

/// Reading and changing in-app inbox maildirs for the API (spool-layout.md, "Inbox
/// maildirs"). Reading a message is a rename `new/NAME` → `cur/NAME:2,S`, as maildir
/// readers do. Read marks and deletions are not synced: a crash may bring a message
/// back as unread, never lose one that was not deleted.
extension Spool {
    /// A maildir base name from outside (a URL): 1–200 of `A-Z a-z 0-9 . _ -`, not
    /// starting with a dot, so it is a single path component.
    public static func validMaildirName(_ name: String) throws(InboxError) -> String {
        guard !name.isEmpty, name.utf8.count <= 200, name.first != ".",
              name.utf8.allSatisfy({ ValidationBytes.isNameByte($0) })
        else { throw .invalidName("not a message id: 1 to 200 of A-Z a-z 0-9 . _ -") }
        return name
    }

    /// Every message of a user's inbox (names only: one readdir of `new/` and of `cur/`).
    /// A user without a maildir has an empty inbox.
    public func inboxEntries(user: String) throws(InboxError) -> [InboxEntry] {
        var entries: [InboxEntry] = []
        try inboxList(user, "new") { name in entries.append(InboxEntry(name: name, unread: true)) }
        try inboxList(user, "cur") { name in
            let (base, flags) = Self.splitInfo(name)
            entries.append(InboxEntry(name: base, unread: !flags.contains("S")))
        }
        return entries
    }

    /// How many messages (or unread messages) a user's inbox holds: readdir only.
    public func inboxCount(user: String, unreadOnly: Bool) throws(InboxError) -> Int {
        var count = 0
        try inboxList(user, "new") { _ in count += 1 }
        try inboxList(user, "cur") { name in
            if !unreadOnly || !Self.splitInfo(name).flags.contains("S") { count += 1 }
        }
        return count
    }

    /// The modification times of the maildir's `new/` and `cur/` (zero when missing).
    public func inboxStamp(user: String) -> InboxStamp {
        func time(_ part: String) -> Int64 {
            var info = stat()
            guard fstatat(rootFD, "inbox/\(user)/\(part)", &info, 0) == 0 else { return 0 }
            return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }
        return InboxStamp(new: time("new"), cur: time("cur"))
    }

    /// The message's bytes, wherever it is.
    public func inboxMessage(user: String, name: String) throws(InboxError) -> (bytes: [UInt8], unread: Bool) {
        guard let (directory, file) = try inboxLocate(user: user, name: name) else { throw .notFound }
        guard let bytes = readWholeFile(rootFD, "inbox/\(user)/\(directory)/\(file)") else {
            if errno == ENOENT { throw .notFound }
            throw .io(SpoolError("read", path: display("inbox/\(user)/\(directory)/\(file)"), errno: errno))
        }
        return (bytes, directory == "new" || !Self.splitInfo(file).flags.contains("S"))
    }

    /// Marks a message read: `new/NAME` → `cur/NAME:2,S`, or adds S to its flags in `cur/`.
    public func markInboxRead(user: String, name: String) throws(InboxError) {
        guard let (directory, file) = try inboxLocate(user: user, name: name) else { throw .notFound }
        let flags = directory == "new" ? "" : Self.splitInfo(file).flags
        if flags.contains("S") { return }
        let target = "\(name):2," + String((flags + "S").sorted())
        if renameat(rootFD, "inbox/\(user)/\(directory)/\(file)", rootFD, "inbox/\(user)/cur/\(target)") != 0 {
            if errno == ENOENT { throw .notFound }
            throw .io(SpoolError("rename", path: display("inbox/\(user)/cur/\(target)"), errno: errno))
        }
    }

    /// Marks every message in `new/` read; returns how many.
    public func markInboxAllRead(user: String) throws(InboxError) -> Int {
        var names: [String] = []
        try inboxList(user, "new") { names.append($0) }
        var count = 0
        for name in names where renameat(rootFD, "inbox/\(user)/new/\(name)", rootFD, "inbox/\(user)/cur/\(name):2,S") == 0 {
            count += 1
        }
        return count
    }

    /// Removes a message.
    public func deleteInboxMessage(user: String, name: String) throws(InboxError) {
        guard let (directory, file) = try inboxLocate(user: user, name: name) else { throw .notFound }
        if unlinkat(rootFD, "inbox/\(user)/\(directory)/\(file)", 0) != 0 {
            if errno == ENOENT { throw .notFound }
            throw .io(SpoolError("unlink", path: display("inbox/\(user)/\(directory)/\(file)"), errno: errno))
        }
    }

    /// Where a message is: `new/NAME`, or `cur/NAME:2,FLAGS` (found with one stat for
    /// the unflagged and the seen name, then a readdir of `cur/` for other flags).
    private func inboxLocate(user: String, name: String) throws(InboxError) -> (String, String)? {
        var info = stat()
        for (directory, file) in [("new", name), ("cur", "\(name):2,S"), ("cur", "\(name):2,")]
        where fstatat(rootFD, "inbox/\(user)/\(directory)/\(file)", &info, AT_SYMLINK_NOFOLLOW) == 0 {
            return (directory, file)
        }
        var found: String?
        try inboxList(user, "cur") { entry in if found == nil && Self.splitInfo(entry).base == name { found = entry } }
        return found.map { ("cur", $0) }
    }

    private func inboxList(_ user: String, _ part: String, _ body: (String) -> Void) throws(InboxError) {
        do {
            try listDirectory("inbox/\(user)/\(part)") { name, _ in body(name) }
        } catch {
            if error.errno == ENOENT { return }
            throw .io(error)
        }
    }

    /// `NAME:2,FLAGS` → (NAME, FLAGS); a name without info has no flags.
    static func splitInfo(_ name: String) -> (base: String, flags: String) {
        guard let colon = name.lastIndex(of: ":") else { return (name, "") }
        let info = name[name.index(after: colon)...]
        let flags = info.hasPrefix("2,") ? String(info.dropFirst(2)) : ""
        return (String(name[..<colon]), flags)
    }
}

enum ValidationBytes {
    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2E || byte == 0x5F || byte == 0x2D
    }
}
