// omem with a warm daemon side by side with the peers as they install from npm (issue 19):
// @modelcontextprotocol/server-memory and mcp-memory-keeper, all through the official MCP client
// over stdio, in one run. Writes one table of ratios (omem / the faster peer): initialize, RSS per
// extra session, store p50 and search p50 at N memories, with the load average; then the daemon's
// RSS idle, under a load of C concurrent MCP clients, and after it.
//
// Run: scripts/bench-compare --peers [--n 10000] [--queries 200] [--rounds 5] [--jar target/omem.jar]
//      [--load-clients 32] [--load-seconds 60] [--after-seconds 90] [--out results.json]
//      [--timed 1000] (the last T stores are timed; the ones before are seeded untimed)
//      [--omem-store DIR] (omem serves a copy of DIR, a prebuilt store such as scripts/bench-scale's
//      paraphrase-10000, instead of being seeded through MCP; its hit@10 then means nothing)
//      [--servers omem] (omem alone, e.g. to compare daemon flags; default: omem and both peers)
//      (scripts/bench-compare installs the peers into target/bench-peers first; node can run this
//      file directly with PEERS_DIR=<a node_modules parent> once they are there)
// OMEM_DAEMON_JAVA_OPTS (read by the daemon launcher) adds JVM options to the daemon, e.g. a JFR
// recording: OMEM_DAEMON_JAVA_OPTS=-XX:StartFlightRecording=filename=daemon.jfr,settings=profile
//
// Phases, each on the same warm daemon (started once on a scratch data dir, model loaded):
//  1. sessions: R rounds, the three servers interleaved in each: spawn -> initialize answered
//     (ms), 5 cheap calls, then the RSS of the spawned process and its children (VmRSS). omem is
//     `scripts/omem mcp` (the launcher; it picks the Node bridge when node is there).
//  2. latency: one session of each server; the first N - T memories are seeded untimed (omem's
//     with 8 calls in flight), then memory i of the last T is stored in each server in turn (so the
//     three see the same load), then the Q queries of each form go to each in turn. Store p50 over
//     the T timed stores, search p50 over the 3Q searches; hit@10 per form for reference; the
//     paraphrase searches again, interleaved, straight to the daemon's /mcp (the bridge's hop).
//  3. footprint: C clients (Streamable HTTP straight to the daemon's /mcp, as the bridge sends)
//     store and search for S seconds; the daemon's RSS is sampled every 250 ms during the load
//     and for A seconds after it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectHttp } from './mcp-harness.mjs';
import { McpServer } from './bench-compare.mjs';
import { buildCorpus } from './bench-corpus.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const PEERS = resolve(process.env.PEERS_DIR ?? join(ROOT, 'target', 'bench-peers'), 'node_modules');
const FORMS = ['paraphrase', 'keyword', 'phrase'];
const log = (m) => process.stderr.write(`bench-compare --peers: ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const o = {
    n: 10000,
    queries: 200,
    rounds: 5,
    jar: join(ROOT, 'target', 'omem.jar'),
    seed: 42,
    loadClients: 32,
    loadSeconds: 60,
    timed: 1000,
    afterSeconds: 90,
    out: null,
    servers: null,
    omemStore: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], null];
    const val = () => inline ?? argv[++i];
    const num = () => Number(String(val()).replace(/k$/i, '000'));
    if (flag === '--peers') continue;
    else if (flag === '--n') o.n = num();
    else if (flag === '--queries') o.queries = num();
    else if (flag === '--rounds') o.rounds = num();
    else if (flag === '--jar') o.jar = resolve(val());
    else if (flag === '--seed') o.seed = num();
    else if (flag === '--load-clients') o.loadClients = num();
    else if (flag === '--load-seconds') o.loadSeconds = num();
    else if (flag === '--timed') o.timed = num();
    else if (flag === '--after-seconds') o.afterSeconds = num();
    else if (flag === '--out') o.out = resolve(val());
    else if (flag === '--servers') o.servers = val().split(',');
    else if (flag === '--omem-store') o.omemStore = resolve(val());
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

/** VmRSS of one process, kB (the daemon's: not the short-lived child that makes its CDS archive). */
function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) of one process so far, ms: the daemon's cost per call under any load. */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** CPU ms of each of a process's threads by name (digits folded): where the daemon's CPU goes. */
function threadCpuMs(pid) {
  const out = {};
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+/g, 'N');
        const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
        out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        // gone
      }
    }
  } catch {
    // gone
  }
  return out;
}

/** The CPU per call of each thread name between two {@link threadCpuMs} snapshots, largest first. */
function threadShares(before, after, calls) {
  return Object.entries(after)
    .map(([name, ms]) => [name, (ms - (before[name] ?? 0)) / calls])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** CPU ms (user + system) of a process and all its descendants: the omem session's hop (the bridge). */
function treeCpuMs(pid) {
  let total = 0;
  const walk = (p) => {
    total += cpuMs(p) || 0;
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean)) walk(c);
      }
    } catch {
      // gone
    }
  };
  walk(pid);
  return total;
}

/** VmRSS of a process and all its descendants, kB. */
function treeRssKb(pid) {
  let total = 0;
  const walk = (p) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
      for (const t of readdirSync(`/proc/${p}/task`)) {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean)) walk(c);
      }
    } catch {
      // gone
    }
  };
  walk(pid);
  return total;
}

function peerBin(pkg, file) {
  const dir = join(PEERS, ...pkg.split('/'));
  let json;
  try {
    json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return { path: `(${pkg} is not installed in ${PEERS})`, version: null };
  }
  return { path: join(dir, file ?? (typeof json.bin === 'string' ? json.bin : Object.values(json.bin)[0])), version: json.version };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const p50 = median;
const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
};

/** The three servers: how to spawn one session, store a memory, search, make a cheap call. */
function servers(o, home, scratch) {
  const sm = peerBin('@modelcontextprotocol/server-memory');
  // mcp-memory-keeper's bin is a wrapper that spawns dist/index.js as a second process; the
  // server itself is run, as server-memory's is (no npx, no wrapper).
  const mk = peerBin('mcp-memory-keeper', 'dist/index.js');
  return {
    omem: {
      version: o.jar,
      spec: () => ({
        command: join(ROOT, 'scripts', 'omem'),
        args: ['mcp'],
        env: { OMEM_HOME: home, OMEM_JAR: o.jar },
      }),
      cheap: ['memory_stats', {}],
      store: async (s, m) => {
        const { ms, sc } = await s.call('memory_store', { content: m.text });
        return { ms, id: sc.id };
      },
      search: async (s, q) => {
        const { ms, sc } = await s.call('memory_search', { query: q, limit: 10 });
        return { ms, ids: sc.results.map((r) => r.id) };
      },
    },
    'server-memory': {
      version: sm.version,
      spec: (tag) => ({ command: process.execPath, args: [sm.path], env: { MEMORY_FILE_PATH: join(scratch, `sm-${tag}.jsonl`) } }),
      cheap: ['read_graph', {}],
      store: async (s, m) => {
        const { ms } = await s.call('create_entities', { entities: [{ name: `m${m.i}`, entityType: 'memory', observations: [m.text] }] });
        return { ms, id: `m${m.i}` };
      },
      search: async (s, q) => {
        const { ms, sc } = await s.call('search_nodes', { query: q });
        return { ms, ids: sc.entities.map((e) => e.name).slice(0, 10) };
      },
    },
    'memory-keeper': {
      version: mk.version,
      spec: (tag) => ({ command: process.execPath, args: [mk.path], env: { DATA_DIR: join(scratch, `mk-${tag}`) } }),
      cheap: ['context_status', {}],
      store: async (s, m) => {
        const { ms } = await s.call('context_save', { key: `m${m.i}`, value: m.text });
        return { ms, id: `m${m.i}` };
      },
      search: async (s, q) => {
        const { ms, text } = await s.call('context_search', { query: q, limit: 10 });
        return { ms, ids: [...text.matchAll(/\b(m\d+)\b/g)].map((x) => x[1]).filter((v, i, a) => a.indexOf(v) === i).slice(0, 10) };
      },
    },
  };
}

/** A session: McpServer (bench-compare's client code) with a call that also returns the text. */
async function open(name, kind, tag) {
  const s = new McpServer(name, { ...kind.spec(tag), cwd: ROOT });
  await s.start().catch((e) => {
    throw new Error(`${name} did not start: ${e.message}\n${s.stderr.slice(-2000)}`);
  });
  s.call = async (tool, args) => {
    const t0 = performance.now();
    const r = await s.client.callTool({ name: tool, arguments: args }, undefined, { timeout: 120_000 });
    const ms = performance.now() - t0;
    const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
    if (r.isError) throw new Error(`${name}: ${tool} failed: ${text.slice(0, 300)}`);
    return { ms, sc: r.structuredContent, text };
  };
  return s;
}

function daemonInfo(home) {
  return JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));
}

/** C clients on the daemon's /mcp for S seconds; the daemon's RSS during and A seconds after. */
async function loadPhase(o, home, corpus) {
  const d = daemonInfo(home);
  const base = `http://127.0.0.1:${d.port}`;
  const rss = () => rssKb(d.pid) / 1024;
  const idle = rss();
  const clients = [];
  for (let c = 0; c < o.loadClients; c++) {
    const { client } = await connectHttp({ base, headers: { 'X-API-Key': d.token }, name: `bench-load-${c}` });
    clients.push(client);
  }
  const during = [];
  const sampler = setInterval(() => during.push(rss()), 250);
  const end = Date.now() + o.loadSeconds * 1000;
  let calls = 0;
  let failed = 0;
  const loads = [loadavg()[0]];
  await Promise.all(
    clients.map(async (client, c) => {
      for (let k = 0; Date.now() < end; k++) {
        const q = corpus.queries[(c * 7 + k) % corpus.queries.length];
        const call =
          k % 4 === 0
            ? { name: 'memory_store', arguments: { content: `load client ${c} call ${k}: ${corpus.memories[(c * 131 + k) % corpus.memories.length].text}` } }
            : { name: 'memory_search', arguments: { query: q[FORMS[k % 3]], limit: 10 } };
        const r = await client.callTool(call, undefined, { timeout: 120_000 }).catch(() => ({ isError: true }));
        calls++;
        if (r.isError) failed++;
      }
    }),
  );
  loads.push(loadavg()[0]);
  clearInterval(sampler);
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  const after = [];
  const t0 = Date.now();
  while (Date.now() - t0 < o.afterSeconds * 1000) {
    await sleep(1000);
    after.push({ s: (Date.now() - t0) / 1000, mib: rss() });
  }
  return {
    clients: o.loadClients,
    seconds: o.loadSeconds,
    calls,
    failed,
    idleMib: idle,
    duringMaxMib: Math.max(...during),
    duringP50Mib: median(during),
    afterMaxMib: Math.max(...after.map((a) => a.mib)),
    afterEndMib: after.at(-1)?.mib ?? rss(),
    after,
    loads,
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'omem-bench-peers-'));
  const home = join(scratch, 'omem-home');
  const all = servers(o, home, scratch);
  const kinds = Object.fromEntries(Object.entries(all).filter(([n]) => n === 'omem' || !o.servers || o.servers.includes(n)));
  const names = Object.keys(kinds);
  const res = { date: new Date().toISOString(), opts: o, cpus: cpus().length, loads: {} };
  const la = (phase) => (res.loads[phase] = [...(res.loads[phase] ?? []), loadavg()[0]]);
  if (o.omemStore) {
    // A prebuilt store (scripts/bench-scale's paraphrase-<n>), copied: omem is not seeded through
    // MCP (10k stores through MCP took hours under load), the peers still are.
    cpSync(o.omemStore, home, { recursive: true });
    for (const f of ['omem.lock', 'daemon.json']) rmSync(join(home, f), { force: true });
  }
  execFileSync('java', ['-jar', o.jar, 'daemon', 'start', '--home', home], { stdio: 'ignore' });
  try {
    // Warm: the model loaded and the MCP classes used once, before anything is timed.
    {
      const s = await open('omem', kinds.omem, 'warm');
      for (let i = 0; i < 600; i++) {
        const { sc } = await s.call('memory_search', { query: 'warm-up', include_trace: true });
        if (sc.trace?.mode === 'hybrid') break;
        await sleep(500);
      }
      await s.stop();
    }
    res.daemonIdleEmptyMib = rssKb(daemonInfo(home).pid) / 1024;
    res.daemonCpuAtReadyMs = cpuMs(daemonInfo(home).pid);

    // 1. sessions
    la('sessions');
    const sess = Object.fromEntries(names.map((n) => [n, { init: [], rss: [], cheap: [] }]));
    for (let r = 0; r < o.rounds; r++) {
      for (const n of names) {
        const s = await open(n, kinds[n], `s${r}`);
        for (let i = 0; i < 5; i++) sess[n].cheap.push((await s.call(...kinds[n].cheap)).ms);
        sess[n].init.push(s.initializeMs);
        sess[n].rss.push(treeRssKb(s.pid) / 1024);
        await s.stop();
        log(`round ${r + 1} ${n}: initialize ${s.initializeMs.toFixed(0)} ms, RSS ${sess[n].rss.at(-1).toFixed(1)} MiB`);
      }
    }
    la('sessions');
    res.sessions = sess;

    // 2. latency at N
    const corpus = buildCorpus(o.n, o.queries, o.seed);
    const open3 = {};
    for (const n of names) open3[n] = await open(n, kinds[n], 'lat');
    const lat = Object.fromEntries(names.map((n) => [n, { store: [], search: [], ids: [], hits: {} }]));
    // The first N - T memories are seeded untimed (omem's with 8 calls in flight on its session,
    // the peers' one at a time, all three at once); the last T are timed, interleaved.
    const seedCount = Math.max(0, o.n - o.timed);
    const seedT0 = performance.now();
    await Promise.all(
      names.map(async (n) => {
        const inFlight = n === 'omem' ? 8 : 1;
        let next = 0;
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < seedCount && !(n === 'omem' && o.omemStore)) {
              const m = corpus.memories[next++];
              lat[n].ids[m.i] = (await kinds[n].store(open3[n], m)).id;
              if (n === 'omem' && (m.i + 1) % 1000 === 0) log(`seeded ${m.i + 1}`);
            }
          }),
        );
      }),
    );
    res.seedSeconds = (performance.now() - seedT0) / 1000;
    la('stores');
    const cpu0 = cpuMs(daemonInfo(home).pid);
    const threads0 = threadCpuMs(daemonInfo(home).pid);
    const session0 = treeCpuMs(open3.omem.pid);
    for (const m of corpus.memories.slice(seedCount)) {
      for (const n of names) {
        const r = await kinds[n].store(open3[n], m);
        lat[n].store.push(r.ms);
        lat[n].ids[m.i] = r.id;
      }
      if ((m.i + 1) % 1000 === 0) {
        log(`stored ${m.i + 1}: ${names.map((n) => `${n} p50 ${p50(lat[n].store.slice(-1000)).toFixed(1)} ms`).join(', ')}`);
        la('stores');
      }
    }
    res.daemonAfterStoresMib = rssKb(daemonInfo(home).pid) / 1024;
    const cpu1 = cpuMs(daemonInfo(home).pid);
    const threads1 = threadCpuMs(daemonInfo(home).pid);
    res.daemonCpuPerStoreMs = (cpu1 - cpu0) / Math.max(1, corpus.memories.length - seedCount);
    res.daemonThreadsPerStoreMs = threadShares(threads0, threads1, Math.max(1, corpus.memories.length - seedCount));
    const session1 = treeCpuMs(open3.omem.pid);
    res.sessionCpuPerStoreMs = (session1 - session0) / Math.max(1, corpus.memories.length - seedCount);
    la('searches');
    res.daemonCpuPerSearchByFormMs = {};
    for (const f of FORMS) {
      const cpuForm = cpuMs(daemonInfo(home).pid);
      const threadsForm = threadCpuMs(daemonInfo(home).pid);
      for (const q of corpus.queries) {
        for (const n of names) {
          const r = await kinds[n].search(open3[n], q[f]);
          lat[n].search.push(r.ms);
          const want = lat[n].ids[q.target];
          lat[n].hits[f] = (lat[n].hits[f] ?? 0) + (r.ids.includes(want) ? 1 : 0);
        }
      }
      res.daemonCpuPerSearchMs = (cpuMs(daemonInfo(home).pid) - cpu1) / (corpus.queries.length * (FORMS.indexOf(f) + 1));
      // Each form's own: the first form warms the search path's compiles, the later ones are steady.
      res.daemonCpuPerSearchByFormMs[f] = (cpuMs(daemonInfo(home).pid) - cpuForm) / corpus.queries.length;
      const shares = threadShares(threadsForm, threadCpuMs(daemonInfo(home).pid), corpus.queries.length);
      log(`daemon CPU per search (${f}) ${res.daemonCpuPerSearchByFormMs[f].toFixed(1)} ms, load ${loadavg()[0].toFixed(1)}; threads: ${shares.slice(0, 8).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`);
      log(`searched (${f}): ${names.map((n) => `${n} hit@10 ${(lat[n].hits[f] / corpus.queries.length).toFixed(2)}`).join(', ')}`);
    }
    la('searches');
    res.daemonThreadsPerSearchMs = threadShares(threads1, threadCpuMs(daemonInfo(home).pid), 3 * corpus.queries.length);
    res.sessionCpuPerSearchMs = (treeCpuMs(open3.omem.pid) - session1) / (3 * corpus.queries.length);
    // The bridge's own hop: the same searches straight to the daemon's /mcp (Streamable HTTP, as the
    // bridge posts them), interleaved with the bridge session's.
    {
      const d = daemonInfo(home);
      const { client: direct } = await connectHttp({
        base: `http://127.0.0.1:${d.port}`,
        headers: { 'X-API-Key': d.token },
        name: 'bench-direct',
      });
      res.hop = { direct: [], bridge: [] };
      // These repeat the paraphrase form's queries: the daemon's threads per search, for a query
      // searched before (a kept query vector skips the model, issue 19 session 17).
      const threadsHop = threadCpuMs(d.pid);
      for (const q of corpus.queries) {
        let t0 = performance.now();
        await direct.callTool({ name: 'memory_search', arguments: { query: q.paraphrase, limit: 10 } });
        res.hop.direct.push(performance.now() - t0);
        res.hop.bridge.push((await kinds.omem.search(open3.omem, q.paraphrase)).ms);
      }
      const hopShares = threadShares(threadsHop, threadCpuMs(d.pid), 2 * corpus.queries.length);
      log(`daemon threads per repeated search (the hop's ${2 * corpus.queries.length}): ${hopShares.slice(0, 8).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`);
      await direct.close();
    }
    for (const n of names) {
      lat[n].sessionRssMib = treeRssKb(open3[n].pid) / 1024;
      await open3[n].stop();
      delete lat[n].ids;
    }
    res.latency = lat;
    res.daemonAfterSearchesMib = rssKb(daemonInfo(home).pid) / 1024;

    // 3. footprint under load
    if (o.loadClients > 0) {
      la('load');
      res.load = await loadPhase(o, home, corpus);
      la('load');
    }
  } finally {
    try {
      execFileSync('java', ['-jar', o.jar, 'daemon', 'stop', '--home', home], { stdio: 'ignore' });
    } catch {
      // stopped
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  if (o.out) writeFileSync(o.out, JSON.stringify(res, null, 2));
  process.stdout.write(report(res, kinds) + '\n');
}

function report(res, kinds) {
  const o = res.opts;
  const names = Object.keys(kinds);
  const peers = names.filter((n) => n !== 'omem');
  const fig = {
    'initialize p50, ms': (n) => median(res.sessions[n].init),
    'RSS per extra session p50, MiB': (n) => median(res.sessions[n].rss),
    [`store p50, the last ${Math.min(o.timed, o.n)} of ${o.n.toLocaleString('en-US')}, ms`]: (n) => p50(res.latency[n].store),
    [`store p95, the last ${Math.min(o.timed, o.n)} of ${o.n.toLocaleString('en-US')}, ms`]: (n) => p95(res.latency[n].store),
    [`search p50 at ${o.n.toLocaleString('en-US')}, ms`]: (n) => p50(res.latency[n].search),
    [`search p95 at ${o.n.toLocaleString('en-US')}, ms`]: (n) => p95(res.latency[n].search),
  };
  const out = [];
  out.push(`| figure | ${names.join(' | ')} | omem / faster peer |`);
  out.push(`|---|${names.map(() => '---:').join('|')}|---:|`);
  for (const [label, f] of Object.entries(fig)) {
    const v = Object.fromEntries(names.map((n) => [n, f(n)]));
    const best = peers.length ? Math.min(...peers.map((n) => v[n])) : NaN;
    out.push(`| ${label} | ${names.map((n) => v[n].toFixed(1)).join(' | ')} | ${(v.omem / best).toFixed(2)} |`);
  }
  for (const f of FORMS) {
    out.push(`| ${f} hit@10 (reference) | ${names.map((n) => (res.latency[n].hits[f] / o.queries).toFixed(3)).join(' | ')} | — |`);
  }
  if (res.hop) {
    out.push(`| omem search p50: the bridge session / straight to the daemon's /mcp over HTTP, ms | ${p50(res.hop.bridge).toFixed(1)} / ${p50(res.hop.direct).toFixed(1)} | ${names.slice(1).map(() => '—').join(' | ')} | — |`);
  }
  const la = (p) => (res.loads[p] ? `${Math.min(...res.loads[p]).toFixed(1)}–${Math.max(...res.loads[p]).toFixed(1)}` : '—');
  out.push('');
  out.push(`Load average (1 min, ${res.cpus} cores): sessions ${la('sessions')}, stores ${la('stores')}, searches ${la('searches')}, load ${la('load')}. ${o.rounds} session rounds, interleaved; N = ${o.n}, Q = ${o.queries} per form (3 forms); ${res.date}.`);
  out.push(`The daemon's CPU (user + system, /proc) from its start to the model ready and a search answered ${(res.daemonCpuAtReadyMs / 1000).toFixed(1)} s; per timed store ${res.daemonCpuPerStoreMs.toFixed(1)} ms, per search ${res.daemonCpuPerSearchMs.toFixed(1)} ms (any load: CPU, not wall).`);
  const top = (xs) => (xs ?? []).slice(0, 8).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ');
  out.push(`The omem session's processes (the launcher and the Node bridge) CPU per timed store ${res.sessionCpuPerStoreMs.toFixed(2)} ms, per search ${res.sessionCpuPerSearchMs.toFixed(2)} ms.`);
  out.push(`Its threads' CPU per store, ms: ${top(res.daemonThreadsPerStoreMs)}; per search: ${top(res.daemonThreadsPerSearchMs)}.`);
  if (o.omemStore) out.push(`omem served a copy of ${o.omemStore} (not seeded through MCP): its hit@10 above counts only the timed memories' targets and means nothing.`);
  out.push(`Peers: ${peers.map((n) => `${n} ${kinds[n].version}`).join(', ')}; omem: scripts/omem mcp (the bridge) on ${o.jar}.`);
  out.push('');
  out.push(`| daemon RSS (VmRSS of its process) | MiB |`);
  out.push(`|---|---:|`);
  out.push(`| idle, ${o.omemStore ? `the copied store (${o.omemStore})` : 'empty store'}, model loaded | ${res.daemonIdleEmptyMib.toFixed(0)} |`);
  out.push(`| after ${o.omemStore ? `the ${Math.min(o.timed, o.n)} timed` : o.n} stores | ${res.daemonAfterStoresMib.toFixed(0)} |`);
  out.push(`| after the searches (idle at ${o.n}) | ${res.daemonAfterSearchesMib.toFixed(0)} |`);
  if (res.load) {
    const l = res.load;
    out.push(`| at the start of the load | ${l.idleMib.toFixed(0)} |`);
    out.push(`| during ${l.clients} clients × ${l.seconds} s: p50 / max | ${l.duringP50Mib.toFixed(0)} / ${l.duringMaxMib.toFixed(0)} |`);
    out.push(`| after the load: max / at +${o.afterSeconds} s | ${l.afterMaxMib.toFixed(0)} / ${l.afterEndMib.toFixed(0)} |`);
    out.push('');
    out.push(`Load: ${l.calls} calls (1 store : 3 searches), ${l.failed} failed; load average ${la('load')}.`);
  }
  return out.join('\n');
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exit(1);
});
