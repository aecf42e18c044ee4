import type { INestApplication } from '@nestjs/common';
import { PollingService } from '../../apps/sync-service/src/polling/polling.service';

/**
 * A running sync service's pull sources, for tests of other apps (which may not import the sync
 * service themselves): poll one now instead of waiting for its interval, read its in-memory status.
 */
export function pullSources(app: INestApplication): {
  pollNow(id: string): Promise<void>;
  paused(id: string): boolean | null | undefined;
} {
  const polling = app.get(PollingService);
  return {
    pollNow: async (id) => {
      await polling.pollNow(id);
    },
    paused: (id) => polling.statuses().find((s) => s.id === id)?.status.paused,
  };
}
