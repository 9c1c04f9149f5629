// The same MCP tool calls, three ways, answer for answer (issue 15's "both-ways" test).
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/mcp-both-ways-e2e.mjs
// (McpBothWaysEndToEndIT runs it in `mvn verify`.)
//
// The official MCP TypeScript SDK client drives three `java -jar omem.jar mcp` processes over
// stdio, each on a fresh data directory, from the same git repository:
//   in-process  OMEM_DAEMON=off: the store inside the MCP server;
//   daemon      the default: a thin client of the per-user daemon it starts (`omem serve --daemon`);
//   remote      OMEM_API_URL/OMEM_API_KEY: a client of a team server (`omem serve`) started here.
// Every server gets the identical sequence of calls (store, search with and without limit and
// min_score, get, list, update, forget, profile, stats) and the structured answers must be equal
// field by field, defaults included, once what differs by nature is normalised: memory ids
// (named by the fact that made them), times and the tenant (the local owner vs a server's tenant).
// Access counts are compared exactly: they are written after the answer, on their own thread, so
// after each call that counts one the test waits until it is written (accesses enter the ranking,
// frequency, so the next call must see them in every mode). The wait for the model counts none
// (awaitHybrid). Scores are then compared within SCORE_TOLERANCE: the ranking reads the clock, and
// BM25's index-wide statistics count a re-indexed memory's old document until Lucene merges it
// away: in-process, stores made before the model is loaded are embedded later by the backfill and
// indexed again, while a warm daemon embeds them at once (0.023 seen in CI). Ids, order
// and every other field must be equal.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));
/** How long the embedding model may take to load and embed what was stored before it. */
const HYBRID_DEADLINE_MS = 120_000;
/**
 * Scores drift between runs minutes apart even with identical stores (measured up to 0.012, 0.687
 * vs 0.6752, with the same access counts in all three stores): the ranking reads the clock
 * (recency). A divergence of the wire shows as other ids, another order or another count.
 */
const SCORE_TOLERANCE = 0.05;
/** How often to look whether the accesses a call counted are written. */
const SETTLE_MS = 100;

/** Twelve memories: more than the default limit of 10, so a search without a limit is cut by it. */
const FACTS = {
  tabs: { content: 'The user prefers tabs over spaces for indentation.', tags: ['style'], category: 'preferences' },
  build: { content: 'Build the project with ./gradlew build --offline', tags: ['build', 'gradle'] },
  staging: { content: 'The staging database is Postgres 15 on db-staging.internal.', tags: ['infra'] },
  changelog: { content: 'Changelog entries follow the Keep a Changelog format.' },
  flaky: { content: 'Fixed the flaky login test by raising the session timeout to 30 seconds.', tags: ['testing'], category: 'cases' },
  deploy: { content: 'The team deployed version 2.3 to production last Friday.', tags: ['ops'], category: 'events' },
  name: { content: 'My name is Dana and I work on the payments team.', category: 'profile' },
  lint: { content: 'Run the linter with ./gradlew spotlessApply before every commit.', tags: ['build'] },
  ci: { content: 'Continuous integration runs on GitHub Actions with a build matrix of Java 17 and 21.', tags: ['build', 'ci'] },
  cache: { content: 'The build cache lives in ~/.gradle/caches and is shared between builds.', tags: ['build'] },
  review: { content: 'Every pull request needs one approving review before it is merged.', importance: 0.9 },
  global: { content: 'Always answer in British English spelling.', scope: 'global', category: 'preferences' },
};

const work = mkdtempSync(join(tmpdir(), 'omem-both-ways-'));
const repo = join(work, 'widgets');
const children = []; // {label, child?, stderr}
const homes = {};
let serve; // {child, stderr, base, key}

