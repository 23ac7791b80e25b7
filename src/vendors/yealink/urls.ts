/** @module Yealink action URLs: which phone events we subscribe to and the query each one sends. */
import type { ActionUrlSpec } from '../shared/action-url.ts';
import { YEALINK_STYLE_VARIABLES } from '../shared/action-url.ts';

/**
 * Events from the Yealink admin guide's action-URL table [Y-T2-699], [Y-CP860-228], keys as in
 * [FPBX-YL-108]; variables from [Y-VARS]. `$call_id` is phone-local (phones.md §0.3), `$remote`
 * is a SIP URI, `$active_user` the account's user part. Each URL (`<base>&e=missed&local=$active_user&…`)
 * stays far below the 511-character limit of `action_url.*` [Y-AG-450] while `base` is under ~350 characters.
 */
export const spec: ActionUrlSpec = {
  events: [
    { setting: 'action_url.setup_completed', e: 'booted', kind: 'booted' },
    { setting: 'action_url.registered', e: 'registered', kind: 'registered' },
    { setting: 'action_url.unregistered', e: 'unregistered', kind: 'unregistered' },
    { setting: 'action_url.incoming_call', e: 'ringing', kind: 'ringing' },
    { setting: 'action_url.missed_call', e: 'missed', kind: 'missed' },
    // The phone cannot tell direction on "established"; the domain pairs it with ringing/outgoing.
    { setting: 'action_url.call_established', e: 'connected', kind: 'connected' },
    { setting: 'action_url.answer_new_incoming_call', e: 'answered', kind: 'answered' },
    { setting: 'action_url.reject_incoming_call', e: 'rejected', kind: 'rejected' },
    // The user (or a forward rule) passed the ringing call on: not answered here, not silently missed.
    { setting: 'action_url.forward_incoming_call', e: 'forwarded', kind: 'rejected' },
    { setting: 'action_url.outgoing_call', e: 'outgoing', kind: 'outgoing' },
    { setting: 'action_url.call_terminated', e: 'ended', kind: 'ended' },
    // The other side ended a call that never connected: on an INCOMING call that is the caller
    // hanging up while it rang (phones.md §8, `eventlistener.cpp` SESSION_RINGING), which the domain
    // counts as this phone's missed leg (a ringing leg that ends unanswered); on our outgoing call it
    // is a callback attempt that did not get through (an `ended` never starts an incoming call).
    { setting: 'action_url.call_remote_canceled', e: 'remote-cancelled', kind: 'ended' },
    { setting: 'action_url.remote_busy', e: 'busy', kind: 'ended' },
    { setting: 'action_url.cancel_callout', e: 'cancelled', kind: 'ended' },
  ],
  // `$duration` and `$callDirection` exist on this firmware family (phones.md §8): hints only.
  variables: { ...YEALINK_STYLE_VARIABLES, duration: '$duration', direction: '$callDirection' },
};

