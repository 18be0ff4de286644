// Unique request ids (not a per-process counter): a client-supplied x-request-id
// is kept when it is a sane token, otherwise a random UUID is minted.
import { randomUUID } from 'node:crypto';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(header: string | undefined): string {
  return header && SANE.test(header) ? header : randomUUID();
}
