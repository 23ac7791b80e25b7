/** @module Grandstream action URLs: which phone events we subscribe to and the query each one sends. */
import { eventsBySetting, type ActionUrlSpec } from '../shared/action-url.ts';

/**
 * Keys are P-values where phones.md has them (P8304–P8311 [GS-GRP-85], [GS-GRP2613-95]). The
 * P-values of Established, Terminated and Missed Call were NOT retrieved: those keys are the web
 * UI labels (Settings → Outbound Notification → Action URL [GS-AU-GUIDE]) and must be set by hand
 * or once their P-values are confirmed. Variables per [GS-GXP1760-57]; Grandstream has no
 * phone-local call-id variable, so `cid` is absent; `dialog` carries the SIP dialog's `{call-id}`.
 */
export const spec: ActionUrlSpec = {
  events: eventsBySetting({
    booted: 'P8304',
    registered: 'P8305',
    unregistered: 'P8306',
    ringing: 'P8310',
    outgoing: 'P8311',
    missed: 'Missed Call',
    connected: 'Established Call',
    ended: 'Terminated Call',
  }),
  variables: {
    local: '$active_user',
    remote: '$remote',
    name: '$display_remote',
    mac: '$mac',
    firmware: '$program_version',
    model: '$product',
    // The SIP dialog's Call-ID, offered by the Outbound Notification (manualslib, GRP261x, p. 91):
    // the same for every phone of a forked INVITE. Whether the classic action URL fills it too is
    // NOT CONFIRMED: left literal, it reads as "not given".
    dialog: '{call-id}',
  },
};

