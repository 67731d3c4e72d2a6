// The exit codes of every notifyd program: a documented interface (sysexits.h).
// A caller may retry on `temporaryFailure`; every other non-zero code is final
// for that input.
public enum ExitCode: Int32, Sendable {
    case ok = 0
    /// A check (notifyctl check) found a WARNING condition.
    case warning = 1
    /// A check found a CRITICAL condition.
    case critical = 2
    /// EX_USAGE: the command line is wrong.
    case usage = 64
    /// EX_DATAERR: the input data is wrong (bad field, bad JSON, bad address).
    case dataError = 65
    /// EX_NOINPUT: an input file does not exist or cannot be read.
    case noInput = 66
    /// EX_NOUSER: a named account or group does not exist.
    case noUser = 67
    /// EX_UNAVAILABLE: a needed service or helper program is missing.
    case unavailable = 69
    /// EX_SOFTWARE: an internal error.
    case software = 70
    /// EX_OSERR: an operating-system error (fork, exec, out of memory).
    case osError = 71
    /// EX_CANTCREAT: a spool file or directory cannot be created.
    case cannotCreate = 73
    /// EX_IOERR: an I/O error on the spool.
    case ioError = 74
    /// EX_TEMPFAIL: try again later (disk full, lock busy, quota).
    case temporaryFailure = 75
    /// EX_NOPERM: permission denied.
    case noPermission = 77
    /// EX_CONFIG: the configuration file is wrong.
    case config = 78
}