process.on('exit', (code) => {
  const failed = code !== 0 || (process.exitCode ?? 0) !== 0;
  for (const c of children) {
    if (failed) {
      writeSync(2, `\n----- stderr of ${c.label} (last 3000 chars) -----\n${c.stderr.slice(-3000)}\n`);
    }
    if (c.child && c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  }
  if (failed) {
    writeSync(2, `omem both-ways: kept ${work} for inspection\n`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function javaHome() {
  return process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {};
}

before(async () => {
  assert.ok(existsSync(JAR), `omem jar not found at ${JAR}: build it (mvn package) or set OMEM_JAR`);
  mkdirSync(repo, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
  for (const mode of ['inprocess', 'daemon', 'remote', 'server']) {
    homes[mode] = join(work, mode);
    mkdirSync(homes[mode], { recursive: true });
  }
  // The team server of the remote mode, and one tenant on it.
  const child = spawn('java', ['-jar', JAR, 'serve', '--home', homes.server, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...javaHome() },
  });
  serve = { label: 'omem serve', child, stderr: '' };
  children.push(serve);
  child.stderr.on('data', (c) => (serve.stderr += c.toString()));
  const deadline = Date.now() + 60_000;
  let port;
  while (!port) {
    assert.ok(child.exitCode === null, `omem serve exited: ${serve.stderr}`);
    assert.ok(Date.now() < deadline, `omem serve wrote no daemon.json in 60 s: ${serve.stderr}`);
    try {
      port = JSON.parse(readFileSync(join(homes.server, 'daemon.json'), 'utf8')).port;
    } catch {
      await sleep(100);
    }
  }
  serve.base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${serve.base}/v1/tenants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'both-ways' }),
  });
  assert.equal(res.status, 201, 'tenant created');
  serve.key = (await res.json()).api_key;
});

after(async () => {
  for (const c of children) {
    if (c.client) await c.client.close().catch(() => {});
  }
  // The daemon mode's daemon, and the one a remote-mode `omem mcp` warms for the hooks.
  for (const home of [homes.daemon, homes.remote]) {
    try {
      execFileSync('java', ['-jar', JAR, 'daemon', 'stop', '--home', home], {
        stdio: 'pipe',
        env: { ...process.env, ...javaHome() },
      });
    } catch {
      // no daemon running: nothing to stop
    }
  }
  if (serve && serve.child.exitCode === null) {
    const exited = new Promise((r) => serve.child.once('exit', r));
    serve.child.kill('SIGTERM');
    await exited;
  }
});

/** One `omem mcp` over stdio in the given mode (the shared harness; one client name in every mode). */
async function mcp(mode) {
  const env = { OMEM_HOME: homes[mode] };
  if (mode === 'inprocess') env.OMEM_DAEMON = 'off';
  if (mode === 'remote') {
    env.OMEM_API_URL = serve.base;
    env.OMEM_API_KEY = serve.key;
    // A server still loading its model on a busy machine (CI) answers a first store slowly.
    env.OMEM_API_TIMEOUT_MS = '60000';
  }
  const c = await connectStdio({ jar: JAR, cwd: repo, name: 'omem-both-ways', env });
  const s = {
    label: `omem mcp (${mode})`,
    client: c.client,
    child: c.child,
    get stderr() {
      return c.stderr();
    },
  };
  children.push(s);
  await s.client.listTools(); // the client then checks every structuredContent against its schema
  return s;
}

async function call(s, name, args = {}) {
  const r = await s.client.callTool({ name, arguments: args });
  const text = (r.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
  assert.notEqual(r.isError, true, `${s.label}: ${name}(${JSON.stringify(args)}) failed: ${text}`);
  return { structured: r.structuredContent, text };
}

/** The accesses counted so far over every memory (a listing counts none). */
async function accessTotal(s) {
  const { structured } = await call(s, 'memory_list', { scope: 'all', limit: 100 });
  return structured.memories.reduce((n, m) => n + (m.access_count ?? 0), 0);
}

/**
 * Waits until the accesses a call counted are written (one batch, after the answer, on the
 * service's own thread): accesses move scores, so the next call must see them in every mode.
 */
async function settled(s, before) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = await accessTotal(s);
    if (now > before) return now;
    assert.ok(Date.now() < deadline, `${s.label}: accesses not written in 15 s`);
    await sleep(SETTLE_MS);
  }
}

/** Waits until a search is hybrid and sees every stored memory as a vector candidate. */
async function awaitHybrid(s, count) {
  const deadline = Date.now() + HYBRID_DEADLINE_MS;
  for (;;) {
    // This polling must count no access: accesses move scores, and each mode polls a different
    // number of times (the model loads at its own pace in each). min_score 1 lets no relevance
    // probability through, but while the model loads a search is BM25 only and its best hit's
    // normalised score is exactly 1.0, which passes: polling 'build' so counted one access per
    // poll, and the modes' counts differed by 1-5 (session 8). A word no memory holds has no BM25
    // hit, and the vector stage still returns every memory once the model is ready.
    const { structured } = await call(s, 'memory_search', {
      query: 'zyzzogeton',
      min_score: 1,
      include_trace: true,
      scope: 'all',
    });
    const vector = structured.trace.stages.find((st) => st.name === 'vector');
    if (structured.trace.mode === 'hybrid' && vector?.output_count === count) return;
    assert.ok(Date.now() < deadline, `${s.label}: not hybrid after ${HYBRID_DEADLINE_MS} ms`);
    await sleep(500);
  }
}

/**
 * The scenario: every call's answer, labelled. Only the answers compared are kept; the search
 * that waits for the model is not one of them.
 */
