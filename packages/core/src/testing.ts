// Test doubles for core services, on their own entry so production code never imports them.
export { ManualClock } from './clock/manual-clock.js';
