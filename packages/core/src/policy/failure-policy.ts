// What to do with a document a sink rejected: stop the run unconfirmed, or
// quarantine it and go on. A global default with per-index overrides.

export type FailurePolicy = 'stop' | 'skip';

export interface FailurePolicies {
  readonly default: FailurePolicy;
  readonly perIndex: Readonly<Record<string, FailurePolicy>>;
}

export const stopOnFailure: FailurePolicies = { default: 'stop', perIndex: {} };

export function policyFor(policies: FailurePolicies, index: string): FailurePolicy {
  return policies.perIndex[index] ?? policies.default;
}
