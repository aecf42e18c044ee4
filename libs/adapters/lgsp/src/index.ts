export * from './lgsp.port';
export * from './lgsp.errors';
export * from './lgsp.config';
export * from './lgsp-source.config';
export { assertSafeXml, decodeXmlText, parseSafeXml } from './lgsp-xml';
export { decodeCursor, encodeCursor, readCursor, type LgspCursor } from './lgsp-cursor';
export type { LgspRequestGate } from './lgsp-http';
export { LgspTokenClient, type LgspTokenConfig } from './lgsp-token.client';
export { LgspRestAdapter } from './lgsp-rest.adapter';
export { LgspSoapAdapter } from './lgsp-soap.adapter';
export { LgspAdapter } from './lgsp.adapter';
export {
  createLgspSoapSource,
  lgspLookupOf,
  LgspSoapSource,
  type LgspSoapSourceOptions,
} from './lgsp-soap.source';
export { LgspModule, type LgspModuleAsyncOptions } from './lgsp.module';
