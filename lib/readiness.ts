/** One dependency a process needs to serve: its name and how to check it. */
export type ReadinessCheck = { name: string; check: () => Promise<unknown> };

export type Readiness = { ready: boolean; checks: Record<string, 'ok' | 'failing'> };

/**
 * Runs every check at once, each bounded by `timeoutMs`: a load balancer asks often and must get an
 * answer quickly even when a dependency hangs. What failed is named, why is not (the log has it).
 */
export async function readiness(checks: readonly ReadinessCheck[], timeoutMs = 2000): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          }),
        ]);
        return [c.name, 'ok'] as const;
      } catch {
        return [c.name, 'failing'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}
