// `[pipeline]` in flusso.toml: how the pipeline runs. `engine` (the default): one
// process captures, builds and flushes. `kafka`: a capture role produces one
// record per touched document to a topic, and worker roles (a consumer group)
// build and flush them; see the README ("flusso over Kafka").
import { z } from 'zod';
import { envOrValueSchema } from './env-or-value.js';
import { brokerListSchema, topicNameSchema } from './kafka-fields.js';

export const pipelineConfigSchema = z
  .strictObject({
    mode: z.enum(['engine', 'kafka']).default('engine'),
    /** Kafka only: `host:port` of each bootstrap broker. */
    brokers: brokerListSchema.optional(),
    /** Kafka only: the change topic (keyed by index and document id). */
    topic: topicNameSchema.default('flusso.changes'),
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
  // Refused rather than ignored: brokers set under the default mode mean the user meant Kafka.
  .refine(
    (c) => c.mode === 'kafka' || (c.brokers === undefined && c.tls === undefined && c.sasl === undefined),
    {
      message: 'brokers, tls and sasl apply only to mode = "kafka"',
      path: ['mode'],
    },
  )
  .default({
    mode: 'engine',
    topic: 'flusso.changes',
    partitions: 12,
    group: 'flusso-workers',
    session_timeout_secs: 30,
  });

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
