import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../lib/config.ts';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.ts';
import { PGBOSS_POOL_MAX } from '../../sync-jobs/engine.ts';
import { ENTRY_POINTS } from '../support/processes.ts';

// No Docker on the CI machine: these tests hold the Dockerfile and compose.yaml to what the topology
// test (test/ops/topology.test.ts) proves with processes: the same entry points, one port per subgraph
// where the gateways look for it, and a configuration every part accepts in production mode.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (f: string) => readFileSync(`${ROOT}${f}`, 'utf8');
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
type Service = {
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, unknown>;
};
const TSX = ['node', '--import', 'tsx'];
const DEFAULT_PORT_BASE = 4101;

/** compose's `${VAR:?message}` and `${VAR:-default}`, as an operator who set the required variables would get. */
function interpolate(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      String(v)
        .replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) =>
          name === 'POSTGRES_PASSWORD' ? 'pw' : `${name.toLowerCase()}-`.padEnd(40, 'x'),
        )
        .replace(/\$\{\w+:-([^}]*)\}/g, (_, d: string) => d),
    ]),
  );
}

describe('Dockerfile and compose.yaml', () => {
  it('run the same entry points as package.json and the topology test', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts['start:gateway']).toBe(`tsx ${ENTRY_POINTS.gateway}`);
    expect(scripts['start:subgraph']).toBe(`tsx ${ENTRY_POINTS.subgraph}`);
    expect(scripts['start:worker']).toBe(`tsx ${ENTRY_POINTS.worker}`);
    expect(scripts.migrate).toBe(`tsx ${ENTRY_POINTS.migrate}`);
    for (const file of Object.values(ENTRY_POINTS)) expect(existsSync(`${ROOT}${file}`), file).toBe(true);
    expect(read('Dockerfile')).toContain(`CMD ["node", "--import", "tsx", "${ENTRY_POINTS.gateway}"]`);
  });

  it('the image installs production dependencies only, which include what runs the sources', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(read('Dockerfile')).toContain('npm ci --omit=dev');
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tsx', 'esbuild', 'pg', 'pg-boss']));
  });

  it('compose runs PostgreSQL, the migrations, six subgraphs, two gateways and two workers', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(
      ['gateway-1', 'gateway-2', 'migrate', 'postgres', 'worker-1', 'worker-2', ...SUBGRAPH_NAMES].sort(),
    );
    expect(s.migrate!.command).toEqual([...TSX, ENTRY_POINTS.migrate]);
    for (const name of SUBGRAPH_NAMES) {
      expect(s[name]!.command).toEqual([...TSX, ENTRY_POINTS.subgraph, name]);
      expect(s[name]!.depends_on).toHaveProperty('migrate');
    }
    for (const g of ['gateway-1', 'gateway-2']) expect(s[g]!.command).toEqual([...TSX, ENTRY_POINTS.gateway]);
    for (const w of ['worker-1', 'worker-2']) expect(s[w]!.command).toEqual([...TSX, ENTRY_POINTS.worker]);
    expect(s['gateway-1']!.ports).toEqual(['4000:4000']);
    expect(s['gateway-2']!.ports).toEqual(['4001:4000']);
  });

  it('every part accepts its configuration in production mode, and the gateways find each subgraph on its port', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'postgres') continue;
      const env = interpolate(service.environment ?? {});
      const config = loadConfig(env);
      expect(config.nodeEnv, name).toBe('production');
      expect(config.databaseUrl, name).toMatch(/^postgres:\/\/ledgerline:pw@postgres:5432\/ledgerline$/);
      if (SUBGRAPH_NAMES.includes(name as never)) {
        // A subgraph listens on SUBGRAPH_PORT_BASE + its index; its health check probes that port.
        expect(Number(env.PORT_PROBE), name).toBe(config.subgraphPortBase + SUBGRAPH_NAMES.indexOf(name as never));
      }
      if (name.startsWith('gateway')) {
        expect(config.subgraphUrls).toEqual(
          Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, `http://${n}:${DEFAULT_PORT_BASE + i}/graphql`])),
        );
      }
    }
  });

  it("PostgreSQL's max_connections holds every process's pools at their largest (docs/operations.md)", () => {
    const s = compose.services;
    const pool = (name: string) => loadConfig(interpolate(s[name]!.environment ?? {})).dbPoolSize;
    // pg-boss opens up to PGBOSS_POOL_MAX per process; a worker adds its wake-up LISTEN; a
    // gateway has 2 for rate-limit budgets and audit plus its subscriptions' LISTEN.
    const needed =
      SUBGRAPH_NAMES.reduce((n, name) => n + pool(name) + PGBOSS_POOL_MAX, 0) +
      ['worker-1', 'worker-2'].reduce((n, name) => n + pool(name) + PGBOSS_POOL_MAX + 1, 0) +
      ['gateway-1', 'gateway-2'].length * 3;
    const command = s.postgres!.command as string[];
    const max = Number(/max_connections=(\d+)/.exec(command.join(' '))?.[1] ?? 100);
    // Room for the migrations, an operator's psql and PostgreSQL's reserved slots.
    expect(needed + 10).toBeLessThanOrEqual(max);
  });
});
