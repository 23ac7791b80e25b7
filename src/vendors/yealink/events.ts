/** @module Yealink action-URL requests → ParsedEvent (GET, data only in the query [Y-CP860-228]). */
import type { ParseEvent } from '../types.ts';
import { parseActionUrl } from '../shared/action-url.ts';
import { spec } from './urls.ts';

export const parseEvent: ParseEvent = (req) => parseActionUrl(req, spec);
