export * from './control-sheet';
export * from './control-sheet-pdf';
export * from './control-sheet-xlsx';
