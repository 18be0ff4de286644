// Bearer-token authentication. Tokens compare in constant time; with no tokens
// configured the proxy is in open dev mode (every request anonymous).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal, TokenTable } from '../config/tokens.js';

export type AuthResult = { readonly ok: true; readonly principal: Principal | null } | { readonly ok: false };

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function authenticate(header: string | undefined, tokens: TokenTable): AuthResult {
  if (tokens.size === 0) return { ok: true, principal: null };
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return { ok: false };
  const presented = digest(match[1] ?? '');
  let found: Principal | null = null;
  for (const [token, principal] of tokens) {
    if (timingSafeEqual(presented, digest(token))) found = principal;
  }
  return found ? { ok: true, principal: found } : { ok: false };
}
