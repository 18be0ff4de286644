// How GET shows an index: its aliases, mappings and settings.
import { aliasJson } from './aliases.js';
import type { Json } from './req-res.js';
import type { Index, Store } from './store.js';

export function mappingsView(index: Index): Json {
  const { properties, ...rest } = index.mappings;
  return { ...rest, ...(Object.keys(properties).length > 0 ? { properties } : {}) };
}

export function settingsView(index: Index): Json {
  return {
    index: {
      ...index.settings,
      creation_date: String(index.created),
      uuid: index.uuid,
      provided_name: index.name,
      version: { created: '136407927' },
    },
  };
}

export function indexView(store: Store, index: Index): Json {
  const aliases: Json = {};
  for (const [a, p] of [...store.aliases.ofIndex(index.name)].sort(([x], [y]) => (x < y ? -1 : 1)))
    aliases[a] = aliasJson(p);
  return { aliases, mappings: mappingsView(index), settings: settingsView(index) };
}
