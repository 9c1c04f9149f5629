// The system calls a warm daemon makes per store and per search (issue 19 session 20): one daemon
// on a copy of a store, calls straight to its /mcp (Streamable HTTP, as the bridge posts them), and
// `perf trace -s` attached for the timed calls only. Prints perf's summary per thread (calls, time
// in each: fdatasync/fsync are the durable commits, futex the waits for another thread).
// Run: node src/test/node/bench-syscalls.mjs --jar JAR --store DIR [--calls 100] [--out DIR]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { buildCorpus } from './bench-corpus.mjs';

const o = { calls: 100, out: '.' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
o.calls = Number(o.calls);
const home = mkdtempSync(join(tmpdir(), 'omem-bench-syscalls-'));
cpSync(resolve(o.store), home, { recursive: true });
for (const f of ['omem.lock', 'daemon.json']) rmSync(join(home, f), { force: true });
execFileSync('java', ['-jar', o.jar, 'daemon', 'start', '--home', home], { stdio: 'ignore' });
const d = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));
const client = new Client({ name: 'bench-syscalls', version: '1' }, { capabilities: {} });
await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${d.port}/mcp`), { requestInit: { headers: { 'X-API-Key': d.token } } }));
const corpus = buildCorpus(40 + o.calls, o.calls, 11);
const call = (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
async function traced(label, fn) {
  const file = join(resolve(o.out), `${label}.txt`);
  const perf = spawn('perf', ['trace', '-s', '-o', file, '-p', String(d.pid)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1500));
  const l0 = loadavg()[0];
  const t0 = performance.now();
  for (let i = 0; i < o.calls; i++) await fn(i);
  const ms = performance.now() - t0;
  perf.kill('SIGINT');
  await new Promise((r) => perf.on('exit', r));
  process.stderr.write(`${label}: ${o.calls} calls in ${ms.toFixed(0)} ms, load ${l0.toFixed(1)}-${loadavg()[0].toFixed(1)}, summary in ${file}\n`);
}
try {
  for (let i = 0; i < 600; i++) {
    const r = await call('memory_search', { query: 'warm-up', include_trace: true });
    if (r.structuredContent?.trace?.mode === 'hybrid') break;
    await new Promise((res) => setTimeout(res, 500));
  }
  for (let i = 0; i < 40; i++) {
    await call('memory_store', { content: `warm ${corpus.memories[i].text}` });
    await call('memory_search', { query: corpus.queries[i].keyword, limit: 10 });
  }
  await traced('store', (i) => call('memory_store', { content: corpus.memories[40 + i].text }));
  await traced('search', (i) => call('memory_search', { query: corpus.queries[i].paraphrase, limit: 10 }));
} finally {
  await client.close().catch(() => {});
  execFileSync('java', ['-jar', o.jar, 'daemon', 'stop', '--home', home], { stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
}
