import { parseIndexName } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { Status, statusObserver } from '@flusso/daemon';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../telemetry/metrics.js';
import { publicSurface } from '../public-surface.js';
import { StatusHistory } from './status-history.js';

const users = parseIndexName('users');

function setup() {
  const status = new Status([users], new ManualClock(0));
  const history = new StatusHistory(() => status);
  return { status, history, app: publicSurface(() => status, createMetrics().registry, history) };
}

describe('status page', () => {
  it('serves the page at / with its script and uPlot from this process, no CDN', async () => {
    const { app } = setup();
    const page = await app.request('/');
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>flusso status</title>');
    expect(html).not.toMatch(/https?:\/\//);
    const uplot = await app.request('/assets/uplot.iife.min.js');
    expect(uplot.status).toBe(200);
    expect(await uplot.text()).toContain('uPlot');
    expect((await app.request('/assets/uplot.min.css')).status).toBe(200);
    expect(await (await app.request('/assets/status-page.js')).text()).toContain("json('status/history')");
    expect((await app.request('/assets/nope.js')).status).toBe(404);
  });

  it('keeps per-second throughput, end-to-end lag and slot lag in /status/history', async () => {
    const { app, history, status } = setup();
    const o = statusObserver(status);
    history.sample(1_000);
    for (let i = 0; i < 4; i++) o.onChangeCaptured?.();
    o.onBatchCommitted?.({ changes: 4, documents: 4 });
    o.onSlotLag?.(2048);
    history.sample(3_000);
    const body = (await (await app.request('/status/history')).json()) as { samples: unknown[] };
    expect(body.samples).toEqual([
      { t: 3, changes_per_second: 2, end_to_end_lag_ms: 0, slot_lag_bytes: 2048 },
    ]);
  });

  it('keeps only the last samples', () => {
    const status = new Status([users], new ManualClock(0));
    const history = new StatusHistory(() => status, 3);
    for (let i = 0; i < 10; i++) history.sample(i * 1000);
    expect(history.samples().map((s) => s.t)).toEqual([7, 8, 9]);
  });
});
