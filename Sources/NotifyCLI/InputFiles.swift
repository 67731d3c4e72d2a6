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
    guard let bytes = readToEnd(fd, limit: limit) else {
        if errno == EFBIG { throw FieldError(option, "\(path) is larger than \(limit) bytes") }
        throw CommandFailure("\(option): \(path): \(String(cString: strerror(errno)))", code: .ioError)
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
