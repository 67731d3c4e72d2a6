/// `GET /`: a small dashboard, one self-contained HTML file (no external assets). It polls
/// `v1/stats` (relative, so it works behind any prefix) every two seconds and shows the
/// totals, the queue, per-channel numbers, breakers, and the last hour's throughput and
/// p99 latency per minute as inline SVG charts.
public enum StatusPage {
    public static let html: String = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>notifyd status</title>
<link rel="icon" href="data:,">
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
h1 { font-size: 1.3em; margin: 0 0 .5em; }
h2 { font-size: 1.05em; margin: 1.2em 0 .4em; }
.cards { display: flex; flex-wrap: wrap; gap: .6em; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5em .9em; min-width: 8em; }
.card b { display: block; font-size: 1.4em; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
svg { background: #fff; border: 1px solid #ddd; border-radius: 6px; }
.open { color: #b00; font-weight: bold; }
#state.inactive { color: #b00; }
</style>
</head>
<body>
<h1>notifyd <span id="state">loading</span> <small id="updated"></small></h1>
<div class="cards">
  <div class="card">queued<b id="total-queued">-</b></div>
  <div class="card">delivered<b id="total-processed">-</b></div>
  <div class="card">failed<b id="total-failed">-</b></div>
  <div class="card">success rate<b id="success-rate">-</b></div>
  <div class="card">queue depth<b id="queue-depth">-</b></div>
  <div class="card">oldest job<b id="oldest-age">-</b></div>
  <div class="card">p99 latency<b id="latency-p99">-</b></div>
</div>
<h2>Last hour: deliveries per minute</h2>
<svg id="throughput" width="720" height="140" viewBox="0 0 720 140" role="img" aria-label="deliveries per minute"></svg>
<h2>Last hour: delivery latency p99 (ms)</h2>
<svg id="latency" width="720" height="140" viewBox="0 0 720 140" role="img" aria-label="p99 latency per minute"></svg>
<h2>Channels</h2>
<table id="channels"><thead><tr><th>channel</th><th>queued</th><th>delivered</th><th>failed</th><th>expired</th>
<th>depth</th><th>per s (1m)</th><th>success</th><th>p50 ms</th><th>p99 ms</th></tr></thead><tbody></tbody></table>
<h2>Circuit breakers</h2>
<table id="breakers"><thead><tr><th>channel</th><th>provider</th><th>state</th></tr></thead><tbody></tbody></table>
<script>
"use strict";
function text(id, value) { document.getElementById(id).textContent = value; }
function age(seconds) {
  if (seconds == null) return "-";
  if (seconds < 60) return Math.round(seconds) + "s";
  if (seconds < 3600) return Math.round(seconds / 60) + "m";
  return (seconds / 3600).toFixed(1) + "h";
}
function cell(row, value) { const td = document.createElement("td"); td.textContent = value; row.appendChild(td); return td; }
function chart(id, points, key, colour) {
  const svg = document.getElementById(id);
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const ns = "http://www.w3.org/2000/svg";
  const now = Date.now() / 1000, width = 720, height = 140, pad = 20;
  const max = Math.max(1, ...points.map(p => p[key]));
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", 4); label.setAttribute("y", 14); label.setAttribute("font-size", "11");
  label.textContent = "max " + max;
  svg.appendChild(label);
  const barWidth = (width - 2 * pad) / 60;
  for (const p of points) {
    const slot = 59 - Math.floor((now - p.t) / 60);
    if (slot < 0 || slot > 59) continue;
    const h = (height - 2 * pad) * p[key] / max;
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", pad + slot * barWidth); rect.setAttribute("y", height - pad - h);
    rect.setAttribute("width", Math.max(1, barWidth - 1)); rect.setAttribute("height", h);
    rect.setAttribute("fill", colour);
    svg.appendChild(rect);
  }
}
function render(body) {
  const d = body.data, q = d.queue_stats;
  text("state", d.status);
  document.getElementById("state").className = d.status;
  text("updated", "at " + new Date(d.timestamp * 1000).toISOString());
  text("total-queued", q.total_queued);
  text("total-processed", q.total_processed);
  text("total-failed", q.total_failed);
  text("success-rate", q.success_rate);
  text("queue-depth", d.queue.depth);
  text("oldest-age", age(d.queue.oldest_age_seconds));
  text("latency-p99", d.delivery_latency_ms ? d.delivery_latency_ms.p99 + " ms" : "-");
  chart("throughput", d.series, "delivered", "#3a7");
  chart("latency", d.series, "p99_ms", "#37a");
  const channels = document.querySelector("#channels tbody");
  channels.textContent = "";
  for (const name of Object.keys(d.channels).sort()) {
    const c = d.channels[name], row = document.createElement("tr");
    row.id = "channel-" + name;
    for (const v of [name, c.queued, c.processed, c.failed, c.expired, c.depth, c.deliveries_per_second.toFixed(2),
                     c.success_rate == null ? "n/a" : c.success_rate.toFixed(1) + "%", c.delivery_latency_ms.p50, c.delivery_latency_ms.p99]) cell(row, v);
    channels.appendChild(row);
  }
  const breakers = document.querySelector("#breakers tbody");
  breakers.textContent = "";
  for (const b of d.breakers) {
    const row = document.createElement("tr");
    cell(row, b.channel); cell(row, b.provider);
    cell(row, b.state).className = b.state === "closed" ? "" : "open";
    breakers.appendChild(row);
  }
}
async function refresh() {
  try {
    const response = await fetch("v1/stats", { cache: "no-store" });
    if (response.ok) render(await response.json());
    else text("state", "HTTP " + response.status);
  } catch (error) {
    text("state", "unreachable");
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
"""#
}
