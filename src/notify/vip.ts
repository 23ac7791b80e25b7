/**
 * @module The VIP hook: a missed call from a VIP caller is delivered at once, through quiet hours,
 * the digest window and after-hours digests. Issue 7's contacts directory supplies the real check
 * (its VIP flag); until then nobody is a VIP.
 */

/** Whether a caller, by its matching key (E.164 where known), is flagged VIP. Must be cheap: it runs per call per tick. */
export type IsVip = (callerKey: string) => boolean;

export const noVip: IsVip = () => false;
