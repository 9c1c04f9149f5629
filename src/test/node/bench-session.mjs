// The cost of one more agent session in front of a warm omem daemon (issue 19), side by side with
// @modelcontextprotocol/server-memory, all through the official MCP client over stdio:
//   bridge   node plugins/claude-code/bin/omem-bridge.js (no JVM per session)
//   thin-jvm scripts/omem mcp with OMEM_BRIDGE=off (the thin JVM client and its flags)
//   server-memory  the reference Node server from npm
// Per round, the variants run interleaved: spawn -> initialize answered (ms), then 20 calls of a
// cheap read tool (memory_stats / read_graph), then the session's RSS (VmRSS of the spawned process
// and its children). Prints medians as a Markdown table on stdout.
//
// Run: OMEM_JAR=target/omem.jar node src/test/node/bench-session.mjs [--rounds 5]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpServer } from './bench-compare.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BASE = resolve(HERE, '..', '..', '..');
const JAR = resolve(process.env.OMEM_JAR ?? join(BASE, 'target', 'omem.jar'));
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 5) || 5;
const home = mkdtempSync(join(tmpdir(), 'omem-bench-session-'));

function rssKb(pid) {
  let total = 0;
  const seen = new Set();
  const walk = (p) => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      return;
    }
    for (const t of readdirSync(`/proc/${p}/task`)) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean)) walk(c);
      } catch {
        // gone
      }
    }
  };
  walk(pid);
  return total;
}

function serverMemoryBin() {
  const dir = join(HERE, 'node_modules', '@modelcontextprotocol', 'server-memory');
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return join(dir, typeof json.bin === 'string' ? json.bin : Object.values(json.bin)[0]);
}

const env = { OMEM_HOME: home, OMEM_JAR: JAR };
const VARIANTS = {
  bridge: {
    spec: { command: process.execPath, args: [join(BASE, 'plugins/claude-code/bin/omem-bridge.js'), '--java', 'java', '--jar', JAR], env },
    tool: 'memory_stats',
  },
  'thin-jvm': {
    spec: { command: join(BASE, 'scripts/omem'), args: ['mcp'], env: { ...env, OMEM_BRIDGE: 'off' } },
    tool: 'memory_stats',
  },
  'server-memory': {
    spec: { command: process.execPath, args: [serverMemoryBin()], env: { MEMORY_FILE_PATH: join(home, 'memory.jsonl') } },
    tool: 'read_graph',
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

execFileSync('java', ['-jar', JAR, 'daemon', 'start', '--home', home], { stdio: 'ignore' });
const results = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, { init: [], rss: [], call: [] }]));
const loads = [loadavg()[0]];
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, v] of Object.entries(VARIANTS)) {
      const s = new McpServer(name, { ...v.spec, cwd: BASE });
      await s.start().catch((e) => {
        throw new Error(`${name} did not start: ${e.message}\n${s.stderr}`);
      });
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await s.client.callTool({ name: v.tool, arguments: {} });
        results[name].call.push(performance.now() - t0);
      }
      results[name].init.push(s.initializeMs);
      results[name].rss.push(rssKb(s.pid) / 1024);
      clearInterval(s.poller);
      await s.client.close();
      process.stderr.write(`bench-session: round ${r + 1} ${name}: initialize ${s.initializeMs.toFixed(0)} ms, rss ${results[name].rss.at(-1).toFixed(1)} MiB\n`);
    }
    loads.push(loadavg()[0]);
  }
} finally {
  try {
    execFileSync('java', ['-jar', JAR, 'daemon', 'stop', '--home', home], { stdio: 'ignore' });
  } catch {
    // stopped
  }
  rmSync(home, { recursive: true, force: true });
}
const peer = median(results['server-memory'].init);
console.log(`| session | initialize p50 | ratio to server-memory | RSS per session p50 | cheap call p50 |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const [name, r] of Object.entries(results)) {
  const init = median(r.init);
  console.log(`| ${name} | ${init.toFixed(0)} ms | ${(init / peer).toFixed(2)} | ${median(r.rss).toFixed(1)} MiB | ${median(r.call).toFixed(1)} ms |`);
}
console.log(`\n${rounds} rounds, interleaved; warm daemon; load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (1 min), ${new Date().toISOString()}`);
