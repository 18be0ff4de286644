// A file a setting names (certificates, CA bundles), read once at start; a missing
// one is a config error naming the setting.
import { readFileSync } from 'node:fs';
import { FlussoError } from '@flusso/core';

export function readSettingFile(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new FlussoError('config_invalid', `${key}: cannot read ${file}`);
  }
}
