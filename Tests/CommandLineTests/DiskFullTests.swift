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

        init(kilobytes: Int) throws {
            mountPoint = NSTemporaryDirectory() + "notifyd-full-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=\(kilobytes)k,mode=0755") == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno)!)
            }
            let result = try Programs.run("notifyctl", ["init", "--private", "--spool", spool])
            guard result.status == 0 else { throw TemporarySpool.InitFailed(stderr: result.stderr) }
        }

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
}
