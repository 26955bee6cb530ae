/**
 * What each part of the benchmark (bench/parts/*) is given by the runner (bench/run.ts). Kept apart
 * from run.ts so the parts import it and run.ts imports them: no circle.
 */
import type { BenchData } from './data.ts';
export type PartContext = { quick: boolean; data: BenchData; log: (msg: string) => void; profile: boolean; profileDir: string };
