// SASL SCRAM-SHA-256/512 (RFC 5802, RFC 7677), server side: client-first →
// server-first (nonce, salt, iterations), client-final with the proof →
// server-final with the server signature. No channel binding, as in Kafka.
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SaslAuthenticationError } from '../errors.js';
import type { SaslExchange, SaslStep } from './exchange.js';

const derive = promisify(pbkdf2);
/** Kafka's minimum and kafkajs's required minimum. */
const ITERATIONS = 4096;

type Digest = 'sha256' | 'sha512';

interface Started {
  readonly clientFirstBare: string;
  readonly serverFirst: string;
  readonly gs2Header: string;
  readonly nonce: string;
  readonly saltedPassword: Buffer;
}

/** `k=v,k=v` attributes of a SCRAM message. */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new SaslAuthenticationError(`Invalid SCRAM attribute "${part}"`);
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** RFC 5802 saslname: "=2C" is ",", "=3D" is "=", any other "=" is invalid. */
function saslName(encoded: string): string {
  if (/=(?!2C|3D)/.test(encoded)) throw new SaslAuthenticationError('Invalid SCRAM username encoding');
  return encoded.replaceAll('=2C', ',').replaceAll('=3D', '=');
}

export class ScramExchange implements SaslExchange {
  #started: Started | null = null;
  #done = false;

  constructor(
    private readonly digest: Digest,
    private readonly users: ReadonlyMap<string, string>,
  ) {}

  #invalid(): SaslAuthenticationError {
    const name = this.digest === 'sha256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512';
    return new SaslAuthenticationError(
      `Authentication failed during authentication due to invalid credentials with SASL mechanism ${name}`,
    );
  }

  async step(message: Buffer): Promise<SaslStep> {
    if (this.#done) throw new SaslAuthenticationError('SCRAM exchange already complete');
    const text = message.toString('utf8');
    return this.#started === null ? this.#first(text) : this.#final(text, this.#started);
  }

  async #first(text: string): Promise<SaslStep> {
    // gs2-header: "n," or "y," (no channel binding), an optional "a=authzid", then ",".
    const gs2 = /^([ny]),(a=[^,]*)?,/.exec(text);
    if (gs2 === null) throw new SaslAuthenticationError('Invalid SCRAM client first message');
    const clientFirstBare = text.slice(gs2[0].length);
    const attrs = attributes(clientFirstBare);
    const user = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (user === undefined || clientNonce === undefined || clientNonce === '')
      throw new SaslAuthenticationError('Invalid SCRAM client first message');
    const password = this.users.get(saslName(user));
    if (password === undefined) throw this.#invalid();

    const salt = randomBytes(16);
    const nonce = clientNonce + randomBytes(18).toString('base64url');
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${ITERATIONS}`;
    const length = this.digest === 'sha256' ? 32 : 64;
    const saltedPassword = await derive(password, salt, ITERATIONS, length, this.digest);
    this.#started = { clientFirstBare, serverFirst, gs2Header: gs2[0], nonce, saltedPassword };
    return { reply: Buffer.from(serverFirst, 'utf8'), done: false };
  }

  async #final(text: string, s: Started): Promise<SaslStep> {
    const proofAt = text.lastIndexOf(',p=');
    if (proofAt < 0) throw new SaslAuthenticationError('Invalid SCRAM client final message');
    const withoutProof = text.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('r') !== s.nonce) throw new SaslAuthenticationError('Invalid SCRAM nonce');
    if (attrs.get('c') !== Buffer.from(s.gs2Header).toString('base64'))
      throw new SaslAuthenticationError('Invalid SCRAM channel binding');

    const authMessage = `${s.clientFirstBare},${s.serverFirst},${withoutProof}`;
    const hmac = (key: Buffer, data: string): Buffer => createHmac(this.digest, key).update(data).digest();
    const storedKey = createHash(this.digest).update(hmac(s.saltedPassword, 'Client Key')).digest();
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64');
    if (proof.length !== signature.length) throw this.#invalid();
    // ClientKey = proof XOR ClientSignature; it is right when H(ClientKey) is the stored key.
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
    if (!timingSafeEqual(createHash(this.digest).update(clientKey).digest(), storedKey))
      throw this.#invalid();

    this.#done = true;
    const serverSignature = hmac(hmac(s.saltedPassword, 'Server Key'), authMessage);
    return { reply: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'), done: true };
  }
}
