import Foundation
import Testing

/// Every shipped program's main file starts with its manual page as a comment, with the
/// sections operators expect, and contrib/manpage.py turns it into troff that groff reads
/// without a warning.
@Suite struct ManPageTests {
    static let programs: [(name: String, section: String)] = [
        ("notify-enqueue", "1"), ("notify-render", "1"), ("notifyctl", "8"), ("notifyd", "8"),
        ("notify-email", "8"), ("notify-sms", "8"), ("notify-push", "8"), ("notify-webhook", "8"), ("notify-inbox", "8"), ("notify-apid", "8"), ("notify-statsd", "8"),
    ]
    static let repository = #filePath.components(separatedBy: "/Tests/").first!

    static func mainFile(of program: String) throws -> String {
        let directory = repository + "/Sources/" + program
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            if text.hasPrefix("// NAME\n") { return directory + "/" + file }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(directory): no file starts with // NAME"])
    }

    @Test(arguments: programs.map(\.name))
    func manualPageRendersCleanly(_ program: String) throws {
        let section = Self.programs.first { $0.name == program }!.section
        let page = try Programs.runExternal("/usr/bin/python3", [Self.repository + "/contrib/manpage.py", try Self.mainFile(of: program), section])
        #expect(page.status == 0, "\(page.stderr)")
        #expect(page.stdout.hasPrefix(".TH \(program.uppercased()) \(section) "))
        let troff = NSTemporaryDirectory() + "notifyd-\(program)-\(UUID().uuidString).\(section)"
        try page.stdout.write(toFile: troff, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: troff) }
        let groff = try Programs.runExternal("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", troff])
        #expect(groff.status == 0 && groff.stderr.isEmpty, "\(groff.stderr)")
    }
}
