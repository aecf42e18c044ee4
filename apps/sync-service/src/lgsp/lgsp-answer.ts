import type { IngestResult } from '../ingest/ingest.types';

/**
 * What OpenCPS's LGSP client does with an answer (VietOpenCPS/opencps-v2,
 * modules/backend-dossiermgt/backend-dossiermgt-service/src/main/java/org/opencps/dossiermgt/):
 * - `scheduler/InvokeREST.java` `callPostAPIRaw` keeps only the HTTP status and the body text; on a status
 *   >= 400 `getInputStream()` throws, so the caller gets no status at all.
 * - `scheduler/PublishEventScheduler.java` `processPublish` counts a SyncDocument as delivered only when that
 *   status is exactly 200, then posts UpdateDocumentTraces and again needs exactly 200; anything else leaves
 *   the publish queue entry for a retry. The body is stored as the "acknowledgement" and never parsed.
 * - `rest/utils/LGSPRestClient.java` `getToken` accepts only 200 and reads `access_token`, `token_type`,
 *   `expires_in` (an int) and `scope` from the body (`OpenCPSConverter.convertMtoken`).
 * - Bodies are read with the JVM's platform charset, so answers are ASCII-only JSON.
 * So isohub answers 200 only when every item is stored (events or "nothing new"); a dead-lettered item makes
 * the whole answer 422, the sender retries, accepted items are idempotent on re-send (deterministic ids) and
 * the dead letter is de-duplicated by payload hash. The body mirrors the LGSP's own `MResult`
 * (`lgsp_schema.xsd`: `Status`, `Message`) plus per-item detail for senders that do read it.
 */
export interface LgspItemAnswer {
  Index: number;
  DocCode: string | null;
  Accepted: boolean;
  Events: number;
  Errors?: { field: string; code: string; message: string }[];
}

export interface LgspAnswer {
  Status: number;
  Message: string;
  Items: LgspItemAnswer[];
}

export function lgspAnswer(result: IngestResult): LgspAnswer {
  const items = result.items.map((i): LgspItemAnswer => ({
    Index: i.index,
    DocCode: i.dossierCode,
    Accepted: i.accepted,
    Events: i.events,
    ...(i.accepted ? {} : { Errors: i.errors }),
  }));
  if (result.rejected === 0) {
    return { Status: 200, Message: `OK: ${result.accepted} item(s) stored`, Items: items };
  }
  const first = result.items.find((i) => !i.accepted)?.errors[0];
  return {
    Status: 422,
    Message:
      `${result.rejected}/${result.items.length} item(s) rejected` +
      (first ? ` (${first.field}: ${first.message})` : '') +
      (result.accepted > 0 ? `; ${result.accepted} stored, re-sending them is harmless` : ''),
    Items: items,
  };
}
