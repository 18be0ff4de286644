// The floor for a proxy written on Node: a bare http server that reads the body,
// forwards it with an undici pool, parses and re-serialises the JSON reply, and
// nothing else (no auth, no tenancy). Run as its own process:
// `node node-forwarder.js PORT UPSTREAM_URL`. The overhead bench reports it beside
// osproxy, so what the proxy costs is read against what any Node proxy costs here.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.argv[2] ?? 0);
const pool = new Pool(process.argv[3] ?? 'http://127.0.0.1:9200', { connections: 64 });

createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const upstream = await pool.request({
      method: 'POST',
      path: req.url ?? '/',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat(chunks),
    });
    const text = JSON.stringify(JSON.parse(Buffer.from(await upstream.body.arrayBuffer()).toString('utf8')));
    res.writeHead(upstream.statusCode, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  } catch {
    res.writeHead(502).end();
  }
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
