// Fuzz target: the job-file reader. Arbitrary bytes through JobFileFormat.decode (the full
// reader) and JobSummary.decode (notifyd's quick reader). Neither may crash; when both
// accept a file they must agree on the summary fields, and a decoded job re-encodes to a
// file that decodes to the same job.
import NotifyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJobFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let job = try? JobFileFormat.decode(bytes)
    let summary = try? JobSummary.decode(bytes)
    if let job {
        if let summary, summary != JobSummary(job) {
            fatalError("JobSummary.decode disagrees with JobFileFormat.decode")
        }
        let again = try? JobFileFormat.decode(JobFileFormat.encode(job))
        if again == nil { fatalError("a decoded job does not survive encode + decode") }
    }
    return 0
}
