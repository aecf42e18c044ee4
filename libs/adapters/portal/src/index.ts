export * from './portal.port';
export * from './portal.errors';
export * from './portal.config';
export { classifyOutcome, parsePortalAnswer } from './portal-answer';
export { isStaleSessionAnswer } from './portal-session';
export { PortalAdapter } from './portal.adapter';
export { PortalModule, type PortalModuleAsyncOptions } from './portal.module';
export { parseCatalogueAnswer } from './portal-catalogue-answer';
export * from './portal-catalogue.mapper';
