import type { Provider } from '@nestjs/common';
import { LgspAdapter } from '@isohub/adapters/lgsp';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { ForwarderService, LGSP_FORWARD_PORT } from './forwarder.service';

/** The forwarder and its LGSP upstream (isohub's own client of the bus, only when LGSP forwarding is on). */
export const FORWARD_PROVIDERS: Provider[] = [
  {
    provide: LGSP_FORWARD_PORT,
    inject: [SYNC_CONFIG],
    useFactory: (c: SyncServiceConfig) =>
      c.lgspForward.enabled && c.lgspForward.bus ? new LgspAdapter(c.lgspForward.bus) : null,
  },
  ForwarderService,
];
