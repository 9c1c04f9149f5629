// One daemon per home, provably (issue 12), with real processes: the built jar driven by the
// official MCP TypeScript SDK client over stdio, killed with real signals.
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/daemon-identity.mjs
// (DaemonIdentityIT runs it in `mvn verify`; scripts/bench-recovery prints the recovery figures.)
//
// 1. Daemons killed while a client starts: the client uses the next daemon, never the store itself.
// 2. daemon.json deleted or unwritable: status and stop find the daemon through the lock; the
//    daemon writes its file again; a new client joins the same daemon.
// 3. A copied home (cp -a X Y) never uses X's daemon, and X's never Y's.
// 4. A client that had to open the store itself (OMEM_DAEMON=off) gives it back when idle.
// 5. SIGKILL during streams of stores, OMEM_KILLS times (20): no call fails, no store is lost or
//    applied twice; prints the recovery time (SIGKILL → next successful call), max and p50. The
//    kills start once the first daemon made its start-up archives (as after a build's first run),
//    and every restarted daemon must map its own.
// 6. The start-up-archive child dies with a killed daemon.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectStdio } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));
const KILLS = Number(process.env.OMEM_KILLS ?? 20);
const work = mkdtempSync(join(tmpdir(), 'omem-identity-'));
const clients = [];
const homes = [];

after(async () => {
  for (const c of clients) await c.close().catch(() => {});
  for (const h of homes) stopDaemon(h);
});

process.on('exit', (code) => {
  if (code !== 0 || (process.exitCode ?? 0) !== 0) {
    for (const h of homes) {
      const log = join(h, 'daemon.log');
      if (existsSync(log)) {
        writeSync(2, `\n----- ${log} (last 3000 chars) -----\n${readFileSync(log, 'utf8').slice(-3000)}\n`);
      }
    }
    writeSync(2, `omem daemon identity: kept ${work}\n`);
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
  const c = await connectStdio({ jar: JAR, cwd: work, name: 'omem-identity', label, env, timeout: 90_000 });
  clients.push(c);
  return { ...c, ok: (name, args = {}) => c.ok(name, args) };
}

function text(r) {
  return (r.content ?? []).filter((x) => x.type === 'text').map((x) => x.text).join('\n');
}

function daemonFile(home) {
  return JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));
}

/** The lock file's holder as written: { pid, port } (port 0: not a daemon). */
function lockFile(home) {
  const lines = readFileSync(join(home, 'omem.lock'), 'utf8').split('\n');
  const d = (lines[1] ?? '').match(/^daemon (\d+)/);
  return { pid: Number(lines[0]), port: d ? Number(d[1]) : 0 };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, ms = 60_000, every = 20) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

