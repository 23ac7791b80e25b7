/** @module Fanvil action URLs: which phone events we subscribe to and the query each one sends. */
import type { ActionUrlSpec } from '../shared/action-url.ts';
import { YEALINK_STYLE_VARIABLES } from '../shared/action-url.ts';

/**
 * Keys are the `<cti>` elements of Fanvil's XML config [FPBX-FANVIL-H2U]. Variables are the
 * Yealink-style set of a Fanvil-OEM guide [VOIPON-AU]; Fanvil's own list was NOT retrieved, so any
 * variable a model does not fill arrives literally and is read as empty.
 */
export const spec: ActionUrlSpec = {
  events: [
    { setting: 'BootCompletedUrl', e: 'booted', kind: 'booted' },
    { setting: 'RegOnUrl', e: 'registered', kind: 'registered' },
    { setting: 'RegOffUrl', e: 'unregistered', kind: 'unregistered' },
    { setting: 'IncomingCallUrl', e: 'ringing', kind: 'ringing' },
    { setting: 'NewMissedcallUrl', e: 'missed', kind: 'missed' },
    { setting: 'CallActiveUrl', e: 'connected', kind: 'connected' },
    { setting: 'OutgoingCallUrl', e: 'outgoing', kind: 'outgoing' },
    { setting: 'CallStopUrl', e: 'ended', kind: 'ended' },
  ],
  variables: YEALINK_STYLE_VARIABLES,
};

