// `[dead_letters]` in flusso.toml: where documents rejected under
// `on_error = "skip"` are kept, and whether their content is kept too.
import { z } from 'zod';
import { brokerListSchema, topicNameSchema } from './kafka-fields.js';

export const deadLettersConfigSchema = z
  .strictObject({
    /** `postgres`: table `flusso.dead_letters` in the source database; `kafka`: a topic. */
    type: z.enum(['postgres', 'kafka']).default('postgres'),
    /** false: keep only the key (sink, index, id), not the document. */
    keep_documents: z.boolean().default(true),
    /** Kafka only: `host:port` of each bootstrap broker. */
    brokers: brokerListSchema.optional(),
    /** Kafka only: the topic (keyed by sink, index and id; a removed letter is a tombstone). */
    topic: topicNameSchema.optional(),
  })
  .refine((c) => c.type !== 'kafka' || c.brokers !== undefined, {
    message: 'required with type = "kafka"',
    path: ['brokers'],
  })
  .refine((c) => c.type === 'kafka' || (c.brokers === undefined && c.topic === undefined), {
    message: 'brokers and topic apply only to type = "kafka"',
    path: ['type'],
  })
  .default({ type: 'postgres', keep_documents: true });

export type DeadLettersConfig = z.infer<typeof deadLettersConfigSchema>;

/** The topic a Kafka dead-letter store writes when none is configured. */
export const DEFAULT_DEAD_LETTER_TOPIC = 'flusso.dead_letters';

/** What a full lane does with a live batch: wait (`block`, at least once) or drop it (best effort). */
export const onFullSchema = z.enum(['block', 'drop']).default('block');
