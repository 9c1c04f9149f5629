// Where a call's wall time goes that is not CPU (issue 19 session 20): two jars side by side, each
// with its own warm daemon on its own copy of a store, one MCP session each through
// `scripts/omem mcp` (the Node bridge), calls alternated A, B, A, B so both see the same load.
// Per call and jar: wall p50 / p95, and from /proc for the daemon's threads and the session's
// processes: CPU (user + system), time runnable but waiting for a core (schedstat), and context
// switches (voluntary: a thread blocked, i.e. a wait or a hand-off; involuntary: preempted). The
// counts do not depend on the machine's load the way wall time does.
//
// Run: node src/test/node/bench-waits.mjs --a OLD.jar --b NEW.jar --store DIR [--stores 200]
//      [--a-opts '...'] [--b-opts '...': one side's daemon JVM options, e.g. a GC flag]
//      [--searches 200] [--warm 60] [--out FILE.json] [--jfr DIR: each daemon's recording dumped there
//      as A.jfr and B.jfr before it stops, when OMEM_DAEMON_JAVA_OPTS started one]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpServer } from './bench-compare.mjs';
import { buildCorpus } from './bench-corpus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const log = (m) => process.stderr.write(`bench-waits: ${m}\n`);

function args(argv) {
  const o = { stores: 200, searches: 200, warm: 60, out: null };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    o[k] = ['stores', 'searches', 'warm'].includes(k) ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!o.a || !o.b || !o.store) throw new Error('usage: --a JAR --b JAR --store DIR');
  return o;
}

/** Sums over a process's threads (and, with tree, its descendants'): CPU, run-queue wait, switches. */
function sched(pid, tree, byThread) {
  const s = { cpu: 0, runq: 0, vol: 0, invol: 0 };
  const one = (p) => {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      try {
        const [, waitNs] = readFileSync(`/proc/${p}/task/${t}/schedstat`, 'utf8').trim().split(' ').map(Number);
        const stat = readFileSync(`/proc/${p}/task/${t}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
        s.cpu += (Number(f[11]) + Number(f[12])) * 10;
        s.runq += waitNs / 1e6;
        const st = readFileSync(`/proc/${p}/task/${t}/status`, 'utf8');
        const vol = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(st)[1]);
        s.vol += vol;
        s.invol += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(st)[1]);
        if (byThread) {
          const name = `vol ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+/g, 'N')}`;
          s[name] = (s[name] ?? 0) + vol;
          const cpuName = `cpu ${name.slice(4)}`;
          s[cpuName] = (s[cpuName] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
        }
        if (tree) {
          for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean)) {
            const k = sched(c, true);
            for (const key of Object.keys(s)) s[key] += k[key];
          }
        }
      } catch {
        // gone
      }
    }
  };
  one(pid);
  if (byThread) {
    // The whole process, threads that exited included (Lucene's merge threads come and go between
    // two readings, so the sum over the live threads above misses them).
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      s.proc = (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      // gone
    }
  }
  return s;
}

const diff = (a, b, n) => Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] - (a[k] ?? 0)) / n]));
const pct = (xs, q) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

async function side(label, jar, store, javaOpts) {
  const home = mkdtempSync(join(tmpdir(), `omem-bench-waits-${label}-`));
  cpSync(store, home, { recursive: true });
  for (const f of ['omem.lock', 'daemon.json']) rmSync(join(home, f), { force: true });
  // --a-opts / --b-opts: this side's daemon's extra JVM options, after the environment's own.
  const env = { ...process.env };
  if (javaOpts) env.OMEM_DAEMON_JAVA_OPTS = `${env.OMEM_DAEMON_JAVA_OPTS ?? ''} ${javaOpts}`.trim();
  execFileSync('java', ['-jar', jar, 'daemon', 'start', '--home', home], { stdio: 'ignore', env });
  const s = new McpServer(label, { command: join(ROOT, 'scripts', 'omem'), args: ['mcp'], env: { OMEM_HOME: home, OMEM_JAR: jar }, cwd: ROOT });
  await s.start();
  const daemon = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')).pid;
  return { label, jar, home, s, daemon, wall: { store: [], search: [] }, outcomes: [], names: new Map() };
}

async function call(x, tool, a) {
  const t0 = performance.now();
  const r = await x.s.client.callTool({ name: tool, arguments: a }, undefined, { timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.isError) throw new Error(`${x.label}: ${tool}: ${JSON.stringify(r.content).slice(0, 300)}`);
  x.outcomes.push(outcome(x, tool, r.structuredContent));
  return { ms, sc: r.structuredContent };
}

/**
 * A call's outcome with the ids this run made renamed by the order they appeared in (so the two
 * jars' can be compared): a store's decision and what it points at, a search's ids in order.
 */
function outcome(x, tool, sc) {
  const name = (id) => {
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return id;
    return x.names.get(id) ?? id;
  };
  if (tool === 'memory_store') {
    const id = sc?.id ?? sc?.memory?.id;
    if (id && !x.names.has(id)) x.names.set(id, `new#${x.names.size}`);
    // Keys sorted; times and the MCP session left out (each side has its own).
    const canon = (v) =>
      Array.isArray(v)
        ? v.map(canon)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.keys(v).filter((k) => !/_at$/.test(k) && k !== 'session_id').sort().map((k) => [k, canon(v[k])]))
          : typeof v === 'string'
            ? name(v)
            : v;
    return JSON.stringify(canon(sc));
  }
  return JSON.stringify((sc?.results ?? []).map((r) => name(r.id)));
}

