import type { CanonicalEvent, DossierState } from '@isohub/events';
import { validateEventData, validateState } from '@isohub/events';
import type { MapResult } from '../mapping.contract';

/**
 * Spec-only helpers (not exported from the lib): unwrap a successful MapResult and check that whatever the
 * mappers produce also passes the published JSON Schemas, so the mappers and the contract cannot drift.
 */
export function expectOk(result: MapResult): { events: CanonicalEvent[]; state: DossierState } {
  if (!result.ok) {
    throw new Error(`expected a mapped item, got errors: ${JSON.stringify(result.errors)}`);
  }
  for (const event of result.events) {
    const v = validateEventData(event.data);
    if (!v.valid) {
      throw new Error(
        `event ${event.data.milestone} breaks dossier-event.v1.json: ${JSON.stringify(v.errors)}`,
      );
    }
  }
  const s = validateState(result.state);
  if (!s.valid) {
    throw new Error(`state breaks dossier-state.v1.json: ${JSON.stringify(s.errors)}`);
  }
  return { events: result.events, state: result.state };
}

export const milestonesOf = (events: readonly CanonicalEvent[]): string[] =>
  events.map((e) => e.data.milestone);
