import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, selfSignedCert, waitForPort } from './index.js';

describe('net-kit', () => {
  it('finds a free port and waits until something listens on it', async () => {
    const port = await freePort();
    const server = createServer();
    setTimeout(() => server.listen(port, '127.0.0.1'), 150);
    await waitForPort(port, { what: 'test server', timeoutMs: 5000 });
    await new Promise<void>((r) => server.close(() => r()));
    await expect(waitForPort(port, { what: 'nobody', timeoutMs: 200 })).rejects.toThrow(
      'nobody did not listen',
    );
  });

  it('makes a certificate for localhost and 127.0.0.1', () => {
    const made = selfSignedCert('osproxy-test');
    const x509 = new X509Certificate(made.cert);
    expect(x509.subject).toContain('CN=osproxy-test');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(made.key).toContain('PRIVATE KEY');
  });
});
