/** The deterministic demo-data generator: generate a firm in memory, write it in bulk. */
export { generateWorld, worldCounts, type GenerateOptions } from './generate.ts';
export { isDatabaseEmpty, resetDatabase, seedDemo, SeedRefusedError, writeWorld, type SeedOptions, type SeedResult } from './write.ts';
export { defaultAsOf } from './dates.ts';
export type { World, WorldHighlights, WorldTables, TableName } from './types.ts';
