import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config.js';

const SOURCE = '[source]\ntype = "postgres"\n';
const INDEX = '[[index]]\nname = "users"\nschema = "users.schema.yml"\n';

function messageOf(text: string): string {
  try {
    parseConfigText('conf/flusso.toml', text);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('config error messages', () => {
  it.each([
    [
      'a missing enabled',
      `${SOURCE}${INDEX}`,
      'conf/flusso.toml:3: index[0].enabled: required; true or false',
    ],
    [
      'an enabled of the wrong type',
      `${SOURCE}${INDEX}enabled = "yes"\n`,
      'conf/flusso.toml:6: index[0].enabled: must be true or false (got a string)',
    ],
    [
      'an unknown on_error',
      `on_error = "ignore"\n${SOURCE}`,
      'conf/flusso.toml:1: on_error: must be one of "stop", "skip" (got a string)',
    ],
    ['a missing source', 'prefix = "a"\n', 'conf/flusso.toml: source: required; a table'],
    [
      'a missing source type',
      '[source]\nmanage_publication = true\n',
      'conf/flusso.toml:1: source.type: required; "postgres"',
    ],
    [
      'an unknown sink type',
      `${SOURCE}[sinks.primary]\ntype = "kafka"\n`,
      'conf/flusso.toml:4: sinks.primary.type: must be one of "opensearch", "stdout" (got a string)',
    ],
    [
      'a batch_size of zero',
      `${SOURCE}[sinks.primary]\ntype = "opensearch"\nbatch_size = 0\n`,
      'conf/flusso.toml:5: sinks.primary.batch_size: must be > 0',
    ],
    [
      'a fractional batch_size',
      `${SOURCE}[sinks.primary]\ntype = "opensearch"\nbatch_size = 1.5\n`,
      'conf/flusso.toml:5: sinks.primary.batch_size: must be an integer (got a number)',
    ],
    [
      'a text_analysis outside the toolkit list',
      `${SOURCE}[sinks.primary]\ntype = "opensearch"\ntext_analysis = "nlp"\n`,
      'conf/flusso.toml:5: sinks.primary.text_analysis: must be one of "builtin", "icu" (got a string)',
    ],
    [
      'a url that is neither a string nor an env reference',
      `${SOURCE}[sinks.primary]\ntype = "opensearch"\nurl = 9200\n`,
      'conf/flusso.toml:5: sinks.primary.url: must be a string or { env = "VAR" } (got an integer)',
    ],
    [
      'an env reference with a misspelt key',
      `${SOURCE}[sinks.primary]\ntype = "opensearch"\nurl = { evn = "X" }\n`,
      'conf/flusso.toml:5: sinks.primary.url: must be a string or { env = "VAR" } (got a table)',
    ],
    [
      'a connection_url without its scheme',
      '[source]\ntype = "postgres"\nconnection_url = "localhost/db"\n',
      'conf/flusso.toml:3: source.connection_url: must start with postgres:// or postgresql://',
    ],
    [
      'connection parts without a database',
      '[source]\ntype = "postgres"\nconnection_url = { host = "db" }\n',
      'conf/flusso.toml:3: source.connection_url.database: required; a string',
    ],
    [
      'an index name that is not an identifier',
      `${SOURCE}[[index]]\nname = "Users"\nschema = "u.schema.yml"\nenabled = true\n`,
      'conf/flusso.toml:4: index[0].name: must be a Postgres identifier (^[a-z_][a-z0-9_]*$)',
    ],
    [
      'a schema path without a yaml extension',
      `${SOURCE}[[index]]\nname = "users"\nschema = "u.json"\nenabled = true\n`,
      'conf/flusso.toml:5: index[0].schema: must be a path ending in .yml or .yaml',
    ],
  ])('explains %s', (_what, text, message) => {
    expect(messageOf(text)).toBe(message);
  });

  it('lists every problem, one per line', () => {
    const lines = messageOf(`on_error = 1\n${SOURCE}${INDEX}`).split('\n');
    expect(lines).toEqual([
      'conf/flusso.toml:1: on_error: must be one of "stop", "skip" (got an integer)',
      'conf/flusso.toml:4: index[0].enabled: required; true or false',
    ]);
  });
});
