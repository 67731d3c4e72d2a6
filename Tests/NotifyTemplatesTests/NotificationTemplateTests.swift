import Foundation
import NotifyCore
import Testing
@testable import NotifyTemplates

@Suite struct NotificationTemplateTests {
    final class Directory {
        let path = NSTemporaryDirectory() + "notifyd-templates-" + UUID().uuidString
        init(_ templates: [String: [String: String]]) throws {
            for (name, files) in templates {
                try FileManager.default.createDirectory(atPath: "\(path)/\(name)", withIntermediateDirectories: true)
                for (file, text) in files { try text.write(toFile: "\(path)/\(name)/\(file)", atomically: true, encoding: .utf8) }
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static let welcome: [String: String] = [
        "template.conf": "channels = sms, inbox\nsms_to = {{phone}}\ninbox_to = {{user}}\ninbox_subject = Hi {{name}}\npriority = high\n",
        "sms.mustache": "Hi {{name}} & co: {{#items}}[{{.}}]{{/items}}",
        "inbox.mustache": "{{name}} joined",
    ]

    @Test func rendersEveryChannelWithoutHTMLEscapingText() throws {
        let directory = try Directory(["welcome": Self.welcome])
        let template = try NotificationTemplate(name: "welcome", directory: directory.path)
        let data = try JSONValue.parse(Array(#"{"name":"<Ann>","phone":"+14155550123","user":"ann","items":[1,2]}"#.utf8))
        let drafts = try template.render(data)
        #expect(drafts.map(\.channel) == ["sms", "inbox"])
        #expect(drafts[0].body == "Hi <Ann> & co: [1][2]")
        #expect(drafts[0].to == ["+14155550123"])
        #expect(drafts[1].subject == "Hi <Ann>")
        #expect(drafts.allSatisfy { $0.priority == "high" && $0.template == "welcome" })
        #expect(try template.render(data, channels: [.inbox]).map(\.channel) == ["inbox"])
    }

    @Test func missingRecipientFieldIsADataError() throws {
        let directory = try Directory(["welcome": Self.welcome])
        let template = try NotificationTemplate(name: "welcome", directory: directory.path)
        let error = #expect(throws: FieldError.self) { try template.render(.object(["name": .string("x")])) }
        #expect(error?.description == "data: the sms recipient rendered empty; is its field missing from the data?")
    }

    @Test func badTemplateConfigNamesLineAndKey() throws {
        var files = Self.welcome
        files["template.conf"] = "channels = sms\nsms_to = {{phone}}\nsms_colour = red\n"
        let directory = try Directory(["broken": files])
        let error = #expect(throws: FieldError.self) { try NotificationTemplate(name: "broken", directory: directory.path) }
        #expect(error?.description.contains("template.conf:3: sms_colour: unknown parameter") == true)
    }

    @Test func unterminatedSectionIsReported() throws {
        var files = Self.welcome
        files["sms.mustache"] = "{{#items}} never closed"
        let directory = try Directory(["broken": files])
        #expect(throws: FieldError.self) { try NotificationTemplate(name: "broken", directory: directory.path) }
    }

    @Test(arguments: ["../etc", "a/b", "", "UPPER", String(repeating: "x", count: 65)])
    func unsafeNamesAreRejected(_ name: String) {
        #expect(throws: FieldError.self) { try NotificationTemplate.validName(name) }
    }

    @Test func csvRowsKeepQuotedCommasAndReportShortRows() throws {
        let directory = try Directory([:])
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let file = directory.path + "/rows.csv"
        try "name,phone\n\"Doe, Jane\",+1\n\"multi\nline\",+2\nshort\n".write(toFile: file, atomically: true, encoding: .utf8)
        var rows: [(Int, Result<JSONValue, FieldError>)] = []
        try BatchRows.read(path: file) { rows.append(($0, $1)) }
        #expect(rows.count == 3)
        #expect(try rows[0].1.get() == .object(["name": .string("Doe, Jane"), "phone": .string("+1")]))
        #expect(try rows[1].1.get() == .object(["name": .string("multi\nline"), "phone": .string("+2")]))
        #expect(throws: FieldError.self) { try rows[2].1.get() }
    }

    @Test func batchFormatComesFromTheFileName() throws {
        #expect(throws: FieldError.self) { try BatchRows.format(of: "rows.txt") }
        #expect(try BatchRows.format(of: "ROWS.CSV") == .csv)
        #expect(try BatchRows.format(of: "rows.ndjson") == .jsonLines)
    }
}
