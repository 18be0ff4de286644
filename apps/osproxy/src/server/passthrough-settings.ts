// Start-up checks of the passthrough settings: a listed prefix is a plain index
// name prefix, and none reaches the tenancy index (or the indexes its template
// names), so passthrough can never touch tenant data on any cluster.
import { FlussoError } from '@flusso/core';
import type { Settings } from '../config/settings.js';

function invalid(message: string): never {
  throw new FlussoError('config_invalid', `passthrough_indices: ${message}`);
}

/** Whether a passthrough prefix matches the tenancy index or any index its template yields. */
function overlapsTenancy(prefix: string, index: string): boolean {
  const brace = index.indexOf('{');
  if (brace < 0) return index.startsWith(prefix);
  const fixed = index.slice(0, brace);
  return fixed.startsWith(prefix) || prefix.startsWith(fixed);
}

export function checkPassthroughSettings(settings: Settings): void {
  for (const prefix of settings.passthrough_indices) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(prefix))
      invalid('each entry is an index name prefix (lower case, no wildcard, list or date math)');
    if (overlapsTenancy(prefix, settings.index))
      invalid('an entry matches the tenancy index; passthrough never reaches tenant data');
  }
}
