export * from './control-sheet';
