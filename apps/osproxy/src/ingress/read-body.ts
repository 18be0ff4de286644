// Reads a request body under three limits: the size cap (413; a declared length
// past it is refused before reading), the in-flight budget charged chunk by chunk
// as bytes arrive (429), and a deadline for the whole body (408). What a refusal
// leaves unread is discarded by Node after the response, never buffered.
import { ProxyError } from '@flusso/proxy';
import type { Reservation } from './inflight-limiter.js';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

function tooLarge(limit: number): never {
  throw new ProxyError('payload_too_large', 'request body exceeds the configured limit', {
    context: { limit },
  });
}

export function overloaded(): never {
  throw new ProxyError('overloaded', 'in-flight request bytes are at the configured cap');
}

/** Refuses a declared content-length past the cap before anything is read. */
export function checkDeclaredLength(header: string | undefined, limit: number): void {
  const declared = header === undefined ? 0 : Number(header);
  if (Number.isFinite(declared) && declared > limit) tooLarge(limit);
}

function deadline(timeoutMs: number): { expired: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new ProxyError('request_timeout', 'request body did not arrive in time', { context: { timeoutMs } }),
      );
    }, timeoutMs);
  });
  expired.catch(() => undefined);
  return { expired, clear: () => clearTimeout(timer) };
}

export async function readBody(
  body: AsyncIterable<Uint8Array>,
  reservation: Reservation,
  limits: BodyLimits,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // An explicit iterator, never `return()`ed: ending it would destroy the socket
  // before the refusal is written.
  const iterator = body[Symbol.asyncIterator]();
  const timer = deadline(limits.timeoutMs);
  try {
    for (;;) {
      const next = iterator.next();
      next.catch(() => undefined);
      const step = await Promise.race([next, timer.expired]);
      if (step.done === true) break;
      const chunk = step.value;
      size += chunk.length;
      if (size > limits.maxBytes) tooLarge(limits.maxBytes);
      if (!reservation.charge(chunk.length)) overloaded();
      chunks.push(chunk);
    }
  } finally {
    timer.clear();
  }
  return Buffer.concat(chunks, size);
}
