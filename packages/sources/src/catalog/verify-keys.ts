// `flusso run` refuses to start on a declared key that does not identify one row
// (it would merge rows into one document), or that a root's deletes do not carry
// (its documents would outlive their rows): the same rules `flusso check` reports.
import { FlussoError } from '@flusso/core';
import type { BuilderIndex, Queryable } from '../builder/pg-document-builder.js';
import { asSourceFailure } from '../errors/pg-transient.js';
import type { Finding } from './check-catalog.js';
import { checkKeys } from './check-keys.js';
import { rootIdentityFindings } from './root-identity.js';

export async function verifyKeys(db: Queryable, indexes: readonly BuilderIndex[]): Promise<void> {
  let findings: Finding[];
  try {
    findings = [...(await checkKeys(db, indexes)), ...(await rootIdentityFindings(db, indexes))];
  } catch (error) {
    throw asSourceFailure('key check query', error);
  }
  const first = findings[0];
  if (!first) return;
  // The schema file is valid; the catalog disagrees with it: `run` exits 1 (not 2, a bad file).
  throw new FlussoError(
    'source_rejected',
    findings.map((f) => `index ${f.index}: ${f.path}: ${f.message}; fix: ${f.fix ?? ''}`).join('\n'),
    { context: { index: first.index, path: first.path } },
  );
}
