export * from './event-bus.port';
export * from './outbox-store.port';
export * from './outbox-relay';
export * from './kafka-event-bus.adapter';
