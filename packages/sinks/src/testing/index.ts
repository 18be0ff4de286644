// Test doubles for code that drives a sink or the upstream; never imported by production code.
export {
  jsonReply,
  type RecordedUpstreamCall,
  RecordingUpstream,
  type UpstreamReplyFn,
} from './recording-upstream.js';
