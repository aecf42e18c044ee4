import { describe, expect, it } from 'vitest';
import { EnvReader } from './env';
import { nestLogLevels, readObservability, redactSecrets } from './observability';

describe('readObservability', () => {
  it('logs at info as JSON with tracing off unless asked', () => {
    expect(readObservability(new EnvReader({}), 'svc')).toEqual({
      logLevel: 'info',
      logFormat: 'json',
      otlpTracesUrl: null,
      serviceName: 'svc',
    });
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(nestLogLevels('debug')).toContain('debug');
  });

  it('takes the standard OpenTelemetry variables and refuses a bad value by name', () => {
    const c = readObservability(
      new EnvReader({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/', LOG_LEVEL: 'debug' }),
      'svc',
    );
    expect(c).toMatchObject({ otlpTracesUrl: 'http://otel:4318/v1/traces', logLevel: 'debug' });
    expect(() => readObservability(new EnvReader({ LOG_LEVEL: 'loud' }), 'svc')).toThrow(/LOG_LEVEL/);
    expect(() =>
      readObservability(new EnvReader({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' }), 'svc'),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer ***'],
    ['login {"username":"u","password":"p@ss w\\"x"}', 'login {"username":"u","password":"***"}'],
    ["matkhau='a b'", "matkhau='***'"],
    ['password=hunter2&x=1', 'password=***&x=1'],
    ['postgres://isohub:s3cret@db:5432/isohub', 'postgres://***:***@db:5432/isohub'],
    ['client_secret: abc', 'client_secret: ***'],
  ])('masks %s', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });

  it('leaves ordinary messages alone', () => {
    expect(redactSecrets('POST /lgsp/token: http://bus/token unreachable')).toBe(
      'POST /lgsp/token: http://bus/token unreachable',
    );
    expect(redactSecrets('relay published 12 events for 000.00.01.H56-261208-0001')).toBe(
      'relay published 12 events for 000.00.01.H56-261208-0001',
    );
  });
});
