// The history of moves, drains, returns, HA workflows and maintenance windows: the store (store.ts), what is
// recorded when (recording.ts), and the exports (export.ts).

export * from './export';
export * from './recording';
export * from './store';
