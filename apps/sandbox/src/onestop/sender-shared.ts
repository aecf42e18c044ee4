import type { Actor, LifecycleStep, PlannedDossier } from './dossier-lifecycle';
import type { SimRandom } from './sim-random';
import type { WorkingClock } from './working-clock';

export type WireItem = Record<string, unknown>;

export interface WireDocument {
  name: string;
  componentCode: string;
  id: string;
  fileKey: string;
  slug: string;
}

/** A planned dossier plus what a sender keeps stable across its re-sends. */
export interface WireDossier {
  planned: PlannedDossier;
  code: string;
  clock: WorkingClock;
  documents: WireDocument[];
  result: WireDocument;
  /** DVCQG account TechID of an online applicant. */
  techId: string;
  /** Names as the sender's database holds them: some were typed on machines that store NFD (DOMAIN §9). */
  spell: (text: string) => string;
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The sender's rendering of a dossier date: `yyyyMMddHHmmss`, "" when unset. */
export function wireDate(dossier: WireDossier, workingSecond: number | null): string {
  return workingSecond === null ? '' : dossier.clock.format(workingSecond);
}

export function prepareWireDossier(
  planned: PlannedDossier,
  code: string,
  clock: WorkingClock,
  rng: SimRandom,
): WireDossier {
  const documentOf = (name: string, componentCode: string): WireDocument => ({
    name,
    componentCode,
    id: String(rng.int(40_000, 99_999)),
    fileKey: `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`,
    slug: slugify(name),
  });
  const nfdNames = new Set<string>();
  if (rng.chance(0.15)) {
    nfdNames.add(planned.applicant.name);
  }
  for (const step of planned.steps) {
    if (step.actor.title !== null && rng.chance(0.1)) {
      nfdNames.add(step.actor.name);
    }
  }
  return {
    planned,
    code,
    clock,
    documents: planned.procedure.documents.map((name, i) => documentOf(name, `TP${i + 1}`)),
    result: documentOf(planned.procedure.result, 'KQ1'),
    techId: `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`,
    spell: (text) => (nfdNames.has(text) ? text.normalize('NFD') : text),
  };
}

/** Whether the dossier has a result document at this step (processing finished, not stopped). */
export function hasResult(step: LifecycleStep): boolean {
  return step.status === 9 || step.status === 10;
}

export function actorName(dossier: WireDossier, actor: Actor): string {
  return dossier.spell(actor.name);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}
