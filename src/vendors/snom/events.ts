/**
 * @module Snom action-URL requests → ParsedEvent (GET with our `$variables` [SNOM-DOC-TRIG]).
 * A `$cancel_reason` saying "completed elsewhere" (or SIP cause=200) sets `completedElsewhere`.
 */
import type { ParseEvent } from '../types.ts';
import { parseActionUrl } from '../shared/action-url.ts';
import { spec } from './urls.ts';

export const parseEvent: ParseEvent = (req) => parseActionUrl(req, spec);
