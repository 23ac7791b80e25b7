/**
 * @module The desk in plain words: what a history entry or an overdue mark means, instead of the
 * record's internal terms ("ringback missed via auto").
 */
import { minutes, OUTCOME_LABEL, when } from '../format.js';

/** @type {Record<string, string>} */
const VIA = { phone: ' on the phone', api: '', auto: '' };
/** @type {Record<string, string>} */
const STEP = { claimer: 'the person who has it (or the team)', lead: 'the team lead', manager: 'the manager' };

/**
 * One history entry as a sentence: "Anna took it on the phone", "Escalated to the team lead".
 * @param {{ actor: string, action: string, via: string }} e
 */
export function historyText(e) {
  const who = e.via === 'auto' ? '' : e.actor;
  const via = VIA[e.via] ?? '';
  const [verb, rest] = splitAction(e.action);
  switch (verb) {
    case 'missed': return 'Nobody answered: the call was added to the list';
    case 'called again': return 'The caller tried again';
    case 'claimed': return `${who} took it${via}`;
    case 'assigned to': return `${who} assigned it to ${rest}${via}`;
    case 'unassigned': return `${who} gave it back to the team${via}`;
    case 'callback': {
      if (e.via === 'auto') return `Called back from a team phone (${e.actor})`;
      return `${who} called back${via}: ${(OUTCOME_LABEL[rest] ?? rest).toLowerCase()}`;
    }
    case 'escalated': return `Still waiting past the target: ${STEP[rest] ?? rest} was told`;
    case 'scheduled': return `${who} set a callback for ${when(rest)}${via}`;
    case 'ignored': return `${who} ignored it${via}`;
    case 'close':
    case 'closed': return e.via === 'auto' ? 'Closed automatically' : `${who} closed it${via}`;
    case 'reopened': return `${who} reopened it${via}`;
    case 'note': return `${who} wrote a note${via}`;
    default: return `${who || 'Ringback'}: ${e.action}${via}`;
  }
}

/**
 * "25 min overdue", "Escalated to the team lead, 1 h 5 min overdue".
 * @param {{ targetMinutes: number, minutesOver: number, escalated: string | null }} o
 */
export function overdueText(o) {
  const over = o.minutesOver > 0 ? `${minutes(o.minutesOver)} overdue` : 'Overdue';
  if (o.escalated === null) return over;
  const to = o.escalated === 'claimer' ? 'Reminder sent' : `Escalated to the ${o.escalated === 'lead' ? 'team lead' : 'manager'}`;
  return o.minutesOver > 0 ? `${to}, ${over}` : to;
}

/** `callback: reached` → ['callback', 'reached']; `assigned to Ben` → ['assigned to', 'Ben']. @param {string} action */
function splitAction(action) {
  if (action.startsWith('assigned to ')) return ['assigned to', action.slice('assigned to '.length)];
  const i = action.indexOf(': ');
  return i < 0 ? [action, ''] : [action.slice(0, i), action.slice(i + 2)];
}
