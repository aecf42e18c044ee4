// openid-client publishes `openid-client/passport` through package.json "exports" only, which the
// repository's `moduleResolution: node` does not read; this points the type checker at its declarations.
declare module 'openid-client/passport' {
  export * from 'openid-client/build/passport';
}
