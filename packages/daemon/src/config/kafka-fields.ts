// Kafka settings shared by `[pipeline]` and `[dead_letters]`.
import { z } from 'zod';

/** `host:port` of each bootstrap broker. */
export const brokerListSchema = z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1);

export const topicNameSchema = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name');
