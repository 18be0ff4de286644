// Request ids are minted by the proxy (random, so unique across processes and
// never chosen by a client): they key the explain log. A client `x-request-id`
// is only a correlation field, kept when it is a sane token.
import { randomUUID } from 'node:crypto';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** A fresh request id. */
export function mintRequestId(): string {
  return randomUUID();
}

/** The client's correlation id, when its `x-request-id` is a sane token. */
export function correlationIdOf(header: string | undefined): string | undefined {
  return header !== undefined && SANE.test(header) ? header : undefined;
}
