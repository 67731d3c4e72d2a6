// Fuzz target: notify-apid's request path after SwiftNIO's HTTP parsing (the server's
// NIO part cannot be built here). The input is a request as text:
//   METHOD TARGET\n          e.g. "POST /v1/notifications?x=1\n"
//   Name: value\n ...        headers (optional), then an empty line
//   body                     the rest, as bytes
// It goes through APIRouter.match (percent-decoded path parameters), APIRouter.query, the
// submission decoding and validation (SubmissionInput: JSONInput.decode of a JobDraft, the
// Idempotency-Key header, JobDraft.validate), JSONValue.parse (a batch body), EventFilter
// with the query and the body's lines as event lines, and every FieldError through
// APIResponse.invalid. Checked: a parameter percent-encodes and decodes back to itself,
// every error response body is a JSON object with the status, an SSE frame starts with
// "event: ".
import NotifyCore

let settings = Settings()
let submitter = Submitter(uid: 1000, pid: 1, program: "notify-apid")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPIRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let newline = UInt8(ascii: "\n")
    var lines = bytes.split(separator: newline, maxSplits: 1, omittingEmptySubsequences: false)[...]
    guard let requestLine = lines.popFirst() else { return 0 }
    var rest = lines.first ?? []
    let words = String(decoding: requestLine, as: UTF8.self).split(separator: " ", maxSplits: 1)
    let method = words.first.map(String.init) ?? ""
    let target = words.count > 1 ? String(words[1]) : "/"
    // Headers up to an empty line.
    var headers: [String: String] = [:]
    while let end = rest.firstIndex(of: newline) {
        let line = rest[rest.startIndex..<end]
        rest = rest[(end + 1)...]
        if line.isEmpty { break }
        let text = String(decoding: line, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { continue }
        headers[text[..<colon].lowercased()] = text[text.index(after: colon)...].trimmingPrefix(" ").description
    }
    let body = Array(rest)

    let question = target.firstIndex(of: "?")
    let path = String(target[..<(question ?? target.endIndex)])
    let query = question.map { APIRouter.query(target[target.index(after: $0)...]) } ?? [:]
    switch APIRouter.match(method: method, path: path) {
    case .route(_, let parameters):
        for value in parameters.values {
            guard !value.isEmpty else { fatalError("an empty path parameter matched") }
            guard APIRouter.percentDecode(Substring(percentEncoded(value))) == value else {
                fatalError("a path parameter does not survive percent-encoding and decoding")
            }
        }
    case .methodNotAllowed(let allowed):
        guard !allowed.isEmpty else { fatalError("405 without an Allow list") }
    case .notFound:
        break
    }

    do throws(FieldError) {
        let draft = try SubmissionInput.draft(body: body, headers: headers)
        if draft.template == nil {
            _ = try SubmissionInput.validate([draft], settings: settings, submitter: submitter, now: 1_700_000_000_000)
        }
    } catch {
        checkErrorResponse(error)
    }
    do throws(FieldError) { _ = try JSONValue.parse(body, field: "body") } catch { checkErrorResponse(error) }

    do throws(FieldError) {
        let filter = try EventFilter(query: query)
        var splitter = LineSplitter(limit: 4096)
        for line in splitter.feed(body) + [body] {
            if let frame = filter.frame(for: line), !frame.starts(with: Array("event: ".utf8)) {
                fatalError("an SSE frame that does not start with event:")
            }
        }
    } catch {
        checkErrorResponse(error)
    }
    return 0
}

func percentEncoded(_ text: String) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 { out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
    return String(decoding: out, as: UTF8.self)
}

/// An error answer must be a JSON object naming its status, whatever the field and reason hold.
func checkErrorResponse(_ error: FieldError) {
    let response = APIResponse.invalid(error)
    guard response.status == 400 || response.status == 422 else { fatalError("invalid input answered \(response.status)") }
    guard case .object(let fields)? = try? JSONValue.parse(response.body.dropLast()),
          case .number(let status)? = fields["status"], Int(status) == response.status
    else { fatalError("an error body is not a JSON object with its status: \(String(decoding: response.body, as: UTF8.self))") }
}