async function phase(sides, name, n, fn) {
  const before = sides.map((x) => ({ d: sched(x.daemon, false, true), s: sched(x.s.pid, true) }));
  const l0 = loadavg()[0];
  for (let i = 0; i < n; i++) {
    for (const x of i % 2 ? [...sides].reverse() : sides) {
      const r = await fn(x, i);
      x.wall[name].push(r.ms);
    }
  }
  const l1 = loadavg()[0];
  return sides.map((x, k) => ({
    jar: x.label,
    wallP50: pct(x.wall[name], 0.5),
    wallP95: pct(x.wall[name], 0.95),
    daemon: diff(before[k].d, sched(x.daemon, false, true), n),
    session: diff(before[k].s, sched(x.s.pid, true), n),
    load: [l0, l1],
  }));
}

const o = args(process.argv.slice(2));
const corpus = buildCorpus(o.warm + o.stores, Math.max(o.searches, o.warm), 7);
const sides = [await side('A', resolve(o.a), resolve(o.store), o['a-opts']), await side('B', resolve(o.b), resolve(o.store), o['b-opts'])];
const rss = (pid) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const res = { date: new Date().toISOString(), opts: o };
try {
  for (const x of sides) {
    for (let i = 0; i < 600; i++) {
      const { sc } = await call(x, 'memory_search', { query: 'warm-up', include_trace: true });
      if (sc.trace?.mode === 'hybrid') break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  for (const x of sides) x.outcomes = [];
  log(`warm: ${o.warm} stores and searches each`);
  await phase(sides, 'store', o.warm, (x, i) => call(x, 'memory_store', { content: `warm ${corpus.memories[i].text}` }));
  await phase(sides, 'search', o.warm, (x, i) => call(x, 'memory_search', { query: corpus.queries[i].keyword, limit: 10 }));
  for (const x of sides) x.wall = { store: [], search: [] };
  res.store = await phase(sides, 'store', o.stores, (x, i) => call(x, 'memory_store', { content: corpus.memories[o.warm + i].text }));
  res.search = await phase(sides, 'search', o.searches, (x, i) => call(x, 'memory_search', { query: corpus.queries[i % corpus.queries.length][['paraphrase', 'keyword', 'phrase'][i % 3]], limit: 10 }));
  res.rss = sides.map((x) => rss(x.daemon));
} finally {
  for (const x of sides) {
    if (o.jfr) {
      // The daemon's stop does not dump a recording: ask for it first (OMEM_DAEMON_JAVA_OPTS
      // started one, e.g. -XX:StartFlightRecording=settings=profile).
      try {
        execFileSync('jcmd', [String(x.daemon), 'JFR.dump', `filename=${resolve(o.jfr, `${x.label}.jfr`)}`], { stdio: 'ignore' });
      } catch (e) {
        log(`no recording of ${x.label}: ${e.message}`);
      }
    }
    await x.s.stop().catch(() => {});
    try {
      execFileSync('java', ['-jar', x.jar, 'daemon', 'stop', '--home', x.home], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(x.home, { recursive: true, force: true });
  }
}
const f = (v) => (v === undefined ? '-' : v.toFixed(2));
console.log('| call | jar | wall p50 / p95, ms | daemon CPU, ms (with exited threads) | daemon run-queue wait, ms | daemon switches vol / invol | session CPU, ms | session run-queue, ms | session switches vol / invol | load |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const name of ['store', 'search']) {
  for (const r of res[name]) {
    console.log(`| ${name} | ${r.jar} | ${f(r.wallP50)} / ${f(r.wallP95)} | ${f(r.daemon.cpu)} (${f(r.daemon.proc)}) | ${f(r.daemon.runq)} | ${f(r.daemon.vol)} / ${f(r.daemon.invol)} | ${f(r.session.cpu)} | ${f(r.session.runq)} | ${f(r.session.vol)} / ${f(r.session.invol)} | ${r.load.map((l) => l.toFixed(1)).join('-')} |`);
  }
}
console.log(`daemon RSS after the searches, MiB: A ${res.rss[0].toFixed(0)}, B ${res.rss[1].toFixed(0)}`);
console.log(`A = ${o.a}${o['a-opts'] ? ` (${o['a-opts']})` : ''}, B = ${o.b}${o['b-opts'] ? ` (${o['b-opts']})` : ''}; store ${o.store}; ${o.stores} stores and ${o.searches} searches each after ${o.warm} of each to warm; ${res.date}`);
console.log('\nThe daemon\'s voluntary context switches per call by thread (names\' digits folded), the largest:');
for (const name of ['store', 'search']) {
  for (const r of res[name]) {
    const top = Object.entries(r.daemon).filter(([k, v]) => k.startsWith('vol ') && v >= 0.5).sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`- ${name} ${r.jar}: ${top.map(([k, v]) => `${k.slice(4)} ${v.toFixed(1)}`).join(', ')}`);
  }
}
console.log('\nThe daemon\'s CPU per call by thread (ms, names\' digits folded), the largest:');
for (const name of ['store', 'search']) {
  for (const r of res[name]) {
    const top = Object.entries(r.daemon).filter(([k, v]) => k.startsWith('cpu ') && v >= 0.05).sort((a, b) => b[1] - a[1]).slice(0, 20);
    console.log(`- ${name} ${r.jar}: ${top.map(([k, v]) => `${k.slice(4)} ${v.toFixed(2)}`).join(', ')}`);
  }
}
const differ = sides[0].outcomes.filter((v, i) => v !== sides[1].outcomes[i]);
console.log(`outcomes (stores' answers, searches' ids in order, new ids renamed): ${differ.length} of ${sides[0].outcomes.length} differ`);
for (const v of differ.slice(0, 3)) console.log(`  A: ${v.slice(0, 300)}\n  B: ${sides[1].outcomes[sides[0].outcomes.indexOf(v)].slice(0, 300)}`);
res.outcomes = sides.map((x) => x.outcomes);
if (o.out) writeFileSync(o.out, JSON.stringify(res, null, 1));
