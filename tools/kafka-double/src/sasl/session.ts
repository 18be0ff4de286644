// One connection's SASL state, as a Kafka broker keeps it: before authentication
// only ApiVersions, SaslHandshake and SaslAuthenticate may run; SaslHandshake picks
// a mechanism, then SaslAuthenticate carries its messages until it is done.
import { ProtocolError } from '../errors.js';
import type { SaslConfig } from './config.js';
import type { SaslExchange } from './exchange.js';
import { PlainExchange } from './plain.js';
import { ScramExchange } from './scram.js';

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
const beforeAuthentication = new Set([API_VERSIONS, SASL_HANDSHAKE, SASL_AUTHENTICATE]);

function exchangeFor(mechanism: string, users: ReadonlyMap<string, string>): SaslExchange {
  if (mechanism === 'PLAIN') return new PlainExchange(users);
  if (mechanism === 'SCRAM-SHA-256') return new ScramExchange('sha256', users);
  return new ScramExchange('sha512', users);
}

export class SaslSession {
  #exchange: SaslExchange | null = null;
  #authenticated = false;

  constructor(private readonly config: SaslConfig) {}

  get mechanisms(): readonly string[] {
    return this.config.mechanisms;
  }

  get authenticated(): boolean {
    return this.#authenticated;
  }

  /** May a request with this API key run on the connection now? If not, it closes. */
  allows(apiKey: number): boolean {
    return this.#authenticated || beforeAuthentication.has(apiKey);
  }

  /** Starts an exchange; false when the mechanism is not enabled. */
  handshake(mechanism: string): boolean {
    if (this.#exchange !== null) throw new ProtocolError('SaslHandshake during a SASL exchange');
    if (!this.config.mechanisms.includes(mechanism)) return false;
    this.#exchange = exchangeFor(mechanism, this.config.users);
    return true;
  }

  /** The next message of the exchange; the reply goes back in SaslAuthenticate. */
  async authenticate(message: Buffer): Promise<Buffer> {
    const exchange = this.#exchange;
    if (exchange === null) throw new ProtocolError('SaslAuthenticate before SaslHandshake');
    const { reply, done } = await exchange.step(message);
    if (done) {
      this.#exchange = null;
      this.#authenticated = true;
    }
    return reply;
  }
}
