import { EnvReader } from '@isohub/config';

export const ADMIN_CONFIG = Symbol('ADMIN_CONFIG');

export interface AdminConfig {
  host: string;
  port: number;
  syncServiceUrl: string;
}

/** The only place the admin app reads process.env. */
export function loadAdminConfig(vars: NodeJS.ProcessEnv = process.env): AdminConfig {
  const env = new EnvReader(vars);
  return {
    host: env.string('ADMIN_HOST', '127.0.0.1'),
    port: env.int('ADMIN_PORT', 8081, { min: 0, max: 65535 }),
    syncServiceUrl: env.url('SYNC_SERVICE_URL', 'http://127.0.0.1:8080'),
  };
}
