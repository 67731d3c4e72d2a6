import Foundation
import NotifyProviders
import Testing

@Suite struct MIMEMessageTests {
    @Test func asciiSubjectsStayAsTheyAre() {
        #expect(MIMEMessage.encodedWords("Your receipt") == "Your receipt")
    }

    @Test func utf8SubjectsBecomeEncodedWordsThatNeverSplitACharacter() throws {
        let subject = "Grüße aus Köln – 東京からのお知らせ 🎉 und noch viel mehr Text, damit gefaltet wird"
        let encoded = MIMEMessage.encodedWords(subject)
        var decoded: [UInt8] = []
        for word in encoded.split(separator: "\r\n ") {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            #expect(word.count <= 75)
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: payload, encoding: .utf8) != nil, "each word is whole UTF-8")
            decoded += payload
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func dateIsRFC5322() {
        #expect(MIMEMessage.rfc5322Date(1_795_278_768) == "Sat, 21 Nov 2026 16:32:48 +0000")
    }
}
