// A stand-in upstream that answers at once, so overhead figures measure the proxy
// rather than the emulator: a document write (`PUT|POST /{index}/_doc/{id}`) with
// OpenSearch's write reply for that id, anything else with a fixed search reply
// (10 small hits on the shared index). Run as its own process:
// `node static-upstream.js PORT`.
import { createServer } from 'node:http';

const hits = Array.from({ length: 10 }, (_, i) => ({
  _index: 'osproxy-shared',
  _id: `bench:orders:${i}`,
  _score: 1,
  _routing: 'bench',
  _source: { tenant_id: 'bench', msg: 'x', i, _tenant: 'bench', _index_name: 'orders' },
}));
const reply = JSON.stringify({
  took: 1,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { total: { value: 10, relation: 'eq' }, max_score: 1, hits },
});
const head = {
  'content-type': 'application/json; charset=UTF-8',
  'content-length': Buffer.byteLength(reply),
};

const WRITE = /^\/([^/?]+)\/_doc\/([^/?]+)/;

/** OpenSearch's reply to an indexed document, for the index and id in the path. */
function writeReply(index: string, id: string): string {
  return JSON.stringify({
    _index: decodeURIComponent(index),
    _id: decodeURIComponent(id),
    _version: 1,
    result: 'created',
    _shards: { total: 2, successful: 1, failed: 0 },
    _seq_no: 0,
    _primary_term: 1,
  });
}

const port = Number(process.argv[2] ?? 0);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'HEAD') {
      res.writeHead(200, head).end();
      return;
    }
    const write = req.method === 'PUT' || req.method === 'POST' ? WRITE.exec(req.url ?? '') : null;
    if (write !== null) {
      const body = writeReply(write[1] ?? '', write[2] ?? '');
      res.writeHead(201, { ...head, 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    res.writeHead(200, head).end(reply);
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
