export * from './mapping.contract';
