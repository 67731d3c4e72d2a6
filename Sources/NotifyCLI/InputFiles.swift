#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// Reads an input file named on the command line (`-` is stdin), as UTF-8 text.
/// Errors name the option: `body-file: /x: No such file or directory`.
public func readInputFile(_ path: String, option: String, limit: Int = 64 << 20) throws -> String {
    let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
        throw CommandFailure("\(option): \(path): \(String(cString: strerror(errno)))", code: .noInput)
    }
    defer { if fd != STDIN_FILENO { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CommandFailure("\(option): \(path): \(String(cString: strerror(errno)))", code: .ioError)
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
        if bytes.count > limit { throw FieldError(option, "\(path) is larger than \(limit) bytes") }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw FieldError(option, "\(path) is not valid UTF-8")
    }
    return text
}

/// Who is submitting: the real uid, our pid, and the program name.
public func currentSubmitter(program: String) -> Submitter {
    Submitter(uid: getuid(), pid: getpid(), program: program)
}
