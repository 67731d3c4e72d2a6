/// How an SMS body is encoded on the air interface (3GPP TS 23.038).
public enum SMSEncoding: String, Sendable, Equatable, CustomStringConvertible {
    /// The GSM 7-bit default alphabet: units are septets.
    case gsm7 = "GSM-7"
    /// UCS-2 (in practice UTF-16): units are 16-bit code units.
    case ucs2 = "UCS-2"

    public var description: String { rawValue }
}

/// SMS segment counting (3GPP TS 23.038 §6.2.1 alphabet, TS 23.040 concatenation).
///
/// If every character is in the GSM 03.38 basic character set or its extension table,
/// the body is sent as GSM-7: basic characters cost 1 septet, the extension characters
/// `^ { } \ [ ~ ] |`, `€` and form feed cost 2 (escape + character). One message holds
/// 160 septets; a longer body is split into segments of 153 (7 septets go to the
/// concatenation header).
///
/// Otherwise the whole body is sent as UCS-2/UTF-16: one message holds 70 code units,
/// a longer body is split into segments of 67. Characters outside the BMP (most emoji)
/// cost 2 units.
///
/// Segment counts are exact, not a ceiling of units / capacity: as carriers do, a
/// 2-septet extension character or a surrogate pair is never split across two segments;
/// it moves whole to the next segment, which can add a segment at the boundary.
public enum SMSBody {
    public static let gsm7SingleSeptets = 160
    public static let gsm7SegmentSeptets = 153
    public static let ucs2SingleUnits = 70
    public static let ucs2SegmentUnits = 67
    /// Default cap on segments per message.
    public static let defaultMaxSegments = 10

    /// The encoding the body needs, its length in that encoding's units (septets or
    /// UTF-16 code units) and how many segments it is sent as. An empty body is 0 segments.
    public static func segments(of body: String) -> (encoding: SMSEncoding, units: Int, segments: Int) {
        if let costs = gsm7Costs(body) {
            return (.gsm7, costs.reduce(0, +), count(costs, single: gsm7SingleSeptets, segment: gsm7SegmentSeptets))
        }
        let costs = body.unicodeScalars.map { $0.value > 0xFFFF ? 2 : 1 }
        return (.ucs2, costs.reduce(0, +), count(costs, single: ucs2SingleUnits, segment: ucs2SegmentUnits))
    }

    /// Checks the body is non-empty and fits in `maxSegments` segments; returns its count.
    /// - Throws: `FieldError(field, reason)`; the reason names the segments, the encoding
    ///   and, for UCS-2, the first character that is not in GSM-7.
    @discardableResult
    public static func validate(_ body: String, field: String, maxSegments: Int = defaultMaxSegments) throws(FieldError) -> (encoding: SMSEncoding, units: Int, segments: Int) {
        guard !body.isEmpty else { throw FieldError(field, "is empty: an SMS needs some text") }
        let result = segments(of: body)
        guard result.segments <= maxSegments else {
            let detail: String
            switch result.encoding {
            case .gsm7:
                detail = "\(result.units) septets"
            case .ucs2:
                detail = "\(result.units) code units"
                    + (body.unicodeScalars.first { gsm7Cost($0) == nil }.map { "; \(ValidationSupport.describe($0)) is not in GSM-7" } ?? "")
            }
            throw FieldError(field, "needs \(result.segments) segments in \(result.encoding) (\(detail)); the limit is \(maxSegments)")
        }
        return result
    }

    /// Segments needed for characters of the given unit costs, never splitting a character.
    private static func count(_ costs: [Int], single: Int, segment: Int) -> Int {
        let total = costs.reduce(0, +)
        if total == 0 { return 0 }
        if total <= single { return 1 }
        var segments = 1
        var used = 0
        for cost in costs {
            if used + cost > segment {
                segments += 1
                used = 0
            }
            used += cost
        }
        return segments
    }

    private static func gsm7Costs(_ body: String) -> [Int]? {
        var costs: [Int] = []
        costs.reserveCapacity(body.utf8.count)
        for scalar in body.unicodeScalars {
            guard let cost = gsm7Cost(scalar) else { return nil }
            costs.append(cost)
        }
        return costs
    }

    /// 1 for the GSM 03.38 basic set, 2 for the extension table, nil if not GSM-7.
    static func gsm7Cost(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x0A, 0x0D, 0x20...0x5A, 0x5F, 0x61...0x7A:
            return 1  // LF, CR, space through Z, _, a through z
        case 0x0C, 0x5B...0x5E, 0x7B...0x7E, 0x20AC:
            return 2  // form feed, [ \ ] ^, { | } ~, €
        case 0xA1, 0xA3, 0xA4, 0xA5, 0xA7, 0xBF,  // ¡ £ ¤ ¥ § ¿
             0xC4, 0xC5, 0xC6, 0xC7, 0xC9, 0xD1, 0xD6, 0xD8, 0xDC, 0xDF,  // Ä Å Æ Ç É Ñ Ö Ø Ü ß
             0xE0, 0xE4, 0xE5, 0xE6, 0xE8, 0xE9, 0xEC, 0xF1, 0xF2, 0xF6, 0xF8, 0xF9, 0xFC,  // à ä å æ è é ì ñ ò ö ø ù ü
             0x393, 0x394, 0x398, 0x39B, 0x39E, 0x3A0, 0x3A3, 0x3A6, 0x3A8, 0x3A9:  // Γ Δ Θ Λ Ξ Π Σ Φ Ψ Ω
            return 1
        default:
            return nil
        }
    }
}
