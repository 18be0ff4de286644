// Every API the double implements, with the version range it advertises. The
// SASL APIs are served (and advertised) only by a broker with SASL configured.
import { apiVersions } from './api-versions.js';
import type { Api } from './context.js';
import { describeGroups } from './describe-groups.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { heartbeat, leaveGroup } from './heartbeat.js';
import { initProducerId } from './init-producer-id.js';
import { joinGroup } from './join-group.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { offsetCommit, offsetFetch } from './offsets.js';
import { produce } from './produce.js';
import { saslAuthenticate } from './sasl-authenticate.js';
import { saslHandshake } from './sasl-handshake.js';
import { syncGroup } from './sync-group.js';
import { createTopics, deleteTopics } from './topics.js';

export const apis: readonly Api[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  apiVersions,
  createTopics,
  deleteTopics,
  initProducerId,
];

export const saslApis: readonly Api[] = [saslHandshake, saslAuthenticate];
