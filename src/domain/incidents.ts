/**
 * @module Health incidents: one record per outage or fault episode, so a condition seen on every
 * check raises one alert, not one per check. Pure: the current conditions and `now` are passed in.
 */

export type IncidentKind = 'phone-offline' | 'extension-missed-share' | 'team-all-missed';

/** A condition a check sees right now. */
export interface Condition {
  kind: IncidentKind;
  /** The phone's MAC, the extension or the team id. */
  subject: string;
  /**
   * What tells one episode from the next: a phone's last sign of life (a phone seen again and then
   * silent again is a new outage); '' for faults, which last as long as they are seen.
   */
  episode: string;
  /** Since when the condition holds (ISO UTC). */
  since: string;
  details: Record<string, unknown>;
}

export interface HealthIncident extends Condition {
  /** `<key>@<openedAt>`: unique per episode, also for a fault that clears and comes back. */
  id: string;
  /** `kind:subject:episode`: what an open incident is matched against on the next check. */
  key: string;
  openedAt: string;
  closedAt: string | null;
}

export interface IncidentChanges {
  opened: HealthIncident[];
  closed: HealthIncident[];
  /** Still open, with the latest details. */
  updated: HealthIncident[];
}

export function incidentKey(c: Pick<Condition, 'kind' | 'subject' | 'episode'>): string {
  return `${c.kind}:${c.subject}:${c.episode}`;
}

/**
 * Compares the open incidents with what a check sees: new conditions open an incident, vanished ones
 * close theirs. Subjects in `undecided` (a phone still settling after a restart) keep their incident
 * as it is: not seeing a condition we cannot judge is no reason to close it.
 */
export function reconcileIncidents(open: readonly HealthIncident[], current: readonly Condition[], now: string,
  undecided: ReadonlySet<string> = new Set()): IncidentChanges {
  const seen = new Map(current.map((c) => [incidentKey(c), c]));
  const changes: IncidentChanges = { opened: [], closed: [], updated: [] };
  const stillOpen = new Set<string>();
  for (const incident of open) {
    if (incident.closedAt !== null) continue;
    const c = seen.get(incident.key);
    if (c !== undefined) {
      stillOpen.add(incident.key);
      if (JSON.stringify(c.details) !== JSON.stringify(incident.details)) changes.updated.push({ ...incident, details: c.details });
    } else if (!undecided.has(incident.subject)) {
      changes.closed.push({ ...incident, closedAt: now });
    } else {
      stillOpen.add(incident.key);
    }
  }
  for (const [key, c] of seen) {
    if (!stillOpen.has(key)) changes.opened.push({ ...c, id: `${key}@${now}`, key, openedAt: now, closedAt: null });
  }
  return changes;
}
