// End-to-end test of `omem serve`'s MCP endpoint (Streamable HTTP at /mcp) through the official
// MCP TypeScript SDK client (Client + StreamableHTTPClientTransport), next to its REST API.
//
// Run against a server you started:
//   OMEM_URL=http://127.0.0.1:PORT OMEM_KEY_A=... OMEM_KEY_B=... node --test src/test/node/mcp-http-e2e.mjs
//   (the keys: two tenants, from POST /v1/tenants; McpHttpEndToEndIT does exactly that in `mvn verify`)
// or let the script start one itself on a fresh data directory:
//   OMEM_JAR=target/omem.jar node --test src/test/node/mcp-http-e2e.mjs
//
// Tenant A does the main scenario with the project header X-Omem-Project: github.com/acme/widgets;
// tenant B (same server, its own key) must see none of A's memories, over MCP or REST. The tests
// run in order and share the server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpClient } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = 'github.com/acme/widgets';
const PROJECT_SCOPE = `project:${PROJECT}`;
/** How long the embedding model may take to load and embed what was stored before it was ready. */
const HYBRID_DEADLINE_MS = 90_000;
const CALL_TIMEOUT_MS = 60_000;

const TOOL_NAMES = [
  'memory_store',
  'memory_search',
  'memory_get',
  'memory_update',
  'memory_forget',
  'memory_list',
  'memory_ingest',
  'memory_profile',
  'memory_stats',
  'space_create',
  'space_list',
  'space_add_member',
  'space_remove_member',
  'space_invitations',
  'space_accept',
  'space_decline',
  'memory_share',
  'memory_share_to_user',
  'memory_pull',
  'memory_unshare',
];

const FACTS = {
  tabs: { content: 'The user prefers tabs over spaces for indentation.', tags: ['style'] },
  build: { content: 'Build the project with ./gradlew build --offline', tags: ['build', 'gradle'] },
  staging: { content: 'The staging database is Postgres 15 on db-staging.internal.', tags: ['infra'] },
  flaky: {
    content: 'Fixed the flaky login test by raising the session timeout to 30 seconds.',
    tags: ['testing'],
  },
  deploy: { content: 'The team deployed version 2.3 to production last Friday.', tags: ['ops'] },
};

// ---- the server: given (OMEM_URL + keys) or started here (OMEM_JAR) ---------------------------

let base; // http://127.0.0.1:PORT
let keyA;
let keyB;
let own; // the server this script started, if it started one: {child, home, stderr}

const log = (msg) => process.stderr.write(`omem http e2e: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

process.on('exit', (code) => {
  const failed = code !== 0 || (process.exitCode ?? 0) !== 0;
  if (own) {
    if (failed) {
      writeSync(2, `\n----- stderr of omem serve (last 3000 chars) -----\n${own.stderr.slice(-3000)}\n`);
    }
    if (own.child.exitCode === null && own.child.signalCode === null) own.child.kill('SIGKILL');
    rmSync(own.home, { recursive: true, force: true });
  }
});

before(async () => {
  if (process.env.OMEM_URL) {
    base = process.env.OMEM_URL.replace(/\/+$/, '');
    keyA = process.env.OMEM_KEY_A;
    keyB = process.env.OMEM_KEY_B;
    assert.ok(keyA && keyB, 'OMEM_URL needs OMEM_KEY_A and OMEM_KEY_B (two tenants of that server)');
    return;
  }
  const jar = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));
  assert.ok(existsSync(jar), `omem jar not found at ${jar}: build it (mvn package) or set OMEM_JAR`);
  const home = mkdtempSync(join(tmpdir(), 'omem-http-e2e-'));
  const child = spawn('java', ['-jar', jar, 'serve', '--home', home, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  own = { child, home, stderr: '' };
  child.stderr.on('data', (c) => (own.stderr += c.toString()));
  const deadline = Date.now() + 60_000;
  let port;
  while (!port) {
    assert.ok(child.exitCode === null, `omem serve exited: ${own.stderr}`);
    assert.ok(Date.now() < deadline, `omem serve wrote no daemon.json in 60 s: ${own.stderr}`);
    try {
      port = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')).port;
    } catch {
      await sleep(100);
    }
  }
  base = `http://127.0.0.1:${port}`;
  keyA = (await rest('POST', '/v1/tenants', null, { name: 'tenant-a' })).body.api_key;
  keyB = (await rest('POST', '/v1/tenants', null, { name: 'tenant-b' })).body.api_key;
  log(`started omem serve on ${base} (data ${home})`);
});

