// omem vs the reference MCP memory server (@modelcontextprotocol/server-memory), driven through the
// same MCP client code path: the official TypeScript SDK's Client + StdioClientTransport, one call
// at a time, each server on fresh data for each run.
//
// Run:  scripts/bench-compare --n 1000,10000 --queries 200
//       (or: node src/test/node/bench-compare.mjs --n 1000 --queries 200 --jar target/omem.jar)
// Options: --n LIST  corpus sizes (default 1000,10000)   --queries Q (default 200)
//          --jar PATH (default target/omem.jar)          --seed S (default 42)
//          --servers omem,server-memory (default both)   --out FILE  also write all figures as JSON
//          --ready-timeout SECONDS  how long omem may take to load its model and embed (default 900)
//          --stderr-dir DIR  keep each server's whole stderr in DIR/<server>-<N>.log
//
// Per server and N: start on an empty data dir, store the N memories of bench-corpus.mjs (one call
// each), then run the same Q queries in three forms (paraphrase, keyword, phrase), timing each
// call around client.callTool. omem first waits, untimed, until its embedding model is loaded and
// every memory has a vector (stores made before the model was ready are embedded in the
// background). Peak RSS is the server process's VmHWM from /proc/<pid>/status, read just before it
// is stopped. Prints a Markdown report on stdout; progress goes to stderr.

import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio } from './mcp-harness.mjs';
import { buildCorpus, TEMPLATE_COUNT } from './bench-corpus.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const VARIANTS = ['paraphrase', 'keyword', 'phrase'];
/**
 * How the MCP Java SDK (omem's transport) logs a response it failed to write: its stdio transport
 * can lose the race on its outbound sink when two responses are emitted at once (Reactor's
 * FAIL_NON_SERIALIZED), and the response is then never sent.
 */
const DROPPED_RESPONSE = /ErrorCallbackNotImplemented: .*Failed to enqueue message/;
/** No SDK timeout: dropped responses are detected from the server's log instead (McpServer.call). */
const NO_SDK_TIMEOUT_MS = 24 * 3600 * 1000;
/** A call not answered in this long, with no dropped response logged, fails the run. */
const CALL_WATCHDOG_MS = 120_000;
const LIMIT = 10;

// ---- options ---------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    n: [1000, 10000],
    queries: 200,
    jar: join(ROOT, 'target', 'omem.jar'),
    seed: 42,
    servers: ['omem', 'server-memory'],
    out: null,
    readyTimeoutS: 900,
    stderrDir: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s) : [a, null];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--n':
        o.n = val().split(',').map(parseSize);
        break;
      case '--queries':
        o.queries = Number(val());
        break;
      case '--jar':
        o.jar = resolve(val());
        break;
      case '--seed':
        o.seed = Number(val());
        break;
      case '--servers':
        o.servers = val().split(',');
        break;
      case '--out':
        o.out = resolve(val());
        break;
      case '--stderr-dir':
        o.stderrDir = resolve(val());
        break;
      case '--ready-timeout':
        o.readyTimeoutS = Number(val());
        break;
      case '-h':
      case '--help':
        process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n\n')[0] + '\n');
        process.exit(0);
      default:
        throw new Error(`unknown argument ${a} (see --help)`);
    }
  }
  for (const s of o.servers) {
    if (!['omem', 'server-memory'].includes(s)) throw new Error(`unknown server ${s}`);
  }
  return o;
}

