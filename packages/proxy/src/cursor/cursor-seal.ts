// Sealed cursors. Every scroll / PIT id a client sees is
// `hex(cluster) "." hex(MAC(key, cluster 0x1f partition 0x1f payload)) "." payload`
// where payload = `hex(logical index) "." upstream cursor`. The cluster pins
// follow-ups to the cluster that made the cursor; the logical index lets scroll
// pages be reshaped; the partition is in the MAC input only (not the envelope),
// so a cursor verifies solely for the partition that created it. Anything that
// does not verify fails closed with `cursor_unresolvable`, before any dispatch.
import {
  type ClusterId,
  type IndexName,
  type PartitionId,
  parseClusterId,
  parseIndexName,
} from '@flusso/core';
import { ProxyError } from '../request/proxy-error.js';
import type { CursorMac } from './mac.js';

export interface OpenedCursor {
  readonly cluster: ClusterId;
  readonly logical: IndexName;
  /** The upstream scroll or PIT id. */
  readonly cursor: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const SEPARATOR = 0x1f;

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-f]+$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function macInput(cluster: string, partition: PartitionId, payload: string): Uint8Array {
  const parts = [encoder.encode(cluster), encoder.encode(partition), encoder.encode(payload)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 2);
  let offset = 0;
  parts.forEach((part, i) => {
    if (i > 0) out[offset++] = SEPARATOR;
    out.set(part, offset);
    offset += part.length;
  });
  return out;
}

function unresolvable(): never {
  throw new ProxyError('cursor_unresolvable', 'cursor does not verify', {
    context: { rule: 'sealed_cursor' },
  });
}

function decodeName(hex: string): string {
  const bytes = fromHex(hex);
  if (bytes === undefined) return unresolvable();
  try {
    return decoder.decode(bytes);
  } catch {
    return unresolvable();
  }
}

export class CursorSealer {
  readonly #mac: CursorMac | undefined;

  /** Without a MAC every open and every follow-up fails closed. */
  constructor(mac: CursorMac | undefined) {
    this.#mac = mac;
  }

  /** Throws `cursor_unresolvable` when no key is configured (so no unsealed id is ever issued). */
  requireKey(): CursorMac {
    return this.#mac ?? unresolvable();
  }

  seal(partition: PartitionId, opened: OpenedCursor): string {
    const mac = this.requireKey();
    const payload = `${toHex(encoder.encode(opened.logical))}.${opened.cursor}`;
    const tag = mac.tag(macInput(opened.cluster, partition, payload));
    return `${toHex(encoder.encode(opened.cluster))}.${toHex(tag)}.${payload}`;
  }

  /** Verify in constant time and recover the cursor, or throw `cursor_unresolvable`. */
  open(partition: PartitionId, sealed: unknown): OpenedCursor {
    const mac = this.requireKey();
    if (typeof sealed !== 'string') return unresolvable();
    const [clusterHex, tagHex, logicalHex] = sealed.split('.', 3);
    if (clusterHex === undefined || tagHex === undefined || logicalHex === undefined) return unresolvable();
    const payload = sealed.slice(clusterHex.length + tagHex.length + 2);
    const cursor = payload.slice(logicalHex.length + 1);
    const tag = fromHex(tagHex);
    const clusterText = decodeName(clusterHex);
    if (tag === undefined || cursor === '' || !mac.verify(macInput(clusterText, partition, payload), tag)) {
      return unresolvable();
    }
    try {
      return {
        cluster: parseClusterId(clusterText),
        logical: parseIndexName(decodeName(logicalHex)),
        cursor,
      };
    } catch {
      return unresolvable();
    }
  }
}
