// The floor any Node proxy pays: a bare `http` pipe proxy that streams the request
// to the upstream over a keep-alive agent and streams the reply back, with no
// parsing, auth or tenancy. Run as its own process:
// `node node-forwarder.js PORT UPSTREAM_URL`.
import { Agent, createServer, request } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const upstream = new URL(process.argv[3] ?? 'http://127.0.0.1:9200');
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

createServer((req, res) => {
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      agent,
    },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  out.on('error', () => res.writeHead(502).end());
  req.pipe(out);
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
