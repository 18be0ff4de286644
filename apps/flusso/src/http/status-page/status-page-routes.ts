// GET / (the live status page), its assets (the page script and uPlot, served
// from this package's dependencies: no CDN), and GET /status/history.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { StatusHistory } from './status-history.js';
import { statusPageHtml } from './status-page-html.js';
import { statusPageScript } from './status-page-script.js';

const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot'));
const assets = new Map<string, { file: string; type: string }>([
  ['uplot.iife.min.js', { file: 'uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' }],
  ['uplot.min.css', { file: 'uPlot.min.css', type: 'text/css; charset=utf-8' }],
]);
const cache = new Map<string, string>();

function asset(name: string): string {
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(join(uplotDir, assets.get(name)?.file ?? ''), 'utf8');
    cache.set(name, body);
  }
  return body;
}

export function statusPageRoutes(history: StatusHistory): Hono {
  const app = new Hono();
  app.get('/', (c) => c.html(statusPageHtml));
  app.get('/status/history', (c) => c.json({ samples: history.samples() }));
  app.get('/assets/status-page.js', (c) =>
    c.body(statusPageScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/assets/:name', (c) => {
    const known = assets.get(c.req.param('name'));
    if (!known) return c.text('not found', 404);
    return c.body(asset(c.req.param('name')), 200, {
      'content-type': known.type,
      'cache-control': 'max-age=3600',
    });
  });
  return app;
}