function omem(args, env = {}) {
  try {
    return { code: 0, out: execFileSync('java', ['-jar', JAR, ...args], { env: javaEnv(env), timeout: 60_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { code: e.status, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}

function stopDaemon(home) {
  omem(['daemon', 'stop', '--home', home]);
}

async function contents(c) {
  const all = [];
  for (let offset = 0; ; offset += 200) {
    const page = await c.ok('memory_list', { limit: 200, offset, scope: 'all' });
    all.push(...page.memories);
    if (page.memories.length < 200) return all;
  }
}

// ---- 1 ------------------------------------------------------------------------------------------

test('daemons killed while a client starts: the client uses the next one and never holds the store', async () => {
  const home = newHome('kill-at-start');
  const a = await connect('a', { OMEM_HOME: home });
  // The client opens its service once initialize is answered: it is starting a daemon now. Kill
  // the first daemon as soon as it holds the store, the second as soon as it has bound its port.
  const killed = [];
  const first = await until('a daemon to hold the store', () => existsSync(join(home, 'omem.lock')) && lockFile(home).pid > 0 && lockFile(home), 60_000, 2);
  process.kill(first.pid, 'SIGKILL');
  killed.push(first.pid);
  const second = await until('a second daemon to bind its port', () => {
    const l = lockFile(home);
    return l.pid > 0 && !killed.includes(l.pid) && l.port > 0 && l;
  }, 60_000, 2);
  process.kill(second.pid, 'SIGKILL');
  killed.push(second.pid);

  const m = await a.ok('memory_store', { content: 'Kill-at-start: the release branch is cut on Thursdays.' });
  const holder = lockFile(home);
  assert.ok(holder.port > 0, 'a daemon holds the store');
  assert.notEqual(holder.pid, a.pid, 'the client did not open the store itself');
  assert.ok(!killed.includes(holder.pid), 'a fresh daemon');
  assert.equal(daemonFile(home).pid, holder.pid);
  // Another client works with it at once: nothing is "in use by another omem process".
  const b = await connect('b', { OMEM_HOME: home });
  assert.equal((await b.ok('memory_get', { id: m.id })).memory.content, m.content ?? 'Kill-at-start: the release branch is cut on Thursdays.');
  await b.ok('memory_store', { content: 'Kill-at-start: client b stores beside client a.' });
  assert.equal(lockFile(home).pid, holder.pid, 'one daemon serves both');
  await a.close();
  await b.close();
});

// ---- 2 ------------------------------------------------------------------------------------------

test('daemon.json deleted: the lock finds the daemon, it writes its file again, new clients join it', async () => {
  const home = newHome('no-daemon-json');
  const a = await connect('a', { OMEM_HOME: home });
  await a.ok('memory_store', { content: 'Deleted daemon file: the daemon still owns the store.' });
  const d = daemonFile(home);

  rmSync(join(home, 'daemon.json'));
  const b = await connect('b', { OMEM_HOME: home }); // may start while the file is missing
  await b.ok('memory_store', { content: 'Deleted daemon file: client b joined the same daemon.' });
  assert.equal(lockFile(home).pid, d.pid, 'the same daemon holds the store');
  assert.notEqual(lockFile(home).pid, b.pid);
  await until('daemon.json written again', () => existsSync(join(home, 'daemon.json')) && daemonFile(home).pid === d.pid, 10_000);
  assert.equal((await a.ok('memory_list', { scope: 'all' })).total_count, 2);

  // A daemon.json that cannot be read or written again (a directory in its place): status and
  // stop find the daemon through the store's lock.
  // The daemon writes its file again within half a second of missing it, so it may land between the
  // removal and the mkdir (CI, session 13): remove and try again until the directory is in place.
  for (let tries = 0; ; tries++) {
    rmSync(join(home, 'daemon.json'), { recursive: true, force: true });
    try {
      mkdirSync(join(home, 'daemon.json'));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST' || tries >= 50) throw e;
    }
  }
  const status = omem(['daemon', 'status', '--json', '--home', home]);
  assert.equal(status.code, 0, `status exits 0 while the daemon runs: ${status.out}${status.err}`);
  const s = JSON.parse(status.out);
  assert.equal(s.running, true);
  assert.equal(s.pid, d.pid);
  const stop = omem(['daemon', 'stop', '--home', home]);
  assert.match(stop.out, new RegExp(`stopped the daemon \\(pid ${d.pid}\\)`));
  await until(`daemon ${d.pid} to exit`, () => !alive(d.pid), 15_000);
  rmdirSync(join(home, 'daemon.json'));
  // The client goes on with a new daemon.
  assert.equal((await a.ok('memory_list', { scope: 'all' })).total_count, 2);
  await a.close();
  await b.close();
});

// ---- 3 ------------------------------------------------------------------------------------------

test('a copied home never uses the original home daemon, nor the other way round', async () => {
  const x = newHome('x');
  const y = newHome('y');
  const cx = await connect('x', { OMEM_HOME: x });
  await cx.ok('memory_store', { content: 'Copied home: stored in X before the copy.' });
  const dx = daemonFile(x);
  execFileSync('cp', ['-a', x, y]); // daemon.json, home.id and all: Y names X's daemon
  assert.equal(daemonFile(y).pid, dx.pid);

  const cy = await connect('y', { OMEM_HOME: y });
  await cy.ok('memory_store', { content: 'Copied home: stored in Y after the copy.' });
  await cx.ok('memory_store', { content: 'Copied home: stored in X after the copy.' });
  const dy = daemonFile(y);
  assert.notEqual(dy.pid, dx.pid, 'Y has a daemon of its own');
  assert.equal(lockFile(y).pid, dy.pid);
  assert.notEqual(readFileSync(join(y, 'home.id'), 'utf8').trim(), readFileSync(join(x, 'home.id'), 'utf8').trim(),
    'the copy took an id of its own');
  const inX = (await contents(cx)).map((m) => m.content).sort();
  const inY = (await contents(cy)).map((m) => m.content).sort();
  assert.deepEqual(inX, ['Copied home: stored in X after the copy.', 'Copied home: stored in X before the copy.']);
  assert.deepEqual(inY, ['Copied home: stored in X before the copy.', 'Copied home: stored in Y after the copy.']);
  await cx.close();
  await cy.close();
});

// ---- 4 ------------------------------------------------------------------------------------------

test('a client with the store in its own process gives it back when idle', async () => {
  const home = newHome('fallback');
  const env = { OMEM_HOME: home, OMEM_DAEMON: 'off', OMEM_STORE_IDLE_SECONDS: '2' };
  const a = await connect('a', env);
  const m = await a.ok('memory_store', { content: 'Fallback: a holds the store only while it works.' });
  assert.equal(lockFile(home).pid, a.pid);
  const b = await connect('b', env);
  // b's first call waits for nothing: a gives the store back after 2 quiet seconds.
  await until('a to give the store back', async () => {
    const r = omem(['daemon', 'status', '--json', '--home', home]);
    return !JSON.parse(r.out).store_held_by;
  }, 60_000, 250);
  const n = await b.ok('memory_store', { content: 'Fallback: b stores once a let go.' });
  assert.equal(lockFile(home).pid, b.pid);
  await until('b to give the store back', async () => !JSON.parse(omem(['daemon', 'status', '--json', '--home', home]).out).store_held_by, 60_000, 250);
  assert.equal((await a.ok('memory_get', { id: n.id })).memory.content, 'Fallback: b stores once a let go.');
  assert.equal((await a.ok('memory_get', { id: m.id })).memory.id, m.id);
  await a.close();
  await b.close();
});

// ---- 5 ------------------------------------------------------------------------------------------

test(`SIGKILL ${KILLS} times during streams of stores: no call fails, none lost, none applied twice`, async () => {
  const home = newHome('sigkill');
  const streams = await Promise.all([0, 1, 2].map((i) => connect(`s${i}`, { OMEM_HOME: home })));
  await streams[0].ok('memory_store', { content: 'Warm-up: the daemon is up.' });
  // A daemon that has run once made its start-up archives (the stdio server's and its own, once
  // per build, in the background): they must really appear, and every restart must use them.
  const cds = join(home, 'cds');
  await until('the start-up archives', () => existsSync(cds) &&
    readdirSync(cds).some((f) => /^daemon-.*\.jsa$/.test(f)) && readdirSync(cds).some((f) => /^omem-.*\.jsa$/.test(f)), 180_000, 100);
  const acked = new Map();
  const failures = [];
  const done = []; // end times of successful calls
  let running = true;
  let n = 0;
  const loops = streams.map(async (c) => {
    while (running) {
      const content = `Kill stream fact ${n++}: shard ${n % 11} rebalances at ${n % 24}:00.`;
      const r = await c.call('memory_store', { content });
      if (r.isError) failures.push(text(r));
      else {
        acked.set(r.structuredContent.id, content);
        done.push(performance.now());
      }
    }
  });
  const recoveries = [];
  const pids = new Set();
  for (let k = 0; k < KILLS; k++) {
    const before = acked.size;
    await until(`stores after kill ${k}`, () => acked.size >= before + 6, 120_000, 5);
    // A random moment inside a store, not right after an answer.
    await sleep(Math.random() * 40);
    const pid = daemonFile(home).pid;
    if (k > 0) {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.ok(args.some((a) => a.startsWith('-XX:SharedArchiveFile=') && a.includes(`${cds}/daemon-`)),
        `the restarted daemon maps its archive: ${args.join(' ')}`);
    }
    pids.add(pid);
    process.kill(pid, 'SIGKILL');
    const t0 = performance.now();
    await until(`a successful call after kill ${k}`, () => done.some((t) => t > t0), 120_000, 5);
    recoveries.push(done.find((t) => t > t0) - t0);
  }
  running = false;
  await Promise.all(loops);
  assert.equal(pids.size, KILLS, 'each kill hit a fresh daemon');
  const sorted = [...recoveries].sort((p, q) => p - q);
  const p50 = sorted[Math.floor(sorted.length / 2)];
  process.stderr.write(
    `omem recovery after SIGKILL: max ${Math.round(sorted.at(-1))} ms, p50 ${Math.round(p50)} ms over ${KILLS} kills ` +
      `(${acked.size} stores acknowledged, ${failures.length} failed)\n`,
  );
  assert.deepEqual(failures, [], 'no call failed: the ones in flight were sent again to the next daemon');
  const all = await contents(streams[0]);
  const seen = new Map();
  for (const m of all) seen.set(m.content, (seen.get(m.content) ?? 0) + 1);
  const twice = [...seen].filter(([, k]) => k > 1);
  assert.deepEqual(twice, [], 'no store was applied twice');
  for (const [id, content] of acked) {
    assert.ok(seen.has(content), `acknowledged store ${id} survived`);
  }
  assert.equal(all.length, n + 1, 'every store sent was applied once (plus the warm-up)');
  for (const s of streams) await s.close();
});

// ---- 6 ------------------------------------------------------------------------------------------

test('the start-up-archive child dies with a killed daemon', async () => {
  const home = newHome('cds');
  const c = await connect('cds', { OMEM_HOME: home });
  await c.ok('memory_store', { content: 'Archive child: made by the daemon in the background.' });
  const d = daemonFile(home);
  // Both: the stdio server that makes the stdio archive, and the warm-up daemon that makes the
  // daemon's own.
  const children = await until('the archive children', () => {
    const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
    const pids = ps.split('\n')
      .filter((l) => l.includes('ArchiveClassesAtExit') && l.trim().split(/\s+/)[1] === String(d.pid))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    return pids.length === 2 && pids;
  }, 30_000, 50);
  process.kill(d.pid, 'SIGKILL');
  for (const child of children) {
    await until(`archive child ${child} to exit with its daemon`, () => !alive(child), 10_000, 50);
  }
  await c.close();
});
