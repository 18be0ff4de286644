// Text cells to typed values by type OID. Integers keep their width (int8 as
// bigint); numerics, floats and json stay the exact text Postgres printed;
// unknown types stay text. A cell is
// read as the document SQL's `::text` would print it (keys and links are matched
// by it): a boolean may come as `t` (pgoutput) or `true` (a cast), a char(n)
// loses its padding and an inet gains its netmask, as their casts to text do.
import type { Value } from '@flusso/core';

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  inet: 869,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

export function textToValue(text: string, typeOid: number): Value {
  switch (typeOid) {
    case OID.bool:
      return { kind: 'bool', value: text === 't' || text === 'true' };
    case OID.int2:
    case OID.int4:
      return { kind: typeOid === OID.int2 ? 'int2' : 'int4', value: Number(text) };
    case OID.int8:
      return { kind: 'int8', value: BigInt(text) };
    case OID.float4:
    case OID.float8:
      // Kept as Postgres prints it (`1e-05`, `1e+15`, `-0`): a number's JavaScript text
      // (`0.00001`, `1000000000000000`, `0`) is not the `::text` ids and links match by.
      return { kind: 'text', value: text };
    case OID.bpchar:
      return { kind: 'text', value: text.replace(/ +$/, '') };
    case OID.inet:
      // inet prints a host's /32 (/128) only when asked to; its cast to text always does.
      return { kind: 'text', value: text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}` };
    case OID.numeric:
      return { kind: 'decimal', value: text };
    case OID.uuid:
      return { kind: 'uuid', value: text };
    case OID.date:
      return { kind: 'date', value: text };
    case OID.time:
      return { kind: 'time', value: text };
    case OID.timestamp:
      return { kind: 'timestamp', value: text };
    case OID.timestamptz:
      return { kind: 'timestamptz', value: text };
    case OID.bytea:
      return { kind: 'bytes', value: Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex') };
    case OID.json:
    case OID.jsonb:
      // As printed (its spacing, every digit): JSON.stringify of the parsed value is not
      // the `::text` a jsonb key or link is matched by.
      return { kind: 'text', value: text };
    default:
      return { kind: 'text', value: text };
  }
}
