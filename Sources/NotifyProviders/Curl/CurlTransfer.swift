import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// The state of one transfer while libcurl runs it. Created by `CurlEngine.perform`,
/// then touched only by the engine thread (and libcurl's callbacks on it) until `finish`
/// resumes the caller. It owns everything libcurl points into: the URL and option
/// strings (libcurl copies those), the header and recipient lists, and the body, which
/// the read callback streams from here, so it lives until the transfer completes.
final class CurlTransfer: @unchecked Sendable {
    let request: CurlRequest
    let continuation: CheckedContinuation<CurlResponse, Never>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    private var upload: [UInt8] = []
    private var uploadOffset = 0
    private var responseBody: [UInt8] = []
    private var headerLines: [String] = []
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var started: Int64 = 0

    init(request: CurlRequest, continuation: CheckedContinuation<CurlResponse, Never>) {
        self.request = request
        self.continuation = continuation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(recipientList)
        errorBuffer.deallocate()
    }

    func configure(_ easy: UnsafeMutableRawPointer) {
        started = monotonicMicroseconds()
        let me = Unmanaged.passRetained(self).toOpaque()  // released in finish
        _ = notifyd_curl_setopt_ptr(easy, CURLOPT_PRIVATE, me)
        _ = notifyd_curl_setopt_str(easy, CURLOPT_URL, request.url)
        _ = notifyd_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = notifyd_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMilliseconds)
        _ = notifyd_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeoutMilliseconds)
        _ = notifyd_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = notifyd_curl_setopt_long(easy, CURLOPT_PIPEWAIT, 1)
        _ = notifyd_curl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = notifyd_curl_setopt_write(easy, { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            transfer.responseBody.append(contentsOf: bytes)
            return size * count
        })
        _ = notifyd_curl_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        // For HTTP the response headers; for SMTP libcurl passes the server's replies here.
        _ = notifyd_curl_setopt_header(easy, { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            var line = String(decoding: bytes, as: UTF8.self)
            while let last = line.last, last.isNewline { line.removeLast() }  // "\r\n" is one Character
            transfer.headerLines.append(line)
            return size * count
        })
        _ = notifyd_curl_setopt_ptr(easy, CURLOPT_HEADERDATA, me)
        if let username = request.username { _ = notifyd_curl_setopt_str(easy, CURLOPT_USERNAME, username) }
        if let password = request.password { _ = notifyd_curl_setopt_str(easy, CURLOPT_PASSWORD, password) }
        if let caFile = request.caFile { _ = notifyd_curl_setopt_str(easy, CURLOPT_CAINFO, caFile) }

        switch request.kind {
        case .http(let method, let headers, let body):
            // No "Expect: 100-continue" round trip before a body: providers answer at once.
            for header in headers + ["Expect:"] { headerList = curl_slist_append(headerList, header) }
            _ = notifyd_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
            if method == "GET" {
                _ = notifyd_curl_setopt_long(easy, CURLOPT_HTTPGET, 1)
            } else {
                upload = body
                _ = notifyd_curl_setopt_long(easy, CURLOPT_POST, 1)
                _ = notifyd_curl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                setReadCallback(easy, me)
                if method != "POST" { _ = notifyd_curl_setopt_str(easy, CURLOPT_CUSTOMREQUEST, method) }
            }
        case .smtp(let from, let recipients, let message, let security):
            upload = message
            _ = notifyd_curl_setopt_str(easy, CURLOPT_MAIL_FROM, "<\(from)>")
            for recipient in recipients { recipientList = curl_slist_append(recipientList, "<\(recipient)>") }
            _ = notifyd_curl_setopt_slist(easy, CURLOPT_MAIL_RCPT, recipientList)
            _ = notifyd_curl_setopt_long(easy, CURLOPT_UPLOAD, 1)
            _ = notifyd_curl_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
            setReadCallback(easy, me)
            let level: curl_usessl
            switch security {
            case .requireStartTLS: level = CURLUSESSL_ALL
            case .tryStartTLS: level = CURLUSESSL_TRY
            case .none: level = CURLUSESSL_NONE
            }
            _ = notifyd_curl_setopt_long(easy, CURLOPT_USE_SSL, Int(level.rawValue))
        }
    }

    private func setReadCallback(_ easy: UnsafeMutableRawPointer, _ me: UnsafeMutableRawPointer) {
        _ = notifyd_curl_setopt_read(easy, { buffer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let n = min(size * count, transfer.upload.count - transfer.uploadOffset)
            if n > 0 {
                transfer.upload.withUnsafeBytes { source in
                    UnsafeMutableRawPointer(buffer!).copyMemory(from: source.baseAddress! + transfer.uploadOffset, byteCount: n)
                }
                transfer.uploadOffset += n
            }
            return n
        })
        _ = notifyd_curl_setopt_ptr(easy, CURLOPT_READDATA, me)
    }

    /// Collects the result of a completed transfer and resumes its caller.
    static func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) {
        var pointer: UnsafeMutableRawPointer?
        _ = notifyd_curl_getinfo_ptr(easy, CURLINFO_PRIVATE, &pointer)
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(pointer!).takeRetainedValue()
        var status = 0
        _ = notifyd_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var requestSize = 0
        _ = notifyd_curl_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestSize)
        var uploaded: curl_off_t = 0
        _ = notifyd_curl_getinfo_off(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        let sent: Bool
        switch transfer.request.kind {
        case .http: sent = requestSize > 0
        case .smtp: sent = uploaded > 0
        }
        transfer.continuation.resume(returning: transfer.response(code: code, status: status, sent: sent))
    }

    private func response(code: CURLcode, status: Int, sent: Bool) -> CurlResponse {
        var headers: [(name: String, value: String)] = []
        var serverLines: [String] = []
        switch request.kind {
        case .http:
            for line in headerLines {
                if line.hasPrefix("HTTP/") { headers.removeAll() }  // a new response (after a 1xx)
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(while: { $0 == " " || $0 == "\t" })
                headers.append((name, value))
            }
        case .smtp:
            serverLines = headerLines.filter { !$0.isEmpty }
        }
        let errorText = code == CURLE_OK ? "" : (errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code)))
        return CurlResponse(curlCode: Int(code.rawValue), errorText: errorText, status: status, headers: headers,
                            serverLines: serverLines, body: responseBody, requestSent: sent,
                            latencyMicroseconds: monotonicMicroseconds() - started)
    }
}

extension Substring {
    func trimmingCharacters(while predicate: (Character) -> Bool) -> String {
        String(drop(while: predicate).reversed().drop(while: predicate).reversed())
    }
}

func monotonicMicroseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}
