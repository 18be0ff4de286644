// Values flusso sends as null by rule rather than as Postgres printed them:
// NaN and ±Infinity numbers (no JSON number can hold them) and ±infinity dates
// (no `date` mapping format accepts them). Each is counted, never silent.
export type ValueNote = 'non_finite_number' | 'infinite_date';

export type ValueNoteCounts = Readonly<Record<ValueNote, number>>;

export interface ValueNoteSink {
  note(kind: ValueNote): void;
}

export class ValueNoteCounter implements ValueNoteSink {
  private readonly counts: Record<ValueNote, number> = { non_finite_number: 0, infinite_date: 0 };

  note(kind: ValueNote): void {
    this.counts[kind] += 1;
  }

  add(counts: ValueNoteCounts): void {
    this.counts.non_finite_number += counts.non_finite_number;
    this.counts.infinite_date += counts.infinite_date;
  }

  snapshot(): ValueNoteCounts {
    return { ...this.counts };
  }

  /** Counts since the last drain, then zero. */
  drain(): ValueNoteCounts {
    const out = this.snapshot();
    this.counts.non_finite_number = 0;
    this.counts.infinite_date = 0;
    return out;
  }
}
