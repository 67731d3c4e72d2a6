import ArgumentParser
import NotifyCLI

/// Runs a command body; any error is printed as `program: message` and turned into the
/// documented exit code.
public func reportingFailures(program: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ArgumentParser.ExitCode {
        throw error
    } catch {
        let failure = CommandFailure(error)
        printError("\(program): \(failure.message)")
        throw ArgumentParser.ExitCode(failure.code.rawValue)
    }
}
