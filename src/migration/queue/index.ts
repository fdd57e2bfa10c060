// The migration queue (migrationQueue.ts) and the scheduling rule it follows (schedule.ts).

export * from './migrationQueue';
export * from './schedule';
