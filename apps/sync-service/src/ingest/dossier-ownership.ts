import type { FieldError } from '@isohub/mapping';
import type { IngestTx } from '@isohub/persistence';
import type { OwnershipConfig } from '../config/guards.config';
import type { SenderConfig } from '../config/sync-service.config';
import type { SenderIdentity } from './ingest.types';

/**
 * Who may write a dossier (docs/security.md):
 * - `off`: anyone (development default);
 * - `first-writer`: the sender that wrote it first, plus the senders its liên thông links allow;
 * - `agency-prefix`: a sender whose agencies include the dossier code's agency prefix (the part before
 *   the first `-`, e.g. `000.00.01.H56`), plus its links.
 * Whatever the rule (but `off`), a sender reports only for its own agencies: a `madonvi` outside them is
 * refused, not believed.
 */
/** The agency prefix of a dossier code (`000.00.01.H56-250101-0001` -> `000.00.01.H56`). */
export function agencyOfCode(code: string): string {
  const dash = code.indexOf('-');
  return dash < 0 ? code : code.slice(0, dash);
}

function agenciesOf(
  config: OwnershipConfig,
  senders: readonly SenderConfig[],
  senderId: string,
): string[] | null {
  const listed = config.agencies[senderId];
  if (listed) {
    return listed;
  }
  const agency = senders.find((s) => s.id === senderId)?.agency ?? null;
  return agency === null ? null : [agency];
}

/**
 * The items a sender may not write, by dossier code, with the reason (each becomes a dead letter).
 * Runs inside the ingest transaction after the dossiers are locked.
 */
export async function ownershipRefusals(
  config: OwnershipConfig,
  senders: readonly SenderConfig[],
  tx: IngestTx,
  sender: SenderIdentity,
  codes: string[],
): Promise<Map<string, FieldError>> {
  const refused = new Map<string, FieldError>();
  if (config.rule === 'off' || codes.length === 0) {
    return refused;
  }
  const own = agenciesOf(config, senders, sender.id);
  if (own !== null && sender.agency !== null && !own.includes(sender.agency)) {
    const error: FieldError = {
      field: '/madonvi',
      code: 'range',
      message: `agency ${sender.agency} is not one this sender reports for`,
    };
    return new Map(codes.map((c) => [c, error]));
  }
  const links = config.links[sender.id] ?? [];
  if (config.rule === 'agency-prefix') {
    for (const code of codes) {
      const agency = agencyOfCode(code);
      if (!(own ?? []).includes(agency) && !links.includes(agency)) {
        refused.set(code, {
          field: '/MaHoSo',
          code: 'range',
          message: `the dossier belongs to agency ${agency}, not one this sender writes for`,
        });
      }
    }
    return refused;
  }
  const owners = await tx.claimOwners(codes, sender.id);
  for (const code of codes) {
    const owner = owners.get(code);
    const linked = links.includes(owner ?? '') || links.includes(agencyOfCode(code));
    if (owner !== undefined && owner !== sender.id && !linked) {
      refused.set(code, {
        field: '/MaHoSo',
        code: 'range',
        message: `the dossier was first written by sender ${owner}; this sender may not write it`,
      });
    }
  }
  return refused;
}
