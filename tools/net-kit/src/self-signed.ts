// A throw-away self-signed certificate for localhost and 127.0.0.1, made with the
// openssl CLI (present wherever the tests run). Files live in a temp directory
// removed when the process exits, so a server under test can read them by path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCert {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

const dirs: string[] = [];
process.once('exit', () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export function selfSignedCert(cn = 'localhost'): SelfSignedCert {
  const dir = mkdtempSync(join(tmpdir(), 'net-kit-tls-'));
  dirs.push(dir);
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  args.push('-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', `/CN=${cn}`);
  args.push('-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
}