function parseSize(s) {
  const m = /^(\d+)(k?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Number(m[1]) * (m[2] ? 1000 : 1);
}

// ---- the servers -----------------------------------------------------------------------------

const log = (msg) => process.stderr.write(`bench-compare: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** /proc/<pid>/status fields in kB. */
function procStatus(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s);
      return m ? Number(m[1]) : null;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** One MCP server process and the SDK client talking to it: the code path both servers share. */
export class McpServer {
  constructor(label, { command, args, env, cwd, stderrLog }) {
    this.label = label;
    this.stderr = '';
    this.spec = { command, args, cwd, env };
    this.stderrLog = stderrLog;
    this.partialLine = '';
    this.maxRssKb = 0;
    /** Responses the server logged as not sent (see DROPPED_RESPONSE). */
    this.dropsLogged = 0;
    /** Calls retried because their response was dropped, by tool name. */
    this.retried = {};
  }

  async start() {
    const t0 = performance.now();
    this.mcp = await connectStdio({
      ...this.spec,
      name: 'omem-bench-compare',
      onStderr: (chunk) => this.readStderr(chunk),
    });
    this.initializeMs = performance.now() - t0;
    this.client = this.mcp.client;
    this.pid = this.mcp.pid;
    if (!this.pid) throw new Error(`${this.label}: the SDK transport gives no child pid`);
    this.child = this.mcp.child;
    this.cmdline = readFileSync(`/proc/${this.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    this.poller = setInterval(() => this.sample(), 200);
    this.tools = (await this.client.listTools()).tools.map((t) => t.name);
    return this;
  }

  /** Keeps the log's tail, copies it to stderrLog, and counts the dropped responses it reports. */
  readStderr(chunk) {
    this.stderr = (this.stderr + chunk).slice(-20_000);
    if (this.stderrLog) appendFileSync(this.stderrLog, chunk);
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop();
    for (const line of lines) {
      if (DROPPED_RESPONSE.test(line)) {
        this.dropsLogged++;
        this.onDrop?.();
      }
    }
  }

  sample() {
    const s = procStatus(this.pid);
    if (s?.rss) this.maxRssKb = Math.max(this.maxRssKb, s.rss);
    return s;
  }

  /**
   * One timed tools/call; throws on an isError result. Returns { ms, sc }.
   *
   * A call whose response the server logged as dropped (DROPPED_RESPONSE) is never answered: as
   * soon as the log line appears it is abandoned (left pending, not cancelled) and sent again; only
   * idempotent calls go through here (memory_store of the same text returns the same memory;
   * searches). The answered attempt's time is the one recorded; retries are counted and reported.
   * A call with no answer and no such log line fails the run after CALL_WATCHDOG_MS.
   */
  async call(name, args) {
    for (let attempt = 1; ; attempt++) {
      const dropsBefore = this.dropsLogged;
      const t0 = performance.now();
      const pending = this.client.callTool({ name, arguments: args }, undefined, { timeout: NO_SDK_TIMEOUT_MS });
      pending.catch(() => {}); // an abandoned call is rejected when the client closes
      let timer;
      const outcome = await Promise.race([
        pending.then((r) => ({ r })),
        new Promise((res) => {
          this.onDrop = () => res({ dropped: true });
          if (this.dropsLogged > dropsBefore) res({ dropped: true });
        }),
        new Promise((res) => {
          timer = setTimeout(() => res({ stuck: true }), CALL_WATCHDOG_MS);
        }),
      ]);
      clearTimeout(timer);
      this.onDrop = null;
      const ms = performance.now() - t0;
      if (outcome.stuck) {
        throw new Error(`${this.label}: ${name} got no answer in ${CALL_WATCHDOG_MS / 1000} s and the server logged no dropped response`);
      }
      if (outcome.dropped) {
        this.retried[name] = (this.retried[name] ?? 0) + 1;
        log(`${this.label}: the server dropped the response to ${name} (attempt ${attempt}, ${ms.toFixed(0)} ms); sending it again`);
        if (attempt >= 5) throw new Error(`${this.label}: ${name}: 5 responses dropped in a row`);
        continue;
      }
      const r = outcome.r;
      if (r.isError) {
        const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
        throw new Error(`${this.label}: ${name}(${JSON.stringify(args).slice(0, 200)}) failed: ${text}`);
      }
      return { ms, sc: r.structuredContent };
    }
  }

  /** Peak RSS (VmHWM; the largest sampled VmRSS if the kernel does not report it), in MB. */
  peakRssMb() {
    const s = this.sample();
    const kb = Math.max(s?.hwm ?? 0, this.maxRssKb);
    return kb / 1024;
  }

  /** Closes stdin the way MCP clients stop a stdio server; kills the process if it lingers. */
  async stop() {
    clearInterval(this.poller);
    const exited = new Promise((res) => {
      if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) res();
      else this.child.once('exit', () => res());
    });
    this.child?.stdin?.end();
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    await this.client?.close().catch(() => {});
  }
}

