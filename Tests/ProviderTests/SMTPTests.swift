import Foundation
import NotifyAgentKit
import NotifyCore
import NotifyProviders
import NotifyTestSupport
import Testing

/// SMTP submission against a real SMTP server (aiosmtpd) on loopback.
@Suite struct SMTPTests {
    @Test func submitsWithSTARTTLSAndAUTHAWellFormedMIMEMessage() async throws {
        let server = try SMTPTestServer(tls: true, user: ("mailer", "s3cret"))
        let fixture = try ProviderFixture()
        let ca = try #require(server.certificate).certificatePath
        let smtp = try fixture.provider("smtp://mailer:s3cret@127.0.0.1:\(server.port)?from=noreply@example.com&ca_file=\(ca)", channel: .email)
        let subject = "Grüße – Ihre Bestellung 🎉"
        let job = fixture.job(.email, to: ["ann@example.com", "bob@example.com"], subject: subject,
                              body: "Hallo Ann,\n.\nein Punkt allein auf einer Zeile.", html: "<p>Hallo <b>Ann</b></p>", key: "order-7")
        let answer = await smtp.deliver(job, attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        #expect(answer.code == "250")
        #expect(answer.reason.hasPrefix("250 2.0.0 Ok: queued as"))
        #expect(answer.providerID == "<\(job.id.text)@example.com>")

        let message = try #require(server.messages().first)
        #expect(message.envelope["tls"] as? Bool == true)
        #expect(message.envelope["auth"] as? Bool == true)
        #expect(message.envelope["to"] as? [String] == ["ann@example.com", "bob@example.com"])
        let parsed = try Self.parse(message.raw)
        #expect(parsed.headers["message-id"] == "<\(job.id.text)@example.com>")
        #expect(parsed.headers["idempotency-key"] == "order-7")
        #expect(parsed.headers["mime-version"] == "1.0")
        #expect(parsed.headers["date"]?.hasSuffix("+0000") == true)
        #expect(parsed.subject == subject)
        #expect(parsed.headers["content-type"]?.hasPrefix("multipart/alternative; boundary=") == true)
        #expect(parsed.parts == ["text/plain": "Hallo Ann,\n.\nein Punkt allein auf einer Zeile.", "text/html": "<p>Hallo <b>Ann</b></p>"])
    }

    @Test func submitsOverImplicitTLS() async throws {
        let server = try SMTPTestServer(implicitTLS: true, user: ("mailer", "s3cret"))
        let fixture = try ProviderFixture()
        let ca = try #require(server.certificate).certificatePath
        let smtp = try fixture.provider("smtps://mailer:s3cret@127.0.0.1:\(server.port)?from=noreply@example.com&ca_file=\(ca)", channel: .email)
        let answer = await smtp.deliver(fixture.job(.email, to: ["ann@example.com"], subject: "over TLS"), attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        let message = try #require(server.messages().first)
        #expect(message.envelope["tls"] as? Bool == true)
        #expect(message.envelope["auth"] as? Bool == true)
        #expect(message.raw.contains("Subject: over TLS"))
    }

    @Test func rejectionsKeepTheEnhancedStatusCode() async throws {
        let server = try SMTPTestServer()
        let fixture = try ProviderFixture()
        let smtp = try fixture.provider("smtp://127.0.0.1:\(server.port)?from=noreply@example.com&tls=none", channel: .email)
        let rejected = await smtp.deliver(fixture.job(.email, to: ["reject-me@example.com"], subject: "s"), attempt: 1)
        #expect(rejected.result == .permanent)
        #expect(rejected.code == "550")
        #expect(rejected.reason.contains("5.1.1"), "\(rejected.reason)")
        let deferred = await smtp.deliver(fixture.job(.email, to: ["later@example.com"], subject: "s"), attempt: 1)
        #expect(deferred.result == .temporary)
        #expect(deferred.code == "451")
        #expect(deferred.reason.contains("4.3.0"), "\(deferred.reason)")
        #expect(server.messages().isEmpty)
    }

    @Test func aWrongPasswordIsUnauthorized() async throws {
        let server = try SMTPTestServer(user: ("mailer", "s3cret"))
        let fixture = try ProviderFixture()
        let smtp = try fixture.provider("smtp://mailer:wrong@127.0.0.1:\(server.port)?from=noreply@example.com&tls=none", channel: .email)
        let answer = await smtp.deliver(fixture.job(.email, to: ["ann@example.com"], subject: "s"), attempt: 1)
        #expect(answer.result == .unauthorized, "\(answer.reason)")
        #expect(answer.code == "535", "\(answer.reason)")
        #expect(answer.reason.contains("5.7.8"), "\(answer.reason)")
        #expect(server.messages().isEmpty)
    }

    @Test func aServerWithoutSTARTTLSIsRefusedWhenTLSIsRequired() async throws {
        let server = try SMTPTestServer()
        let fixture = try ProviderFixture()
        let smtp = try fixture.provider("smtp://127.0.0.1:\(server.port)?from=noreply@example.com", channel: .email)
        let answer = await smtp.deliver(fixture.job(.email, to: ["ann@example.com"], subject: "s"), attempt: 1)
        #expect(answer.result == .down)
        #expect(server.messages().isEmpty)
    }

    /// A small RFC 5322 + MIME reader for the checks: unfolded headers, the decoded
    /// subject, and the base64 parts of a multipart/alternative body by content type.
    struct Parsed {
        var headers: [String: String] = [:]
        var subject = ""
        var parts: [String: String] = [:]
    }

    static func parse(_ raw: String) throws -> Parsed {
        var parsed = Parsed()
        let sections = raw.components(separatedBy: "\r\n\r\n")
        let headerText = sections[0].replacingOccurrences(of: "\r\n ", with: " ")
        for line in headerText.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed.headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        var subject: [UInt8] = []
        for word in (parsed.headers["subject"] ?? "").split(separator: " ") {
            #expect(word.hasPrefix("=?UTF-8?B?"))
            subject += try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
        }
        parsed.subject = String(decoding: subject, as: UTF8.self)
        let boundary = try #require(parsed.headers["content-type"]?.components(separatedBy: "boundary=\"").last?.dropLast())
        let body = sections.dropFirst().joined(separator: "\r\n\r\n")
        for part in body.components(separatedBy: "--" + boundary).dropFirst() {
            let pieces = part.components(separatedBy: "\r\n\r\n")
            guard pieces.count == 2, !part.hasPrefix("--"), let type = pieces[0].components(separatedBy: "Content-Type: ").last?.components(separatedBy: ";").first else { continue }
            #expect(pieces[0].contains("Content-Transfer-Encoding: base64"))
            let data = try #require(Data(base64Encoded: pieces[1].replacingOccurrences(of: "\r\n", with: "")))
            parsed.parts[type] = String(decoding: data, as: UTF8.self)
        }
        return parsed
    }
}
