// Epoch: the version of a partition's placement. A write is stamped with the
// epoch it was planned under and admitted only while that epoch is current.
import { FlussoError } from '../errors/flusso-error.js';

export type Epoch = number & { readonly __brand: 'Epoch' };

/** A non-negative safe integer epoch; throws `invalid_value` otherwise. */
export function parseEpoch(input: number): Epoch {
  if (!Number.isSafeInteger(input) || input < 0) {
    throw new FlussoError('invalid_value', 'epoch must be a non-negative safe integer', {
      context: { kind: 'epoch' },
    });
  }
  return input as Epoch;
}

/** The epoch after `epoch`. */
export function nextEpoch(epoch: Epoch): Epoch {
  return parseEpoch(epoch + 1);
}