async function scenario(s) {
  const answers = [];
  const ids = {};
  let accesses = 0;
  const keep = async (label, a) => {
    answers.push({ label, ...a });
    const counts = label === 'get' || (label.startsWith('search') && a.structured.results.length > 0);
    if (counts) accesses = await settled(s, accesses);
  };
  for (const [key, fact] of Object.entries(FACTS)) {
    const a = await call(s, 'memory_store', fact);
    ids[key] = a.structured.id;
    await keep(`store ${key}`, a);
  }
  await keep('store again (a duplicate)', await call(s, 'memory_store', FACTS.build));
  await awaitHybrid(s, Object.keys(FACTS).length);
  await keep('search, defaults', await call(s, 'memory_search', { query: 'how do I build the project?' }));
  await keep('search, min_score 0, no limit', await call(s, 'memory_search', { query: 'gradle build', min_score: 0 }));
  await keep('search, limit 3, min_score 0', await call(s, 'memory_search', { query: 'gradle build', limit: 3, min_score: 0 }));
  await keep('search, min_score 0.9', await call(s, 'memory_search', { query: 'gradle build', min_score: 0.9 }));
  await keep('search, tags', await call(s, 'memory_search', { query: 'build', tags: ['build'], min_score: 0 }));
  await keep('search, category', await call(s, 'memory_search', { query: 'preferences', category: 'preferences', min_score: 0 }));
  await keep('search, scope global', await call(s, 'memory_search', { query: 'spelling', scope: 'global', min_score: 0 }));
  await keep('search, nothing relevant', await call(s, 'memory_search', { query: 'quantum chromodynamics lattice' }));
  await keep('get', await call(s, 'memory_get', { id: ids.staging }));
  await keep('list, defaults', await call(s, 'memory_list', {}));
  await keep('list, limit 5 offset 2', await call(s, 'memory_list', { limit: 5, offset: 2 }));
  await keep('list, scope all, tags', await call(s, 'memory_list', { scope: 'all', tags: ['build'] }));
  await keep('update', await call(s, 'memory_update', { id: ids.staging, content: 'The staging database is Postgres 16 on db-staging.internal.', tags: ['infra', 'db'] }));
  await keep('forget', await call(s, 'memory_forget', { id: ids.changelog }));
  await keep('list after forget', await call(s, 'memory_list', { scope: 'all', limit: 50 }));
  await keep('profile', await call(s, 'memory_profile', {}));
  await keep('stats', await call(s, 'memory_stats', {}));
  return { answers, ids };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const RFC3339 = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;

/** One answer with what differs by nature replaced by names, so that equal means equal. */
function normalise(value, ids, tenants) {
  const names = new Map(Object.entries(ids).map(([k, id]) => [id, `<${k}>`]));
  const text = (s) =>
    s
      .replace(UUID, (u) => names.get(u) ?? (tenants.has(u) ? '<tenant>' : '<uuid>'))
      .replace(RFC3339, '<time>');
  const walk = (v, key) => {
    if (v === null || v === undefined) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (typeof v === 'object') {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === 'tenant_id') out[k] = x === null ? null : '<tenant>';
        else if (k === 'duration_ms' || k === 'total_duration_ms') out[k] = '<ms>';
        else out[text(k)] = walk(x, k); // keys too: stats' by_space names the owner's space
      }
      return out;
    }
    if (typeof v === 'string') return text(v);
    return v;
  };
  return walk(value);
}

/** Tenant ids a mode's answers carry (the local owner's, or the server tenant's). */
function tenantsOf(answers) {
  const t = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'tenant_id' && typeof x === 'string') t.add(x);
        else walk(x);
      }
    }
  };
  answers.forEach((a) => walk(a.structured));
  return t;
}

/** The first difference between two JSON values, as a path, or null. */
function firstDifference(a, b, path = '$') {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && typeof a === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a) || !(k in b)) return `${path}.${k}: present in only one`;
      const d = firstDifference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (path.endsWith('.score') && typeof a === 'number' && Math.abs(a - b) <= SCORE_TOLERANCE) {
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

test('the same MCP calls give the same answers in-process, through the daemon and remotely', async () => {
  const results = {};
  for (const mode of ['inprocess', 'daemon', 'remote']) {
    const s = await mcp(mode);
    const t0 = performance.now();
    const { answers, ids } = await scenario(s);
    process.stderr.write(`omem both-ways: ${mode}: ${answers.length} calls in ${Math.round(performance.now() - t0)} ms\n`);
    const tenants = tenantsOf(answers);
    results[mode] = answers.map((a) => ({
      label: a.label,
      structured: normalise(a.structured, ids, tenants),
      text: normalise(a.text, ids, tenants).replace(/\b0\.\d+/g, '<score>'),
    }));
  }
  const base = results.inprocess;
  // The defaults the MCP tools state hold in every mode, not only in-process.
  const noLimit = base.find((a) => a.label === 'search, min_score 0, no limit').structured.results;
  assert.equal(noLimit.length, 10, 'memory_search without limit returns its default of 10');
  assert.equal(base.find((a) => a.label === 'search, limit 3, min_score 0').structured.results.length, 3);
  for (const mode of ['daemon', 'remote']) {
    assert.equal(results[mode].length, base.length);
    for (let i = 0; i < base.length; i++) {
      const d = firstDifference(base[i].structured, results[mode][i].structured);
      assert.equal(d, null, `${base[i].label}: in-process vs ${mode} differ at ${d}`);
      assert.equal(results[mode][i].text, base[i].text, `${base[i].label}: text in-process vs ${mode}`);
    }
  }
});
