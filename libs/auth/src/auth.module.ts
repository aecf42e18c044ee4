import {
  type DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Store } from 'express-session';
import { AUTH_CONFIG, type AuthConfig, type AuthModuleOptions } from './auth.config';
import { AuthErrorFilter } from './auth-error.filter';
import { SESSION_STORE, sessionMiddleware } from './auth-session';
import { AuthGuard } from './auth.guard';
import { BearerTokenVerifier } from './bearer-token.verifier';
import { LoginFlow } from './login.flow';
import { MemorySessionStore } from './memory-session.store';
import { OIDC_PORT } from './oidc.port';
import { OpenIdClientAdapter } from './openid-client.adapter';

/**
 * OIDC login (authorization code + PKCE), sessions, bearer tokens, CSRF and the global role guard for
 * an app's HTTP routes. Import once, in the app's root module: `AuthModule.forRoot(config.auth)`.
 */
@Global()
@Module({})
export class AuthModule implements NestModule, OnModuleDestroy {
  static forRoot(config: AuthConfig, options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        sessionStoreProvider(config, options),
        { provide: OIDC_PORT, useFactory: () => new OpenIdClientAdapter(config.oidc) },
        BearerTokenVerifier,
        LoginFlow,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AuthErrorFilter },
      ],
      exports: [AUTH_CONFIG, LoginFlow, BearerTokenVerifier],
    };
  }

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(SESSION_STORE) private readonly store: Store,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(sessionMiddleware(this.config.session, this.store)).forRoutes('{*path}');
  }

  onModuleDestroy(): void {
    const closable = this.store as Store & { close?: () => void };
    if (typeof closable.close === 'function') {
      closable.close();
    }
  }
}

function sessionStoreProvider(config: AuthConfig, options: AuthModuleOptions): Provider {
  const store = options.sessionStore;
  if (store instanceof Store) {
    return { provide: SESSION_STORE, useValue: store };
  }
  if (store) {
    return { provide: SESSION_STORE, inject: store.inject, useFactory: store.useFactory };
  }
  return {
    provide: SESSION_STORE,
    useFactory: (): Store =>
      new MemorySessionStore({
        ttlMs: config.session.idleTimeoutMs,
        preLoginMax: config.session.preLoginMax,
      }),
  };
}
