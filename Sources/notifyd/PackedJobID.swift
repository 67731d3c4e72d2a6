import NotifyCore

/// A job ID in 16 bytes, for the in-memory deferred queue: a ULID's first character is at
/// most 7 (3 bits) and the other 25 carry 5 bits each, 128 bits in all. A million deferred
/// jobs then cost about 50 MB in the heap and index, instead of a heap string per ID.
struct PackedJobID: Hashable, Sendable {
    let value: UInt128

    init(_ id: JobID) {
        var value: UInt128 = 0
        for byte in id.text.utf8 { value = value << 5 | UInt128(Self.decode[Int(byte)]) }
        self.value = value
    }

    var id: JobID {
        var bytes = [UInt8](repeating: 0, count: JobID.length)
        var rest = value
        for index in stride(from: JobID.length - 1, through: 0, by: -1) {
            bytes[index] = JobID.alphabet[Int(rest & 31)]
            rest >>= 5
        }
        // Packed from a valid ID, so it unpacks to one.
        return try! JobID(validating: String(decoding: bytes, as: UTF8.self))
    }

    private static let decode: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (value, char) in JobID.alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()
}
