// CreateTopics (key 19) v0–v3 and DeleteTopics (key 20) v0–v1. One broker:
// a replication factor other than 1 (or -1, the default) is refused; explicit
// replica assignments and configs are ignored.
import { isLegalTopicName } from '../log-store.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { type Reader, Writer } from '../protocol/primitives.js';
import type { Api, BrokerContext } from './context.js';

interface TopicRequest {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

function readTopic(r: Reader): TopicRequest {
  const topic = r.string();
  const partitions = r.int32();
  const replicationFactor = r.int16();
  r.array((a) => [a.int32(), a.array((x) => x.int32())]); // replica assignment
  r.array((c) => [c.string(), c.nullableString()]); // configs
  return { topic, partitions, replicationFactor };
}

function createError(ctx: BrokerContext, t: TopicRequest): { code: number; message: string | null } {
  if (!isLegalTopicName(t.topic)) return { code: ErrorCode.INVALID_TOPIC_EXCEPTION, message: 'illegal name' };
  if (ctx.store.partitionCount(t.topic) !== undefined) {
    return { code: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${t.topic}' already exists.` };
  }
  if (t.partitions === 0 || t.partitions < -1) {
    return { code: ErrorCode.INVALID_PARTITIONS, message: 'Number of partitions must be larger than 0.' };
  }
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
    return {
      code: ErrorCode.INVALID_REPLICATION_FACTOR,
      message: `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`,
    };
  }
  return { code: ErrorCode.NONE, message: null };
}

export const createTopics: Api = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 3,
  handle: (body, header, ctx) => {
    const topics = body.array(readTopic);
    body.int32(); // timeout: creation is immediate
    const validateOnly = header.apiVersion >= 1 ? body.boolean() : false;
    const results = topics.map((t) => {
      const error = createError(ctx, t);
      if (error.code === ErrorCode.NONE && !validateOnly) {
        ctx.store.createTopic(t.topic, t.partitions === -1 ? ctx.defaultPartitions : t.partitions);
      }
      return { topic: t.topic, ...error };
    });
    const w = new Writer();
    if (header.apiVersion >= 2) w.int32(0);
    return w
      .array(results, (w, r) => {
        w.string(r.topic).int16(r.code);
        if (header.apiVersion >= 1) w.string(r.message);
      })
      .toBuffer();
  },
};

export const deleteTopics: Api = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  handle: (body, header, ctx) => {
    const topics = body.array((r) => r.string());
    body.int32(); // timeout: deletion is immediate
    const results = topics.map((topic) => {
      const deleted = ctx.store.deleteTopic(topic);
      if (deleted) ctx.groups.offsets.forgetTopic(topic);
      return { topic, code: deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    });
    const w = new Writer();
    if (header.apiVersion >= 1) w.int32(0);
    return w.array(results, (w, r) => w.string(r.topic).int16(r.code)).toBuffer();
  },
};
