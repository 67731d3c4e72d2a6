#if canImport(Glibc)
import Glibc
#endif

/// The numeric owners the spool is created with.
public struct SpoolOwners: Sendable, Equatable {
    public var daemonUID: UInt32
    public var daemonGID: UInt32
    public var submitGID: UInt32

    public init(daemonUID: UInt32, daemonGID: UInt32, submitGID: UInt32) {
        self.daemonUID = daemonUID
        self.daemonGID = daemonGID
        self.submitGID = submitGID
    }

    /// The invoking user for every role: a private spool for development and the demo.
    public static var invokingUser: SpoolOwners {
        SpoolOwners(daemonUID: getuid(), daemonGID: getgid(), submitGID: getgid())
    }
}

/// Creates a spool, or repairs one: every directory of `SpoolLayout` with its owner and
/// mode, and the trigger FIFO. Running it again is safe and puts modes right, like
/// `postfix set-permissions`.
public enum SpoolInitializer {
    public struct Report: Sendable { public var created = 0; public var repaired = 0 }

    public static func initialize(root: String, owners: SpoolOwners) throws(SpoolError) -> Report {
        var report = Report()
        let createdRoot = mkdir(root, 0o700) == 0
        if !createdRoot && errno != EEXIST { throw SpoolError("create", path: root, errno: errno) }
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if rootFD < 0 { throw SpoolError("open", path: root, errno: errno) }
        defer { close(rootFD) }

        for (path, directory) in SpoolLayout.expandedDirectories {
            let display = path.isEmpty ? root : "\(root)/\(path)"
            var created = path.isEmpty && createdRoot
            if !path.isEmpty {
                if mkdirat(rootFD, path, 0o700) == 0 { created = true } else if errno != EEXIST {
                    throw SpoolError("create", path: display, errno: errno)
                }
            }
            let gid = directory.group == .daemon ? owners.daemonGID : owners.submitGID
            let changed = try apply(rootFD, path.isEmpty ? "." : path, uid: owners.daemonUID, gid: gid,
                                    mode: directory.mode, display: display)
            if created { report.created += 1 } else if changed { report.repaired += 1 }
        }

        let trigger = SpoolLayout.triggerPath
        if mkfifoat(rootFD, trigger, 0o600) != 0 && errno != EEXIST {
            throw SpoolError("create FIFO", path: "\(root)/\(trigger)", errno: errno)
        }
        _ = try apply(rootFD, trigger, uid: owners.daemonUID, gid: owners.submitGID,
                      mode: SpoolLayout.triggerMode, display: "\(root)/\(trigger)")
        fsync(rootFD)
        return report
    }

    /// Sets owner and mode; returns whether anything had to change on an existing entry.
    private static func apply(_ rootFD: Int32, _ path: String, uid: UInt32, gid: UInt32, mode: UInt32, display: String) throws(SpoolError) -> Bool {
        var info = stat()
        guard fstatat(rootFD, path, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw SpoolError("stat", path: display, errno: errno)
        }
        var changed = false
        if info.st_uid != uid || info.st_gid != gid {
            // chown first: it clears setgid, which chmod then sets again.
            guard fchownat(rootFD, path, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw SpoolError("chown", path: display, errno: errno)
            }
            changed = true
        }
        if info.st_mode & 0o7777 != mode || changed {
            guard fchmodat(rootFD, path, mode, 0) == 0 else { throw SpoolError("chmod", path: display, errno: errno) }
            changed = changed || info.st_mode & 0o7777 != mode
        }
        return changed
    }
}
