#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// Where an idempotency key lives: `idem/B/UID.HEX`, where HEX is the key's bytes in hex
/// (keys are at most 100 bytes, so the name fits and two keys never collide), UID scopes
/// keys per submitting account, and B is a hash bucket of the name.
struct IdempotencyKeyPath: Hashable {
    let bucket: String
    let name: String

    init(uid: UInt32, key: String) {
        let hexDigits = Array("0123456789abcdef".utf8)
        var name = Array("\(uid).".utf8)
        for byte in key.utf8 {
            name.append(hexDigits[Int(byte >> 4)])
            name.append(hexDigits[Int(byte & 15)])
        }
        // FNV-1a, folded onto the 32 buckets.
        var hash: UInt32 = 2_166_136_261
        for byte in name { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        self.bucket = SpoolLayout.buckets[Int(hash % 32)]
        self.name = String(decoding: name, as: UTF8.self)
    }

    var bucketDirectory: String { "idem/\(bucket)" }
    var relative: String { "idem/\(bucket)/\(name)" }
}

enum KeyClaim {
    /// The key now links to our staged job.
    case claimed
    /// The key was used within the window by this job.
    case existing(JobID)
}

extension Spool {
    /// Links the staged `tmp/ID` to the key. If the key exists and is fresh, the earlier job
    /// wins and its commit is made sure of; if it is stale (older than the window), it is
    /// replaced under an flock so that two racing replacers cannot both win.
    func claimKey(_ path: IdempotencyKeyPath, for job: Job, window: Duration) -> Result<KeyClaim, SpoolError> {
        let bucketFD: Int32
        do { bucketFD = try directoryFD(path.bucketDirectory) } catch { return .failure(error) }
        let windowMilliseconds = window.components.seconds * 1000
        for _ in 0..<16 {
            if io.link(tmpFD, job.id.text, bucketFD, path.name) { return .success(.claimed) }
            guard errno == EEXIST else {
                return .failure(SpoolError("link", path: display(path.relative), errno: errno))
            }
            let fd = openat(bucketFD, path.name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd < 0 {
                if errno == ENOENT { continue }  // replaced under us: try again
                return .failure(SpoolError("open", path: display(path.relative), errno: errno))
            }
            defer { close(fd) }
            guard let bytes = readToEnd(fd), let earlier = try? JobFileFormat.decode(bytes) else {
                // A key is a link to a fully written job, so this is damage: move it aside.
                quarantine(directory: bucketFD, name: path.name, from: path.bucketDirectory)
                continue
            }
            if job.created - earlier.created <= windowMilliseconds {
                if let error = completeCommit(of: earlier.id, keyFD: fd, bucketFD: bucketFD, keyName: path.name) {
                    return .failure(error)
                }
                return .success(.existing(earlier.id))
            }
            // Stale: remove it, but only the inode we judged, and only one replacer at a time.
            flock(fd, LOCK_EX)
            var held = stat(), current = stat()
            if fstat(fd, &held) == 0, fstatat(bucketFD, path.name, &current, AT_SYMLINK_NOFOLLOW) == 0,
                held.st_ino == current.st_ino
            {
                unlinkat(bucketFD, path.name, 0)
            }
            flock(fd, LOCK_UN)
        }
        return .failure(SpoolError("link", path: display(path.relative), errno: EAGAIN, detail: "key contended"))
    }

    /// Makes sure the job a key points to is committed, and durably so, before its ID is
    /// returned to a second submitter. The first submitter may still be between linking the
    /// key and renaming its file, or may have crashed there (spool-layout.md, state table).
    private func completeCommit(of id: JobID, keyFD: Int32, bucketFD: Int32, keyName: String) -> SpoolError? {
        var info = stat()
        // Still staged in tmp/: finish the rename for the first submitter (it treats ENOENT
        // from its own rename as done). The file was fsynced before the key was linked.
        if renameat(tmpFD, id.text, incomingFD, id.text) != 0, errno != ENOENT {
            return SpoolError("rename", path: display("tmp/\(id)"), errno: errno)
        }
        // Only the key links to the job: its submitter crashed after linking the key, and the
        // tmp/ entry did not survive. The key itself holds the whole job: commit from it.
        if fstat(keyFD, &info) == 0, info.st_nlink == 1 {
            if linkat(bucketFD, keyName, incomingFD, id.text, 0) != 0, errno != EEXIST {
                return SpoolError("link", path: display("incoming/\(id)"), errno: errno)
            }
        }
        if !syncEntries(of: incomingFD, readable: incomingReadable, via: id.text) {
            return SpoolError("fsync", path: display("incoming"), errno: errno)
        }
        return nil
    }
}
