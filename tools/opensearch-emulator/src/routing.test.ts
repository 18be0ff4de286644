import { describe, expect, it } from 'vitest';
import { shardLayout } from './index-settings.js';
import { defaultRoutingShards, routingHash, shardFor } from './routing.js';

describe('routing', () => {
  it('hashes routing values as OpenSearch does', () => {
    expect(routingHash('hell') >>> 0).toBe(0x5a0cb7c3);
    expect(routingHash('hello') >>> 0).toBe(0xd7c31989);
    expect(routingHash('hello w') >>> 0).toBe(0x22ab2984);
    expect(routingHash('hello wo') >>> 0).toBe(0xdf0ca123);
    expect(routingHash('hello wor') >>> 0).toBe(0xe7744d61);
    expect(routingHash('The quick brown fox jumps over the lazy dog') >>> 0).toBe(0xe07db09c);
  });

  it('doubles the routing shards up to 1024 by default', () => {
    expect(defaultRoutingShards(1)).toBe(1024);
    expect(defaultRoutingShards(5)).toBe(640);
  });

  it('places one routing value on one shard', () => {
    const layout = { shards: 5, routingShards: 5 };
    expect(shardFor(layout, '5')).toBe(shardFor(layout, '5'));
    expect(shardFor({ shards: 1, routingShards: 1024 }, 'x')).toBe(0);
  });

  it('bounds index.number_of_shards to 1..1024 as OpenSearch does', () => {
    expect(shardLayout({ number_of_shards: '1024' }).shards).toBe(1024);
    expect(() => shardLayout({ number_of_shards: '1025' })).toThrow(
      'Failed to parse value [1025] for setting [index.number_of_shards] must be <= 1024',
    );
    expect(() => shardLayout({ number_of_shards: '0' })).toThrow('must be >= 1');
  });
});
