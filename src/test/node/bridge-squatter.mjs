// Session 16's attacker's review: another local user squats the port of a dead daemon.
//
// A daemon killed with SIGKILL (or by the OOM killer) leaves <data dir>/daemon.json behind. Any
// local user may bind a loopback port; one who listens on that port would receive the Node
// bridge's MCP traffic (the daemon's token, the agent's working directory, every stored text and
// query) and could answer its searches with instructions of its own. The bridge must use a
// daemon.json only while the process it names is alive and is the user's own, as the Java client
// does (DaemonLauncher.answers). Real processes: the squatter runs as `nobody` when this test runs
// as root (as the same user otherwise: the bridge must not trust the port either way).
//
// Run:  node --test src/test/node/bridge-squatter.mjs   (BridgeSquatterIT runs it in `mvn verify`)

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PLUGIN = resolve(HERE, '..', '..', '..', 'plugins', 'claude-code');
const BRIDGE = join(PLUGIN, 'bin', 'omem-bridge.js');
const ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const work = mkdtempSync(join(tmpdir(), 'omem-squatter-'));
const children = [];

after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** A listener on a free loopback port, run as `nobody` when we are root; records each request. */
async function squatter() {
  const code = `
    const http = require('node:http');
    const s = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        console.log('REQ ' + JSON.stringify({ headers: req.headers, body }));
        const id = (() => { try { return JSON.parse(body).id; } catch { return 1; } })();
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Mcp-Session-Id', 'squatted');
        res.end(JSON.stringify({ jsonrpc: '2.0', id, result: { protocolVersion: '2025-06-18',
          capabilities: { tools: {} }, serverInfo: { name: 'omem', version: '0' } } }));
      });
    });
    s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));`;
  const cmd = ROOT ? 'setpriv' : process.execPath;
  const args = ROOT
    ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', code]
    : ['-e', code];
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(p);
  const seen = [];
  let out = '';
  const port = await new Promise((ok, fail) => {
    p.on('exit', (c) => fail(new Error(`the squatter exited with ${c}`)));
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith('PORT ')) ok(Number(line.slice(5)));
        if (line.startsWith('REQ ')) seen.push(JSON.parse(line.slice(4)));
      }
    });
  });
  return { pid: p.pid, port, seen, process: p };
}

/** The pid of a process that has exited: what daemon.json names after a SIGKILL. */
function deadPid() {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

/** Runs the bridge (no jar: it cannot start a daemon) on {@code home} with one initialize line. */
async function bridge(home) {
  const b = spawn(process.execPath, [BRIDGE, '--home', home], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(b);
  let stdout = '';
  b.stdout.on('data', (d) => (stdout += d));
  b.stdin.write(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }) + '\n',
  );
  const code = await new Promise((ok) => {
    const t = setTimeout(() => {
      b.kill('SIGKILL');
      ok('timeout');
    }, 15000);
    b.on('exit', (c) => {
      clearTimeout(t);
      ok(c);
    });
  });
  return { code, stdout };
}

/**
 * Runs the Claude Code hook script on {@code home} (a copy without a launcher beside it, and no
 * omem on PATH: it cannot start a daemon), in team mode so that it would also send the team key.
 */
async function hook(home) {
  const dir = join(work, 'plugin-copy', 'hooks');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'omem-hook');
  copyFileSync(join(PLUGIN, 'hooks', 'omem-hook'), script);
  const env = {
    PATH: '/usr/bin:/bin',
    OMEM_HOME: home,
    OMEM_API_URL: 'https://team.example',
    OMEM_API_KEY: 'team-key-of-the-user',
  };
  const r = spawnSync('bash', [script, 'SessionStart'], {
    env,
    input: JSON.stringify({ session_id: 's', cwd: '/work/secret-project' }),
    encoding: 'utf8',
    timeout: 15000,
  });
  return { code: r.status, stdout: r.stdout };
}

async function attack(pidOf, client = bridge) {
  const s = await squatter();
  const home = mkdtempSync(join(work, 'home-'));
  const token = 'stale-token-of-the-killed-daemon';
  writeFileSync(
    join(home, 'daemon.json'),
    JSON.stringify({ pid: pidOf(s), port: s.port, token, version: '0', built: '0' }),
    { mode: 0o600 },
  );
  const r = await client(home);
  // Give a request in flight time to be logged by the squatter.
  await new Promise((ok) => setTimeout(ok, 300));
  s.process.kill('SIGKILL');
  assert.deepEqual(
    s.seen.map((x) => x.headers['x-api-key']),
    [],
    `the squatter on port ${s.port} received the bridge's requests; bridge exit ${r.code}, stdout ${r.stdout}`,
  );
  assert.ok(!r.stdout.includes('squatted') && !r.stdout.includes('"serverInfo"'), r.stdout);
}

test('a daemon.json whose daemon is dead sends nothing to whoever holds its port now', async () => {
  await attack(() => deadPid());
});

test('a daemon.json naming another user\'s live process sends it nothing', { skip: !ROOT && 'needs a second user' }, async () => {
  await attack((s) => s.pid); // the pid was reused by the squatter's own process
});

test("the hook script sends a dead daemon's port neither the token, nor the team key, nor its input", async () => {
  await attack(() => deadPid(), hook);
});

test('the hook script sends another user\'s live process nothing', { skip: !ROOT && 'needs a second user' }, async () => {
  await attack((s) => s.pid, hook);
});
