// `node dist/cli.js [--port 9200] [--host 127.0.0.1]`: serve until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '9200' }, host: { type: 'string', default: '127.0.0.1' } },
});
const emulator = await startEmulator({ port: Number(values.port), host: values.host });
console.log(`OpenSearch emulator listening on ${emulator.url}`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