/** omem: one memory_store per memory, memory_search {query, limit: 10}. */
const OMEM = {
  name: 'omem',
  storeOp: 'memory_store {content: <memory text>}',
  searchOp: `memory_search {query, limit: ${LIMIT}}`,
  spawn(opts, dir) {
    return new McpServer('omem', {
      command: 'java',
      args: ['-jar', opts.jar, 'mcp'],
      cwd: dir,
      stderrLog: opts.stderrDir && join(opts.stderrDir, `omem-${opts.currentN}.log`),
      env: {
        OMEM_HOME: join(dir, 'omem-home'),
        // One process, like server-memory: its RSS is all of omem's memory.
        OMEM_DAEMON: 'off',
        ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
      },
    });
  },
  dataPath: (dir) => join(dir, 'omem-home'),
  async store(s, m) {
    const { ms, sc } = await s.call('memory_store', { content: m.text });
    if (sc?.memory?.content !== m.text) throw new Error(`omem stored something else for m${m.i}`);
    return { ms, id: sc.id, createdAt: sc.memory.created_at };
  },
  async search(s, query) {
    const { ms, sc } = await s.call('memory_search', { query, limit: LIMIT });
    return { ms, ids: sc.results.map((r) => r.id), returned: sc.results.length };
  },
};

const SERVER_MEMORY_PKG = '@modelcontextprotocol/server-memory';

/** server-memory: one create_entities per memory; search_nodes {query}. */
const SERVER_MEMORY = {
  name: 'server-memory',
  storeOp:
    'create_entities {entities: [{name: "m<i>", entityType: "memory", observations: [<memory text>]}]}',
  searchOp: 'search_nodes {query} (first 10 entities in returned order)',
  spawn(opts, dir) {
    return new McpServer('server-memory', {
      command: process.execPath,
      args: [serverMemoryBin()],
      cwd: dir,
      stderrLog: opts.stderrDir && join(opts.stderrDir, `server-memory-${opts.currentN}.log`),
      env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
    });
  },
  dataPath: (dir) => join(dir, 'memory.jsonl'),
  async store(s, m) {
    const name = `m${m.i}`;
    const { ms, sc } = await s.call('create_entities', {
      entities: [{ name, entityType: 'memory', observations: [m.text] }],
    });
    if (sc?.entities?.length !== 1 || sc.entities[0].name !== name) {
      throw new Error(`server-memory did not create ${name}: ${JSON.stringify(sc).slice(0, 200)}`);
    }
    return { ms, id: name };
  },
  async search(s, query) {
    const { ms, sc } = await s.call('search_nodes', { query });
    const names = sc.entities.map((e) => e.name);
    return { ms, ids: names.slice(0, LIMIT), returned: names.length };
  },
};

function serverMemoryPackage() {
  const pj = join(HERE, 'node_modules', ...SERVER_MEMORY_PKG.split('/'), 'package.json');
  return { dir: dirname(pj), json: JSON.parse(readFileSync(pj, 'utf8')) };
}

function serverMemoryBin() {
  const { dir, json } = serverMemoryPackage();
  const bin = typeof json.bin === 'string' ? json.bin : Object.values(json.bin)[0];
  return join(dir, bin);
}

// ---- omem readiness --------------------------------------------------------------------------

/**
 * Waits until omem searches in hybrid mode and every stored memory has a vector. The vector stage
 * of a search returns at most 100 candidates, so completeness is checked in windows of at most 100
 * memories by creation time (memory_search's `after` is inclusive, `before` exclusive, both at
 * millisecond precision, the precision of omem's index): a window is done when its vector stage
 * finds as many memories as it holds. Returns the seconds waited, or throws after the timeout.
 */
