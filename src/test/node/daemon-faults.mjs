// Faults and load for the local daemon and remote mode (issue 4), through the official MCP
// TypeScript SDK client driving `java -jar omem.jar mcp` over stdio.
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/daemon-faults.mjs
// (DaemonFaultsIT runs it in `mvn verify`.)
//
// 1. Eight stdio servers start at once on one data dir; each stores 200 memories and searches:
//    no error, and every one of them finds all 1,600.
// 2. The daemon is killed with SIGKILL in the middle of a stream of stores, 10 times: every
//    acknowledged store is found afterwards, and the client reconnects to a fresh daemon itself.
// 3. A daemon file from an older build makes the next client replace that daemon.
// 4. Remote mode: the server stops while `omem mcp` runs; the next call fails at once with a
//    message naming the URL; once the server is back, calls succeed again.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectStdio, stopDaemon as harnessStopDaemon } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));
const work = mkdtempSync(join(tmpdir(), 'omem-daemon-'));
const clients = [];
const homes = [];
const children = [];

after(async () => {
  for (const c of clients) {
    await c.close().catch(() => {});
  }
  for (const h of homes) {
    stopDaemon(h);
  }
  for (const p of children) {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
});

process.on('exit', (code) => {
  if (code !== 0 || (process.exitCode ?? 0) !== 0) {
    for (const h of homes) {
      const log = join(h, 'daemon.log');
      if (existsSync(log)) {
        writeSync(2, `\n----- ${log} (last 3000 chars) -----\n${readFileSync(log, 'utf8').slice(-3000)}\n`);
      }
    }
    writeSync(2, `omem daemon faults: kept ${work}\n`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
});

// ---- helpers ----------------------------------------------------------------------------------

function newHome(name) {
  const h = join(work, name);
  homes.push(h);
  return h;
}

function javaEnv(extra) {
  return {
    ...getDefaultEnvironment(),
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...extra,
  };
}

/** Starts `omem mcp` with the shared harness; resolves once initialize is answered. */
async function connect(label, env) {
  const t0 = performance.now();
  const c = await connectStdio({ jar: JAR, cwd: work, name: 'omem-faults', label, env });
  clients.push(c);
  return { ...c, initializeMs: performance.now() - t0, ok: (name, args = {}) => c.ok(name, args) };
}

function text(r) {
  return (r.content ?? []).filter((x) => x.type === 'text').map((x) => x.text).join('\n');
}

function daemonFile(home) {
  return JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what, fn, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stopDaemon = (home) => harnessStopDaemon(JAR, home);

/** Every id the server lists, paging through memory_list. */
async function allIds(c) {
  const ids = new Set();
  for (let offset = 0; ; offset += 200) {
    const page = await c.ok('memory_list', { limit: 200, offset, scope: 'all' });
    for (const m of page.memories) ids.add(m.id);
    if (page.memories.length < 200) return { ids, total: page.total_count };
  }
}

const TOPICS = ['deploys', 'database', 'frontend', 'testing', 'billing', 'search', 'auth', 'logging'];

function fact(server, j) {
  const topic = TOPICS[(server + j) % TOPICS.length];
  return `Server ${server} note ${j}: the ${topic} service uses setting ${topic}-${server}-${j} since sprint ${j % 17}.`;
}

// ---- 1 ------------------------------------------------------------------------------------------

test('eight stdio servers at once on one data dir share every memory through one daemon', async () => {
  const home = newHome('eight');
  const env = { OMEM_HOME: home };
  const servers = await Promise.all([...Array(8).keys()].map((i) => connect(`s${i}`, env)));
  const stored = new Map(); // id -> content
  await Promise.all(
    servers.map(async (s, i) => {
      for (let j = 0; j < 200; j++) {
        const m = await s.ok('memory_store', { content: fact(i, j) });
        stored.set(m.id, fact(i, j));
      }
    }),
  );
  assert.equal(stored.size, 1600, 'every store made a distinct memory');

  const daemon = daemonFile(home);
  assert.ok(alive(daemon.pid), 'the daemon is running');
  assert.equal(readFileSync(join(home, 'omem.lock'), 'utf8').split('\n')[0], String(daemon.pid),
    'the daemon, and no stdio server, holds the store');
  assert.equal((statSync(join(home, 'daemon.json')).mode & 0o777).toString(8), '600', 'daemon.json is 0600');
  for (const s of servers) {
    assert.notEqual(s.pid, daemon.pid);
  }

  const sample = [...stored.entries()].filter((_, k) => k % 53 === 0);
  await Promise.all(
    servers.map(async (s) => {
      const { ids, total } = await allIds(s);
      assert.equal(total, 1600, `${s.label} counts all memories`);
      for (const id of stored.keys()) assert.ok(ids.has(id), `${s.label} lists ${id}`);
      for (const [id, content] of sample) {
        const res = await s.ok('memory_search', { query: content, limit: 5, scope: 'all', min_score: 0 });
        assert.ok(res.results.some((r) => r.id === id), `${s.label} finds "${content}"`);
      }
    }),
  );
  for (const s of servers) await s.close();
});

// ---- 2 ------------------------------------------------------------------------------------------

test('the daemon killed with SIGKILL ten times mid-stream loses no acknowledged store', async () => {
  const home = newHome('sigkill');
  const c = await connect('stream', { OMEM_HOME: home });
  const acked = new Map();
  let failed = 0;
  let running = true;
  let n = 0;
  const stream = (async () => {
    while (running) {
      const content = `Stream fact ${n++}: release train ${n % 13} ships on day ${n % 7}.`;
      const r = await c.call('memory_store', { content });
      if (r.isError) failed++;
      else acked.set(r.structuredContent.id, content);
    }
  })();
  const pids = new Set();
  for (let k = 0; k < 10; k++) {
    const before = acked.size;
    // Let the (re)started daemon acknowledge some stores, then kill it in the middle of more.
    await until(`stores after kill ${k}`, () => acked.size >= before + 15, 120_000);
    const pid = daemonFile(home).pid;
    pids.add(pid);
    process.kill(pid, 'SIGKILL');
    await until(`daemon ${pid} to die`, () => !alive(pid));
  }
  const afterKills = acked.size;
  await until('stores after the last kill', () => acked.size >= afterKills + 15, 120_000);
  running = false;
  await stream;
  assert.equal(pids.size, 10, 'each kill hit a fresh daemon');
  process.stderr.write(`omem daemon faults: ${acked.size} stores acknowledged, ${failed} failed over 10 kills\n`);

  for (const [id, content] of acked) {
    const { memory } = await c.ok('memory_get', { id });
    assert.equal(memory.content, content, `acknowledged memory ${id} survived`);
  }
  const { total } = await allIds(c);
  assert.ok(total >= acked.size, `${total} stored, at least the ${acked.size} acknowledged`);
  await c.close();
});

// ---- 3 ------------------------------------------------------------------------------------------

test('a daemon of an older build is replaced by the next client', async () => {
  const home = newHome('upgrade');
  const first = await connect('first', { OMEM_HOME: home });
  const m = await first.ok('memory_store', { content: 'The upgrade test keeps this memory across daemons.' });
  const old = daemonFile(home);
  // The daemon file is how a daemon declares its build; say it is an ancient one.
  writeFileSync(join(home, 'daemon.json'), JSON.stringify({ ...old, built: '00000000000000000' }));
  chmodSync(join(home, 'daemon.json'), 0o600);
  const second = await connect('second', { OMEM_HOME: home });
  const got = await second.ok('memory_get', { id: m.id });
  assert.equal(got.memory.content, 'The upgrade test keeps this memory across daemons.');
  const now = daemonFile(home);
  assert.notEqual(now.pid, old.pid, 'a new daemon serves the data dir');
  await until(`old daemon ${old.pid} to exit`, () => !alive(old.pid), 15_000);
  // The first client reconnects to the new daemon by itself.
  assert.equal((await first.ok('memory_get', { id: m.id })).memory.id, m.id);
  await first.close();
  await second.close();
});

// ---- 4 ------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startServe(home, port) {
  const p = spawn('java', ['-jar', JAR, 'serve', '--home', home, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: javaEnv({}),
  });
  children.push(p);
  let err = '';
  p.stderr.on('data', (c) => (err += c.toString()));
  await until(`omem serve on ${port}`, async () => {
    if (p.exitCode !== null) assert.fail(`omem serve exited: ${err}`);
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
    } catch {
      return false;
    }
  });
  return p;
}

test('remote mode: a stopped server fails the call at once; calls succeed once it is back', async () => {
  const home = newHome('remote-server');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server = await startServe(home, port);
  const tenant = await (await fetch(`${url}/v1/tenants`, { method: 'POST', body: '{}' })).json();
  const localHome = newHome('remote-client-home');
  const c = await connect('remote', {
    OMEM_HOME: localHome,
    OMEM_API_URL: url,
    OMEM_API_KEY: tenant.api_key,
    OMEM_API_TIMEOUT_MS: '3000',
    // Since issue 17 a remote-mode `omem mcp` warms the local daemon for the hooks (their session
    // state is local); this test is about the MCP calls, which never touch a local store.
    OMEM_HOOKS: 'off',
  });
  const m = await c.ok('memory_store', { content: 'Remote mode keeps memories on the team server.' });

  server.kill('SIGTERM');
  await until('omem serve to stop', () => server.exitCode !== null || server.signalCode !== null);
  const t0 = performance.now();
  const r = await c.call('memory_search', { query: 'where are memories kept' });
  const ms = performance.now() - t0;
  assert.equal(r.isError, true, 'the call fails while the server is down');
  assert.match(text(r), new RegExp(url.replace(/[.]/g, '\\.')), 'the message names the server URL');
  assert.ok(ms < 5_000, `the failure came at once (${Math.round(ms)} ms)`);

  server = await startServe(home, port);
  const found = await c.ok('memory_search', { query: 'where are memories kept', min_score: 0 });
  assert.ok(found.results.some((x) => x.id === m.id), 'after the restart the stored memory is found');
  assert.ok(!existsSync(join(localHome, 'omem.db')) && !existsSync(join(localHome, 'daemon.json')),
    'remote mode never opened a local store');
  await c.close();
  server.kill('SIGTERM');
});

// ---- 5 ------------------------------------------------------------------------------------------

test('a quiet daemon exits by itself and removes its file; the next client starts a new one', async () => {
  const home = newHome('quiet');
  // Quiet for 10 s: long enough that a loaded machine still reads the file before it goes.
  const env = { OMEM_HOME: home, OMEM_DAEMON_IDLE_SECONDS: '10' };
  const c = await connect('quiet', env);
  const m = await c.ok('memory_store', { content: 'A quiet daemon still keeps what it was told.' });
  const first = daemonFile(home);
  await until(`daemon ${first.pid} to exit after 10 quiet seconds`, () => !alive(first.pid), 60_000);
  assert.ok(!existsSync(join(home, 'daemon.json')), 'the daemon removed its file on the way out');
  const got = await c.ok('memory_get', { id: m.id });
  assert.equal(got.memory.content, 'A quiet daemon still keeps what it was told.');
  assert.notEqual(daemonFile(home).pid, first.pid, 'a fresh daemon answered');
  await c.close();
});