after(async () => {
  for (const c of clients) {
    await c.client.close().catch(() => {});
  }
  if (own && own.child.exitCode === null) {
    const exited = new Promise((r) => own.child.once('exit', r));
    own.child.kill('SIGTERM');
    await exited;
  }
});

// ---- helpers ------------------------------------------------------------------------------------

/** A REST call; returns {status, body} (body parsed as JSON when it is JSON). */
async function rest(method, path, key, body, headers = {}) {
  const h = { ...headers };
  if (key) h['X-API-Key'] = key;
  if (body !== undefined && body !== null) h['Content-Type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers: h,
    body: body === undefined || body === null ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function assertEnvelope(r, status, code, where) {
  assert.equal(r.status, status, `${where}: status; body ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body, 'object', `${where}: a JSON body, got ${r.body}`);
  assert.deepEqual(Object.keys(r.body), ['error'], `${where}: the error envelope`);
  assert.equal(r.body.error.code, code, `${where}: error.code`);
  assert.equal(typeof r.body.error.message, 'string', `${where}: error.message`);
  assert.ok(r.body.error.message.trim().length > 0, `${where}: an empty message`);
}

function text(result) {
  return (result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

function show(v) {
  const s = JSON.stringify(v);
  return s.length > 160 ? s.slice(0, 157) + '...' : s;
}

function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const idsOf = (results) => results.map((r) => r.id);

const clients = [];

/** An SDK client on /mcp with a key (and the project header unless told otherwise). */
class McpSession {
  constructor(label, key, { project = PROJECT } = {}) {
    this.label = label;
    const headers = { 'X-API-Key': key };
    if (project) headers['X-Omem-Project'] = project;
    const c = httpClient({ base, headers, name: 'omem-http-e2e', label }); // the shared harness
    this.transport = c.transport;
    this.client = c.client;
    this.errors = [];
    clients.push(this);
  }

  static async open(label, key, opts) {
    const s = new McpSession(label, key, opts);
    const t0 = performance.now();
    await within(s.client.connect(s.transport), CALL_TIMEOUT_MS, `${label}: initialize`);
    log(`${label}: initialize answered in ${Math.round(performance.now() - t0)} ms`);
    // listTools also makes the client check every structuredContent against the outputSchema.
    s.tools = (await s.client.listTools()).tools;
    return s;
  }

  call(name, args) {
    return within(
      this.client.callTool({ name, arguments: args }),
      CALL_TIMEOUT_MS,
      `${this.label}: ${name}(${show(args)})`,
    );
  }

  /** A tool call that must succeed; returns its structuredContent. */
  async ok(name, args = {}) {
    const r = await this.call(name, args);
    assert.notEqual(r.isError, true, `${this.label}: ${name}(${show(args)}) failed: ${text(r)}`);
    assert.ok(r.structuredContent, `${name} returned no structuredContent`);
    assert.ok(text(r).length > 0, `${name} returned no text content`);
    return r.structuredContent;
  }

  /** A tool call that must fail with isError and a readable message; returns the message. */
  async fails(name, args, pattern) {
    const r = await this.call(name, args);
    assert.equal(r.isError, true, `${name}(${show(args)}) should fail, got ${text(r).slice(0, 300)}`);
    const msg = text(r);
    assert.ok(msg.trim().length > 0, `${name}(${show(args)}) failed without a message`);
    assert.ok(!/Exception|\tat /.test(msg), `${name}: a message for people, not a stack trace: ${msg}`);
    if (pattern) assert.match(msg, pattern, `${name}(${show(args)}) error message`);
    return msg;
  }

  /** Without the relevance floor (its own test is mcp-relevance-e2e.mjs): ranking and transport. */
  async search(query, extra = {}) {
    return (await this.ok('memory_search', { query, min_score: 0, ...extra })).results;
  }
}

// ---- tenant A: the main scenario ------------------------------------------------------------

let a;
let b;
const ids = {};

test('GET /health answers without a key', async () => {
  const r = await rest('GET', '/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
});

test('initialize over Streamable HTTP, and tools/list has the memory and space tools', async () => {
  a = await McpSession.open('A', keyA);
  assert.equal(a.client.getServerVersion()?.name, 'omem');
  assert.ok(a.transport.sessionId, 'the server gave the client an Mcp-Session-Id');
  const caps = a.client.getServerCapabilities();
  assert.ok(caps?.tools, 'tools capability');
  const instructions = a.client.getInstructions();
  assert.equal(typeof instructions, 'string');
  assert.match(instructions, /memory_search/);
  assert.deepEqual(a.tools.map((t) => t.name).sort(), [...TOOL_NAMES].sort());
  for (const tool of a.tools) {
    assert.ok(tool.description?.trim().length > 20, `${tool.name}: description`);
    assert.equal(tool.inputSchema?.type, 'object', `${tool.name}: inputSchema`);
    assert.equal(tool.outputSchema?.type, 'object', `${tool.name}: outputSchema`);
  }
  await a.client.ping();
});

test('memory_store stores facts in the project the X-Omem-Project header names', async () => {
  assert.equal((await a.ok('memory_stats')).total, 0, 'a new tenant has no memories');
  for (const [key, fact] of Object.entries(FACTS)) {
    const s = await a.ok('memory_store', fact);
    assert.equal(s.id, s.memory.id);
    assert.equal(s.memory.content, fact.content);
    assert.deepEqual(s.memory.tags, fact.tags);
    assert.equal(s.memory.version, 1);
    assert.equal(s.memory.state, 'active');
    ids[key] = s.id;
  }
  const build = await a.ok('memory_get', { id: ids.build });
  assert.equal(build.memory.scope, PROJECT_SCOPE, 'the project comes from X-Omem-Project');
  assert.equal(build.memory.project, PROJECT);
  assert.equal(build.memory.agent_id, 'omem-http-e2e-A', 'agent_id defaults to the client name');
  assert.equal(build.memory.session_id, a.transport.sessionId, 'session_id is the MCP session');
  const tabs = await a.ok('memory_get', { id: ids.tabs });
  assert.equal(tabs.memory.scope, 'global', 'preferences default to the global scope');
  assert.equal((await a.ok('memory_stats')).total, Object.keys(FACTS).length);
  const again = await a.ok('memory_store', { content: FACTS.build.content });
  assert.equal(again.id, ids.build, 'the same text twice returns the existing memory');
});

test('memory_search finds a paraphrase (once the embedding model is loaded)', async () => {
  const expected = Object.keys(FACTS).length;
  const deadline = Date.now() + HYBRID_DEADLINE_MS;
  for (;;) {
    const r = await a.ok('memory_search', { query: 'which build command?', include_trace: true });
    const vector = r.trace.stages.find((s) => s.name === 'vector');
    if (r.trace.mode === 'hybrid' && vector?.output_count === expected) break;
    assert.ok(Date.now() < deadline, `not hybrid after ${HYBRID_DEADLINE_MS} ms: ${show(r.trace)}`);
    await sleep(500);
  }
  // No word in common with the stored fact: only the vector side can find it.
  const db = await a.search('Which SQL engine backs our pre-release environment?');
  assert.equal(db[0]?.id, ids.staging, `results: ${show(db.map((r) => r.content))}`);
  const build = await a.search('how do I compile this repo without network access?');
  assert.equal(build[0]?.id, ids.build, `results: ${show(build.map((r) => r.content))}`);
  for (const r of build) {
    assert.equal(typeof r.score, 'number');
    assert.ok(r.score >= 0 && r.score <= 1, `score ${r.score}`);
  }
});

const UPDATED = 'The staging database is Postgres 16 on db-staging.internal, upgraded from 15.';

test('memory_get, memory_update and memory_forget round trip', async () => {
  const g = await a.ok('memory_get', { id: ids.staging });
  assert.deepEqual(Object.keys(g), ['memory']);
  assert.equal(g.memory.content, FACTS.staging.content);
  assert.equal(g.memory.version, 1);

  const u = await a.ok('memory_update', { id: ids.staging, content: UPDATED, tags: ['infra', 'db'] });
  assert.equal(u.memory.id, ids.staging);
  assert.equal(u.memory.version, 2);
  assert.equal(u.memory.content, UPDATED);
  const g2 = await a.ok('memory_get', { id: ids.staging });
  assert.equal(g2.memory.version, 2);
  assert.equal(g2.memory.content, UPDATED);
  assert.deepEqual(g2.memory.tags, ['infra', 'db']);
  const hits = await a.search('Postgres 16 upgrade');
  assert.equal(hits[0]?.id, ids.staging);
  assert.equal(hits[0].content, UPDATED);

  const before = await a.search('deployed version 2.3 to production');
  assert.equal(before[0]?.id, ids.deploy);
  const f = await a.ok('memory_forget', { id: ids.deploy });
  assert.deepEqual(f, { id: ids.deploy, status: 'deleted' });
  const afterForget = await a.search('deployed version 2.3 to production');
  assert.ok(!idsOf(afterForget).includes(ids.deploy), 'a forgotten memory is not found');
  const gone = await a.ok('memory_get', { id: ids.deploy });
  assert.equal(gone.memory.state, 'deleted', 'the record stays, marked deleted');
});

test('a memory stored over MCP is the same memory over REST, for the same key only', async () => {
  const mine = await rest('GET', `/v1/memories/${ids.staging}`, keyA);
  assert.equal(mine.status, 200, show(mine.body));
  assert.equal(mine.body.id, ids.staging);
  assert.equal(mine.body.content, UPDATED, 'REST sees the update made over MCP');
  assert.equal(mine.body.version, 2);
  assert.equal(mine.body.scope, PROJECT_SCOPE);

  const other = await rest('GET', `/v1/memories/${ids.staging}`, keyB);
  assertEnvelope(other, 404, 'not_found', "tenant B's REST GET of A's memory");
  const nobody = await rest('GET', `/v1/memories/${randomUUID()}`, keyB);
  assertEnvelope(nobody, 404, 'not_found', 'REST GET of an id that does not exist');

  // And the other way: stored over REST, found over MCP by the same tenant.
  const viaRest = await rest(
    'POST',
    '/v1/memories',
    keyA,
    { content: 'Release notes are drafted in Notion and published on Thursdays.', tags: ['docs'] },
    { 'X-Omem-Project': PROJECT },
  );
  assert.equal(viaRest.status, 201, show(viaRest.body));
  ids.notes = viaRest.body.id;
  const g = await a.ok('memory_get', { id: ids.notes });
  assert.equal(g.memory.content, viaRest.body.content);
  const hits = await a.search('when are release notes published?');
  assert.equal(hits[0]?.id, ids.notes);

  const restSearch = await rest('GET', `/v1/memories/search?q=${encodeURIComponent('Postgres staging')}&scope=all`, keyB);
  assert.equal(restSearch.status, 200, show(restSearch.body));
  assert.deepEqual(restSearch.body.results, [], "tenant B's REST search sees nothing of A's");
});

test("tenant B's MCP session sees none of tenant A's memories", async () => {
  b = await McpSession.open('B', keyB);
  assert.notEqual(b.transport.sessionId, a.transport.sessionId);
  assert.equal((await b.ok('memory_stats')).total, 0);
  for (const q of ['staging database Postgres', 'Which SQL engine backs our pre-release environment?']) {
    for (const scope of ['project', 'all']) {
      const hits = await b.search(q, { scope });
      assert.deepEqual(idsOf(hits), [], `B's search "${q}" (scope ${scope}) found A's memories`);
    }
  }
  assert.equal((await b.ok('memory_list', { scope: 'all' })).total_count, 0);
  await b.fails('memory_get', { id: ids.staging }, new RegExp(ids.staging));
  await b.fails('memory_update', { id: ids.staging, content: 'B overwrites A' }, new RegExp(ids.staging));
  await b.fails('memory_forget', { id: ids.staging }, new RegExp(ids.staging));
  const still = await a.ok('memory_get', { id: ids.staging });
  assert.equal(still.memory.content, UPDATED, "B's failed calls changed nothing of A's");
  assert.equal(still.memory.state, 'active');

  // B's own memory stays B's.
  const s = await b.ok('memory_store', { content: 'The staging database for tenant B is MySQL 8.' });
  const mine = await b.search('staging database');
  assert.deepEqual(idsOf(mine), [s.id]);
  const fromA = await a.search('staging database MySQL 8', { scope: 'all' });
  assert.ok(!idsOf(fromA).includes(s.id), "A does not find B's memory");
  assertEnvelope(await rest('GET', `/v1/memories/${s.id}`, keyA), 404, 'not_found', "A's GET of B's memory");
});

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
};
const MCP_HEADERS = { Accept: 'application/json, text/event-stream' };

test('/mcp without a key or with a wrong key is refused with 401 and the error envelope', async () => {
  const missing = await rest('POST', '/mcp', null, INITIALIZE, MCP_HEADERS);
  assertEnvelope(missing, 401, 'unauthorized', 'POST /mcp without X-API-Key');
  assert.match(missing.body.error.message, /X-API-Key/);
  const wrong = await rest('POST', '/mcp', 'omem_not-a-key', INITIALIZE, MCP_HEADERS);
  assertEnvelope(wrong, 401, 'unauthorized', 'POST /mcp with an unknown key');
  const blank = await rest('POST', '/mcp', ' ', INITIALIZE, MCP_HEADERS);
  assertEnvelope(blank, 401, 'unauthorized', 'POST /mcp with a blank key');
  for (const method of ['GET', 'DELETE']) {
    const r = await rest(method, '/mcp', null, null, { ...MCP_HEADERS, 'Mcp-Session-Id': a.transport.sessionId });
    assertEnvelope(r, 401, 'unauthorized', `${method} /mcp without X-API-Key`);
  }
  // A valid session id is no key: A's session with a wrong key is refused too.
  const hijack = await rest(
    'POST',
    '/mcp',
    'omem_not-a-key',
    { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'memory_stats', arguments: {} } },
    { ...MCP_HEADERS, 'Mcp-Session-Id': a.transport.sessionId, 'Mcp-Protocol-Version': '2025-06-18' },
  );
  assertEnvelope(hijack, 401, 'unauthorized', "A's session id with a wrong key");

  // The official client fails to connect, and says why.
  const bad = new McpSession('wrong-key', 'omem_not-a-key');
  await assert.rejects(within(bad.client.connect(bad.transport), CALL_TIMEOUT_MS, 'connect'), (e) => {
    assert.match(String(e?.message ?? e), /401|unauthorized|unknown API key/i);
    return true;
  });
  // A still works after all that.
  assert.equal((await a.ok('memory_get', { id: ids.build })).memory.id, ids.build);
});

test("another tenant's key cannot use or end a session it did not open", async () => {
  const sid = a.transport.sessionId;
  const session = { ...MCP_HEADERS, 'Mcp-Session-Id': sid, 'Mcp-Protocol-Version': '2025-06-18' };
  const call = { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'memory_get', arguments: { id: ids.staging } } };
  assertEnvelope(await rest('POST', '/mcp', keyB, call, session), 404, 'not_found', "B's key on A's session");
  assertEnvelope(await rest('DELETE', '/mcp', keyB, null, session), 404, 'not_found', "B ending A's session");
  assertEnvelope(await rest('GET', '/mcp', keyB, null, session), 404, 'not_found', "B listening on A's session");
  assert.equal((await a.ok('memory_get', { id: ids.staging })).memory.content, UPDATED, "A's session lives on");
});

test("the transport's own refusals come back in the error envelope, without internals", async () => {
  const noInternals = (r, where) => {
    const raw = JSON.stringify(r.body);
    assert.ok(!/stackTrace|\.java|io\.modelcontextprotocol|jetty/i.test(raw), `${where} leaks internals: ${raw.slice(0, 300)}`);
  };
  const call = { jsonrpc: '2.0', id: 9, method: 'tools/list' };
  const unknown = await rest('POST', '/mcp', keyA, call, {
    ...MCP_HEADERS,
    'Mcp-Session-Id': randomUUID(),
    'Mcp-Protocol-Version': '2025-06-18',
  });
  assertEnvelope(unknown, 404, 'not_found', 'a session id that does not exist');
  assert.match(unknown.body.error.message, /session/i);
  noInternals(unknown, 'unknown session');

  const noSession = await rest('POST', '/mcp', keyA, call, MCP_HEADERS);
  assert.ok(noSession.status >= 400 && noSession.status < 500, `no session id: ${noSession.status}`);
  assertEnvelope(noSession, noSession.status, 'validation_error', 'a request without a session id');
  noInternals(noSession, 'no session id');

  const noAccept = await rest('POST', '/mcp', keyA, INITIALIZE, { Accept: 'text/plain' });
  assert.ok(noAccept.status >= 400 && noAccept.status < 500, `bad Accept: ${noAccept.status}`);
  assert.equal(typeof noAccept.body?.error?.message, 'string', `bad Accept: ${JSON.stringify(noAccept.body)}`);
  noInternals(noAccept, 'bad Accept');
  assert.equal((await a.ok('memory_get', { id: ids.build })).memory.id, ids.build, 'A still works');
});

test('a tool error comes back as isError with a readable message', async () => {
  const unknown = randomUUID();
  const msg = await a.fails('memory_get', { id: unknown }, new RegExp(unknown));
  assert.match(msg, /not found|no memory/i);
  await a.fails('memory_get', { id: 'not-a-uuid' }, /id/);
  await a.fails('memory_store', { content: '' }, /content/);
  await a.fails('memory_search', { query: 'gradle', limit: 1000 }, /limit/);
  await a.fails('memory_update', { id: ids.build }, /nothing to update/);
  // An unknown tool is a protocol error (or an isError result), never a hang or a dropped session.
  let unknownTool;
  try {
    unknownTool = await a.call('memory_teleport', {});
  } catch (e) {
    unknownTool = { isError: true, content: [{ type: 'text', text: String(e?.message ?? e) }] };
  }
  assert.equal(unknownTool.isError, true);
  assert.match(text(unknownTool), /memory_teleport|unknown tool|not found/i);
  assert.equal((await a.ok('memory_get', { id: ids.build })).memory.id, ids.build, 'the session lives on');
});

const CODENAMES = [
  'aurora', 'basalt', 'cobalt', 'dynamo', 'ember', 'falcon', 'glacier', 'harbor', 'indigo', 'juniper',
  'kestrel', 'lantern', 'meridian', 'nebula', 'obsidian', 'pylon', 'quartz', 'riptide', 'sequoia', 'tundra',
];

test('many concurrent tool calls on one session are all answered, each with its own result', async () => {
  const total = (await a.ok('memory_stats')).total;
  const facts = CODENAMES.map((name, i) => ({
    name,
    content: `The ${name} service listens on port ${9100 + i} behind the internal load balancer.`,
  }));
  // Stores, stats and lists at once.
  const stored = await Promise.all([
    ...facts.map((f) => a.ok('memory_store', { content: f.content, tags: ['ports'] })),
    ...Array.from({ length: 5 }, () => a.ok('memory_stats')),
    ...Array.from({ length: 5 }, () => a.ok('memory_list', { limit: 5 })),
  ]);
  const storedFacts = stored.slice(0, facts.length);
  storedFacts.forEach((s, i) => assert.equal(s.memory.content, facts[i].content, `answer ${i} is its own`));
  assert.equal(new Set(storedFacts.map((s) => s.id)).size, facts.length, 'distinct memories');

  // Searches and gets at once: each answer must be the one asked for.
  const [searches, gets] = await Promise.all([
    Promise.all(facts.map((f) => a.search(`which port does ${f.name} listen on?`, { limit: 3 }))),
    Promise.all(storedFacts.map((s) => a.ok('memory_get', { id: s.id }))),
  ]);
  searches.forEach((hits, i) =>
    assert.equal(hits[0]?.id, storedFacts[i].id, `search for ${facts[i].name}: ${show(hits.map((h) => h.content))}`),
  );
  gets.forEach((g, i) => assert.equal(g.memory.content, facts[i].content, `get ${i}`));

  // Errors among successes stay with their own call.
  const mixed = await Promise.all([
    a.call('memory_get', { id: randomUUID() }),
    a.call('memory_get', { id: storedFacts[0].id }),
    a.call('memory_search', { query: '' }),
    a.call('memory_get', { id: storedFacts[1].id }),
  ]);
  assert.deepEqual(mixed.map((r) => r.isError === true), [true, false, true, false]);

  await Promise.all(storedFacts.map((s) => a.ok('memory_forget', { id: s.id })));
  assert.equal((await a.ok('memory_stats')).total, total, 'forgetting them restores the total');
  const list = await a.ok('memory_list', { tags: ['ports'] });
  assert.equal(list.total_count, 0, 'all forgotten');
});

test('two sessions of the same tenant share its memories; closing one leaves the other', async () => {
  const a2 = await McpSession.open('A2', keyA);
  assert.notEqual(a2.transport.sessionId, a.transport.sessionId);
  const g = await a2.ok('memory_get', { id: ids.staging });
  assert.equal(g.memory.content, UPDATED);
  await a2.transport.terminateSession();
  await a2.client.close();
  assert.equal((await a.ok('memory_get', { id: ids.staging })).memory.content, UPDATED);
});

// ---- two users: share, find with provenance, stale, unshare ----------------------------------

test('A shares a decision with B; B finds it with provenance, sees it go stale, loses it on unshare', async () => {
  b = b ?? (await McpSession.open('B', keyB));
  const personalOf = async (s) =>
    (await s.ok('space_list')).spaces.find((x) => x.space_type === 'personal').id.replace('personal/', '');
  const aId = await personalOf(a);
  const bId = await personalOf(b);
  assert.notEqual(aId, bId);

  const decision = await a.ok('memory_store', {
    content: 'Decision: the orders service keeps its data in CockroachDB, chosen for multi-region writes.',
    category: 'cases',
    tags: ['decision'],
  });
  const shared = await a.ok('memory_share_to_user', { id: decision.id, target_user: bId });
  assert.ok(shared.space_id.startsWith('team/'), show(shared));
  assert.equal(shared.space_created, true);
  assert.equal(shared.invitation_pending, true, show(shared));

  // Consent: B sees nothing of the bridging space before accepting A's invitation.
  const find = async () => b.search('Which database does the orders service use?', { scope: 'all', check_stale: true });
  assert.ok(!(await find()).some((h) => h.id === shared.shared_copy_id), 'B sees nothing before accepting');
  await b.fails('memory_get', { id: shared.shared_copy_id }, new RegExp(shared.shared_copy_id));
  const invitations = (await b.ok('space_invitations')).invitations;
  const invitation = invitations.find((i) => i.space_id === shared.space_id);
  assert.ok(invitation, `B is invited into the bridging space: ${show(invitations)}`);
  assert.equal(invitation.invited_by, aId);
  await a.fails('space_accept', { invitation_id: invitation.id }, new RegExp(invitation.id));
  const joined = await b.ok('space_accept', { invitation_id: invitation.id });
  assert.equal(joined.id, shared.space_id);
  assert.equal((await b.ok('space_invitations')).invitations.length, 0);

  const hits = await find();
  const copy = hits.find((h) => h.id === shared.shared_copy_id);
  assert.ok(copy, `B finds the shared decision: ${show(hits.map((h) => h.content))}`);
  assert.equal(copy.space_id, shared.space_id);
  assert.equal(copy.provenance.shared_by_user, aId, 'provenance names who shared it');
  assert.equal(copy.provenance.shared_from_memory, decision.id);
  assert.equal(copy.provenance.shared_from_space, `personal/${aId}`);
  assert.equal(copy.stale_info?.is_stale, false, show(copy));
  const spacesOfB = (await b.ok('space_list')).spaces.map((x) => x.id);
  assert.ok(spacesOfB.includes(shared.space_id), 'B is a member of the bridging space');

  await a.ok('memory_update', {
    id: decision.id,
    content: 'Decision: the orders service moved to PostgreSQL 16; CockroachDB was dropped.',
  });
  const after = (await find()).find((h) => h.id === shared.shared_copy_id);
  assert.ok(after, 'the stale copy is still found');
  assert.equal(after.stale_info?.is_stale, true, `B sees it reported stale: ${show(after)}`);
  assert.equal(after.stale_info.current_source_version, 2);
  const got = await b.ok('memory_get', { id: shared.shared_copy_id });
  assert.equal(got.memory.stale_info?.is_stale, true);

  // B, a member, cannot reach A's original; only its copy.
  await b.fails('memory_get', { id: decision.id }, new RegExp(decision.id));

  const un = await a.ok('memory_unshare', { id: decision.id, target_space: shared.space_id });
  assert.equal(un.removed, 1);
  const gone = await find();
  assert.ok(!gone.some((h) => h.id === shared.shared_copy_id), `B no longer finds it: ${show(gone)}`);
  const removed = await b.ok('memory_get', { id: shared.shared_copy_id });
  assert.equal(removed.memory.state, 'deleted', 'the copy is out of the space (kept only as a deleted record)');
  assert.equal((await a.ok('memory_get', { id: decision.id })).memory.state, 'active', "A's original stays");
});
