/** The deterministic demo-data generator: generate a firm in memory, write it in bulk. */

export { defaultAsOf } from './dates.ts';
export { type GenerateOptions, generateWorld, worldCounts } from './generate.ts';
export type { TableName, World, WorldHighlights, WorldTables } from './types.ts';
export { isDatabaseEmpty, resetDatabase, type SeedOptions, SeedRefusedError, type SeedResult, seedDemo, writeWorld } from './write.ts';
