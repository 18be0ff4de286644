// `[pipeline]` in flusso.toml: how the pipeline runs. `engine` (the default): one
// process captures, builds and flushes. `kafka`: a capture role produces one
// record per touched document to a topic, and worker roles (a consumer group)
// build and flush them; see the README ("flusso over Kafka").
import { z } from 'zod';
import { envOrValueSchema } from './env-or-value.js';

export const pipelineConfigSchema = z
  .strictObject({
    mode: z.enum(['engine', 'kafka']).default('engine'),
    /** Kafka only: `host:port` of each bootstrap broker. */
    brokers: z
      .array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port'))
      .min(1)
      .optional(),
    /** Kafka only: the change topic (keyed by index and document id). */
    topic: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name')
      .default('flusso.changes'),
    /** Kafka only: partitions the topic is created with (the most workers that share the load). */
    partitions: z.number().int().min(1).max(10_000).default(12),
    /** Kafka only: the workers' consumer group. */
    group: z.string().min(1).default('flusso-workers'),
    /** Kafka only: speak TLS to the brokers; `ca_file` replaces the system roots (PEM). */
    tls: z.strictObject({ ca_file: z.string().optional() }).optional(),
    /** Kafka only: SASL authentication. */
    sasl: z
      .strictObject({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: envOrValueSchema,
        password: envOrValueSchema,
      })
      .optional(),
    /** Kafka only: how long a silent worker keeps its partitions. */
    session_timeout_secs: z.number().positive().default(30),
  })
  .refine((c) => c.mode !== 'kafka' || c.brokers !== undefined, {
    message: 'required with mode = "kafka"',
    path: ['brokers'],
  })
  .default({
    mode: 'engine',
    topic: 'flusso.changes',
    partitions: 12,
    group: 'flusso-workers',
    session_timeout_secs: 30,
  });

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
