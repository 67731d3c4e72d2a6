import Foundation
import Glibc
import Testing

/// A real full disk: the spool on a size-limited tmpfs mounted by the test (needs root,
/// which CI has). Enqueue refuses with 75, leaves no partial file, and every ID it printed
/// is a complete job.
@Suite(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct DiskFullTests {
    final class SmallFilesystem {
        let mountPoint: String
        var spool: String { mountPoint + "/spool" }

        /// With `initialize: false` the spool is left for the caller to create.
        init(kilobytes: Int, initialize: Bool = true) throws {
            mountPoint = NSTemporaryDirectory() + "notifyd-full-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=\(kilobytes)k,mode=0755") == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno)!)
            }
            guard initialize else { return }
            let result = try Programs.run("notifyctl", ["init", "--private", "--spool", spool])
            guard result.status == 0 else { throw TemporarySpool.InitFailed(stderr: result.stderr) }
        }

        /// Fills the filesystem with `<mount>/filler` until the kernel says ENOSPC.
        func fill() {
            let fd = open(mountPoint + "/filler", O_WRONLY | O_CREAT | O_APPEND, 0o600)
            guard fd >= 0 else { return }
            let block = [UInt8](repeating: 0x2e, count: 4096)
            while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
            close(fd)
        }

        func free() { unlink(mountPoint + "/filler") }

        deinit {
            umount2(mountPoint, Int32(MNT_DETACH))
            rmdir(mountPoint)
        }

        func files(_ relative: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + relative)) ?? []).sorted()
        }
    }

    @Test func singleEnqueueRefusesWithTemporaryFailure() throws {
        let disk = try SmallFilesystem(kilobytes: 1024)
        let body = String(repeating: "x", count: 3000)
        var accepted: [String] = []
        var last: Programs.Result?
        for _ in 0..<2000 {
            let result = try Programs.run("notify-enqueue", ["--spool", disk.spool, "--channel", "inbox", "--to", "u", "--body", body])
            last = result
            if result.status != 0 { break }
            accepted += result.lines
        }
        let failure = try #require(last)
        #expect(failure.status == 75, "\(failure.stderr)")
        #expect(failure.stderr.contains("No space left on device"))
        #expect(failure.stderr.contains("try again later"))
        #expect(failure.stdout.isEmpty)
        #expect(disk.files("tmp").isEmpty)
        #expect(disk.files("incoming") == accepted.sorted())
        for id in accepted {
            let data = try Data(contentsOf: URL(fileURLWithPath: disk.spool + "/incoming/" + id))
            let job = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            #expect(job?["body"] as? String == body)
        }
    }

    @Test func batchStopsAtFullDiskWithWholeRowsOnly() throws {
        let disk = try SmallFilesystem(kilobytes: 1024)
        let body = String(repeating: "y", count: 2000)
        let lines = (0..<2000).map { #"{"channel":"inbox","to":"u\#($0)","body":"\#(body)"}"# }.joined(separator: "\n")
        let result = try Programs.run("notify-enqueue", ["--spool", disk.spool, "--jobs", "-"], stdin: lines)
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))
        #expect(result.stderr.contains("rows not attempted"))
        #expect(disk.files("tmp").isEmpty)
        #expect(disk.files("incoming") == result.lines.sorted())
        #expect(!result.lines.isEmpty)
    }

    /// The torture version: the spool fills up while notifyd and the real agents deliver to
    /// real sinks (TortureRig). Enqueue refuses with 75 and leaves no partial file, notifyd
    /// and its agents keep running, and once space is freed every accepted job is delivered.
    /// (notify-apid's half, 503 with Retry-After, joins here when it lands.)
    @Test func fullDiskUnderLoadLosesNothingAndRecovers() throws {
        let disk = try SmallFilesystem(kilobytes: 8192, initialize: false)
        let rig = try TortureRig(spoolDirectory: disk.spool)
        for _ in 0..<4 { #expect(try rig.enqueue(100, bodyBytes: 1500).status == 0) }
        let notifyd = rig.daemon.process.processIdentifier
        let agents = Set(rig.daemon.agentPIDs)
        disk.fill()
        var refusals: [Programs.Result] = []
        for _ in 0..<20 where refusals.count < 3 {
            let result = try rig.enqueue(100, bodyBytes: 1500)
            if result.status != 0 { refusals.append(result) }
            if result.status != 0 { disk.fill() }  // delivery may free a little; take it again
        }
        let single = try rig.daemon.spool.run("notify-enqueue", ["--channel", "webhook", "--to", rig.web.baseURL + "/hook/x",
                                                                 "--body", String(repeating: "z", count: 3000)])
        #expect(single.status == 75, "\(single.stderr)")
        #expect(single.stdout.isEmpty)
        #expect(!refusals.isEmpty, "the disk never filled")
        for refusal in refusals {
            #expect(refusal.status == 75, "\(refusal.stderr)")
            #expect(refusal.stderr.contains("No space left on device"))
        }
        #expect(disk.files("tmp").isEmpty, "a partial file was left in tmp/")
        // Every ID notify-enqueue printed names a complete job file.
        for id in rig.accepted {
            let entry = try #require(rig.daemon.store.locate(id), "\(id) printed but not in the spool")
            #expect((try? rig.daemon.store.read(entry)) != nil, "\(id) is not a complete job file")
        }
        // Full for a while: notifyd and the agents keep running.
        usleep(1_500_000)
        #expect(kill(notifyd, 0) == 0 && rig.daemon.process.isRunning, "notifyd died on a full disk:\n\(rig.daemon.log.suffix(2000))")
        #expect(agents.isSubset(of: Set(rig.daemon.agentPIDs)), "an agent died on a full disk")

        disk.free()
        #expect(try rig.enqueue(100).status == 0)
        #expect(rig.drained(within: 60), "not drained after space was freed:\n\(rig.daemon.log.suffix(2000))")
        rig.daemon.stop()
        let verdict = rig.verdict()
        print("torture disk full: \(verdict.jobs) jobs accepted, \(refusals.count + 1) refusals with 75, delivered \(verdict.delivered), "
              + "lost \(verdict.lost), duplicates \(verdict.duplicates)")
        #expect(verdict.lost == 0)
        #expect(verdict.delivered == verdict.jobs)
        #expect(verdict.failures.isEmpty, "\(verdict.failures.prefix(20).joined(separator: "\n"))")
    }
}
