import type { CatalogueAdminStore } from '@isohub/persistence';

export interface CodeProblem {
  code: string;
  kind: 'unknown_code' | 'retired';
  message: string;
}

/**
 * Which national codes a mapping may not point at: codes the catalogue never listed, and retired codes
 * (naming their replacement, so the admin maps to the current code instead).
 */
export async function checkNationalCodes(
  catalogue: CatalogueAdminStore,
  codes: string[],
): Promise<Map<string, CodeProblem>> {
  const found = await catalogue.lookup(codes);
  const problems = new Map<string, CodeProblem>();
  for (const code of new Set(codes)) {
    const p = found.get(code);
    if (!p) {
      problems.set(code, { code, kind: 'unknown_code', message: `${code} is not in the national catalogue` });
    } else if (p.validTo !== null) {
      problems.set(code, {
        code,
        kind: 'retired',
        message: p.replacedBy
          ? `${code} is retired; it was replaced by ${p.replacedBy}`
          : `${code} is retired`,
      });
    }
  }
  return problems;
}
