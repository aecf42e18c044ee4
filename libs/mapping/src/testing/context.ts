import type { EventSource } from '@isohub/events';
import type { MappingContext, ProcedureResolver, ResolvedProcedure } from '../mapping.contract';

/** A fixed arrival time, so that fallback `occurredAt` values are predictable in tests. */
export const TEST_RECEIVED_AT = new Date('2026-04-01T05:00:00Z'); // 12:00 in Vietnam

/**
 * Catalogue stub: national codes (`1.001193`) and local codes with a suffix (`1.001193.000.00.00.H56`)
 * resolve to the national part; anything else is unmapped. Names come from the sender.
 */
export const testProcedureResolver: ProcedureResolver = (sourceCode): ResolvedProcedure => {
  const match = sourceCode === null ? null : /^(\d\.\d{6})(?:\.|$)/.exec(sourceCode);
  return match
    ? { nationalCode: match[1], name: null, mappingStatus: 'mapped' }
    : { nationalCode: null, name: null, mappingStatus: 'unmapped' };
};

export type TestContextOverrides = Partial<Omit<MappingContext, 'source'>> & {
  source?: Partial<EventSource>;
};

/** A complete MappingContext with test defaults (generic profile, no applicant fields); override any part. */
export function testMappingContext(overrides: TestContextOverrides = {}): MappingContext {
  const { source, ...rest } = overrides;
  return {
    mappingVersion: 'test-1',
    resolveProcedure: testProcedureResolver,
    applicantFields: [],
    profile: 'generic',
    receivedAt: TEST_RECEIVED_AT,
    ...rest,
    source: {
      system: 'test-onestop',
      agency: '000.00.00.H56',
      protocol: 'dvcqg-tee',
      operation: 'DongBoHoSoMC',
      ...source,
    },
  };
}
