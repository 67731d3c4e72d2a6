#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

extension Spool {
    /// Delivers a message into the maildir of an in-app inbox user, the way maildir delivery
    /// works (spool-layout.md, "Inbox maildirs"): create `inbox/<user>/tmp/<name>` with
    /// O_EXCL, write, fsync, rename to `inbox/<user>/new/<name>`. The maildir is created on
    /// first delivery. `user` must be a validated `InboxUser`; `name` is the unique maildir
    /// name (`MaildirName`). The directory entry is made durable by notifyd's batch sync.
    public func deliverToMaildir(_ message: [UInt8], user: String, name: String) throws(SpoolError) {
        let validUser: String
        do { validUser = try InboxUser.validate(user, field: "to") } catch {
            throw SpoolError("deliver", path: display("inbox/\(user)"), errno: EINVAL, detail: error.description)
        }
        let maildir = "inbox/\(validUser)"
        try createMaildir(maildir)
        let tmpDir = try directoryFD("\(maildir)/tmp")
        let newDir = try directoryFD("\(maildir)/new")
        unlinkat(tmpDir, name, 0)  // a leftover of a crashed earlier try of this attempt
        let fd = io.openExclusive(tmpDir, name, mode: 0o640)
        if fd < 0 { throw SpoolError("create", path: display("\(maildir)/tmp/\(name)"), errno: errno) }
        let written = io.writeAll(fd, message) && io.fsyncFile(fd)
        let saved = errno
        close(fd)
        guard written else {
            unlinkat(tmpDir, name, 0)
            throw SpoolError("write", path: display("\(maildir)/tmp/\(name)"), errno: saved)
        }
        if !io.rename(tmpDir, name, newDir, name) {
            let saved = errno
            unlinkat(tmpDir, name, 0)
            throw SpoolError("rename", path: display("\(maildir)/new/\(name)"), errno: saved)
        }
    }

    /// The file names in `inbox/<user>/new/` (for tests and the API).
    public func maildirNewMessages(user: String) throws(SpoolError) -> [String: [UInt8]] {
        var messages: [String: [UInt8]] = [:]
        try listDirectory("inbox/\(user)/new") { name, dirfd in
            if let bytes = readWholeFile(dirfd, name) { messages[name] = bytes }
        }
        return messages
    }

    /// `inbox/<user>/{tmp,new,cur}`, each 0750 like `inbox/` itself. An existing maildir is
    /// left as it is; concurrent deliveries racing to create it both succeed.
    private func createMaildir(_ maildir: String) throws(SpoolError) {
        for path in [maildir, "\(maildir)/tmp", "\(maildir)/new", "\(maildir)/cur"] {
            if mkdirat(rootFD, path, 0o750) != 0 && errno != EEXIST {
                throw SpoolError("mkdir", path: display(path), errno: errno)
            }
        }
    }
}

/// A unique maildir file name: `<seconds>.<job-id>_<attempt>.notifyd`. The job ID is
/// unique across hosts and processes, the attempt keeps a retry from clobbering a copy
/// the reader already moved, and no `:` or `/` can occur.
public enum MaildirName {
    public static func make(id: JobID, attempt: Int, seconds: Int64) -> String {
        "\(seconds).\(id.text)_\(attempt).notifyd"
    }
}
