import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

const specs = {
  slot: { type: 'string' as const, default: 'flusso' },
  'skip-backfill': { type: 'boolean' as const, default: false },
};

describe('flags', () => {
  it('read FLUSSO_<FLAG> when the flag is absent, and let the flag win', () => {
    expect(parseFlags([], specs, { FLUSSO_SLOT: 'env_slot', FLUSSO_SKIP_BACKFILL: 'true' }).values).toEqual({
      slot: 'env_slot',
      'skip-backfill': true,
    });
    expect(parseFlags(['--slot', 'flag_slot'], specs, { FLUSSO_SLOT: 'env_slot' }).values.slot).toBe(
      'flag_slot',
    );
    expect(parseFlags([], specs, {}).values).toEqual({ slot: 'flusso', 'skip-backfill': false });
  });

  it('reject an unknown flag with a typed error', () => {
    expect(() => parseFlags(['--nope'], specs, {})).toThrowError(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});
