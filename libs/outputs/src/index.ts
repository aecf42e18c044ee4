export * from './control-sheet';
export * from './control-sheet-pdf';
