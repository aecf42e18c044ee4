import Bottleneck from 'bottleneck';
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { RequestGate } from '@isohub/adapters/onestop';
import type { UpstreamConfig } from './pull-sources.config';
import { isRetryablePullError } from './pull-errors';

/**
 * What every source calling one upstream shares: a rate limit and a concurrency cap on its HTTP calls
 * (Bottleneck: cockatiel has no rate limiter; Bottleneck is dependency-free CommonJS with its own types
 * and runs on Node 20), and a circuit breaker on its polls, so a down server stops being hammered by
 * every agency's source at once.
 */
export class Upstream {
  readonly breaker: CircuitBreakerPolicy;
  private readonly limiter: Bottleneck;
  readonly gate: RequestGate;

  constructor(readonly config: UpstreamConfig) {
    this.limiter = new Bottleneck({
      maxConcurrent: config.maxConcurrent,
      minTime: Math.ceil(1000 / config.requestsPerSecond),
    });
    this.gate = <T>(call: () => Promise<T>): Promise<T> => this.limiter.schedule(call);
    this.breaker = circuitBreaker(handleWhen(isRetryablePullError), {
      halfOpenAfter: config.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(config.breakerFailures),
    });
  }

  circuit(): 'closed' | 'open' | 'half-open' | 'isolated' {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'isolated';
    }
  }

  async stop(): Promise<void> {
    await this.limiter.stop({ dropWaitingJobs: true });
  }
}
