// A document's `_source` kept as the exact text the client sent, with its parsed
// value beside it for queries and mappings.
import { OsError } from './errors.js';
import { JsonSyntaxError, parseLossless, stringifyLossless, toPlain } from './json/lossless.js';

export interface SourceText {
  readonly raw: string;
  readonly source: Record<string, unknown>;
  /** The lossless tree (numbers keep their text: `1.0` is not `1` to dynamic mapping). */
  readonly tree?: Record<string, unknown>;
}

function failed(why: string): OsError {
  return new OsError(400, 'mapper_parsing_exception', 'failed to parse', {
    caused_by: { type: 'not_x_content_exception', reason: why },
  });
}

/** Checks `raw` is one JSON object; the raw text is kept byte for byte. */
export function sourceText(raw: string): SourceText {
  let tree: unknown;
  try {
    tree = parseLossless(raw);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw failed(error.message);
    throw error;
  }
  if (!tree || typeof tree !== 'object' || Array.isArray(tree))
    throw failed(
      'Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes',
    );
  return { raw, source: toPlain(tree) as Record<string, unknown>, tree: tree as Record<string, unknown> };
}

/** A source built by the emulator from a lossless tree (update merges, upserts). */
export function sourceFromTree(tree: Record<string, unknown>): SourceText {
  return { raw: stringifyLossless(tree), source: toPlain(tree) as Record<string, unknown>, tree };
}
