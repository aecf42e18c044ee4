export * from './processing-time';
export * from './duration-text';
export * from './calendar/working-calendar';
