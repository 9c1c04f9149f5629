// End-to-end test of `omem mcp` through the official MCP TypeScript SDK client over stdio.
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/mcp-stdio-e2e.mjs
// (McpStdioEndToEndIT runs it in `mvn verify`; `npm ci --prefix src/test/node` installs the SDK.)
//
// Every server runs on a fresh data directory (OMEM_HOME) inside a temporary git repository whose
// origin is git@github.com:acme/widgets.git, so the project scope is always
// "project:github.com/acme/widgets". The tests below run in order and share that data directory:
// server A does the main scenario, server B checks persistence across a clean restart and is then
// killed with SIGKILL right after acknowledged writes, and server C checks those writes survived.
// Last, a few servers on fresh data directories are stopped while their embedding model is still
// loading: they must exit as cleanly as any other (exit code 0, no JVM crash report).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));
const PROJECT_SCOPE = 'project:github.com/acme/widgets';
// OMEM_E2E_BRIDGE=<omem-bridge.js>: the same tests through the Node bridge to the local daemon
// (McpBridgeEndToEndIT) instead of `java -jar omem.jar mcp` with the store in-process.
const BRIDGE = process.env.OMEM_E2E_BRIDGE ? resolve(process.env.OMEM_E2E_BRIDGE) : null;
const dataDirs = new Set();
/** How long the embedding model may take to load and embed what was stored before it was ready. */
const HYBRID_DEADLINE_MS = 90_000;
const KIB32 = 32 * 1024;

const TOOLS = {
  memory_store: { readOnly: false, destructive: false, idempotent: true, required: ['content'] },
  memory_search: { readOnly: true, destructive: false, idempotent: true, required: ['query'] },
  memory_get: { readOnly: true, destructive: false, idempotent: true, required: ['id'] },
  memory_update: { readOnly: false, destructive: true, idempotent: true, required: ['id'] },
  memory_forget: { readOnly: false, destructive: true, idempotent: true, required: ['id'] },
  memory_list: { readOnly: true, destructive: false, idempotent: true, required: [] },
  memory_ingest: { readOnly: false, destructive: false, idempotent: false, required: ['messages'] },
  memory_profile: { readOnly: true, destructive: false, idempotent: true, required: [] },
  memory_stats: { readOnly: true, destructive: false, idempotent: true, required: [] },
  space_create: { readOnly: false, destructive: false, idempotent: false, required: ['name'] },
  space_list: { readOnly: true, destructive: false, idempotent: true, required: [] },
  space_add_member: { readOnly: false, destructive: false, idempotent: true, required: ['space_id', 'user_id'] },
  space_remove_member: { readOnly: false, destructive: true, idempotent: true, required: ['space_id', 'user_id'] },
  space_invitations: { readOnly: true, destructive: false, idempotent: true, required: [] },
  space_accept: { readOnly: false, destructive: false, idempotent: true, required: ['invitation_id'] },
  space_decline: { readOnly: false, destructive: true, idempotent: true, required: ['invitation_id'] },
  memory_share: { readOnly: false, destructive: false, idempotent: true, required: ['id', 'target_space'] },
  memory_share_to_user: { readOnly: false, destructive: false, idempotent: true, required: ['id', 'target_user'] },
  memory_pull: { readOnly: false, destructive: false, idempotent: true, required: ['id', 'source_space'] },
  memory_unshare: { readOnly: false, destructive: true, idempotent: true, required: ['id', 'target_space'] },
};

const FACTS = {
  tabs: { content: 'The user prefers tabs over spaces for indentation.', tags: ['style'] },
  build: { content: 'Build the project with ./gradlew build --offline', tags: ['build', 'gradle'] },
  staging: { content: 'The staging database is Postgres 15 on db-staging.internal.', tags: ['infra'] },
  changelog: { content: 'Changelog entries follow the Keep a Changelog format.', tags: [] },
  flaky: {
    content: 'Fixed the flaky login test by raising the session timeout to 30 seconds.',
    tags: ['testing'],
  },
  deploy: { content: 'The team deployed version 2.3 to production last Friday.', tags: ['ops'] },
  name: { content: 'My name is Dana and I work on the payments team.', tags: [] },
};

