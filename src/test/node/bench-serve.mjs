// `omem serve` under load: a real server on loopback, filled with N synthetic memories through the
// REST API, then search (GET /v1/memories/search) and store (POST /v1/memories) driven by 1, 8 and
// 32 concurrent clients, each sending its next request as soon as the last one is answered.
//
// Run:  scripts/bench-serve            (or: node src/test/node/bench-serve.mjs --jar target/omem.jar)
// Options: --n N             memories to seed (default 10000)
//          --clients LIST    concurrency levels (default 1,8,32)
//          --seconds S       measured time per operation and level (default 15)
//          --warmup S        unmeasured time before each (default 3)
//          --prewarm S       unmeasured searches (8 clients) before the first search row, so the
//                            JIT has compiled the search path as on a running server (default 10)
//          --seed-clients C  concurrent clients while seeding (default 8)
//          --limit L         search limit (default 10, what the MCP tool returns)
//          --jar PATH        (default target/omem.jar)   --out FILE  also write the figures as JSON
//          --keep            keep the data directory (printed)
//
// The client is node:http with one keep-alive http.Agent per level (maxSockets = clients, so
// exactly that many connections), in one event-loop thread: the cheapest load generator on a
// machine whose two cores the server needs too (fetch costs several times its CPU per request; a
// JVM client would warm up its own JIT and threads beside the server's). Its own CPU use is
// reported next to the server's.
//
// Authentication: the daemon token from <home>/daemon.json as X-API-Key. It acts as the store's
// own tenant and is exempt from the per-key rate limit (50 requests/s, bursts of 200), which a
// tenant key would hit at once; everything else (key check, routing, JSON, the per-request time
// limit, the worker pool) is the path every request takes.
//
// Order: the server starts on an empty data directory; the script waits until the embedding model
// is loaded (so every seeded memory is embedded as it is stored, as on a long-running server);
// seeds N memories; runs the search levels at exactly N memories; then the store levels (each store
// a new memory, so the store grows by a few thousand). RSS (VmRSS, VmHWM from /proc/<pid>/status)
// is read after seeding and after the load.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpus } from './bench-corpus.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const PROJECT = 'github.com/acme/bench';
/** Extra unique memories for the store phases (the same text twice is not a new memory). */
const STORE_POOL = 10_000;
const MODEL_DEADLINE_MS = 120_000;

function parseArgs(argv) {
  const o = {
    n: 10_000,
    clients: [1, 8, 32],
    seconds: 15,
    warmup: 3,
    prewarm: 10,
    seedClients: 8,
    limit: 10,
    jar: join(ROOT, 'target', 'omem.jar'),
    out: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s) : [a, null];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--n':
        o.n = parseSize(val());
        break;
      case '--clients':
        o.clients = val().split(',').map(Number);
        break;
      case '--seconds':
        o.seconds = Number(val());
        break;
      case '--warmup':
        o.warmup = Number(val());
        break;
      case '--prewarm':
        o.prewarm = Number(val());
        break;
      case '--seed-clients':
        o.seedClients = Number(val());
        break;
      case '--limit':
        o.limit = Number(val());
        break;
      case '--jar':
        o.jar = resolve(val());
        break;
      case '--out':
        o.out = resolve(val());
        break;
      case '--keep':
        o.keep = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n\n')[0] + '\n');
        process.exit(0);
      default:
        throw new Error(`unknown argument ${a} (see --help)`);
    }
  }
  return o;
}

function parseSize(s) {
  const m = /^(\d+)(k?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Number(m[1]) * (m[2] ? 1000 : 1);
}

const log = (msg) => process.stderr.write(`bench-serve: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server --------------------------------------------------------------------------------

export function procStatus(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), threads: Number(/^Threads:\s+(\d+)/m.exec(s)?.[1]) };
  } catch {
    return null;
  }
}

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) the process has used. */
export function procCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

/** The Java heap's committed and used size in kB (jcmd GC.heap_info), or null without jcmd. */
export function heapInfo(pid) {
  const r = spawnSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8', timeout: 20_000 });
  const m = /heap\s+total (\d+)K, used (\d+)K/.exec(r.stdout ?? '');
  return m ? { committedKb: Number(m[1]), usedKb: Number(m[2]) } : null;
}

function dirBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

/**
 * Starts `java [javaArgs] -jar <jar> serve` on a fresh data directory and a free port; `database`
 * (a postgresql:// URL) makes it a node of that database instead of a SQLite server.
 */
export async function startServer(jar, { database = null, javaArgs = [] } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'omem-bench-serve-'));
  const args = [...javaArgs, '-jar', jar, 'serve', '--home', home, '--port', '0'];
  if (database) args.push('--database', database);
  const child = spawn('java', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c.toString()).slice(-20_000)));
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`omem serve exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - t0 > 180_000) {
      child.kill('SIGKILL'); // a shared machine at load 30+ can take a minute; three never
      throw new Error(`omem serve did not start in 180 s: ${stderr}`);
    }
    try {
      const d = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));
      if (d.pid === child.pid && d.port > 0) {
        return { child, home, port: d.port, token: d.token, pid: child.pid, startMs: performance.now() - t0, stderr: () => stderr };
      }
    } catch {
      // not written yet
    }
    await sleep(50);
  }
}

