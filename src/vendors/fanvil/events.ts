/**
 * @module Fanvil action-URL requests → ParsedEvent. `ActionUrlType` (GET/POST?) is NOT CONFIRMED
 * (phones.md §5.3): only the query is read.
 */
import type { ParseEvent } from '../types.ts';
import { parseActionUrl } from '../shared/action-url.ts';
import { spec } from './urls.ts';

export const parseEvent: ParseEvent = (req) => parseActionUrl(req, spec);
