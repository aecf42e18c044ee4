export * from './processing-time';
export * from './duration-text';