// ---- the client --------------------------------------------------------------------------------

/** One request on a keep-alive agent; resolves {status, body, ms} once the whole body is read. */
export function request(agent, port, token, method, path, body) {
  return new Promise((res, rej) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { 'X-Omem-Project': PROJECT, Accept: 'application/json' };
    if (token) headers['X-API-Key'] = token;
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
      r.on('error', rej);
    });
    req.on('error', rej);
    if (payload) req.write(payload);
    req.end();
  });
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * Runs `clients` closed loops of `next()` requests for warmup + seconds; records what completed in
 * the measured window. `next(k)` returns {method, path, body, check?}.
 */
async function runLevel(server, op, clients, opts, next) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
  const latencies = [];
  let errors = 0;
  let firstError = null;
  let checked = 0;
  let checkFailed = 0;
  let measuring = false;
  let stop = false;
  let issued = 0;
  const loop = async () => {
    while (!stop) {
      const r = next(issued++);
      let out;
      try {
        out = await request(agent, server.port, server.token, r.method, r.path, r.body);
      } catch (e) {
        out = { status: 0, body: Buffer.from(String(e)), ms: NaN };
      }
      if (!measuring) continue;
      if (out.status < 200 || out.status >= 300) {
        errors++;
        firstError ??= `${out.status} ${out.body.toString().slice(0, 200)}`;
        continue;
      }
      latencies.push(out.ms);
      if (r.check) {
        checked++;
        if (!r.check(JSON.parse(out.body))) checkFailed++;
      }
    }
  };
  const loops = Array.from({ length: clients }, loop);
  await sleep(opts.warmup * 1000);
  measuring = true;
  const cpu0 = procCpuSeconds(server.pid);
  const me0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(opts.seconds * 1000);
  measuring = false;
  const wall = (performance.now() - t0) / 1000;
  const serverCores = (procCpuSeconds(server.pid) - cpu0) / wall;
  const me = process.cpuUsage(me0);
  const clientCores = (me.user + me.system) / 1e6 / wall;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const row = {
    op,
    clients,
    requests: latencies.length,
    rps: latencies.length / wall,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    errors,
    firstError,
    checked,
    checkFailed,
    serverCores,
    clientCores,
    load1: loadavg()[0],
  };
  log(
    `${op} x${clients}: ${row.requests} in ${wall.toFixed(1)} s = ${row.rps.toFixed(1)}/s,` +
      ` p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms, errors ${errors}` +
      (firstError ? ` (first: ${firstError})` : '') +
      `, server ${serverCores.toFixed(2)} cores, client ${clientCores.toFixed(2)} cores`,
  );
  return row;
}

// ---- the run -----------------------------------------------------------------------------------

async function waitForModel(server) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const t0 = performance.now();
  const first = await request(agent, server.port, server.token, 'POST', '/v1/memories', {
    content: 'The bench project builds with ./gradlew build and deploys through ArgoCD.',
  });
  if (first.status !== 201) throw new Error(`first store: ${first.status} ${first.body}`);
  for (;;) {
    const r = await request(agent, server.port, server.token, 'GET', '/v1/memories/search?q=how%20do%20we%20deploy&include_trace=true');
    const trace = JSON.parse(r.body).trace;
    if (trace?.mode === 'hybrid' && trace.stages.find((s) => s.name === 'vector')?.output_count >= 1) break;
    if (performance.now() - t0 > MODEL_DEADLINE_MS) throw new Error(`model not ready: ${r.body}`);
    await sleep(200);
  }
  agent.destroy();
  return performance.now() - t0;
}

/** Median duration of each search stage (the trace's duration_ms), searches one at a time. */
async function stageTimes(server, queries, limit) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const byStage = {};
  const wall = [];
  for (const q of queries) {
    const r = await request(
      agent,
      server.port,
      server.token,
      'GET',
      `/v1/memories/search?q=${encodeURIComponent(q.paraphrase)}&limit=${limit}&include_trace=true`,
    );
    wall.push(r.ms);
    for (const st of JSON.parse(r.body).trace.stages) (byStage[st.name] ??= []).push(st.duration_ms);
  }
  agent.destroy();
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const out = { 'whole request (client side)': median(wall) };
  for (const [name, xs] of Object.entries(byStage)) out[name] = median(xs);
  return out;
}

