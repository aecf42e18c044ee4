import type { CanonicalEvent, DossierState, EventSource } from '@isohub/events';
import type { TrailEntry } from './handover-trail';

/** One field-level problem with an inbound item; `field` is a JSON pointer into the item. */
export interface FieldError {
  field: string;
  code: 'required' | 'format' | 'range' | 'type';
  message: string;
}

export interface ResolvedProcedure {
  nationalCode: string | null;
  name: string | null;
  mappingStatus: 'mapped' | 'unmapped';
}

/** Looks a source's procedure code up in the catalogue and the local->national mappings (sync, cached). */
export type ProcedureResolver = (sourceCode: string | null, source: EventSource) => ResolvedProcedure;

export interface MappingContext {
  source: EventSource;
  /** Version of the mapping configuration in force (goes into every event). */
  mappingVersion: string;
  resolveProcedure: ProcedureResolver;
  /** Applicant fields (wire names) that configuration allows into events; empty = none. */
  applicantFields: readonly string[];
  /** Sender quirk profile, e.g. `opencps` or `thanhhoa` (DOMAIN.md §4.7). */
  profile: SenderProfile;
  /** Arrival time, used only when an item carries no usable time of its own. */
  receivedAt: Date;
  /**
   * Zone of ISO timestamps written with a literal `Z` (LGSP style, DOMAIN.md §4.5); default `utc`.
   * A per-source setting because a misconfigured JVM writes Vietnam wall time behind the `Z`.
   */
  literalZ?: 'utc' | 'vietnam';
}

export type SenderProfile = 'opencps' | 'thanhhoa' | 'generic';

export type MapResult =
  | {
      ok: true;
      dossierCode: string;
      events: CanonicalEvent[];
      state: DossierState;
      /** The dossier's new trail (see handover-trail.ts) when the item added to it; absent: unchanged. */
      trail?: TrailEntry[];
    }
  | { ok: false; dossierCode: string | null; errors: FieldError[] };

/** What the caller keeps beside the dossier state and hands to every mapper. */
export interface MapOptions {
  /**
   * The dossier's trail as the caller stored it (see handover-trail.ts): the holder before each row (the
   * "from" side of its handover) and the status true at a late row's own time.
   */
  trail?: readonly TrailEntry[];
  /**
   * The dossier's applicant name (ChuHoSo / CitizenName) when the caller knows it from a store that is
   * never published (the state topic must not carry it). An actor with this name (NFC, case-insensitive,
   * whitespace collapsed) is the applicant, whatever the row's text says.
   */
  applicantName?: string | null;
}
