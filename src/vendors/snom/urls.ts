/** @module Snom action URLs: which phone events we subscribe to and the query each one sends. */
import { eventsBySetting, type ActionUrlSpec } from '../shared/action-url.ts';

/** "completed elsewhere" CANCEL reason: `SIP;cause=200;text="Call completed elsewhere"` (phones.md §0.2, §4). */
const COMPLETED_ELSEWHERE = /completed\s+elsewhere|\bcause\s*=\s*200\b/i;

/**
 * Settings from [FPBX-SNOM-720]; runtime variables from [SNOM-DOC-TRIG]: note Snom's `$call-id`
 * (hyphen) and `$cancel_reason` (the CANCEL's Reason header). Snom documents no `$mac`/firmware
 * runtime variable, so none is sent; the token identifies the phone.
 */
export const spec: ActionUrlSpec = {
  events: eventsBySetting({
    booted: 'action_setup_url',
    registered: 'action_log_on_url',
    unregistered: 'action_log_off_url',
    ringing: 'action_incoming_url',
    missed: 'action_missed_url',
    connected: 'action_connected_url',
    outgoing: 'action_outgoing_url',
    ended: 'action_disconnected_url',
  }),
  variables: {
    local: '$active_user',
    remote: '$remote',
    name: '$display_remote',
    callRef: '$call-id',
    reason: '$cancel_reason',
  },
  extra: (param) => (COMPLETED_ELSEWHERE.test(param('reason')) ? { completedElsewhere: true } : {}),
};

