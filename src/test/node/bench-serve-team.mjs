// `omem serve` as a team uses it: many clients, each with its own tenant key, mixing searches and
// stores, against one or several servers side by side (issue 16's hostile load, issue 19's "2x").
//
// Run:  scripts/bench-serve --team [options]
// Options: --target LABEL=JAR[:BACKEND]  one server under test; repeat it. BACKEND is sqlite
//                                        (default), pg1 (one node on PostgreSQL) or pg3 (three
//                                        nodes on one PostgreSQL). Default: new=target/omem.jar
//          --n N              memories seeded into each target, spread over the tenants (10000)
//          --tenants K        tenants, one key each (32)
//          --clients C        concurrent clients, client k uses tenant k mod K (32)
//          --store-share F    the share of a client's requests that are stores (0.5)
//          --rounds R         measured rounds per target (3); the targets alternate, ABBA order
//          --seconds S        measured seconds per round (20)     --warmup S  unmeasured (5)
//          --seed-clients C   concurrent clients while seeding (8)
//          --seed import|post import: one import per tenant (default, the cheap way to fill a
//                             store); post: one POST /v1/memories per memory
//          --java-args "..."  JVM flags for every server (e.g. a JFR recording)
//          --out FILE         also write the figures as JSON
//
// Every target is started and seeded first, then the rounds run target after target, so that the
// machine's other load (this box is shared) falls on all of them alike; read ratios. A pg target
// gets its own database in one throwaway PostgreSQL cluster (initdb under the system temp dir, a
// random port, `runuser -u postgres` when root, Debian's binaries), started with its default
// durability (fsync on), and removed at the end. On a pg3 target, clients are spread over the
// three nodes, and a prober measures the replication lag while the load runs: it stores a memory
// with a unique word through node i, then searches that word on node i+1 every 10 ms; the lag is
// from the store's answer to the answer of the first search that finds it (an upper bound: that
// search's own time under the load is in it), and, as a lower bound, to the sending of the last
// search that missed it. Beside the probes, the nodes' own measure of every write the load makes:
// omem_index_replication_lag_seconds from each node's /metrics (from another node's change-log
// entry to the reader refresh that made it searchable), summed over the nodes and taken as the
// difference between the start and the end of each round's measured part; p50 and p99 as
// Prometheus' histogram_quantile estimates them (linear within a bucket).

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCorpus, prng } from './bench-corpus.mjs';
import { machine, percentile, procCpuSeconds, procStatus, request, startServer } from './bench-serve.mjs';