// ---- fixtures -------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'omem-e2e-'));
const home = join(work, 'home');
const repo = join(work, 'widgets');
const servers = [];
const ids = {}; // fact key -> memory id

process.on('exit', (code) => {
  if (BRIDGE) {
    for (const dir of dataDirs) {
      try {
        execFileSync('java', ['-jar', JAR, 'daemon', 'stop', '--home', dir], { stdio: 'ignore' });
      } catch {
        // none running
      }
    }
  }
  const failed = code !== 0 || (process.exitCode ?? 0) !== 0;
  if (failed) {
    for (const s of servers) {
      writeSync(2, `\n----- stderr of omem server ${s.label} (last 3000 chars) -----\n`);
      writeSync(2, s.stderr.slice(-3000) + '\n');
    }
    writeSync(2, `omem e2e: kept ${work} for inspection\n`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
});

before(() => {
  assert.ok(existsSync(JAR), `omem jar not found at ${JAR}: build it (mvn package) or set OMEM_JAR`);
  mkdirSync(repo, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
});

after(async () => {
  for (const s of servers) {
    await s.kill();
  }
});

/** One `java -jar omem.jar mcp` process (or the bridge's) and the SDK client talking to it. */
class OmemServer {
  constructor(label) {
    this.label = label;
    this.stderr = '';
  }

  static async start(label, dataDir = home) {
    const s = new OmemServer(label);
    servers.push(s);
    dataDirs.add(dataDir);
    const t0 = performance.now();
    const c = await connectStdio({
      jar: JAR,
      cwd: repo,
      name: 'omem-e2e',
      env: { ...javaEnv(), OMEM_HOME: dataDir },
      command: BRIDGE ? process.execPath : 'java',
      args: BRIDGE ? [BRIDGE, '--java', 'java', '--jar', JAR] : undefined,
      onStderr: (chunk) => (s.stderr += chunk),
    });
    s.initializeMs = Math.round(performance.now() - t0);
    process.stderr.write(
      `omem e2e: server ${label}: initialize answered ${s.initializeMs} ms after spawn\n`,
    );
    s.client = c.client;
    // Its exit status is what the shutdown tests check.
    s.child = c.child;
    s.exited = c.exited;
    // listTools also makes the client check every structuredContent against the outputSchema.
    s.tools = (await s.client.listTools()).tools;
    return s;
  }

  get pid() {
    return this.child.pid;
  }

  call(name, args) {
    return this.client.callTool({ name, arguments: args });
  }

  /** Calls a tool that must succeed; returns its structuredContent. */
  async ok(name, args = {}) {
    const r = await this.call(name, args);
    assert.notEqual(r.isError, true, `${name}(${show(args)}) failed: ${text(r)}`);
    assert.ok(r.structuredContent, `${name} returned no structuredContent`);
    assert.ok(text(r).length > 0, `${name} returned no text content`);
    return r.structuredContent;
  }

  /** Calls a tool that must fail with isError and a readable message; returns the message. */
  async fails(name, args, pattern) {
    const r = await this.call(name, args);
    assert.equal(r.isError, true, `${name}(${show(args)}) should fail, got ${text(r).slice(0, 300)}`);
    const msg = text(r);
    assert.ok(msg.trim().length > 0, `${name}(${show(args)}) failed without a message`);
    if (pattern) {
      assert.match(msg, pattern, `${name}(${show(args)}) error message`);
    }
    return msg;
  }

  /** Without the relevance floor (its own test is mcp-relevance-e2e.mjs): ranking and transport. */
  async search(query, extra = {}) {
    return (await this.ok('memory_search', { query, min_score: 0, ...extra })).results;
  }

  /** Closes stdin the way MCP clients stop a stdio server, and waits for the process to exit. */
  async shutdown() {
    const t0 = performance.now();
    this.child.stdin.end();
    const exit = await within(this.exited, 15_000, `server ${this.label} to exit after stdin closed`);
    process.stderr.write(
      `omem e2e: server ${this.label}: exited ${Math.round(performance.now() - t0)} ms after stdin closed\n`,
    );
    await this.client.close();
    return exit;
  }

  async kill() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    await this.client?.close().catch(() => {});
  }
}

/** The store in-process (OMEM_DAEMON=off): this test covers the embedded mode and its lock. */
function javaEnv() {
  const env = BRIDGE ? {} : { OMEM_DAEMON: 'off' };
  return process.env.JAVA_HOME ? { ...env, JAVA_HOME: process.env.JAVA_HOME } : env;
}

function text(result) {
  return (result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

function show(args) {
  const s = JSON.stringify(args);
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** JVM crash reports (hs_err_pid*.log) that a server left in its working directory. */
const crashReports = () => readdirSync(repo).filter((f) => f.startsWith('hs_err_pid'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The ids of a result list, in order. */
const idsOf = (results) => results.map((r) => r.id);

/** Total (stats) and total_count (list, every scope) must agree; returns the total. */
async function totals(server) {
  const stats = await server.ok('memory_stats');
  const list = await server.ok('memory_list', { scope: 'all', limit: 200 });
  assert.equal(list.total_count, stats.total, 'memory_list total_count vs memory_stats total');
  return stats.total;
}

function assertMemoryShape(m, where) {
  assert.equal(typeof m.id, 'string', `${where}: id`);
  assert.match(m.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, `${where}: id`);
  assert.equal(typeof m.content, 'string', `${where}: content`);
  assert.ok(
    ['profile', 'preferences', 'entities', 'events', 'cases', 'patterns'].includes(m.category),
    `${where}: category ${m.category}`,
  );
  assert.ok(Array.isArray(m.tags), `${where}: tags`);
  assert.equal(typeof m.scope, 'string', `${where}: scope`);
  assert.ok(!Number.isNaN(Date.parse(m.created_at)), `${where}: created_at ${m.created_at}`);
}

// ---- server A: the main scenario -------------------------------------------------------------

let a;

test('server A starts, answers initialize, and sends instructions', async () => {
  a = await OmemServer.start('A');
  assert.equal(a.client.getServerVersion()?.name, 'omem');
  const caps = a.client.getServerCapabilities();
  assert.ok(caps?.tools, 'tools capability');
  assert.ok(caps?.resources, 'resources capability');
  const instructions = a.client.getInstructions();
  assert.equal(typeof instructions, 'string');
  assert.ok(instructions.trim().length > 50, `instructions too short: ${instructions}`);
  assert.match(instructions, /memory_search/);
});

test('tools/list: the nine tools with titles, schemas and annotations', () => {
  const names = a.tools.map((t) => t.name);
  assert.deepEqual([...names].sort(), Object.keys(TOOLS).sort());
  for (const tool of a.tools) {
    const want = TOOLS[tool.name];
    assert.ok(tool.title?.trim(), `${tool.name}: title`);
    assert.ok(tool.description?.trim().length > 20, `${tool.name}: description`);
    assert.equal(tool.inputSchema?.type, 'object', `${tool.name}: inputSchema.type`);
    assert.deepEqual(tool.inputSchema.required ?? [], want.required, `${tool.name}: required`);
    for (const field of want.required) {
      assert.ok(tool.inputSchema.properties?.[field], `${tool.name}: property ${field}`);
    }
    assert.equal(tool.outputSchema?.type, 'object', `${tool.name}: outputSchema`);
    const ann = tool.annotations ?? {};
    assert.equal(ann.readOnlyHint, want.readOnly, `${tool.name}: readOnlyHint`);
    assert.equal(ann.destructiveHint, want.destructive, `${tool.name}: destructiveHint`);
    assert.equal(ann.idempotentHint, want.idempotent, `${tool.name}: idempotentHint`);
  }
});

test('memory_store stores distinct facts and returns {id, memory}', async () => {
  assert.equal(await totals(a), 0, 'a fresh data directory is empty');
  for (const [key, fact] of Object.entries(FACTS)) {
    const s = await a.ok('memory_store', fact);
    assert.equal(s.id, s.memory.id, 'id and memory.id');
    assertMemoryShape(s.memory, `store ${key}`);
    assert.equal(s.memory.content, fact.content);
    assert.deepEqual(s.memory.tags, fact.tags);
    assert.equal(s.memory.version, 1);
    assert.equal(s.memory.state, 'active');
    assert.ok(!Object.values(ids).includes(s.id), `${key} got a fresh id`);
    ids[key] = s.id;
  }
  const tabs = await a.ok('memory_get', { id: ids.tabs });
  assert.equal(tabs.memory.category, 'preferences');
  assert.equal(tabs.memory.scope, 'global', 'preferences default to the global scope');
  const build = await a.ok('memory_get', { id: ids.build });
  assert.equal(build.memory.scope, PROJECT_SCOPE, 'other facts default to the current project');
  assert.equal(await totals(a), Object.keys(FACTS).length);

  // Storing the same text again returns the existing memory.
  const again = await a.ok('memory_store', { content: FACTS.build.content });
  assert.equal(again.id, ids.build);
  assert.equal(await totals(a), Object.keys(FACTS).length);
});

test('memory_search finds paraphrases once the embedding model is loaded (hybrid mode)', async () => {
  const expected = Object.keys(FACTS).length;
  const deadline = Date.now() + HYBRID_DEADLINE_MS;
  let trace;
  let modes = new Set();
  for (;;) {
    const r = await a.ok('memory_search', {
      query: 'which build command should I use?',
      include_trace: true,
      limit: 20,
    });
    trace = r.trace;
    assert.ok(trace, 'include_trace returns a trace');
    assert.ok(['bm25', 'hybrid'].includes(trace.mode), `trace.mode ${trace.mode}`);
    modes.add(trace.mode);
    const vector = trace.stages.find((s) => s.name === 'vector');
    // Ready: the model answers queries and every memory stored before it loaded has a vector.
    if (trace.mode === 'hybrid' && vector?.output_count === expected) {
      break;
    }
    assert.ok(
      Date.now() < deadline,
      `search not hybrid with all ${expected} vectors after ${HYBRID_DEADLINE_MS} ms: ${JSON.stringify(trace)}`,
    );
    await sleep(500);
  }
  process.stderr.write(`omem e2e: search modes seen while the model loaded: ${[...modes]}\n`);
  assert.ok(Array.isArray(trace.stages) && trace.stages.length > 0, 'trace stages');

  const plain = await a.ok('memory_search', { query: 'which build command should I use?', min_score: 0 });
  assert.ok(!('trace' in plain), 'no trace unless include_trace');
  const build = plain.results;
  assert.equal(build[0]?.id, ids.build, `first result: ${show(build.map((r) => r.content))}`);
  for (const r of build) {
    assertMemoryShape(r, 'search result');
    assert.equal(typeof r.score, 'number');
    assert.ok(r.score >= 0 && r.score <= 1, `score ${r.score} in [0, 1]`);
  }
  for (let i = 1; i < build.length; i++) {
    assert.ok(build[i - 1].score >= build[i].score, 'results are sorted by score');
  }

  // No word in common with the stored fact: only the vector side can find it.
  const db = await a.search('Which SQL engine backs our pre-release environment?');
  assert.equal(db[0]?.id, ids.staging, `first result: ${show(db.map((r) => r.content))}`);

  // In hybrid mode every memory is a vector candidate, so a limit is what cuts the list.
  const all = await a.search('notes about this project', { limit: 20 });
  assert.equal(all.length, expected, 'hybrid search ranks every memory');
  const limited = await a.search('notes about this project', { limit: 2 });
  assert.deepEqual(idsOf(limited), idsOf(all).slice(0, 2), 'limit keeps the best results');
});

test('memory_get returns every field', async () => {
  const g = await a.ok('memory_get', { id: ids.build });
  assert.deepEqual(Object.keys(g), ['memory']);
  assertMemoryShape(g.memory, 'get');
  assert.equal(g.memory.id, ids.build);
  assert.equal(g.memory.content, FACTS.build.content);
  assert.deepEqual(g.memory.tags, FACTS.build.tags);
  assert.equal(g.memory.version, 1);
});

const UPDATED = 'The staging database is Postgres 16 on db-staging.internal, upgraded from 15.';

test('memory_update changes content, bumps the version, and search sees the new text', async () => {
  const u = await a.ok('memory_update', { id: ids.staging, content: UPDATED, tags: ['infra', 'db'] });
  assertMemoryShape(u.memory, 'update');
  assert.equal(u.memory.id, ids.staging);
  assert.equal(u.memory.version, 2);
  assert.equal(u.memory.content, UPDATED);
  assert.deepEqual(u.memory.tags, ['infra', 'db']);

  const g = await a.ok('memory_get', { id: ids.staging });
  assert.equal(g.memory.version, 2);
  assert.equal(g.memory.content, UPDATED);

  const hits = await a.search('Postgres 16 upgrade');
  assert.equal(hits[0]?.id, ids.staging);
  assert.equal(hits[0].content, UPDATED);
  assert.equal(hits.filter((h) => h.id === ids.staging).length, 1, 'one result per memory');
  assert.equal(await totals(a), Object.keys(FACTS).length, 'update does not add a memory');
});

test('memory_forget removes a memory from search, and forgetting twice is harmless', async () => {
  const before = await a.search('deployed version 2.3 to production');
  assert.equal(before[0]?.id, ids.deploy, 'found before forgetting');

  const f = await a.ok('memory_forget', { id: ids.deploy });
  assert.deepEqual(f, { id: ids.deploy, status: 'deleted' });
  const afterForget = await a.search('deployed version 2.3 to production');
  assert.ok(!idsOf(afterForget).includes(ids.deploy), 'a forgotten memory is not returned');
  const again = await a.ok('memory_forget', { id: ids.deploy });
  assert.deepEqual(again, { id: ids.deploy, status: 'deleted' });

  const g = await a.ok('memory_get', { id: ids.deploy });
  assert.equal(g.memory.state, 'deleted', 'the record stays, marked deleted');
  assert.equal(await totals(a), Object.keys(FACTS).length - 1);
});

test('memory_list pages through memories with total_count', async () => {
  const expected = Object.keys(FACTS).length - 1;
  const all = await a.ok('memory_list', {});
  assert.equal(all.total_count, expected);
  assert.equal(all.offset, 0);
  assert.equal(typeof all.limit, 'number');
  assert.equal(all.memories.length, expected);
  all.memories.forEach((m) => assertMemoryShape(m, 'list'));
  assert.ok(!idsOf(all.memories).includes(ids.deploy), 'forgotten memories are not listed');

  const page = await a.ok('memory_list', { limit: 2, offset: 2 });
  assert.equal(page.total_count, expected);
  assert.equal(page.limit, 2);
  assert.equal(page.offset, 2);
  assert.deepEqual(idsOf(page.memories), idsOf(all.memories).slice(2, 4), 'pages follow the order');

  const deleted = await a.ok('memory_list', { state: 'deleted' });
  assert.deepEqual(idsOf(deleted.memories), [ids.deploy]);
});

test('memory_stats counts memories by category and state', async () => {
  const s = await a.ok('memory_stats');
  assert.equal(s.total, Object.keys(FACTS).length - 1);
  assert.equal(typeof s.by_category, 'object');
  assert.equal(typeof s.by_state, 'object');
  assert.equal(s.by_state.active, Object.keys(FACTS).length - 1);
  assert.equal(s.by_state.deleted, 1);
  assert.equal(s.by_category.preferences, 1);
});

const PNPM = 'We decided to use pnpm instead of npm for this repo.';

test('memory_ingest keeps the substantive user statement only', async () => {
  const before = await totals(a);
  const r = await a.ok('memory_ingest', {
    messages: [
      { role: 'user', content: PNPM },
      { role: 'assistant', content: 'OK' },
      { role: 'user', content: 'thanks!' },
    ],
    wait: 20,
  });
  assert.equal(r.stored_count, 3, 'every turn is logged');
  assert.equal(r.status, 'done');
  assert.equal(r.memory_ids.length, 1);
  ids.pnpm = r.memory_ids[0];
  const g = await a.ok('memory_get', { id: ids.pnpm });
  assert.equal(g.memory.content, PNPM);
  assert.equal(await totals(a), before + 1);
  const hits = await a.search('pnpm instead of npm');
  assert.equal(hits[0]?.id, ids.pnpm);
});

test('memory_profile and the omem://profile resource', async () => {
  const p = await a.ok('memory_profile');
  assert.ok(Array.isArray(p.static_facts), 'static_facts');
  assert.ok(Array.isArray(p.dynamic_context), 'dynamic_context');
  assert.ok(p.static_facts.includes(FACTS.tabs.content), `static_facts: ${show(p.static_facts)}`);
  assert.ok(p.static_facts.includes(FACTS.name.content), `static_facts: ${show(p.static_facts)}`);
  assert.ok(p.dynamic_context.includes(FACTS.flaky.content), `dynamic: ${show(p.dynamic_context)}`);
  assert.ok(!p.dynamic_context.includes(FACTS.deploy.content), 'forgotten facts leave the profile');

  const { resources } = await a.client.listResources();
  assert.ok(
    resources.some((r) => r.uri === 'omem://profile'),
    `resources: ${show(resources.map((r) => r.uri))}`,
  );
  const res = await a.client.readResource({ uri: 'omem://profile' });
  assert.equal(res.contents.length, 1);
  assert.equal(res.contents[0].uri, 'omem://profile');
  assert.equal(res.contents[0].mimeType, 'text/markdown');
  assert.ok(res.contents[0].text.includes(FACTS.tabs.content), res.contents[0].text);
});

test('many concurrent calls are all answered (none dropped), and a cancellation is survived', async () => {
  // The SDK's own stdio transport dropped a response when two calls finished together.
  const before = await totals(a);
  const texts = Array.from({ length: 40 }, (_, i) => `Concurrent fact ${i}: service-${i} listens on port ${9000 + i}`);
  const calls = [
    ...texts.map((t) => within(a.ok('memory_store', { content: t }), 60_000, `store ${t}`)),
    ...texts.map((t, i) =>
      within(a.ok('memory_search', { query: `port of service-${i}`, limit: 3, min_score: 0 }), 60_000, `search ${i}`),
    ),
  ];
  const results = await Promise.all(calls);
  assert.equal(results.length, 80);
  const stored = results.slice(0, 40).map((r) => r.id);
  assert.equal(new Set(stored).size, 40, 'forty distinct memories');
  // A cancellation for a request that is not running must not stop the server reading.
  await a.client.notification({ method: 'notifications/cancelled', params: { requestId: 12345 } });
  for (const id of stored) {
    await a.ok('memory_forget', { id });
  }
  assert.equal(await totals(a), before, 'forgetting them restores the total');
});

test('bad input is an isError result with a message, and changes nothing', async () => {
  const total = await totals(a);
  const before = (await a.ok('memory_get', { id: ids.build })).memory;
  const unknown = randomUUID();
  const huge = 'word '.repeat(KIB32 / 5 + 10);
  assert.ok(Buffer.byteLength(huge) > KIB32);

  await a.fails('memory_store', { content: '' }, /content/);
  await a.fails('memory_store', { content: '   ' }, /content/);
  await a.fails('memory_store', {}, /content/);
  await a.fails('memory_store', { content: huge }, /32 KiB|32768/);
  await a.fails('memory_store', { content: 'Tags of the wrong type.', tags: 5 }, /tags/);
  await a.fails('memory_store', { content: 'An unknown category.', category: 'gossip' }, /categor/);
  await a.fails('memory_store', { content: 'Too important.', importance: 2 }, /importance/);
  await a.fails('memory_store', { content: 42 }, /content/);

  await a.fails('memory_get', { id: unknown }, new RegExp(unknown));
  await a.fails('memory_get', { id: 'not-a-uuid' }, /id/);
  await a.fails('memory_get', {}, /id/);
  await a.fails('memory_update', { id: unknown, content: 'Nothing to update.' }, new RegExp(unknown));
  await a.fails('memory_update', { id: 'nope', content: 'Nothing to update.' }, /id/);
  await a.fails('memory_update', { id: ids.build, content: huge }, /32 KiB|32768/);
  await a.fails('memory_update', { id: ids.build, content: '' }, /content/);
  await a.fails('memory_update', { id: ids.build, category: 'gossip' }, /categor/);
  await a.fails('memory_update', { id: ids.build, tags: 5 }, /tags/);
  await a.fails('memory_update', { id: ids.build }, /nothing to update/);
  await a.fails('memory_forget', { id: unknown }, new RegExp(unknown));
  await a.fails('memory_forget', { id: '12345' }, /id/);

  await a.fails('memory_search', { query: '' }, /query/);
  await a.fails('memory_search', {}, /query/);
  await a.fails('memory_search', { query: 5 }, /query/);
  await a.fails('memory_search', { query: 'gradle', limit: 0 }, /limit/);
  await a.fails('memory_search', { query: 'gradle', limit: 1000 }, /limit/);
  await a.fails('memory_search', { query: 'gradle', limit: 'many' }, /limit/);
  await a.fails('memory_search', { query: 'gradle', category: 'gossip' }, /categor/);
  await a.fails('memory_search', { query: 'gradle', tags: 5 }, /tags/);
  await a.fails('memory_list', { limit: 0 }, /limit/);
  await a.fails('memory_list', { limit: 1000 }, /limit/);
  await a.fails('memory_list', { category: 'gossip' }, /categor/);
  await a.fails('memory_ingest', {}, /messages/);
  await a.fails('memory_ingest', { messages: 'We use pnpm.' }, /messages/);

  assert.equal(await totals(a), total, 'failed calls store nothing');
  const after = (await a.ok('memory_get', { id: ids.build })).memory;
  assert.equal(after.content, before.content, 'failed updates change nothing');
  assert.equal(after.version, before.version, 'failed updates change nothing');
  assert.deepEqual(after.tags, before.tags, 'failed updates change nothing');
  assert.equal(after.category, before.category, 'failed updates change nothing');
});

test('server A exits by itself when its stdin is closed', async () => {
  const exit = await a.shutdown();
  assert.deepEqual(exit, { code: 0, signal: null });
});

// ---- server B: persistence across a clean restart, then SIGKILL after acknowledged writes -----

let b;
let totalBeforeKill;
const BACKUP = 'Nightly backups of the widgets database run at 02:00 UTC.';

test('server B (same data directory) finds what server A stored', async () => {
  b = await OmemServer.start('B');
  assert.equal(await totals(b), Object.keys(FACTS).length, 'seven facts, one forgotten, one ingested');
  const build = await b.search('gradlew build offline');
  assert.equal(build[0]?.id, ids.build);
  const staging = await b.search('staging database Postgres');
  assert.equal(staging[0]?.id, ids.staging);
  assert.equal(staging[0].content, UPDATED, 'the update survived');
  const g = await b.ok('memory_get', { id: ids.staging });
  assert.equal(g.memory.version, 2);
  const pnpm = await b.search('pnpm instead of npm');
  assert.equal(pnpm[0]?.id, ids.pnpm);
  const deploy = await b.search('deployed version 2.3 to production');
  assert.ok(!idsOf(deploy).includes(ids.deploy), 'the forgotten memory stays forgotten');
  const all = await b.ok('memory_list', { scope: 'all', limit: 200 });
  assert.ok(!idsOf(all.memories).includes(ids.deploy));
});

test('a second server on the same data directory takes turns with the first', async () => {
  // Never two owners at once: B gives the store back once idle (OMEM_STORE_IDLE_SECONDS, 10 s by
  // default) and B2's first call waits for that; B's next call waits for B2 in turn.
  const other = await OmemServer.start('B2');
  assert.equal(await totals(other), Object.keys(FACTS).length, 'server B2 reads the same store');
  await other.shutdown();
  assert.equal(await totals(b), Object.keys(FACTS).length, 'server B still works');
});

test('server B is killed with SIGKILL right after acknowledged writes', async () => {
  totalBeforeKill = await totals(b);
  await b.ok('memory_forget', { id: ids.flaky });
  const s = await b.ok('memory_store', { content: BACKUP, tags: ['ops'] });
  process.kill(b.pid, 'SIGKILL'); // at once: the index commits only every few seconds
  ids.backup = s.id;
  const exit = await within(b.exited, 15_000, 'server B to die');
  assert.equal(exit.signal, 'SIGKILL');
  await b.client.close();
});

test('server C recovers the writes acknowledged before the kill', async () => {
  const c = await OmemServer.start('C');
  assert.equal(await totals(c), totalBeforeKill, 'one stored, one forgotten');
  const backup = await c.search('nightly backups');
  assert.equal(backup[0]?.id, ids.backup, `results: ${show(backup.map((r) => r.content))}`);
  assert.equal(backup[0].content, BACKUP);
  const flaky = await c.search('flaky login test session timeout');
  assert.ok(!idsOf(flaky).includes(ids.flaky), 'forgotten just before the kill: stays forgotten');
  const deploy = await c.search('deployed version 2.3 to production');
  assert.ok(!idsOf(deploy).includes(ids.deploy), 'forgotten in server A: stays forgotten');
  const build = await c.search('gradlew build offline');
  assert.equal(build[0]?.id, ids.build);
  const g = await c.ok('memory_get', { id: ids.backup });
  assert.equal(g.memory.content, BACKUP);
  const exit = await c.shutdown();
  const reports = crashReports().map((f) => join(repo, f));
  assert.deepEqual(exit, { code: 0, signal: null }, `server C's exit; JVM crash reports: ${reports}`);
  assert.deepEqual(crashReports(), [], 'no JVM crash report in the project directory');
});

// Stopping a server whose embedding model is still loading must be as clean as any other stop.
// The model loads for a second or more after the first call; these stops sweep that window.
test('a server stopped while the embedding model is still loading exits cleanly', async () => {
  const earlier = new Set(crashReports());
  const newCrashReports = () => crashReports().filter((f) => !earlier.has(f));
  for (const delay of [0, 250, 500, 750, 1000, 1250]) {
    const s = await OmemServer.start(`early-stop-${delay}ms`, join(work, `early-stop-${delay}`));
    assert.equal((await s.ok('memory_stats')).total, 0);
    await sleep(delay);
    const exit = await s.shutdown();
    const loaded = /Loaded embedding model/.test(s.stderr) ? 'after' : 'before';
    assert.deepEqual(
      exit,
      { code: 0, signal: null },
      `stdin closed ${delay} ms after the first tool call (${loaded} the model finished loading);` +
        ` JVM crash reports: ${newCrashReports().map((f) => join(repo, f))}`,
    );
  }
  assert.deepEqual(newCrashReports(), [], 'no JVM crash report in the project directory');
});
