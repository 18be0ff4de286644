// A document `_id` is the root row's primary-key values, in key order, joined
// with ':' using their Postgres text form. Capture and read-back both go through
// here, so an update can never turn into a delete because two paths disagreed.
import { FlussoError } from '../errors/flusso-error.js';
import { type Value, valueToText } from './value.js';

export type DocumentId = string & { readonly __brand: 'DocumentId' };

export function documentIdFromTexts(keyTexts: readonly string[]): DocumentId {
  if (keyTexts.length === 0) {
    throw new FlussoError('invalid_value', 'a document id needs at least one key value');
  }
  return keyTexts.join(':') as DocumentId;
}

export function documentIdFromValues(key: readonly Value[]): DocumentId {
  return documentIdFromTexts(
    key.map((v, i) => {
      const text = valueToText(v);
      if (text === null) {
        throw new FlussoError('invalid_value', `key column ${i} is null; primary keys cannot be null`, {
          context: { position: i },
        });
      }
      return text;
    }),
  );
}
