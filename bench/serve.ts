/**
 * One server of the read benchmark, in its own process so that its CPU and memory are its own:
 *   tsx bench/serve.ts subgraphs   the six Ledgerline subgraphs (DATABASE_URL)
 *   tsx bench/serve.ts ledgerline  the Ledgerline gateway (SUBGRAPH_URLS: JSON name -> url)
 *   tsx bench/serve.ts ledgerline-inproc  gateway and subgraphs in one process, called without HTTP (DATABASE_URL)
 *   tsx bench/serve.ts hive        Hive Gateway, JavaScript query planner, same supergraph and URLs
 *   tsx bench/serve.ts hive-rust   Hive Gateway with the Rust query planner (@graphql-hive/router-runtime)
 *   tsx bench/serve.ts floor       hand-written SQL per operation behind node:http (DATABASE_URL)
 *   tsx bench/serve.ts worker      sync workers (ENGINES engines) on DATABASE_URL
 *   tsx bench/serve.ts stack       subgraphs + gateway with subscriptions, sync enqueue-only (DATABASE_URL)
 * Prints `READY <json>` on stdout when it listens.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { startGateway } from '../gateway/app.ts';
import { startLocalStack } from '../gateway/local-stack.ts';
import { loadSupergraphSdl } from '../gateway/supergraph.ts';

import { createDb, createPool } from '../lib/db.ts';
import { createLogger } from '../lib/logger.ts';
import { serveSubgraph } from '../lib/subgraph.ts';
import { SUBGRAPH_FACTORIES, SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/index.ts';
import { startSync } from '../sync-jobs/runtime.ts';
import { OPERATIONS, type OperationName } from './operations.ts';
import { benchSecurity, hiveAuthPlugin } from './security.ts';

const role = process.argv[2];
/** Every column as PostgreSQL's text: the floor forwards the JSON it built without parsing it. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
const ready = (info: Record<string, unknown>) => process.stdout.write(`READY ${JSON.stringify({ pid: process.pid, ...info })}\n`);
const listen = (server: http.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** The supergraph with each subgraph's routing URL replaced, for gateways that only read the SDL. */
export function supergraphWithUrls(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g, (m, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : m,
  );
}

/** The database as the servers use it; DB_PREPARED_STATEMENTS=false compares without prepared statements. */
const benchDb = () =>
  createDb<any>(createPool(process.env.DATABASE_URL!, Number(process.env.DB_POOL_SIZE ?? 10)), {
    preparedStatements: process.env.DB_PREPARED_STATEMENTS !== 'false',
  });

// Exit cleanly on SIGTERM so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));

async function main() {
  // BENCH_LOG=warn shows what a server logged, e.g. why it died in the restart drill.
  const logger = createLogger((process.env.BENCH_LOG ?? 'silent') as Parameters<typeof createLogger>[0]);
  if (role === 'worker') {
    // Sync workers: ENGINES pg-boss engines in this process, each consuming every queue.
    const db = benchDb();
    const n = Number(process.env.ENGINES ?? 2);
    for (let i = 0; i < n; i++) await startSync({ connectionString: process.env.DATABASE_URL!, db, logger, work: true });
    ready({ engines: n });
    return;
  }
  if (role === 'stack') {
    // What `npm start` serves, minus the workers: subgraphs, gateway and its LISTEN-based subscriptions.
    const db = benchDb();
    const sync = await startSync({ connectionString: process.env.DATABASE_URL!, db, logger, work: false });
    const stack = await startLocalStack({
      ...(await benchSecurity()),
      db,
      logger,
      port: 0,
      host: '127.0.0.1',
      development: false,
      sync: sync.stackOptions,
      databaseUrl: process.env.DATABASE_URL!,
    });
    ready({ url: `http://127.0.0.1:${stack.gateway.port}/graphql` });
    return;
  }
  if (role === 'ledgerline-inproc') {
    // npm start's shape: the subgraphs live in the gateway's process and are called in-process.
    const db = benchDb();
    const stack = await startLocalStack({
      ...(await benchSecurity()),
      db,
      logger,
      port: 0,
      host: '127.0.0.1',
      development: false,
      transport: 'in-process',
    });
    ready({ url: `http://127.0.0.1:${stack.gateway.port}/graphql` });
    return;
  }
  if (role === 'subgraphs') {
    const db = benchDb();
    const security = await benchSecurity();
    const urls = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPH_NAMES) {
      const s = await serveSubgraph(SUBGRAPH_FACTORIES[name](db), {
        port: 0,
        host: '127.0.0.1',
        logger,
        development: false,
        inlineTracing: false,
        contextKey: security.contextKey,
      });
      urls[name] = s.url;
    }
    ready({ urls });
    return;
  }
  if (role === 'floor') {
    const pool = createPool(process.env.DATABASE_URL!, Number(process.env.DB_POOL_SIZE ?? 10));
    const byName = new Map(OPERATIONS.map((o) => [o.name, o]));
    // The same request body a GraphQL client sends; the operation is picked by its name, no parsing.
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            operationName: OperationName;
            variables: Record<string, unknown>;
          };
          const op = byName.get(body.operationName);
          if (!op) throw new Error(`unknown operation ${body.operationName}`);
          // The JSON is built by PostgreSQL: fetch it as text and pass it through untouched.
          const r = await pool.query({ text: op.floorSql, values: op.floorParams(body.variables), rowMode: 'array', types: RAW_TEXT });
          res.writeHead(200, { 'content-type': 'application/json' }).end(r.rows[0][0] as string);
        } catch (err) {
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ message: String((err as Error).message) }] }));
        }
      });
    });
    ready({ url: `http://127.0.0.1:${await listen(server)}/graphql` });
    return;
  }
  const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  if (role === 'ledgerline') {
    const g = await startGateway({
      ...(await benchSecurity()),
      supergraphSdl: loadSupergraphSdl(),
      subgraphUrls: urls,
      port: 0,
      host: '127.0.0.1',
      development: false,
      logger,
    });
    ready({ url: `http://127.0.0.1:${g.port}/graphql` });
    return;
  }
  if (role === 'hive' || role === 'hive-rust') {
    const { createGatewayRuntime } = await import('@graphql-hive/gateway');
    const supergraph = supergraphWithUrls(loadSupergraphSdl(), urls);
    const extra = role === 'hive-rust' ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler } : {};
    const plugins = [await hiveAuthPlugin()];
    // Hive's HTTP transport merges identical in-flight subgraph requests by default, and its key does
    // not include the caller's signed context header: with 16 connections sending one query as one
    // user, most requests then reuse another's subgraph calls (0.06-0.13 calls per request, counted),
    // and with many users it could hand one caller's answer to another. Ledgerline makes every call
    // for its caller, so the peer does too: the comparison is of gateways, not of a cache.
    const transportEntries = { '*.http': { options: { deduplicateInflightRequests: false } } };
    const gateway = createGatewayRuntime({
      supergraph,
      logging: false,
      landingPage: false,
      graphqlEndpoint: '/graphql',
      plugins: () => plugins,
      transportEntries,
      ...extra,
    } as unknown as Parameters<typeof createGatewayRuntime>[0]);
    const server = http.createServer(gateway);
    ready({ url: `http://127.0.0.1:${await listen(server)}/graphql` });
    return;
  }
  throw new Error(`unknown role ${role}`);
}

await main();
