import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const MAPPING_CONFIG = Symbol('MAPPING_CONFIG');

/** Upload limit for imports and catalogue refreshes (the full catalogue CSV is ~2 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface MappingConfig {
  /** National catalogue CSV seeded into an empty catalogue at start; null = do not seed. */
  catalogueCsv: string | null;
}

/** Same default as the sync service: `../shared/data/procedures.csv` from the working directory. */
export function defaultMappingConfig(root: string = process.cwd()): MappingConfig {
  const csv = resolve(root, '../shared/data/procedures.csv');
  return { catalogueCsv: existsSync(csv) ? csv : null };
}
