// A client body sent with `content-encoding` (gzip, deflate, br) is decoded
// before anything reads or rewrites it, within the body cap counted on decoded
// bytes; any other coding is 415. The encoding header never goes upstream.
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
import { ProxyError } from '@flusso/proxy';

type Decoder = (input: Uint8Array, options: ZlibOptions) => Promise<Buffer>;

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: promisify(gunzip) as Decoder,
  'x-gzip': promisify(gunzip) as Decoder,
  deflate: promisify(inflate) as Decoder,
  br: promisify(brotliDecompress) as Decoder,
};

function unsupported(): never {
  throw new ProxyError('unsupported_media_type', 'request content-encoding is not gzip, deflate or br', {
    context: { rule: 'content_encoding' },
  });
}

/** The decoded body; `encoding` is the client's content-encoding header, if any. */
export async function decodeBody(
  body: Uint8Array,
  encoding: string | undefined,
  limit: number,
): Promise<Uint8Array> {
  const coding = encoding?.trim().toLowerCase() ?? '';
  if (coding === '' || coding === 'identity') return body;
  const decoder = DECODERS[coding];
  if (decoder === undefined) return unsupported();
  if (body.length === 0) return body;
  try {
    return await decoder(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ProxyError('payload_too_large', 'decoded request body exceeds the configured limit', {
        context: { limit },
      });
    }
    throw new ProxyError('malformed_request', 'request body does not decode with its content-encoding', {
      context: { rule: 'content_encoding' },
    });
  }
}
