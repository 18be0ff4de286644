// Bearer-token authentication: the presented token's digest looked up in the
// table (digests, not secrets, are what a lookup's timing could depend on). With
// no tokens configured the proxy is in open dev mode (every request anonymous).
import { type Principal, type TokenTable, tokenDigest } from '../config/tokens.js';

export type AuthResult = { readonly ok: true; readonly principal: Principal | null } | { readonly ok: false };

// The two answers that carry nothing of the request: one object each, not one per request.
const ANONYMOUS: AuthResult = Object.freeze({ ok: true, principal: null });
const REFUSED: AuthResult = Object.freeze({ ok: false });

export function authenticate(header: string | undefined, tokens: TokenTable): AuthResult {
  if (tokens.size === 0) return ANONYMOUS;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return REFUSED;
  const found = tokens.get(tokenDigest(match[1] ?? ''));
  return found ? { ok: true, principal: found } : REFUSED;
}
