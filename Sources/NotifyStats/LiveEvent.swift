import NotifyCore

/// The line notify-statsd sends to each subscriber of `state/events.sock` for a record it
/// folds (contracts: "Live events"): one JSON object and a newline.
public enum LiveEvent {
    public static func line(_ record: StatsRecord) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.number("v", 1)
        writer.string("event", record.kind.rawValue)
        writer.string("id", record.id)
        writer.string("channel", record.channel)
        writer.string("batch", record.batch)
        writer.number("at", record.at)
        if record.kind == .attempt, let attempt = record.attempt { writer.number("attempt", Int64(attempt)) }
        if record.kind == .attempt { writer.string("result", record.result) }
        writer.string("provider", record.provider.isEmpty ? nil : record.provider)
        writer.string("code", record.code)
        writer.string("reason", record.reason)
        writer.endObject()
        writer.newline()
        return writer.bytes
    }
}
