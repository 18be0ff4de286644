// SASL PLAIN (RFC 4616): one message "authzid NUL username NUL password".
import { SaslAuthenticationError } from '../errors.js';
import type { SaslExchange, SaslStep } from './exchange.js';

// Kafka's own wording, so a client sees what a real broker would say.
const INVALID = 'Authentication failed: Invalid username or password';

export class PlainExchange implements SaslExchange {
  constructor(private readonly users: ReadonlyMap<string, string>) {}

  async step(message: Buffer): Promise<SaslStep> {
    const parts = message.toString('utf8').split('\u0000');
    if (parts.length !== 3)
      throw new SaslAuthenticationError('Invalid SASL/PLAIN request: expected 3 tokens');
    const [authzid, username, password] = parts as [string, string, string];
    if (authzid !== '' && authzid !== username)
      throw new SaslAuthenticationError(
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    if (username === '' || this.users.get(username) !== password) throw new SaslAuthenticationError(INVALID);
    return { reply: Buffer.alloc(0), done: true };
  }
}
