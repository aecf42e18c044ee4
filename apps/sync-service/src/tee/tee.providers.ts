import type { Provider } from '@nestjs/common';
import { TeeCallsController } from './tee-calls.controller';
import { TeeCallStore } from './tee-calls.store';
import { TeeMetrics } from './tee-metrics';
import { TeeProxy } from './tee-proxy.service';
import { UpstreamSessions } from './upstream-sessions.service';

/** The transparent tee's providers (its takeover handlers are registered with the module's own). */
export const TEE_PROVIDERS: Provider[] = [UpstreamSessions, TeeCallStore, TeeMetrics, TeeProxy];

export { TeeCallsController };
