export * from './data-source';
export * from './outbox.store';
export * from './ingest.store';
export * from './catalogue.store';
export * from './forward.store';
export * from './held-events.store';
