import type { Provider } from '@nestjs/common';
import { ForwarderService } from './forwarder.service';
import { TakeoverUpstreams } from './takeover-upstreams';

/** The forwarder (takeover senders only, each delivered with its own upstream account). */
export const FORWARD_PROVIDERS: Provider[] = [TakeoverUpstreams, ForwarderService];
