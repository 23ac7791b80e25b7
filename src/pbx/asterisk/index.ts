/** @module Asterisk AMI source: URL → client → tracker → PbxCall. */
export { parseAmiUrl, describeAmiConnection, DEFAULT_AMI_PORT, type AmiConnection } from './ami-url.ts';
export { startAmiClient, type AmiClient, type AmiClientOptions, type AmiLog, type AmiState, type AmiStatus } from './client.ts';
export { createCallTracker, type CallTracker, type CallTrackerOptions } from './call-tracker.ts';
export { createAmiParser, getField, DEFAULT_FRAMING_LIMITS, type AmiFrame, type AmiMessage, type AmiParser, type FramingLimits } from './framing.ts';
export { formatAction } from './action.ts';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
export { classifyDirection, defaultIsExtension, DEFAULT_INBOUND_CONTEXT, type DirectionFacts, type DirectionRules } from './direction.ts';
export { parseChannelName, type ChannelEndpoint } from './channel-name.ts';
