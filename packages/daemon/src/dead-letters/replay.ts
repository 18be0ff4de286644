// Replay dead letters: rebuild each document from the CURRENT rows (a document
// whose root row is gone becomes a delete), send it through its sink, remove the
// letter once the sink took it, and keep it with the new rejection otherwise. A
// document that still cannot be built (its row's data) keeps its letter as
// `build_failed`; the others of its group replay as usual.
import type { BuiltDocument, Clock, DocumentBuilder, DocumentId, IndexName, Sink } from '@flusso/core';
import { buildFailedRejection, buildIsolating, type DeadLetter } from '@flusso/engine';
import type { DeadLetterBook, DeadLetterFilter, StoredDeadLetter } from './dead-letter-book.js';

export interface ReplayParts {
  readonly book: DeadLetterBook;
  readonly builder: DocumentBuilder;
  /** Sinks by name; a letter whose sink is not here stays, with that reason. */
  readonly sink: (name: string) => Promise<Sink | null>;
  readonly clock: Clock;
}

export interface ReplayOutcome {
  readonly sink: string;
  readonly index: string;
  readonly id: string;
  readonly replayed: boolean;
  /** The new rejection when not replayed. */
  readonly reason?: string;
}

function groups(letters: readonly StoredDeadLetter[]): Map<string, StoredDeadLetter[]> {
  const out = new Map<string, StoredDeadLetter[]>();
  for (const l of letters) {
    const key = `${l.sink}\u0000${l.index}`;
    out.set(key, [...(out.get(key) ?? []), l]);
  }
  return out;
}

function kept(letter: StoredDeadLetter, parts: ReplayParts, rejection: DeadLetter['rejection']): DeadLetter {
  return { ...letter, rejection, at: parts.clock.now() };
}

async function replayGroup(parts: ReplayParts, letters: StoredDeadLetter[]): Promise<ReplayOutcome[]> {
  const first = letters[0] as StoredDeadLetter;
  const outcome = (l: DeadLetter, replayed: boolean, reason?: string): ReplayOutcome => ({
    sink: l.sink,
    index: l.index,
    id: l.id,
    replayed,
    ...(reason === undefined ? {} : { reason }),
  });
  const sink = await parts.sink(first.sink);
  if (!sink) {
    const rejection = { type: 'sink_unknown', reason: `sink ${first.sink} is not configured`, status: 0 };
    await parts.book.record(letters.map((l) => kept(l, parts, rejection)));
    return letters.map((l) => outcome(l, false, rejection.reason));
  }
  const index = first.index as IndexName;
  const { documents: built, failed } = await buildIsolating(
    parts.builder,
    index,
    letters.map((l) => l.id as DocumentId),
  );
  for (const doc of built) sink.write(doc);
  const report = await sink.flush(true);
  const rejected = new Map<string, DeadLetter['rejection'] & { readonly op?: DeadLetter['op'] }>(
    report.rejections.map((r) => [r.id as string, r]),
  );
  for (const f of failed) rejected.set(f.id, buildFailedRejection(f));
  const docs = new Map<string, BuiltDocument>(built.map((d) => [d.id as string, d]));
  const stillDead: DeadLetter[] = [];
  const landed: StoredDeadLetter[] = [];
  for (const l of letters) {
    const r = rejected.get(l.id);
    if (!r) {
      landed.push(l);
      continue;
    }
    const doc = docs.get(l.id);
    stillDead.push({
      ...kept(l, parts, { type: r.type, reason: r.reason, status: r.status }),
      op: r.op ?? l.op,
      document: doc?.op === 'upsert' ? doc.document : null,
    });
  }
  if (stillDead.length > 0) await parts.book.record(stillDead);
  if (landed.length > 0) await parts.book.remove(landed);
  return letters.map((l) => {
    const r = rejected.get(l.id);
    return r ? outcome(l, false, `${r.type}: ${r.reason}`) : outcome(l, true);
  });
}

/** Replay every letter matching `filter`, grouped by sink and index. */
export async function replayDeadLetters(
  parts: ReplayParts,
  filter: DeadLetterFilter,
): Promise<readonly ReplayOutcome[]> {
  const letters = await parts.book.list(filter);
  const outcomes: ReplayOutcome[] = [];
  for (const group of groups(letters).values()) outcomes.push(...(await replayGroup(parts, group)));
  return outcomes;
}
