// undici's Pool, Client and `request` API, loaded from their own files. undici's
// index also loads fetch, WebSocket, EventSource, the mock agents, caches and every
// interceptor, none of which the proxy uses: about 7 MiB resident (issue 15,
// `pnpm bench osproxy-footprint`). undici has no `exports` map, so these paths are
// public; `lean-pool.test.ts` fails if an upgrade moves them.
import { createRequire } from 'node:module';
import type { Dispatcher, Client as UndiciClient, Pool as UndiciPool } from 'undici';

const load = createRequire(import.meta.url);
const BasePool = load('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
const request = load('undici/lib/api/api-request.js') as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

/** undici's Pool with `request` on its own prototype (the index puts it on the shared Dispatcher's). */
export class Pool extends BasePool {}
Object.defineProperty(Pool.prototype, 'request', { value: request, writable: true, configurable: true });

/** undici's Client: one connection of a Pool (what a Pool's `factory` makes). */
export const Client = load('undici/lib/dispatcher/client.js') as typeof UndiciClient;
export type Client = UndiciClient;
