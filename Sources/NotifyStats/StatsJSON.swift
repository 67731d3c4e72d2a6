#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSONEncoder and JSONDecoder for the snapshot (written a few times a second, not per
/// record, so Codable is fine here).
enum StatsJSON {
    static func decoder() -> JSONDecoderBox { JSONDecoderBox() }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8]((try? encoder.encode(value)) ?? Data())
        bytes.append(0x0A)
        return bytes
    }

    struct JSONDecoderBox {
        func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
            try JSONDecoder().decode(type, from: Data(bytes))
        }
    }
}