async function waitOmemReady(s, createdAt, timeoutS) {
  const t0 = performance.now();
  const deadline = Date.now() + timeoutS * 1000;
  const vectorCount = (trace) => trace.stages.find((x) => x.name === 'vector')?.output_count ?? 0;
  let trace;
  for (;;) {
    ({ sc: { trace } } = await s.call('memory_search', {
      query: 'is the model ready',
      limit: 1,
      include_trace: true,
    }));
    if (trace.mode === 'hybrid') break;
    if (Date.now() > deadline) throw new Error(`omem: not hybrid after ${timeoutS} s: ${JSON.stringify(trace)}`);
    await sleep(500);
  }
  const hybridS = (performance.now() - t0) / 1000;
  const ms = createdAt.map((c) => Date.parse(c)).sort((a, b) => a - b);
  let windows = [];
  for (let i = 0; i < ms.length; ) {
    let e = Math.min(i + 100, ms.length);
    while (e < ms.length && e > i + 1 && ms[e] === ms[e - 1]) e--; // never split a millisecond
    windows.push({ after: ms[i], before: e < ms.length ? ms[e] : ms[ms.length - 1] + 1, count: e - i });
    i = e;
  }
  const total = windows.length;
  let lastLog = 0;
  for (;;) {
    const pending = [];
    for (const w of windows) {
      const { sc } = await s.call('memory_search', {
        query: 'is every memory embedded',
        limit: 1,
        include_trace: true,
        after: new Date(w.after).toISOString(),
        before: new Date(w.before).toISOString(),
      });
      const got = vectorCount(sc.trace);
      if (got > w.count) throw new Error(`omem: window has ${got} vectors for ${w.count} memories`);
      if (got < w.count) pending.push(w);
    }
    windows = pending;
    if (windows.length === 0) break;
    if (Date.now() > deadline) {
      throw new Error(`omem: ${windows.length} of ${total} windows still without all vectors after ${timeoutS} s`);
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`omem: waiting for embeddings, ${windows.length}/${total} windows of <=100 memories incomplete`);
    }
    await sleep(1000);
  }
  return { hybridS, totalS: (performance.now() - t0) / 1000, windows: total };
}

// ---- one run ---------------------------------------------------------------------------------

function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function summarize(xs) {
  return {
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    max: Math.max(...xs),
  };
}

function diskBytes(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((a, f) => a + diskBytes(join(path, f)), 0);
}