async function seed(server, memories, clients) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
  let k = 0;
  let done = 0;
  const t0 = performance.now();
  let lastLog = t0;
  const loop = async () => {
    while (k < memories.length) {
      const m = memories[k++];
      const r = await request(agent, server.port, server.token, 'POST', '/v1/memories', {
        content: m.text,
        tags: [m.template],
      });
      if (r.status !== 201) throw new Error(`seeding ${m.i}: ${r.status} ${r.body}`);
      done++;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`seeded ${done}/${memories.length} (${(done / ((lastLog - t0) / 1000)).toFixed(0)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  agent.destroy();
  return (performance.now() - t0) / 1000;
}

export function machine(opts) {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      return (e.stderr?.toString() ?? '') + (e.stdout?.toString() ?? '');
    }
  };
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' })
    .stderr.split('\n')
    .filter(Boolean)
    .slice(0, 2)
    .map((l) => l.trim())
    .join('; ');
  const commit = sh('git', ['-C', ROOT, 'log', '-1', '--format=%h', '--', 'src/main', 'pom.xml']).trim();
  const dirty = sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src/main', 'pom.xml']).trim();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: sh('nproc', []).trim(),
    lscpu: sh('lscpu', []).split('\n').slice(0, 10).join('\n'),
    cpu: cpus()[0]?.model ?? '?',
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    os: sh('uname', ['-sr']).trim(),
    java,
    node: process.version,
    omemCommit: commit + (dirty ? ' (+ uncommitted changes)' : ''),
    jar: opts.jar,
    loadStart: loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(d));
const mb = (kb) => f(kb / 1024, 0);

function report(m, opts, run) {
  const out = [];
  out.push(`- Date: ${m.date}`);
  out.push(
    `- Machine: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB memory, ${m.os}; load average (1/5/15 min) ${m.loadStart} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`,
  );
  out.push(`- \`nproc\`: ${m.nproc}; \`lscpu | head\`:`);
  out.push('');
  out.push('```');
  out.push(m.lscpu);
  out.push('```');
  out.push('');
  out.push(`- Java: ${m.java}; Node.js: ${m.node}`);
  out.push(
    `- omem: ${m.jar} built from ${m.omemCommit}, run as \`java -jar omem.jar serve --home <fresh temp dir> --port 0\` with JVM defaults (no -Xmx); embedding model bge-small-en-v1.5-q; the port and the daemon token read from <home>/daemon.json`,
  );
  out.push(
    `- Key: the daemon token (the store's own tenant, exempt from the 50 requests/s per-key rate limit); header X-Omem-Project: ${PROJECT}`,
  );
  out.push(
    `- Client: node:http, one keep-alive agent per level with as many sockets as clients, each client sending its next request when the last is answered (closed loop); ${opts.warmup} s unmeasured, then ${opts.seconds} s measured per row (and ${opts.prewarm} s of unmeasured searches before the first search row); latency = request written to whole body read`,
  );
  out.push(
    `- Corpus: ${opts.n} synthetic engineering memories of bench-corpus.mjs (18 templates, seed 42, mean ${f(run.meanLen, 0)} characters), stored one per POST /v1/memories with ${opts.seedClients} clients in ${f(run.seedSeconds, 1)} s (${f(opts.n / run.seedSeconds, 0)}/s), after the model had loaded (${f(run.modelMs / 1000, 1)} s after start)`,
  );
  out.push(
    `- Search: GET /v1/memories/search?q=<question>&limit=${opts.limit}, the ${run.queryCount} paraphrase questions of the corpus in turn (hybrid: BM25 + vector, query embedded per request); hit@${opts.limit} over all measured searches: ${f(run.hitRate * 100, 1)}%`,
  );
  out.push(
    `- Store: POST /v1/memories {content, tags}, each a new memory (embedded and committed before the answer); the store phases run after the search phases, so the store grows from ${opts.n} to ${run.finalCount}`,
  );
  out.push('');
  out.push('| operation | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU, cores | client CPU, cores | load avg (1 min) after |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of run.rows) {
    out.push(
      `| ${r.op} | ${r.clients} | ${r.requests} | ${f(r.rps, 1)} | ${f(r.p50, 1)} | ${f(r.p95, 1)} | ${f(r.p99, 1)} | ${r.errors} | ${f(r.serverCores, 2)} | ${f(r.clientCores, 2)} | ${f(r.load1, 2)} |`,
    );
  }
  out.push('');
  out.push(
    `Where a search's time goes, one at a time after the load rows (median over the ${run.queryCount} questions, ms, from the trace's duration_ms): ` +
      Object.entries(run.stages)
        .map(([k, v]) => `${k} ${f(v, 1)}`)
        .join(', '),
  );
  out.push('');
  out.push('| memory of the serve process | VmRSS, MB | VmHWM (peak), MB | Java heap committed / used, MB |');
  out.push('|---|---:|---:|---:|');
  const heap = (h) => (h ? `${mb(h.committedKb)} / ${mb(h.usedKb)}` : '—');
  out.push(`| after seeding ${opts.n} memories | ${mb(run.afterSeed.rssKb)} | ${mb(run.afterSeed.hwmKb)} | ${heap(run.afterSeed.heap)} |`);
  out.push(`| after the load (${run.finalCount} memories) | ${mb(run.afterLoad.rssKb)} | ${mb(run.afterLoad.hwmKb)} | ${heap(run.afterLoad.heap)} |`);
  out.push('');
  out.push(
    `- Server threads after the load: ${run.afterLoad.threads}; data directory: ${f(run.diskBytes / 2 ** 20, 1)} MB; server start to daemon.json: ${f(run.startMs, 0)} ms`,
  );
  return out.join('\n') + '\n';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const m = machine(opts);
  // The first n memories of a corpus do not depend on its size (they are drawn first, in order),
  // and its texts are unique, so the larger corpus's tail is STORE_POOL memories unlike any seeded
  // one (a store of a seeded text would only return the existing memory).
  const corpus = buildCorpus(opts.n, 200, 42);
  const seedSet = corpus.memories;
  const storePool = buildCorpus(opts.n + STORE_POOL, 0, 42).memories.slice(opts.n);
  const queries = corpus.queries;
  const meanLen = seedSet.reduce((a, x) => a + x.text.length, 0) / seedSet.length;
  log(`starting ${opts.jar}`);
  const server = await startServer(opts.jar);
  const run = { rows: [], meanLen, queryCount: queries.length, startMs: server.startMs };
  try {
    log(`listening on ${server.port} (pid ${server.pid}, data ${server.home}); waiting for the model`);
    run.modelMs = await waitForModel(server);
    log(`model ready after ${(run.modelMs / 1000).toFixed(1)} s; seeding ${opts.n} memories with ${opts.seedClients} clients`);
    run.seedSeconds = await seed(server, seedSet, opts.seedClients);
    run.afterSeed = { ...procStatus(server.pid), heap: heapInfo(server.pid) };
    log(`seeded in ${run.seedSeconds.toFixed(1)} s; RSS ${mb(run.afterSeed.rssKb)} MB`);

    let hits = 0;
    let searched = 0;
    const searchRequest = (k) => {
      const q = queries[k % queries.length];
      const target = seedSet[q.target].text;
      return {
        method: 'GET',
        path: `/v1/memories/search?q=${encodeURIComponent(q.paraphrase)}&limit=${opts.limit}`,
        check: (body) => {
          searched++;
          if (body.results.some((r) => r.memory.content === target)) hits++;
          return body.results.length > 0;
        },
      };
    };
    if (opts.prewarm > 0) {
      log(`pre-warming search for ${opts.prewarm} s (unmeasured)`);
      await runLevel(server, 'search (pre-warm)', 8, { warmup: 0, seconds: opts.prewarm }, searchRequest);
      hits = 0;
      searched = 0;
    }
    for (const c of opts.clients) {
      run.rows.push(await runLevel(server, 'search', c, opts, searchRequest));
    }
    run.hitRate = hits / searched;
    run.stages = await stageTimes(server, queries, opts.limit);
    log(`search stages (median of ${queries.length}, one at a time): ${JSON.stringify(run.stages)}`);
    let storeNext = 0;
    for (const c of opts.clients) {
      run.rows.push(
        await runLevel(server, 'store', c, opts, () => {
          const k = storeNext++;
          const base = storePool[k % storePool.length];
          const text = k < storePool.length ? base.text : `${base.text} (entry ${k})`;
          return { method: 'POST', path: '/v1/memories', body: { content: text, tags: [base.template] } };
        }),
      );
    }
    run.afterLoad = { ...procStatus(server.pid), heap: heapInfo(server.pid) };
    const stats = await request(new http.Agent(), server.port, server.token, 'GET', '/v1/stats');
    run.finalCount = JSON.parse(stats.body).total;
    run.diskBytes = dirBytes(server.home);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
    if (opts.keep) log(`kept ${server.home}`);
    else rmSync(server.home, { recursive: true, force: true });
  }
  const text = report(m, opts, run);
  process.stdout.write(text);
  if (opts.out) writeFileSync(opts.out, JSON.stringify({ machine: m, opts, run }, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`bench-serve: ${e.stack ?? e}\n`);
    process.exit(1);
  });
}