const STORE_POOL = 20_000;
const PG_BIN = process.env.OMEM_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const log = (msg) => process.stderr.write(`bench-serve --team: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const o = {
    targets: [],
    n: 10_000,
    tenants: 32,
    clients: 32,
    storeShare: 0.5,
    rounds: 3,
    seconds: 20,
    warmup: 5,
    seedClients: 8,
    seed: 'import',
    javaArgs: [],
    out: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') && !a.startsWith('--target=') ? a.split(/=(.*)/s) : [a, null];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--team':
        break;
      case '--target':
        o.targets.push(parseTarget(val()));
        break;
      case '--n':
        o.n = Number(val());
        break;
      case '--tenants':
        o.tenants = Number(val());
        break;
      case '--clients':
        o.clients = Number(val());
        break;
      case '--store-share':
        o.storeShare = Number(val());
        break;
      case '--rounds':
        o.rounds = Number(val());
        break;
      case '--seconds':
        o.seconds = Number(val());
        break;
      case '--warmup':
        o.warmup = Number(val());
        break;
      case '--seed-clients':
        o.seedClients = Number(val());
        break;
      case '--seed':
        o.seed = val();
        break;
      case '--java-args':
        o.javaArgs = val().split(/\s+/).filter(Boolean);
        break;
      case '--out':
        o.out = resolve(val());
        break;
      default:
        if (a.startsWith('--target=')) {
          o.targets.push(parseTarget(a.slice('--target='.length)));
          break;
        }
        throw new Error(`unknown argument ${a}`);
    }
  }
  if (o.targets.length === 0) o.targets.push(parseTarget(`new=${join('target', 'omem.jar')}`));
  return o;
}

function parseTarget(s) {
  const m = /^([^=]+)=(.+?)(?::(sqlite|pg1|pg3))?$/.exec(s);
  if (!m) throw new Error(`bad --target ${s} (LABEL=JAR[:sqlite|pg1|pg3])`);
  const backend = m[3] ?? 'sqlite';
  return { label: m[1], jar: resolve(m[2]), backend, nodes: backend === 'pg3' ? 3 : 1 };
}

// ---- PostgreSQL: a throwaway cluster as the tests start it ------------------------------------

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function startPostgres() {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'omem-bench-pg-'));
  const asPg = (cmd, args) => {
    const full = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(full[0], full[1], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  asPg(join(PG_BIN, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  const port = await freePort();
  // Default durability (fsync, synchronous_commit on): a store acknowledged is on disk.
  asPg(join(PG_BIN, 'pg_ctl'), [
    '-D', join(dir, 'data'), 'start', '-w', '-t', '60', '-l', join(dir, 'postgres.log'),
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
  ]);
  const version = asPg(join(PG_BIN, 'postgres'), ['--version']).trim();
  return {
    port,
    version,
    createDatabase(name) {
      asPg(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        asPg(join(PG_BIN, 'pg_ctl'), ['-D', join(dir, 'data'), 'stop', '-m', 'fast', '-w']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// ---- targets -----------------------------------------------------------------------------------

async function startTarget(t, opts, pg) {
  const database = t.backend === 'sqlite' ? null : pg.createDatabase(`bench_${t.label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`);
  t.database = database;
  t.servers = [];
  for (let i = 0; i < t.nodes; i++) {
    t.servers.push(await startServer(t.jar, { database, javaArgs: opts.javaArgs }));
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  t.keys = [];
  for (let k = 0; k < opts.tenants + 1; k++) {
    const r = await request(agent, t.servers[0].port, null, 'POST', '/v1/tenants', { name: `bench-${k}` });
    if (r.status !== 201) throw new Error(`${t.label}: sign-up ${k}: ${r.status} ${r.body}`);
    t.keys.push(JSON.parse(r.body).api_key);
  }
  t.lagKey = t.keys.pop(); // the lag prober's own tenant, so its probes never meet the load's
  // The model loads in the background; a search in hybrid mode says it is there.
  const t0 = performance.now();
  for (const s of t.servers) {
    for (;;) {
      const r = await request(agent, s.port, t.keys[0], 'GET', '/v1/memories/search?q=deploy&include_trace=true');
      if (r.status === 200 && JSON.parse(r.body).trace?.mode === 'hybrid') break;
      if (performance.now() - t0 > 180_000) throw new Error(`${t.label}: model not ready: ${r.status} ${r.body}`);
      await sleep(200);
    }
  }
  agent.destroy();
}

/**
 * Seeds through each tenant's import (POST /v1/imports, ourmem's memory file, one per tenant):
 * batched embedding and one transaction per 100, the cheap way to fill a store on a busy machine.
 */
async function seedByImport(t, memories, opts) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.seedClients });
  const t0 = performance.now();
  const byTenant = t.keys.map(() => []);
  memories.forEach((m, i) => byTenant[i % t.keys.length].push({ content: m.text, tags: [m.template], project: 'github.com/acme/bench' }));
  let next = 0;
  const loop = async () => {
    while (next < t.keys.length) {
      const k = next++;
      const key = t.keys[k];
      const s = t.servers[k % t.servers.length];
      let r = await request(agent, s.port, key, 'POST', '/v1/imports?wait=25', { file_type: 'memory', content: JSON.stringify(byTenant[k]) });
      let rec = JSON.parse(r.body);
      while (r.status === 202 || rec.status === 'running') {
        await sleep(1000);
        r = await request(agent, s.port, key, 'GET', `/v1/imports/${rec.id}`);
        rec = JSON.parse(r.body);
      }
      if (r.status !== 200 || rec.imported !== byTenant[k].length) throw new Error(`${t.label}: import ${k}: ${r.status} ${r.body.toString().slice(0, 300)}`);
      log(`${t.label}: tenant ${k + 1}/${t.keys.length} imported (${rec.imported})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.seedClients, 2) }, loop));
  agent.destroy();
  return (performance.now() - t0) / 1000;
}

