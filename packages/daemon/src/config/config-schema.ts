// The flusso.toml format as zod schemas (snake_case, as users write it; unknown
// keys are errors). The same definitions produce `flusso schema config`.
import { z } from 'zod';
import { deadLettersConfigSchema, onFullSchema } from './dead-letters-config.js';
import { envOrValueSchema } from './env-or-value.js';
import { pipelineConfigSchema } from './pipeline-config.js';

const pgIdent = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, 'must be a Postgres identifier (^[a-z_][a-z0-9_]*$)')
  .max(63);

export { envOrValueSchema };

const connectionPartsSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(1).max(65535).default(5432),
  user: z.string().default('postgres'),
  password: envOrValueSchema.optional(),
  database: z.string().min(1),
});

const sourceSchema = z.strictObject({
  type: z.literal('postgres'),
  connection_url: z
    .union(
      [
        z.string().regex(/^(postgresql|postgres):\/\//, 'must start with postgres:// or postgresql://'),
        z.strictObject({ env: z.string().min(1) }),
        connectionPartsSchema,
      ],
      {
        error: 'a postgres:// URL, { env = "VAR" }, or a table of host, port, user, password, database',
      },
    )
    .optional(),
  manage_publication: z.boolean().default(true),
});

const openSearchSinkSchema = z
  .strictObject({
    type: z.literal('opensearch'),
    url: envOrValueSchema.optional(),
    username: envOrValueSchema.optional(),
    password: envOrValueSchema.optional(),
    tls_verify: z.boolean().default(true),
    ca_file: z.string().optional(),
    batch_size: z.number().int().positive().default(1000),
    max_bytes: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
    timeout_secs: z.number().positive().default(30),
    max_retries: z.number().int().min(0).default(3),
    pipeline: z.string().optional(),
    number_of_shards: z.number().int().positive().default(1),
    number_of_replicas: z.number().int().min(0).default(1),
    refresh_interval: z.string().default('10s'),
    text_analysis: z.enum(['builtin', 'icu']).default('builtin'),
    auto_subfields: z.boolean().default(true),
    on_full: onFullSchema,
    /** `generations` (flusso's aliases over generations) or `osproxy` (osproxy's shared-index layout). */
    layout: z.enum(['generations', 'osproxy']).default('generations'),
    /** osproxy layout: `OSPROXY_INDEX` (a shared index, or an `{index}` template). */
    osproxy_index: z
      .string()
      .regex(/^[a-z0-9{}][a-z0-9_.{}-]*$/)
      .optional(),
    /** osproxy layout: injected field names. */
    tenant_field: z
      .string()
      .regex(/^_?[a-zA-Z]\w*$/)
      .optional(),
    index_field: z
      .string()
      .regex(/^_?[a-zA-Z]\w*$/)
      .optional(),
  })
  .superRefine((sink, ctx) => {
    // A setting the chosen layout does not apply is refused, never ignored: a user who set it
    // expects it to act (an ingest pipeline nobody runs changes every document silently).
    const onlyOsproxy = ['osproxy_index', 'tenant_field', 'index_field'] as const;
    if (sink.layout !== 'osproxy')
      for (const key of onlyOsproxy)
        if (sink[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'applies only to layout = "osproxy"' });
    if (sink.layout === 'osproxy' && sink.pipeline !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['pipeline'],
        message:
          'not supported with layout = "osproxy" (set the pipeline as the shared index\'s default_pipeline)',
      });
  });

const stdoutSinkSchema = z.strictObject({
  type: z.literal('stdout'),
  pretty: z.boolean().default(false),
  on_full: onFullSchema,
});

export const sinkSchema = z.discriminatedUnion('type', [openSearchSinkSchema, stdoutSinkSchema]);

const policySchema = z.enum(['stop', 'skip']);

const indexEntrySchema = z.strictObject({
  name: pgIdent,
  schema: z.string().regex(/\.ya?ml$/, 'must be a path ending in .yml or .yaml'),
  enabled: z.boolean(),
  on_error: policySchema.optional(),
});

export const configFileSchema = z.strictObject({
  on_error: policySchema.default('stop'),
  prefix: z
    .string()
    .regex(
      // Empty (the default) is allowed: a lock written with the default must read back.
      /^(?:[a-z0-9][a-z0-9_.-]*)?$/,
      'must be empty or lowercase, start with a letter or digit, and use only a-z 0-9 _ . -',
    )
    .default(''),
  source: sourceSchema,
  sinks: z.record(pgIdent, sinkSchema).default({}),
  server: z
    .strictObject({ public_address: z.string().optional(), private_address: z.string().optional() })
    .default({}),
  index: z.array(indexEntrySchema).default([]),
  dead_letters: deadLettersConfigSchema,
  pipeline: pipelineConfigSchema,
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type EnvOrValue = z.infer<typeof envOrValueSchema>;
export type SinkConfig = z.infer<typeof sinkSchema>;
export type OpenSearchSinkConfig = z.infer<typeof openSearchSinkSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type IndexEntry = z.infer<typeof indexEntrySchema>;

/** JSON Schema of flusso.toml, for editors (`flusso schema config`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema, { io: 'input' }) as Record<string, unknown>;
}
