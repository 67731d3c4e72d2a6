#if canImport(Glibc)
import Glibc
#endif

/// Writes to a file descriptor with write(2), retrying short writes. Buffered output is
/// collected by the caller (e.g. per commit group) and written in one call.
public func writeAll(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

public func printError(_ line: String) { writeAll(STDERR_FILENO, line + "\n") }
