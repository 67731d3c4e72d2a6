#if canImport(Glibc)
import Glibc
#endif
import NotifyCore
import NotifySpool

/// A failure reported to the user: one line on stderr, and a sysexits code.
public struct CommandFailure: Error, CustomStringConvertible {
    public var message: String
    public var code: NotifyCore.ExitCode

    public init(_ message: String, code: NotifyCore.ExitCode) {
        self.message = message
        self.code = code
    }

    public var description: String { message }

    /// Classifies any error the libraries throw.
    public init(_ error: any Error) {
        switch error {
        case let failure as CommandFailure: self = failure
        case let error as FieldError: self.init(error.description, code: .dataError)
        case let error as SpoolError: self.init(error.description, code: error.exitCode)
        case let error as ConfigError: self.init(error.description, code: .config)
        case let error as SpoolReadError:
            switch error {
            case .notFound: self.init(error.description, code: .dataError)
            case .io(let spoolError): self.init(error.description, code: spoolError.exitCode)
            case .quarantined: self.init(error.description, code: .dataError)
            }
        default: self.init(String(describing: error), code: .software)
        }
    }
}

