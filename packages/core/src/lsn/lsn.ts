// Postgres log sequence numbers as bigints, printed and parsed as `X/Y` hex halves.
import { FlussoError } from '../errors/flusso-error.js';

export type Lsn = bigint & { readonly __brand: 'Lsn' };

const MAX = (1n << 64n) - 1n;
export const zeroLsn = 0n as Lsn;

export function lsnFromBigInt(value: bigint): Lsn {
  if (value < 0n || value > MAX) {
    throw new FlussoError('invalid_lsn', `LSN out of range: ${value}`);
  }
  return value as Lsn;
}

export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!match)
    throw new FlussoError('invalid_lsn', `invalid LSN ${JSON.stringify(text)}: expected X/Y in hex`);
  return ((BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`)) as Lsn;
}

export function formatLsn(lsn: Lsn): string {
  const high = (lsn >> 32n).toString(16).toUpperCase();
  const low = (lsn & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

export function maxLsn(a: Lsn, b: Lsn): Lsn {
  return a > b ? a : b;
}

export function minLsn(a: Lsn, b: Lsn): Lsn {
  return a < b ? a : b;
}
