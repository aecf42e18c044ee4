export * from './event-types';
export * from './dossier-event';
