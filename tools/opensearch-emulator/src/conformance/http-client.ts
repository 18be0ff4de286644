// Sends one request to the cluster under test and reads the reply losslessly:
// integers beyond 2^53 become bigint, so nothing the tests compare is rounded.
import { JsonNumber, parseLossless } from '../json/lossless.js';
import type { HttpRequest } from './api-specs.js';

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
  /** Parsed JSON (numbers exact), the text for other types; for HEAD, whether it succeeded. */
  readonly body: unknown;
}

function exactNumbers(value: unknown): unknown {
  if (value instanceof JsonNumber) {
    const raw = value.raw;
    if (/^-?\d+$/.test(raw)) {
      const big = BigInt(raw);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(raw)
        : big;
    }
    return Number(raw);
  }
  if (Array.isArray(value)) return value.map(exactNumbers);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: exactNumbers(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

export function decodeBody(text: string, contentType: string | null): unknown {
  if (text.length === 0) return '';
  if (contentType?.includes('json') ?? true) {
    try {
      return exactNumbers(parseLossless(text));
    } catch {
      return text;
    }
  }
  return text;
}

export async function send(baseUrl: string, request: HttpRequest): Promise<HttpResponse> {
  const qs = request.query.toString();
  const url = `${baseUrl}${request.path}${qs ? `?${qs}` : ''}`;
  const response = await fetch(url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  const body =
    request.method === 'HEAD'
      ? response.status < 400
      : decodeBody(text, response.headers.get('content-type'));
  return { status: response.status, text, body };
}
