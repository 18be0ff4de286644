// The live status page served at GET / on the public surface: plain HTML that
// loads the page script and uPlot from this process (no CDN).

export const statusPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flusso status</title>
<link rel="stylesheet" href="assets/uplot.min.css">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d232b; background: #f5f6f8; }
  header { background: #1d232b; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: center; }
  header h1 { font-size: 18px; margin: 0; font-weight: 600; }
  main { padding: 16px 20px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); }
  section { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: #5b6573; margin: 0 0 8px; }
  .phase { padding: 2px 10px; border-radius: 12px; font-weight: 600; background: #888; }
  .phase[data-phase="live"] { background: #1f9d55; }
  .phase[data-phase="backfilling"] { background: #d69e2e; }
  .phase[data-phase="stopped"] { background: #c53030; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 16px; margin: 0; }
  dt { color: #5b6573; } dd { margin: 0; font-variant-numeric: tabular-nums; }
  table { width: 100%; border-collapse: collapse; }
  td, th { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eceef1; font-variant-numeric: tabular-nums; }
  progress { width: 140px; vertical-align: middle; }
  .ok { color: #1f9d55; } .retrying { color: #c53030; }
  #last-error { color: #c53030; white-space: pre-wrap; word-break: break-word; }
  #last-error.muted { color: #8a94a3; }
  .muted { color: #8a94a3; }
</style>
</head>
<body>
<header><h1>flusso</h1><span class="phase" id="phase" data-phase="starting">starting</span>
  <span class="muted" id="uptime"></span><span class="muted" id="updated"></span></header>
<main>
  <section><h2>Pipeline</h2><dl>
    <dt>changes captured</dt><dd id="changes-captured">0</dd>
    <dt>changes committed</dt><dd id="changes-committed">0</dd>
    <dt>in flight</dt><dd id="changes-in-flight">0</dd>
    <dt>documents built</dt><dd id="documents-built">0</dd>
    <dt>end-to-end lag</dt><dd id="e2e-lag">–</dd>
    <dt>slot lag</dt><dd id="slot-lag">–</dd>
    <dt>errors</dt><dd id="errors">0</dd>
    <dt>last error</dt><dd id="last-error" class="muted">none</dd>
  </dl></section>
  <section><h2>Indexes</h2><table id="indexes"><thead><tr><th>index</th><th>state</th><th>backfill</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Sinks</h2><table id="sinks"><thead><tr><th>sink</th><th>health</th><th>dead letters</th><th>dropped batches</th></tr></thead><tbody></tbody></table>
    <p class="muted">dead letters in total: <span id="dead-letters">–</span></p></section>
  <section><h2>Throughput (changes/s)</h2><div id="chart-throughput"></div></section>
  <section><h2>End-to-end lag (ms)</h2><div id="chart-e2e"></div></section>
  <section><h2>Slot lag (bytes)</h2><div id="chart-slot"></div></section>
</main>
<script src="assets/uplot.iife.min.js"></script>
<script src="assets/status-page.js"></script>
</body>
</html>
`;
