/** @module Fanvil action URLs: which phone events we subscribe to and the query each one sends. */
import { eventsBySetting, YEALINK_STYLE_VARIABLES, type ActionUrlSpec } from '../shared/action-url.ts';

/**
 * Keys are the `<cti>` elements of Fanvil's XML config [FPBX-FANVIL-H2U]. Variables are the
 * Yealink-style set of a Fanvil-OEM guide [VOIPON-AU]; Fanvil's own list was NOT retrieved, so any
 * variable a model does not fill arrives literally and is read as empty.
 */
export const spec: ActionUrlSpec = {
  events: eventsBySetting({
    booted: 'BootCompletedUrl',
    registered: 'RegOnUrl',
    unregistered: 'RegOffUrl',
    ringing: 'IncomingCallUrl',
    missed: 'NewMissedcallUrl',
    connected: 'CallActiveUrl',
    outgoing: 'OutgoingCallUrl',
    ended: 'CallStopUrl',
  }),
  variables: YEALINK_STYLE_VARIABLES,
};

