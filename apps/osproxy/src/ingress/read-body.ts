// Reads a request body under three limits: the size cap (413; a declared length
// past it is refused before reading), the in-flight budget charged chunk by chunk
// as bytes arrive (429), and a deadline for the whole body (408). What a refusal
// leaves unread is discarded by Node after the response, never buffered.
import type { Readable } from 'node:stream';
import { type DeadlineQueue, Due } from '@flusso/core';
import { ProxyError } from '@flusso/proxy';
import type { Reservation } from './inflight-limiter.js';

export interface BodyLimits {
  readonly maxBytes: number;
  /** The body deadline (408 past it), one queue for every body read under these limits. */
  readonly deadlines: DeadlineQueue;
}

function tooLargeError(limit: number): ProxyError {
  return new ProxyError('payload_too_large', 'request body exceeds the configured limit', {
    context: { limit },
  });
}

function tooLarge(limit: number): never {
  throw tooLargeError(limit);
}

function overloadedError(): ProxyError {
  return new ProxyError('overloaded', 'in-flight request bytes are at the configured cap');
}

export function overloaded(): never {
  throw overloadedError();
}

/** Refuses a declared content-length past the cap before anything is read. */
export function checkDeclaredLength(header: string | undefined, limit: number): void {
  const declared = header === undefined ? 0 : Number(header);
  if (Number.isFinite(declared) && declared > limit) tooLarge(limit);
}

const EMPTY = new Uint8Array(0);

/** What an async iterator reports for a stream closed before its end. */
function prematureClose(): Error {
  const error = new Error('Premature close') as Error & { code: string };
  error.code = 'ERR_STREAM_PREMATURE_CLOSE';
  return error;
}

/**
 * The whole body when it has already arrived (`complete`: Node's parser read the
 * request's end, as it does in the same turn as its headers for a body that came with
 * them), taken from the stream's buffer at once and charged as one chunk: no listeners,
 * no timer. `undefined` while the body is still arriving (then `readBody`).
 */
export function bufferedBody(
  body: Readable & { readonly complete: boolean },
  reservation: Reservation,
  limits: BodyLimits,
): Uint8Array | undefined {
  if (!body.complete || body.readableFlowing === true || body.destroyed) return undefined;
  const size = body.readableLength;
  if (size > limits.maxBytes) tooLarge(limits.maxBytes);
  if (size > 0 && !reservation.charge(size)) overloaded();
  // Everything buffered, in one piece; the stream then ends (nothing is left to read).
  const chunk = body.read() as Buffer | null;
  if (chunk === null || chunk.length !== size) {
    if (chunk !== null) throw new Error('read-body: a buffered body read back short');
    return EMPTY;
  }
  return chunk;
}

/** One body being read: its chunks so far, its listeners, and its place in the deadline queue. */
class BodyRead extends Due {
  readonly #body: Readable;
  readonly #reservation: Reservation;
  readonly #limits: BodyLimits;
  readonly #resolve: (body: Uint8Array) => void;
  readonly #reject: (error: Error) => void;
  readonly #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    body: Readable,
    reservation: Reservation,
    limits: BodyLimits,
    resolve: (body: Uint8Array) => void,
    reject: (error: Error) => void,
  ) {
    super();
    this.#body = body;
    this.#reservation = reservation;
    this.#limits = limits;
    this.#resolve = resolve;
    this.#reject = reject;
    limits.deadlines.add(this);
    body.on('data', this.#onData);
    body.on('end', this.#onEnd);
    body.on('error', this.#onError);
    body.on('close', this.#onClose);
  }

  expire(): void {
    this.#settle(
      new ProxyError('request_timeout', 'request body did not arrive in time', {
        context: { timeoutMs: this.#limits.deadlines.timeoutMs },
      }),
    );
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#size += chunk.length;
    if (this.#size > this.#limits.maxBytes) this.#settle(tooLargeError(this.#limits.maxBytes));
    else if (!this.#reservation.charge(chunk.length)) this.#settle(overloadedError());
    else this.#chunks.push(chunk);
  };
  readonly #onEnd = (): void => this.#settle(undefined);
  readonly #onError = (error: Error): void => this.#settle(error);
  // Closed before its end (the client went away): what an async iterator reports.
  readonly #onClose = (): void => this.#settle(prematureClose());

  #settle(error: Error | undefined): void {
    this.#limits.deadlines.remove(this);
    const body = this.#body;
    body.off('data', this.#onData);
    body.off('end', this.#onEnd);
    body.off('error', this.#onError);
    body.off('close', this.#onClose);
    if (error !== undefined) {
      // Keep an error listener: a stream error after a refusal must not crash the process.
      body.on('error', () => undefined);
      this.#reject(error);
      return;
    }
    const chunks = this.#chunks;
    this.#resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size));
  }
}

/**
 * The whole body of `body` (a request stream). Listens for chunks directly (no async
 * iterator); on a refusal it stops listening, and what is left is discarded, never charged.
 */
export function readBody(body: Readable, reservation: Reservation, limits: BodyLimits): Promise<Uint8Array> {
  // A request that declared no body and has already ended: nothing to wait for.
  if (body.readableEnded) return Promise.resolve(EMPTY);
  // Closed before it was read (the client went away before its request was handled): no
  // 'close' is coming to end the wait.
  if (body.destroyed) return Promise.reject(prematureClose());
  return new Promise<Uint8Array>((resolve, reject) => {
    new BodyRead(body, reservation, limits, resolve, reject);
  });
}