async function seedTarget(t, memories, opts) {
  if (opts.seed === 'import') return seedByImport(t, memories, opts);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.seedClients });
  let k = 0;
  const t0 = performance.now();
  let lastLog = t0;
  const loop = async () => {
    while (k < memories.length) {
      const i = k++;
      const m = memories[i];
      const s = t.servers[i % t.servers.length];
      for (;;) {
        const r = await request(agent, s.port, t.keys[i % t.keys.length], 'POST', '/v1/memories', { content: m.text, tags: [m.template] });
        if (r.status === 201) break;
        if (r.status === 429) {
          await sleep(1000);
          continue;
        }
        throw new Error(`${t.label}: seeding ${i}: ${r.status} ${r.body}`);
      }
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`${t.label}: seeded ${i + 1}/${memories.length}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.seedClients }, loop));
  agent.destroy();
  return (performance.now() - t0) / 1000;
}

// ---- one measured round ------------------------------------------------------------------------

async function runRound(t, opts, work) {
  const agents = t.servers.map(() => new http.Agent({ keepAlive: true, maxSockets: opts.clients, maxFreeSockets: opts.clients }));
  const lat = { search: [], store: [] };
  const out = { errors: 0, firstError: null, hits: 0, searched: 0, rateLimited: 0 };
  let measuring = false;
  let stop = false;
  const client = async (c) => {
    const rnd = prng(1000 + c + 7919 * work.round);
    const tenant = c % t.keys.length;
    const node = c % t.servers.length;
    const key = t.keys[tenant];
    const mine = work.queriesOf[tenant];
    let qi = 0;
    while (!stop) {
      const isStore = rnd() < opts.storeShare;
      let r;
      let q;
      if (isStore) {
        const k = work.storeNext++;
        const base = work.storePool[k % work.storePool.length];
        const text = k < work.storePool.length ? base.text : `${base.text} (entry ${k})`;
        r = { method: 'POST', path: '/v1/memories', body: { content: text, tags: [base.template] } };
      } else {
        q = mine[qi++ % mine.length];
        r = { method: 'GET', path: `/v1/memories/search?q=${encodeURIComponent(q.paraphrase)}&limit=10` };
      }
      let res;
      try {
        res = await request(agents[node], t.servers[node].port, key, r.method, r.path, r.body);
      } catch (e) {
        res = { status: 0, body: Buffer.from(String(e)), ms: NaN };
      }
      if (!measuring) continue;
      if (res.status < 200 || res.status >= 300) {
        out.errors++;
        if (res.status === 429) out.rateLimited++;
        out.firstError ??= `${res.status} ${res.body.toString().slice(0, 200)}`;
        continue;
      }
      lat[isStore ? 'store' : 'search'].push(res.ms);
      if (!isStore) {
        out.searched++;
        if (JSON.parse(res.body).results.some((x) => x.memory.content === work.seedSet[q.target].text)) out.hits++;
      }
    }
  };
  const clients = Array.from({ length: opts.clients }, (_, c) => client(c));
  const lags = [];
  const lagFloors = [];
  const prober = t.servers.length > 1 ? probeLag(t, () => stop, () => measuring, lags, lagFloors) : null;
  await sleep(opts.warmup * 1000);
  const lagBuckets0 = t.servers.length > 1 ? await lagBuckets(t) : null;
  measuring = true;
  const cpu0 = t.servers.map((s) => procCpuSeconds(s.pid));
  const t0 = performance.now();
  await sleep(opts.seconds * 1000);
  measuring = false;
  const wall = (performance.now() - t0) / 1000;
  const cpu = t.servers.reduce((a, s, i) => a + procCpuSeconds(s.pid) - cpu0[i], 0);
  const load1 = loadavg()[0];
  const lagBuckets1 = lagBuckets0 ? await lagBuckets(t) : null;
  stop = true;
  await Promise.all(clients);
  if (prober) await prober;
  agents.forEach((a) => a.destroy());
  const nodeLag = lagBuckets0 && lagBuckets1 ? subtractBuckets(lagBuckets1, lagBuckets0) : null;
  return { wall, cpu, load1, lat, lags, lagFloors, nodeLag, ...out };
}

const LAG_METRIC = 'omem_index_replication_lag_seconds_bucket';

/**
 * The nodes' replication-lag histograms summed ({@code omem_index_replication_lag_seconds}: each
 * node's own measure of other nodes' writes, from the change-log entry to the reader refresh that
 * made it searchable); a Map of upper bound (s) to cumulative count, or null when a node has none
 * (an older jar).
 */
async function lagBuckets(t) {
  const agent = new http.Agent({ keepAlive: false });
  const sum = new Map();
  try {
    for (const s of t.servers) {
      const r = await request(agent, s.port, null, 'GET', '/metrics');
      if (r.status !== 200) return null;
      let found = false;
      for (const line of r.body.toString().split('\n')) {
        const m = line.match(/^omem_index_replication_lag_seconds_bucket\{le="([^"]+)"\} ([0-9.eE+]+)$/);
        if (!m) continue;
        found = true;
        const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
        sum.set(le, (sum.get(le) ?? 0) + Number(m[2]));
      }
      if (!found) return null;
    }
  } finally {
    agent.destroy();
  }
  return sum;
}

function subtractBuckets(a, b) {
  const out = new Map();
  for (const [le, n] of a) out.set(le, n - (b.get(le) ?? 0));
  return out;
}

function addBuckets(a, b) {
  if (!a) return b;
  if (!b) return a;
  return subtractBuckets(a, new Map([...b].map(([le, n]) => [le, -n])));
}

/** histogram_quantile's estimate: linear within the bucket the rank falls in; ms. */
function bucketQuantile(buckets, q) {
  const les = [...buckets.keys()].sort((x, y) => x - y);
  const total = buckets.get(Infinity) ?? buckets.get(les[les.length - 1]);
  if (!total) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevN = 0;
  for (const le of les) {
    const n = buckets.get(le);
    if (n >= rank) {
      if (le === Infinity) return prevLe * 1000;
      return (prevLe + ((le - prevLe) * (rank - prevN)) / Math.max(1e-9, n - prevN)) * 1000;
    }
    prevLe = le;
    prevN = n;
  }
  return NaN;
}

/** Stores a unique word through node i and searches it on node i+1 until found; lag in ms. */
async function probeLag(t, stopped, measuring, lags, lagFloors) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  let k = 0;
  while (!stopped()) {
    const from = k % t.servers.length;
    const to = (k + 1) % t.servers.length;
    const word = `lagprobe${t.label.replace(/[^a-z0-9]/gi, '')}x${Date.now().toString(36)}y${k++}`;
    const w = await request(agent, t.servers[from].port, t.lagKey, 'POST', '/v1/memories', {
      content: `Replication probe ${word} written through node ${from}.`,
    });
    if (w.status !== 201) {
      await sleep(100);
      continue;
    }
    const acked = performance.now();
    let lastMiss = acked;
    const counted = measuring();
    for (;;) {
      const sent = performance.now();
      const r = await request(agent, t.servers[to].port, t.lagKey, 'GET', `/v1/memories/search?q=${word}&limit=1&min_score=0`);
      if (r.status === 200 && JSON.parse(r.body).results.some((x) => x.memory.content.includes(word))) {
        if (counted) {
          lags.push(performance.now() - acked);
          // Visible after the last search that missed it was sent (the lower bound) and before
          // this answer (the upper bound); the searches' own queueing under the load is between.
          lagFloors.push(lastMiss - acked);
        }
        break;
      }
      lastMiss = sent;
      if (performance.now() - acked > 30_000) {
        if (counted) lags.push(Infinity);
        break;
      }
      await sleep(10);
    }
    await sleep(50);
  }
  agent.destroy();
}

// ---- the report --------------------------------------------------------------------------------

const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(d));

function summarise(t, rounds) {
  const all = { search: [], store: [] };
  let wall = 0;
  let cpu = 0;
  let errors = 0;
  let hits = 0;
  let searched = 0;
  const lags = [];
  const lagFloors = [];
  const loads = [];
  const perRound = [];
  let nodeLag = null;
  for (const r of rounds) {
    nodeLag = addBuckets(nodeLag, r.nodeLag);
    all.search.push(...r.lat.search);
    all.store.push(...r.lat.store);
    wall += r.wall;
    cpu += r.cpu;
    errors += r.errors;
    hits += r.hits;
    searched += r.searched;
    lags.push(...r.lags);
    lagFloors.push(...r.lagFloors);
    loads.push(r.load1);
    perRound.push((r.lat.search.length + r.lat.store.length) / r.wall);
  }
  all.search.sort((a, b) => a - b);
  all.store.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  lagFloors.sort((a, b) => a - b);
  const n = all.search.length + all.store.length;
  return {
    label: t.label,
    backend: t.backend,
    nodes: t.nodes,
    rps: n / wall,
    perRound,
    searchRps: all.search.length / wall,
    storeRps: all.store.length / wall,
    search: { p50: percentile(all.search, 50), p95: percentile(all.search, 95), p99: percentile(all.search, 99) },
    store: { p50: percentile(all.store, 50), p95: percentile(all.store, 95), p99: percentile(all.store, 99) },
    cpuMsPerRequest: (cpu * 1000) / n,
    serverCores: cpu / wall,
    errors,
    firstError: rounds.find((r) => r.firstError)?.firstError ?? null,
    hitRate: hits / searched,
    lag: lags.length
      ? { n: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1], floorP50: percentile(lagFloors, 50), floorP99: percentile(lagFloors, 99) }
      : null,
    nodeLag: nodeLag && (nodeLag.get(Infinity) ?? 0) > 0
      ? { n: nodeLag.get(Infinity), p50: bucketQuantile(nodeLag, 0.5), p99: bucketQuantile(nodeLag, 0.99) }
      : null,
    loads,
  };
}

function report(m, opts, targets, sums, pg) {
  const out = [];
  out.push(`- Date: ${m.date}; machine: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB, ${m.os}`);
  out.push(`- Load average (1/5/15 min): ${m.loadStart} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`);
  out.push(`- Java: ${m.java}; Node.js: ${m.node}${pg ? `; ${pg.version}, default durability (fsync on), max_connections 200` : ''}`);
  for (const t of targets) {
    out.push(
      `- ${t.label}: ${t.jar}, ${t.backend === 'sqlite' ? 'SQLite' : `PostgreSQL, ${t.nodes} node${t.nodes > 1 ? 's' : ''}`}` +
        `${opts.javaArgs.length ? `, JVM flags ${opts.javaArgs.join(' ')}` : ', JVM defaults'}; seeded ${opts.n} memories in ${f(t.seedSeconds, 0)} s`,
    );
  }
  out.push(
    `- Load: ${opts.clients} closed-loop clients (node:http keep-alive), client k with tenant k mod ${opts.tenants}, each tenant its own key (POST /v1/tenants, rate limit 50/s per tenant as shipped); each request a store with probability ${opts.storeShare}, else a search (GET /v1/memories/search, limit 10, a paraphrase question whose target the client's tenant holds); ${opts.rounds} rounds of ${opts.seconds} s (${opts.warmup} s unmeasured before each), the targets alternating (ABBA)`,
  );
  out.push('');
  out.push('| target | backend | req/s | req/s per round | search/s | store/s | search p50 / p95 / p99 ms | store p50 / p95 / p99 ms | server CPU ms per request | server cores | errors | hit@10 | lag p50 / p99 / max ms (probes); lower bound p50 / p99 | lag p50 / p99 ms (nodes\' metric; writes) | load avg (1 min) per round |');
  out.push('|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const s of sums) {
    out.push(
      `| ${s.label} | ${s.backend} | ${f(s.rps)} | ${s.perRound.map((x) => f(x)).join(', ')} | ${f(s.searchRps)} | ${f(s.storeRps)} | ${f(s.search.p50, 0)} / ${f(s.search.p95, 0)} / ${f(s.search.p99, 0)} | ${f(s.store.p50, 0)} / ${f(s.store.p95, 0)} / ${f(s.store.p99, 0)} | ${f(s.cpuMsPerRequest)} | ${f(s.serverCores, 2)} | ${s.errors} | ${f(s.hitRate * 100, 1)}% | ${s.lag ? `${f(s.lag.p50, 0)} / ${f(s.lag.p99, 0)} / ${f(s.lag.max, 0)} (${s.lag.n}); ${f(s.lag.floorP50, 0)} / ${f(s.lag.floorP99, 0)}` : '—'} | ${s.nodeLag ? `${f(s.nodeLag.p50, 0)} / ${f(s.nodeLag.p99, 0)} (${s.nodeLag.n})` : '—'} | ${s.loads.map((x) => f(x, 1)).join(', ')} |`,
    );
  }
  for (const s of sums) if (s.firstError) out.push(`- ${s.label}: first error: ${s.firstError}`);
  return out.join('\n') + '\n';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const m = machine({ jar: opts.targets.map((t) => t.jar).join(', ') });
  const corpus = buildCorpus(opts.n, 200, 42);
  const seedSet = corpus.memories;
  const storePool = buildCorpus(opts.n + STORE_POOL, 0, 42).memories.slice(opts.n);
  // Memory i goes to tenant i mod K, so a question is asked by a client of the target's tenant.
  const queriesOf = Array.from({ length: opts.tenants }, (_, k) => corpus.queries.filter((q) => q.target % opts.tenants === k));
  for (let k = 0; k < opts.tenants; k++) if (queriesOf[k].length === 0) queriesOf[k] = corpus.queries.slice(k % corpus.queries.length, k % corpus.queries.length + 1);
  const pg = opts.targets.some((t) => t.backend !== 'sqlite') ? await startPostgres() : null;
  const rounds = new Map(opts.targets.map((t) => [t, []]));
  try {
    for (const t of opts.targets) {
      log(`${t.label}: starting ${t.nodes} node(s) of ${t.jar} (${t.backend})`);
      await startTarget(t, opts, pg);
      log(`${t.label}: seeding ${opts.n} memories`);
      t.seedSeconds = await seedTarget(t, seedSet, opts);
      log(`${t.label}: seeded in ${t.seedSeconds.toFixed(0)} s; RSS ${t.servers.map((s) => Math.round(procStatus(s.pid).rssKb / 1024)).join('/')} MB`);
    }
    const work = { seedSet, storePool, queriesOf, storeNext: 0, round: 0 };
    for (let r = 0; r < opts.rounds; r++) {
      const order = r % 2 === 0 ? opts.targets : [...opts.targets].reverse();
      for (const t of order) {
        work.round = r;
        const res = await runRound(t, opts, work);
        rounds.get(t).push(res);
        const n = res.lat.search.length + res.lat.store.length;
        log(
          `round ${r + 1} ${t.label}: ${f(n / res.wall)} req/s, search p50 ${f(percentile(res.lat.search.sort((a, b) => a - b), 50), 0)} ms, store p50 ${f(percentile(res.lat.store.sort((a, b) => a - b), 50), 0)} ms, errors ${res.errors}${res.firstError ? ` (${res.firstError})` : ''}, server ${f(res.cpu / res.wall, 2)} cores, load ${f(res.load1)}` +
            (res.lags.length ? `, lag p50 ${f(percentile(res.lags.sort((a, b) => a - b), 50), 0)} ms` : '') +
            (res.nodeLag && res.nodeLag.get(Infinity) ? `, nodes' lag p50 / p99 ${f(bucketQuantile(res.nodeLag, 0.5), 0)} / ${f(bucketQuantile(res.nodeLag, 0.99), 0)} ms (${res.nodeLag.get(Infinity)} writes)` : ''),
        );
      }
    }
  } finally {
    for (const t of opts.targets) {
      for (const s of t.servers ?? []) {
        s.child.kill('SIGTERM');
        await new Promise((r) => (s.child.exitCode !== null ? r() : s.child.once('exit', r)));
        rmSync(s.home, { recursive: true, force: true });
      }
    }
    pg?.stop();
  }
  const sums = opts.targets.map((t) => summarise(t, rounds.get(t)));
  process.stdout.write(report(m, opts, opts.targets, sums, pg));
  if (opts.out) writeFileSync(opts.out, JSON.stringify({ machine: m, opts, sums }, null, 2));
}

main().catch((e) => {
  process.stderr.write(`bench-serve --team: ${e.stack ?? e}\n`);
  process.exit(1);
});
