// Bearer-token authentication: the presented token's digest looked up in the
// table (digests, not secrets, are what a lookup's timing could depend on). With
// no tokens configured the proxy is in open dev mode (every request anonymous).
import { type Principal, type TokenTable, tokenDigest } from '../config/tokens.js';

export type AuthResult = { readonly ok: true; readonly principal: Principal | null } | { readonly ok: false };

export function authenticate(header: string | undefined, tokens: TokenTable): AuthResult {
  if (tokens.size === 0) return { ok: true, principal: null };
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return { ok: false };
  const found = tokens.get(tokenDigest(match[1] ?? ''));
  return found ? { ok: true, principal: found } : { ok: false };
}
