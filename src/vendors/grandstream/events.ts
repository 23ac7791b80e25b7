/**
 * @module Grandstream action-URL requests → ParsedEvent. Method NOT CONFIRMED (phones.md §5.2):
 * only the query is read, so GET and a POST with the same query both work.
 */
import type { ParseEvent } from '../types.ts';
import { parseActionUrl } from '../shared/action-url.ts';
import { spec } from './urls.ts';

export const parseEvent: ParseEvent = (req) => parseActionUrl(req, spec);