async function runOne(kind, opts, corpus) {
  const n = corpus.memories.length;
  const dir = mkdtempSync(join(tmpdir(), `bench-compare-${kind.name}-`));
  const s = kind.spawn(opts, dir);
  const res = { server: kind.name, n };
  try {
    await s.start();
    res.initializeMs = s.initializeMs;
    res.tools = s.tools;
    res.cmdline = s.cmdline.join(' ');
    log(`${kind.name} N=${n}: pid ${s.pid} (${res.cmdline}), initialize ${Math.round(s.initializeMs)} ms`);

    // Store phase.
    const storeMs = [];
    const ids = new Array(n);
    const createdAt = [];
    const t0 = performance.now();
    for (const m of corpus.memories) {
      const r = await kind.store(s, m);
      storeMs.push(r.ms);
      ids[m.i] = r.id;
      if (r.createdAt) createdAt.push(r.createdAt);
      if ((m.i + 1) % 1000 === 0) {
        log(`${kind.name} N=${n}: stored ${m.i + 1} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
    res.storeTotalS = (performance.now() - t0) / 1000;
    res.store = summarize(storeMs);
    res.distinctIds = new Set(ids).size;
    // The first and last tenth of the stores, to show how the per-call cost grows with the data.
    const tenth = Math.max(1, Math.floor(n / 10));
    res.storeFirstTenthP50 = percentile(storeMs.slice(0, tenth), 50);
    res.storeLastTenthP50 = percentile(storeMs.slice(-tenth), 50);
    res.rssAfterStoreMb = (s.sample()?.rss ?? 0) / 1024;
    res.storeDrops = s.dropsLogged;

    if (kind === OMEM) {
      log(`omem N=${n}: waiting for the model and the background embeddings`);
      res.ready = await waitOmemReady(s, createdAt, opts.readyTimeoutS);
      log(`omem N=${n}: hybrid after ${res.ready.hybridS.toFixed(1)} s, all embedded after ${res.ready.totalS.toFixed(1)} s`);
    }

    // Query phase: the same queries, in the same order, for each variant.
    res.queries = {};
    const idToIndex = new Map(ids.map((id, i) => [id, i]));
    for (const v of VARIANTS) {
      const ms = [];
      let hit10 = 0;
      let hit1 = 0;
      let zero = 0;
      let returned = 0;
      let rrSum = 0;
      for (const q of corpus.queries) {
        const r = await kind.search(s, q[v]);
        ms.push(r.ms);
        const ranked = r.ids.map((id) => idToIndex.get(id));
        const rank = ranked.indexOf(q.target);
        if (rank >= 0) {
          hit10++;
          rrSum += 1 / (rank + 1);
        }
        if (rank === 0) hit1++;
        if (r.returned === 0) zero++;
        returned += r.returned;
      }
      const count = corpus.queries.length;
      res.queries[v] = {
        latency: summarize(ms),
        recall10: hit10 / count,
        recall1: hit1 / count,
        mrr10: rrSum / count,
        zeroResults: zero / count,
        meanReturned: returned / count,
      };
      log(`${kind.name} N=${n} ${v}: recall@10 ${(hit10 / count).toFixed(3)}, p50 ${percentile(ms, 50).toFixed(2)} ms`);
    }
    res.drops = s.dropsLogged;
    res.retried = { ...s.retried };
    res.peakRssMb = s.peakRssMb();
    res.maxSampledRssMb = s.maxRssKb / 1024;
  } catch (e) {
    log(`${kind.name} N=${n} failed; last stderr:\n${s.stderr.slice(-3000)}`);
    throw e;
  } finally {
    await s.stop();
  }
  res.diskMb = diskBytes(kind.dataPath(dir)) / 1e6;
  if (kind === OMEM) res.doctor = omemDoctor(opts.jar, kind.dataPath(dir), dir);
  rmSync(dir, { recursive: true, force: true });
  return res;
}

/** `omem doctor --json` on the run's data dir, after the server stopped: the model and vector count. */
function omemDoctor(jar, home, cwd) {
  try {
    const out = execFileSync('java', ['-jar', jar, 'doctor', '--json'], {
      cwd,
      env: { ...process.env, OMEM_HOME: home, OMEM_DAEMON: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return JSON.parse(out.toString());
  } catch (e) {
    return { error: String(e.message).split('\n')[0] };
  }
}

// ---- the report ------------------------------------------------------------------------------

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    return (e.stderr?.toString() ?? '') + (e.stdout?.toString() ?? '');
  }
}

function machine(opts) {
  const javaVersion = spawnSync('java', ['-version'], { encoding: 'utf8' })
    .stderr.split('\n')
    .filter(Boolean)
    .slice(0, 2)
    .map((l) => l.trim())
    .join('; ');
  const sdk = JSON.parse(
    readFileSync(join(HERE, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json'), 'utf8'),
  ).version;
  // The last commit that changed omem itself (the benchmark's own commits do not change the jar).
  const omemCommit = sh('git', ['-C', ROOT, 'log', '-1', '--format=%h', '--', 'src/main', 'pom.xml']).trim();
  const omemDirty = sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src/main', 'pom.xml']).trim() ? ' (+ uncommitted changes)' : '';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: sh('nproc', []).trim(),
    cpu: cpus()[0]?.model ?? '?',
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    os: sh('uname', ['-sr']).trim(),
    java: javaVersion,
    node: process.version,
    sdk,
    serverMemory: serverMemoryPackage().json.version,
    omemCommit: omemCommit + omemDirty,
    jar: opts.jar,
    loadStart: loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(d));
const pct = (x) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);

function ratio(a, b, d = 2) {
  if (a === undefined || b === undefined || a === null || b === null) return '—';
  if (b === 0) return a === 0 ? '—' : '∞ (server-memory 0)';
  return `${(a / b).toFixed(d)}×`;
}

function table(o, sm) {
  const rows = [];
  const row = (label, a, b, fmt, r = true) =>
    rows.push(`| ${label} | ${a === undefined ? '—' : fmt(a)} | ${b === undefined ? '—' : fmt(b)} | ${r ? ratio(a, b) : '—'} |`);
  const g = (x, path) => path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), x);
  rows.push('| figure | omem | server-memory | omem / server-memory |');
  rows.push('|---|---:|---:|---:|');
  row('MCP initialize after spawn, ms', g(o, 'initializeMs'), g(sm, 'initializeMs'), (x) => f(x, 0));
  row('store: per call p50, ms', g(o, 'store.p50'), g(sm, 'store.p50'), (x) => f(x, 2));
  row('store: per call p95, ms', g(o, 'store.p95'), g(sm, 'store.p95'), (x) => f(x, 2));
  row('store: p50 of the first 10% of calls, ms', g(o, 'storeFirstTenthP50'), g(sm, 'storeFirstTenthP50'), (x) => f(x, 2));
  row('store: p50 of the last 10% of calls, ms', g(o, 'storeLastTenthP50'), g(sm, 'storeLastTenthP50'), (x) => f(x, 2));
  row('store: total for N calls, s', g(o, 'storeTotalS'), g(sm, 'storeTotalS'), (x) => f(x, 1));
  if (o?.ready) {
    rows.push(
      `| omem only: wait after the last store until hybrid + all embedded, s (untimed in the query figures) | ${f(o.ready.totalS, 1)} | — | — |`,
    );
  }
  for (const v of VARIANTS) {
    row(`${v} query: p50, ms`, g(o, `queries.${v}.latency.p50`), g(sm, `queries.${v}.latency.p50`), (x) => f(x, 2));
    row(`${v} query: p95, ms`, g(o, `queries.${v}.latency.p95`), g(sm, `queries.${v}.latency.p95`), (x) => f(x, 2));
  }
  for (const v of VARIANTS) {
    row(`${v}: recall@10`, g(o, `queries.${v}.recall10`), g(sm, `queries.${v}.recall10`), (x) => f(x, 3));
  }
  for (const v of VARIANTS) {
    row(`${v}: recall@1`, g(o, `queries.${v}.recall1`), g(sm, `queries.${v}.recall1`), (x) => f(x, 3));
  }
  for (const v of VARIANTS) {
    row(`${v}: entities/results returned per query, mean`, g(o, `queries.${v}.meanReturned`), g(sm, `queries.${v}.meanReturned`), (x) => f(x, 1));
    row(`${v}: queries with no result at all`, g(o, `queries.${v}.zeroResults`), g(sm, `queries.${v}.zeroResults`), pct, false);
  }
  rows.push(
    `| responses the server dropped (call sent again; see notes): store phase / after it | ${o ? `${o.storeDrops} / ${o.drops - o.storeDrops}` : '—'} | ${sm ? `${sm.storeDrops} / ${sm.drops - sm.storeDrops}` : '—'} | — |`,
  );
  row('peak RSS of the server process (VmHWM), MB', g(o, 'peakRssMb'), g(sm, 'peakRssMb'), (x) => f(x, 0));
  row('data on disk after the run, MB', g(o, 'diskMb'), g(sm, 'diskMb'), (x) => f(x, 2));
  return rows.join('\n');
}

function report(opts, m, runs, corpora) {
  const out = [];
  out.push(`# omem vs @modelcontextprotocol/server-memory`);
  out.push('');
  out.push(`- Date: ${m.date}`);
  out.push(`- Machine: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB memory, ${m.os}; load average (1/5/15 min) ${m.loadStart} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`);
  out.push(`- Java: ${m.java}`);
  out.push(`- Node.js: ${m.node}; client: @modelcontextprotocol/sdk ${m.sdk} (\`Client\` + \`StdioClientTransport\`, one call at a time, wall time around \`client.callTool\`, output-schema validation included for both servers)`);
  const omemRun = runs.find((r) => r.server === 'omem' && r.doctor);
  const model = omemRun?.doctor?.model ?? '?';
  out.push(`- omem: ${m.jar} built from ${m.omemCommit}, spawned as \`java -jar omem.jar mcp\` with JVM defaults (no -Xmx), \`OMEM_HOME\` a fresh temp dir, working dir not a git repository (all memories in the global scope); embedding model \`${model}\``);
  out.push(`- server-memory: ${SERVER_MEMORY_PKG} ${m.serverMemory}, spawned as \`node <package>/dist/index.js\` (no npx), \`MEMORY_FILE_PATH\` a fresh temp file`);
  out.push(`- Store operation: omem \`${OMEM.storeOp}\`; server-memory \`${SERVER_MEMORY.storeOp}\` (one call per memory)`);
  out.push(`- Search operation: omem \`${OMEM.searchOp}\`; server-memory \`${SERVER_MEMORY.searchOp}\``);
  out.push(`- What server-memory's search_nodes returns: every entity whose name, type or one observation contains the whole query string (case-insensitive substring), in storage order, unscored and unlimited, plus the relations touching them (none here); it reads and parses the whole JSONL file on every call, and create_entities rewrites it on every call`);
  const c = corpora[0];
  out.push(`- Corpus: synthetic engineering memories from ${TEMPLATE_COUNT} templates (services, technologies, people, regions, numbers), seed ${opts.seed}, mean ${f(c.meanLen, 0)} characters; Q = ${opts.queries} target memories drawn at random, each the only right answer to its query`);
  out.push(`- Query forms: **paraphrase** = a question in other words than the memory (names of services/technologies/people kept), **keyword** = 2–3 exact words of the memory, not adjacent in it, **phrase** = a contiguous run of words copied from the memory`);
  out.push(`- Peak RSS: VmHWM of the spawned server process (for omem the JVM itself) from /proc/<pid>/status, read at the end of the run`);
  out.push('');
  out.push('Example (first query):');
  out.push('');
  const q0 = c.queries[0];
  out.push(`- memory: "${c.memories[q0.target].text}"`);
  out.push(`- paraphrase: "${q0.paraphrase}"`);
  out.push(`- keyword: "${q0.keyword}"`);
  out.push(`- phrase: "${q0.phrase}"`);
  for (const n of opts.n) {
    const o = runs.find((r) => r.server === 'omem' && r.n === n);
    const sm = runs.find((r) => r.server === 'server-memory' && r.n === n);
    out.push('');
    out.push(`## N = ${n.toLocaleString('en-US')}`);
    out.push('');
    out.push(table(o, sm));
    const notes = [];
    if (o?.ready) {
      notes.push(`omem: search was hybrid ${f(o.ready.hybridS, 1)} s after the last store; every memory had a vector after ${f(o.ready.totalS, 1)} s (checked in ${o.ready.windows} creation-time windows)`);
    }
    if (o?.doctor && !o.doctor.error) {
      notes.push(`omem doctor after the run: model ${o.doctor.model} (${o.doctor.model_status}), ${o.doctor.memories} memories, ${o.doctor.memories_without_vector} without a vector, index lag ${o.doctor.index_lag}`);
    } else if (o?.doctor?.error) {
      notes.push(`omem doctor failed: ${o.doctor.error}`);
    }
    for (const r of [o, sm]) {
      if (r?.drops > 0) {
        notes.push(`${r.server}: ${r.drops} responses were never sent: the server logged "Failed to enqueue message" (Sinks FAIL_NON_SERIALIZED in the MCP Java SDK's stdio transport) and the client got no answer; the benchmark re-sent those calls (${Object.entries(r.retried).map(([k, v]) => `${k} ×${v}`).join(', ')}) and timed the answered attempt. A client without such a workaround gets no answer to those calls until its own timeout`);
      }
      if (r && r.distinctIds !== n) notes.push(`${r.server}: ${r.distinctIds} distinct ids for ${n} stores`);
    }
    if (notes.length) {
      out.push('');
      notes.forEach((x) => out.push(`- ${x}`));
    }
  }
  const tools = (name) => runs.find((r) => r.server === name)?.tools;
  out.push('');
  if (tools('omem')) out.push(`omem tools: ${tools('omem').join(', ')}`);
  out.push('');
  if (tools('server-memory')) out.push(`server-memory tools: ${tools('server-memory').join(', ')}`);
  return out.join('\n');
}

// ---- main ------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.stderrDir) mkdirSync(opts.stderrDir, { recursive: true });
  const m = machine(opts);
  const runs = [];
  const corpora = [];
  const kinds = [OMEM, SERVER_MEMORY].filter((k) => opts.servers.includes(k.name));
  for (const n of opts.n) {
    const corpus = buildCorpus(n, opts.queries, opts.seed);
    corpus.meanLen = corpus.memories.reduce((a, x) => a + x.text.length, 0) / n;
    corpora.push(corpus);
    opts.currentN = n;
    for (const kind of kinds) {
      const t0 = performance.now();
      runs.push(await runOne(kind, opts, corpus));
      runs[runs.length - 1].loadAfter = loadavg()[0];
      log(`${kind.name} N=${n}: run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const md = report(opts, m, runs, corpora);
  process.stdout.write(md + '\n');
  if (opts.out) writeFileSync(opts.out, JSON.stringify({ machine: m, opts, runs }, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    log(e.stack ?? String(e));
    process.exit(1);
  });
}
