import Foundation
import Glibc
import Testing

/// The spool's permission model with real uids (numeric, so no accounts are created):
/// a member of the submit group enqueues without root; anyone else is refused with 77;
/// a submitter can neither list the queue nor read another submitter's job.
@Suite(.enabled(if: getuid() == 0, "switching uids needs root"))
struct PermissionTests {
    static let daemonUID = "4240", daemonGID = "4241", submitGID = "4244"
    static let alice = "4242", mallory = "4243"

    final class SharedSpool {
        let base = "/var/tmp/notifyd-perm-" + UUID().uuidString
        var spool: String { base + "/spool" }

        init() throws {
            // The base must be passable by the test users; the spool root is the gate.
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let result = try Programs.run("notifyctl", ["init", "--spool", spool, "--daemon-user", daemonUID,
                                                        "--daemon-group", daemonGID, "--submit-group", submitGID])
            guard result.status == 0 else { throw TemporarySpool.InitFailed(stderr: result.stderr) }
        }

        deinit { try? FileManager.default.removeItem(atPath: base) }
    }

    /// Runs a program as `uid`, with only the supplementary groups given.
    static func run(as uid: String, groups: [String], _ program: String, _ arguments: [String]) throws -> Programs.Result {
        let groupArguments = groups.isEmpty ? ["--clear-groups"] : ["--groups", groups.joined(separator: ",")]
        return try Programs.runExternal("/usr/bin/setpriv", ["--reuid", uid, "--regid", uid] + groupArguments + [program] + arguments)
    }

    @Test func submitGroupMemberEnqueuesOthersAreRefused() throws {
        let shared = try SharedSpool()
        let job = ["--spool", shared.spool, "--channel", "sms", "--to", "+14155550123", "--body", "from alice"]
        let alice = try Self.run(as: Self.alice, groups: [Self.submitGID], Programs.path("notify-enqueue"), job)
        #expect(alice.status == 0, "\(alice.stderr)")
        let id = alice.stdout.trimmingCharacters(in: .newlines)

        var info = stat()
        #expect(stat(shared.spool + "/incoming/" + id, &info) == 0)
        #expect(info.st_uid == UInt32(Self.alice)!)
        #expect(info.st_gid == UInt32(Self.daemonGID)!, "setgid incoming/ gives the job the daemon group")
        #expect(info.st_mode & 0o777 == 0o640)

        let mallory = try Self.run(as: Self.mallory, groups: [], Programs.path("notify-enqueue"), job)
        #expect(mallory.status == 77, "\(mallory.stderr)")
        #expect(mallory.stderr.contains("Permission denied"))

        // A second submitter cannot list the queue or read alice's job.
        let list = try Self.run(as: Self.mallory, groups: [Self.submitGID], "/bin/ls", [shared.spool + "/incoming"])
        #expect(list.status != 0)
        let read = try Self.run(as: Self.mallory, groups: [Self.submitGID], "/bin/cat", [shared.spool + "/incoming/" + id])
        #expect(read.status != 0)
        // The daemon account can, through its group.
        let daemon = try Self.run(as: Self.daemonUID, groups: [Self.daemonGID], "/bin/cat", [shared.spool + "/incoming/" + id])
        #expect(daemon.stdout.contains("from alice"))
    }

    @Test func idempotencyWorksForANonRootSubmitter() throws {
        let shared = try SharedSpool()
        let job = ["--spool", shared.spool, "--channel", "sms", "--to", "+14155550123", "--body", "otp", "--idempotency-key", "otp-7"]
        let first = try Self.run(as: Self.alice, groups: [Self.submitGID], Programs.path("notify-enqueue"), job)
        let second = try Self.run(as: Self.alice, groups: [Self.submitGID], Programs.path("notify-enqueue"), job)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        #expect(first.stdout == second.stdout)
    }

    /// Whatever state a job is in (incoming/, hold/, done/ with its history and key link),
    /// neither a user outside the submit group nor another submitter can read it or list
    /// any spool directory, and notifyctl refuses them both.
    @Test func noJobOrDirectoryIsReadableByAnotherSubmitterOrAnOutsider() throws {
        let shared = try SharedSpool()
        var ids: [String] = []
        for key in ["k1", "k2", "k3"] {
            let job = ["--spool", shared.spool, "--channel", "sms", "--to", "+14155550123", "--body", "secret \(key)",
                       "--idempotency-key", key]
            let result = try Self.run(as: Self.alice, groups: [Self.submitGID], Programs.path("notify-enqueue"), job)
            #expect(result.status == 0, "\(result.stderr)")
            ids.append(result.stdout.trimmingCharacters(in: .newlines))
        }
        // As the operator (root): one job held, one cancelled (done/ plus a history).
        #expect(try Programs.run("notifyctl", ["hold", ids[1], "--spool", shared.spool]).status == 0)
        #expect(try Programs.run("notifyctl", ["cancel", ids[2], "--spool", shared.spool]).status == 0)

        var files: [String] = [], directories: [String] = [shared.spool]
        let walker = FileManager.default.enumerator(atPath: shared.spool)!
        while let relative = walker.nextObject() as? String {
            let path = shared.spool + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR { directories.append(path) }
            if info.st_mode & S_IFMT == S_IFREG, ids.contains(where: { relative.contains($0) }) || relative.hasPrefix("idem/") { files.append(path) }
        }
        #expect(files.contains { $0.contains("/hold/") } && files.contains { $0.contains("/done/") } && files.contains { $0.contains("/history/") },
                "\(files)")

        for groups in [[Self.submitGID], []] {
            for file in files {
                let read = try Self.run(as: Self.mallory, groups: groups, "/bin/cat", [file])
                #expect(read.status != 0 && !read.stdout.contains("secret"), "groups \(groups) read \(file)")
            }
            for directory in directories {
                let list = try Self.run(as: Self.mallory, groups: groups, "/bin/ls", [directory])
                #expect(list.status != 0, "groups \(groups) listed \(directory): \(list.stdout)")
            }
            let show = try Self.run(as: Self.mallory, groups: groups, Programs.path("notifyctl"), ["show", ids[0], "--spool", shared.spool])
            #expect(show.status != 0 && !show.stdout.contains("secret"), "notifyctl show: \(show.stdout)")
            let list = try Self.run(as: Self.mallory, groups: groups, Programs.path("notifyctl"), ["list", "--all", "--spool", shared.spool])
            #expect(list.status != 0 && !list.stdout.contains(ids[0]), "notifyctl list: \(list.stdout)")
        }
    }
}
