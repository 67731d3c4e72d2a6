import NotifyCore
import NotifySpool
import NotifyStats
import Synchronization

/// The queue's shape, read at most once a second however many clients poll: reading it
/// opens every queued job's file (QueueShape.read), so /v1/stats, /metrics, /health and
/// the status page share one reading.
public final class QueueShapeCache: Sendable {
    private let last = Mutex<QueueShape?>(nil)
    static let maximumAge: Int64 = 1000

    public init() {}

    func shape(_ spool: Spool) throws -> QueueShape {
        let now = WallClock.nowMilliseconds()
        if let hit = last.withLock({ $0 }), now - hit.read < Self.maximumAge { return hit }
        let fresh = try QueueShape.read(spool, now: now)
        last.withLock { $0 = fresh }
        return fresh
    }
}

/// GET /v1/stats (the seeds' shape), GET /metrics (Prometheus text) and GET / (the status
/// page): views of notify-statsd's `state/stats.json` and of the queue. All need
/// read_stats (or admin).
extension APIService {
    func stats(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        statsView(request, rights) { snapshot, queue in
            APIResponse(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                        body: SeedsStatsView.json(snapshot, queue: queue))
        }
    }

    func metrics(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        statsView(request, rights) { snapshot, queue in
            let text = PrometheusExposition.text(snapshot, queue: queue, qmgr: spool.queueManagerState())
            return APIResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                               body: Array(text.utf8))
        }
    }

    func statusPage(_ request: APIRequest, _ rights: Rights) -> APIResponse {
        guard rights.readStats || rights.admin else {
            return refuse(request, "uid \(request.peer.uid) may not read statistics (api_access: read_stats)")
        }
        return APIResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                           body: Array(StatusPage.html.utf8))
    }

    private func statsView(_ request: APIRequest, _ rights: Rights, _ render: (StatsSnapshot?, QueueShape) -> APIResponse) -> APIResponse {
        guard rights.readStats || rights.admin else {
            return refuse(request, "uid \(request.peer.uid) may not read statistics (api_access: read_stats)")
        }
        do {
            return render(spool.statsSnapshot(), try queueShapes.shape(spool))
        } catch let error as SpoolError {
            return spoolFailure(error)
        } catch {
            return .error(500, "spool_error", "\(error)")
        }
    }
}
