// Whether a stored letter matches a DeadLetterFilter (every given field must).
import type { DeadLetterFilter, StoredDeadLetter } from '@flusso/daemon';

export function deadLetterMatches(l: StoredDeadLetter, f: DeadLetterFilter): boolean {
  return (
    (f.index === undefined || l.index === f.index) &&
    (f.sink === undefined || l.sink === f.sink) &&
    (f.id === undefined || l.id === f.id) &&
    (f.since === undefined || l.at >= f.since)
  );
}
