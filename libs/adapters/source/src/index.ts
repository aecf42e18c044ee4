export * from './source.port';
