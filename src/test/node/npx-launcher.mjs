// The npx launcher package (scripts/npm, `omem-mcp`) run as a user would: from its packed tarball
// with `npx -y ./<tarball>`, in an empty directory with an empty npm cache and HOME, driven over
// stdio by the official MCP SDK client. Also: the jar inside is the built one, exit codes and
// signals pass through, and a missing or old Java gets one clear line.
//
// Run:  OMEM_NPX_TARBALL=target/npm/omem-mcp-0.1.0.tgz OMEM_JAR=target/omem.jar \
//         node --test src/test/node/npx-launcher.mjs
// (NpxLauncherIT packs the tarball and runs this in `mvn verify`.)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const TARBALL = resolve(process.env.OMEM_NPX_TARBALL ?? '');
const JAR = resolve(process.env.OMEM_JAR ?? join(ROOT, 'target', 'omem.jar'));
const TOOLS = [
  'memory_forget', 'memory_get', 'memory_ingest', 'memory_list', 'memory_profile',
  'memory_search', 'memory_stats', 'memory_store', 'memory_update',
  'space_create', 'space_list', 'space_add_member', 'space_remove_member',
  'space_invitations', 'space_accept', 'space_decline',
  'memory_share', 'memory_share_to_user', 'memory_pull', 'memory_unshare',
].sort();

const work = mkdtempSync(join(tmpdir(), 'omem-npx-'));
const run = join(work, 'run');
const pkg = join(work, 'extracted');
const SPEC = `./${basename(TARBALL)}`; // what a user types: npx -y ./omem-mcp-0.1.0.tgz
let failed = false;
const LAUNCHER = () => join(pkg, 'package', 'bin', 'omem-mcp.js');

/** The environment of an npx user: nothing of ours but PATH and JAVA_HOME; fresh HOME and cache. */
function userEnv(extra = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: join(work, 'home'),
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    OMEM_HOME: join(work, 'omem'),
    OMEM_DAEMON: 'off',
  };
  if (process.env.JAVA_HOME) env.JAVA_HOME = process.env.JAVA_HOME;
  return { ...env, ...extra };
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

before(() => {
  assert.ok(process.env.OMEM_NPX_TARBALL && existsSync(TARBALL), `no tarball at ${TARBALL}`);
  for (const d of [run, pkg, join(work, 'home')]) mkdirSync(d, { recursive: true });
  execFileSync('tar', ['-xzf', TARBALL, '-C', pkg]);
  // npx takes `./x.tgz` for a package; an absolute path would be run as a command.
  symlinkSync(TARBALL, join(run, basename(TARBALL)));
});

after(() => {
  if (failed) process.stderr.write(`npx launcher test: kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
});

function check(t, fn) {
  return test(t, async () => {
    try {
      await fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

check('the tarball holds the launcher and the built jar', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package', 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'omem-mcp');
  assert.equal(manifest.bin['omem-mcp'], 'bin/omem-mcp.js');
  assert.equal(sha256(join(pkg, 'package', 'omem.jar')), sha256(JAR), 'the jar is the built one');
  assert.ok(existsSync(join(pkg, 'package', 'LICENSE')));
});

check('npx -y ./<tarball> answers initialize and lists the memory and space tools', async () => {
  const transport = new StdioClientTransport({
    command: 'npx',
    args: ['-y', SPEC],
    cwd: run,
    env: userEnv(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (c) => {
    stderr += c.toString();
  });
  const client = new Client({ name: 'omem-npx-test', version: '1.0.0' }, { capabilities: {} });
  try {
    await client.connect(transport);
    assert.equal(client.getServerVersion().name, 'omem');
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, TOOLS);
    // The Claude Desktop bundle lists the same tools.
    const bundle = JSON.parse(readFileSync(join(ROOT, 'mcpb', 'manifest.json'), 'utf8'));
    assert.deepEqual(bundle.tools.map((t) => t.name).sort(), TOOLS);
    const stats = await client.callTool({ name: 'memory_stats', arguments: {} });
    assert.notEqual(stats.isError, true, JSON.stringify(stats));
  } catch (e) {
    process.stderr.write(`stderr of npx omem-mcp:\n${stderr}\n`);
    throw e;
  } finally {
    await client.close();
  }
});

check('exit codes pass through', () => {
  const r = spawnSync('npx', ['-y', SPEC, 'no-such-command'], { cwd: run, env: userEnv(), encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /omem: .*no-such-command/);
  const v = spawnSync(process.execPath, [LAUNCHER(), '--version'], { env: userEnv(), encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^omem \S+/);
});

check('no Java, or Java older than 17: one line that says what to install, exit 1', () => {
  const bin = join(work, 'bin-node-only');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  const none = spawnSync(process.execPath, [LAUNCHER()], {
    env: { PATH: bin, HOME: join(work, 'home') },
    encoding: 'utf8',
  });
  assert.equal(none.status, 1);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
  assert.match(none.stderr, /no Java found.*install a Java 17/);

  const jdk = join(work, 'jdk11');
  mkdirSync(join(jdk, 'bin'), { recursive: true });
  writeFileSync(join(jdk, 'release'), 'JAVA_VERSION="11.0.2"\n');
  writeFileSync(join(jdk, 'bin', 'java'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(jdk, 'bin', 'java'), 0o755);
  const old = spawnSync(process.execPath, [LAUNCHER()], {
    env: { PATH: bin, HOME: join(work, 'home'), JAVA_HOME: jdk },
    encoding: 'utf8',
  });
  assert.equal(old.status, 1);
  assert.match(old.stderr, /is Java 11, and omem needs Java 17 or newer/);
});

check('SIGTERM to the launcher stops the server', async () => {
  const child = spawn(process.execPath, [LAUNCHER(), 'mcp'], {
    env: userEnv({ OMEM_HOME: join(work, 'omem-signal') }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const answered = new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c.toString();
      if (out.includes('\n')) res(out);
    });
    child.once('exit', () => rej(new Error('exited before answering')));
  });
  child.stdin.write(
    JSON.stringify({
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }) + '\n',
  );
  assert.match(await answered, /"serverInfo"/);
  const java = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
    .trim().split(/\s+/).map(Number).filter(Boolean);
  assert.equal(java.length, 1, 'the launcher runs one java child');
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.ok(signal === 'SIGTERM' || code === 143, `exit ${code} / ${signal}`);
  await new Promise((r) => setTimeout(r, 200));
  assert.throws(() => process.kill(java[0], 0), /ESRCH/, 'java is gone too');
});
