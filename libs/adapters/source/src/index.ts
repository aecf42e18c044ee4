export * from './source.port';
export * from './adapter-error';
