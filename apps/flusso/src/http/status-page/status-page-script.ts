// The status page's browser script (plain ES2020, no build step): polls /status
// and /status/history every second, renders with textContent only (never HTML
// from data), and draws the charts with uPlot.

export const statusPageScript = `'use strict';
(function () {
  var charts = {};
  function el(id) { return document.getElementById(id); }
  function text(id, value) { el(id).textContent = value; }
  function num(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }
  function secs(s) { return s === null || s === undefined ? '?' : s < 90 ? s + 's' : Math.round(s / 60) + 'm'; }
  function short(v) {
    if (v === null) return '';
    var a = Math.abs(v);
    return a >= 1e9 ? +(v / 1e9).toFixed(1) + 'G' : a >= 1e6 ? +(v / 1e6).toFixed(1) + 'M' : a >= 1e3 ? +(v / 1e3).toFixed(1) + 'k' : String(+v.toFixed(2));
  }
  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = value;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }
  function indexRow(name, state, progress) {
    var tr = document.createElement('tr');
    tr.dataset.index = name;
    cell(tr, name);
    cell(tr, state, 'state');
    var td = cell(tr, '', 'progress');
    if (progress) {
      var bar = document.createElement('progress');
      bar.max = progress.rows_total || progress.rows_done || 1;
      bar.value = progress.rows_done;
      td.appendChild(bar);
      var label = document.createElement('span');
      label.className = 'rows';
      label.textContent = ' ' + num(progress.rows_done) + ' / ' + (progress.rows_total === null ? '?' : num(progress.rows_total)) +
        ' rows, ' + num(progress.rows_per_second) + ' rows/s, ETA ' + secs(progress.eta_seconds);
      td.appendChild(label);
    } else if (state === 'seeded') td.textContent = 'done';
    return tr;
  }
  function renderIndexes(s) {
    var body = el('indexes').tBodies[0];
    body.replaceChildren();
    Object.keys(s.indexes || {}).forEach(function (name) {
      body.appendChild(indexRow(name, s.indexes[name], (s.backfill || {})[name]));
    });
  }
  function renderSinks(s) {
    var body = el('sinks').tBodies[0];
    body.replaceChildren();
    var dl = (s.dead_letters && s.dead_letters.by_sink) || {};
    var dropped = s.dropped_batches || {};
    var names = Object.keys(Object.assign({}, s.sinks || {}, dl, dropped));
    names.forEach(function (name) {
      var tr = document.createElement('tr');
      tr.dataset.sink = name;
      cell(tr, name);
      var health = (s.sinks || {})[name] || 'ok';
      cell(tr, health, health);
      cell(tr, num(dl[name] || 0), 'dead-letters');
      cell(tr, num(dropped[name] || 0), 'dropped');
      body.appendChild(tr);
    });
    text('dead-letters', s.dead_letters ? num(s.dead_letters.total) : '–');
  }
  function render(s) {
    var phase = el('phase');
    phase.textContent = s.phase;
    phase.dataset.phase = s.phase;
    text('uptime', 'up ' + secs(s.uptime_seconds));
    text('updated', 'updated ' + new Date().toLocaleTimeString());
    text('changes-captured', num(s.changes_captured));
    text('changes-committed', num(s.changes_committed));
    text('changes-in-flight', num(s.changes_in_flight));
    text('documents-built', num(s.documents_built));
    text('e2e-lag', s.end_to_end_lag_ms === null ? '–' : num(s.end_to_end_lag_ms) + ' ms');
    text('slot-lag', s.slot_lag_bytes === null ? '–' : num(s.slot_lag_bytes) + ' bytes');
    text('errors', num(s.errors));
    var last = el('last-error');
    last.textContent = s.last_error || 'none';
    last.className = s.last_error ? '' : 'muted';
    renderIndexes(s);
    renderSinks(s);
  }
  function chart(id, label, color) {
    var host = el(id);
    var opts = {
      width: Math.max(300, host.clientWidth || 360), height: 160,
      legend: { show: false },
      axes: [{}, { size: 56, values: function (u, vals) { return vals.map(short); } }],
      // At least the last minute on the time axis, so a first sample is not a lone dot in years.
      scales: { x: { time: true, range: function (u, min, max) { return [Math.min(min, max - 60), max]; } } },
      series: [{}, { label: label, stroke: color, width: 2, fill: color + '22' }],
    };
    return new uPlot(opts, [[], []], host);
  }
  function plot(samples) {
    if (typeof uPlot === 'undefined') return;
    if (!charts.tp) {
      charts.tp = chart('chart-throughput', 'changes/s', '#2b6cb0');
      charts.e2e = chart('chart-e2e', 'ms', '#d69e2e');
      charts.slot = chart('chart-slot', 'bytes', '#805ad5');
    }
    var t = samples.map(function (x) { return x.t; });
    charts.tp.setData([t, samples.map(function (x) { return x.changes_per_second; })]);
    charts.e2e.setData([t, samples.map(function (x) { return x.end_to_end_lag_ms; })]);
    charts.slot.setData([t, samples.map(function (x) { return x.slot_lag_bytes; })]);
  }
  function json(path) { return fetch(path, { cache: 'no-store' }).then(function (r) { return r.json(); }); }
  function tick() {
    Promise.all([json('status'), json('status/history')]).then(function (r) {
      render(r[0]);
      plot(r[1].samples || []);
    }).catch(function () { text('updated', 'flusso is not answering'); });
  }
  tick();
  setInterval(tick, 1000);
})();
`;
