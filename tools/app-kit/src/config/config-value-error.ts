// A setting whose text does not parse: a `config_invalid` FlussoError (so both
// apps exit 2) that names the setting's key.
import { FlussoError } from '@flusso/core';

/** A setting's value did not parse; `key` names the flag, variable or config key. */
export class ConfigValueError extends FlussoError {
  readonly key: string;

  constructor(key: string, expected: string, got: string) {
    super('config_invalid', `${key}: expected ${expected}, got ${JSON.stringify(got)}`);
    this.name = 'ConfigValueError';
    this.key = key;
  }
}
