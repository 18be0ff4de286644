// One request as the routes see it, and the reply they give.
import type { Faults } from './faults.js';

export type Json = Record<string, unknown>;

export interface Req {
  readonly method: string;
  readonly parts: string[];
  readonly query: URLSearchParams;
  readonly text: string;
  readonly faults: Faults;
  /** The body as JSON (400 `parse_exception` when malformed; `{}` when empty). */
  json(): Json;
}

export interface Res {
  readonly status: number;
  /** A JSON value (may hold lossless numbers and raw fragments), plain text, or nothing. */
  readonly body: unknown;
}

export const ok = (body: unknown, status = 200): Res => ({ status, body });
