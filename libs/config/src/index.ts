export * from './env';
export * from './observability';
