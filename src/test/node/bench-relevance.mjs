// Relevance benchmark: the coding lane (../shared/bench/coding-recall-dev.json) through omem's
// real MCP tools (official SDK client) and the real UserPromptSubmit hook
// (plugins/claude-code/hooks/omem-hook: curl to the warm daemon, HookHandler behind it).
//
// Usage (scripts/bench-relevance builds the jar first):
//   node src/test/node/bench-relevance.mjs [options]
//     --data <file>          default ../shared/bench/coding-recall-dev.json (repository root relative)
//     --jar <file>           omem jar (default target/omem.jar)
//     --out <file>           one JSON line per prompt (default target/bench-relevance/prompts.jsonl)
//     --stores <list>        separate,shared (default both): each project in its own store, and
//                            all projects in one store, each under its own project key
//     --projects <ids>       comma list (default all)
//     --weights-dir <dir>    left-out run: project p's own store runs with
//                            OMEM_RELEVANCE_WEIGHTS=<dir>/without-<p>.txt (written by
//                            scripts/fit-relevance --folds <dir>), so every separate-store figure
//                            of p comes from weights fitted without p; and, when the directory
//                            holds it, OMEM_SEARCH_GATE_WEIGHTS=<dir>/search-gate-without-<p>.txt
//                            (TwoThresholdFit --write-folds <dir> writes both)
//     --hook false           skip the hook (search figures only; its columns then read nothing
//                            injected)
//     --label <text>         printed with the summary
//     --classpath <jars>     extra jars (a model artifact), the daemon runs with them
//     --summary-json <file>  the summary numbers as JSON
//     --tables <jsonl>       only print the tables of an earlier run's per-prompt file (a run cut
//                            short keeps every prompt it finished)
//
// Protocol per store: a fresh OMEM_HOME; one MCP client per project, started in that project's
// own directory (so its project key is that directory); wait for the model; memory_store
// {content} for each memory; wait until every memory has its vector; then per prompt:
//   1. the hook: {"hook_event_name":"UserPromptSubmit","session_id":<fresh>,"cwd":<project dir>,
//      "prompt":...} on the hook script's stdin; the injected memories are read back from the
//      <omem-memories> block (one JSON string per memory) and matched to the project's memories;
//   2. memory_search {query} exactly as agents call it (defaults: limit 10, the default floor);
//   3. a calibration probe: memory_search {query, limit 10, min_score 0}: each (prompt, result)
//      pair's score against its label gives ECE (10 equal-width bins) and the Brier score.
// Metrics (../shared/bench/README.md): hook hit rate, injection precision, quiet rate, search
// recall@5 and MRR (answerable prompts), search abstention (unrelated prompts), ECE, Brier.

import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectStdio } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const HOOK = join(ROOT, 'plugins', 'claude-code', 'hooks', 'omem-hook');
const READY_TIMEOUT_MS = 180_000;
const log = (msg) => process.stderr.write(`bench-relevance: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function options() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: resolve(ROOT, '..', 'shared', 'bench', 'coding-recall-dev.json') },
      jar: { type: 'string', default: join(ROOT, 'target', 'omem.jar') },
      out: { type: 'string', default: join(ROOT, 'target', 'bench-relevance', 'prompts.jsonl') },
      stores: { type: 'string', default: 'separate,shared' },
      projects: { type: 'string' },
      'weights-dir': { type: 'string' },
      hook: { type: 'string', default: 'true' },
      label: { type: 'string', default: '' },
      classpath: { type: 'string' },
      'summary-json': { type: 'string' },
      tables: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n\n')[0];
    process.stdout.write(header.replace(/^\/\/ ?/gm, '') + '\n');
    process.exit(0);
  }
  const o = {
    data: resolve(values.data),
    jar: resolve(values.jar),
    out: resolve(values.out),
    stores: values.stores.split(',').map((s) => s.trim()).filter(Boolean),
    projects: values.projects ? new Set(values.projects.split(',').map((s) => s.trim())) : null,
    weightsDir: values['weights-dir'] ? resolve(values['weights-dir']) : null,
    hook: values.hook !== 'false',
    label: values.label,
    classpath: values.classpath ? values.classpath.split(delimiter).filter(Boolean).map((p) => resolve(p)) : [],
    summaryJson: values['summary-json'] ? resolve(values['summary-json']) : null,
    tables: values.tables ? resolve(values.tables) : null,
  };
  for (const s of o.stores) {
    if (!['separate', 'shared'].includes(s)) {
      throw new Error(`--stores: unknown ${s}; use separate and/or shared`);
    }
  }
  if (!existsSync(o.jar)) throw new Error(`no jar at ${o.jar}`);
  if (!existsSync(o.data)) throw new Error(`no data at ${o.data}`);
  return o;
}

/** One MCP client (`omem mcp`, a thin client of the home's daemon) in a project's directory. */
function mcpClient(o, cwd, env) {
  const args = o.classpath.length
    ? ['-cp', [o.jar, ...o.classpath].join(delimiter), 'dev.omem.cli.Main', 'mcp']
    : ['-jar', o.jar, 'mcp'];
  // A call may wait minutes on a shared machine at load 30-40 (session 22: two runs died on the
  // 60 s default); the figures are counts, so a slow call only costs time.
  return connectStdio({ jar: o.jar, cwd, name: 'omem-bench-relevance', env, args, timeout: 600_000 });
}

/** Runs the real hook script once; resolves to its parsed stdout. */
function runHook(env, input) {
  return new Promise((res, rej) => {
    const p = spawn('bash', [HOOK, 'UserPromptSubmit'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('error', rej);
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error(`hook exited ${code}: ${err}`));
      try {
        res(JSON.parse(out));
      } catch (e) {
        rej(new Error(`hook stdout is not JSON: ${out.slice(0, 300)} (${err})`));
      }
    });
    p.stdin.end(JSON.stringify(input));
  });
}

/** The memories a hook answer injected, matched to the project's memory ids by their text. */
function injectedIds(answer, memories) {
  const ctx = answer?.hookSpecificOutput?.additionalContext;
  if (!ctx) return [];
  const ids = [];
  for (const line of ctx.split('\n')) {
    const m = /^- ("(?:[^"\\]|\\.)*")/.exec(line);
    if (!m) continue;
    let text = JSON.parse(m[1]);
    const cut = text.endsWith('…');
    if (cut) text = text.slice(0, -1);
    const norm = (s) => s.replace(/\s+/g, ' ').trim();
    const hit = memories.find((mm) => (cut ? norm(mm.text).startsWith(text) : norm(mm.text) === text));
    ids.push(hit ? hit.id : `?${text.slice(0, 40)}`);
  }
  return ids;
}

async function until(what, probe) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const [done, state] = await probe();
    if (done) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await sleep(300);
  }
}

/** Runs the given projects in one fresh home; returns per-prompt rows. */
async function runStore(o, storeName, projects, extraEnv, out) {
  const work = mkdtempSync(join(tmpdir(), 'omem-bench-relevance-'));
  const home = join(work, 'home');
  mkdirSync(home);
  const env = { ...process.env, OMEM_HOME: home, ...extraEnv };
  delete env.OMEM_API_URL;
  const rows = [];
  const clients = [];
  try {
    const t0 = performance.now();
    const byProject = [];
    for (const p of projects) {
      const dir = join(work, 'projects', p.id);
      mkdirSync(dir, { recursive: true });
      const c = await mcpClient(o, dir, env);
      clients.push(c);
      byProject.push({ p, dir, c });
    }
    const first = byProject[0].c;
    await until('the embedding model', async () => {
      const t = (await first.ok('memory_search', { query: 'readiness probe', include_trace: true, limit: 1 })).trace;
      return [t.mode === 'hybrid', t.mode];
    });
    // memory_store picks the scope (a preference-like fact may go to global): a project's search
    // sees its own memories and every global one, from whichever project it came.
    const own = new Map();
    const global = new Set();
    const scopes = new Set();
    for (const { p, c } of byProject) {
      own.set(p.id, new Set());
      for (const m of p.memories) {
        const r = await c.ok('memory_store', { content: m.text });
        (r.memory?.scope === 'global' ? global : own.get(p.id)).add(r.id);
        scopes.add(r.memory?.scope);
      }
    }
    log(`${storeName}: memories stored in scopes ${[...scopes].join(', ')}`);
    for (const { p, c } of byProject) {
      const want = Math.min(100, own.get(p.id).size + global.size);
      await until(`${p.id}'s vectors`, async () => {
        const t = (await c.ok('memory_search', { query: 'readiness probe', include_trace: true, limit: 1, min_score: 0 })).trace;
        const v = t.stages.find((s) => s.name === 'vector');
        return [t.mode === 'hybrid' && v?.output_count === want, { want, own: own.get(p.id).size, global: global.size, v }];
      });
    }
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    let hookMs = 0;
    let searchMs = 0;
    for (const { p, dir, c } of byProject) {
      for (const [i, q] of p.prompts.entries()) {
        const h0 = performance.now();
        const answer = o.hook
          ? await runHook(env, {
              hook_event_name: 'UserPromptSubmit',
              session_id: randomUUID(),
              cwd: dir,
              prompt: q.text,
            })
          : null;
        hookMs += performance.now() - h0;
        const injected = injectedIds(answer, p.memories);
        const s0 = performance.now();
        const search = await c.ok('memory_search', { query: q.text });
        searchMs += performance.now() - s0;
        const probe = await c.ok('memory_search', { query: q.text, limit: 10, min_score: 0 });
        const idOf = new Map(p.memories.map((m) => [m.text, m.id]));
        const ids = (rs) => rs.map((r) => idOf.get(r.content) ?? `?${r.id}`);
        const row = {
          label: o.label,
          store: storeName,
          project: p.id,
          prompt_index: i,
          prompt: q.text,
          relevant: q.relevant,
          injected,
          search: ids(search.results),
          search_scores: search.results.map((r) => r.score),
          search_reason: search.reason ?? null,
          probe: ids(probe.results).map((id, k) => ({ id, score: probe.results[k].score, relevant: q.relevant.includes(id) })),
        };
        rows.push(row);
        out.write(JSON.stringify(row) + '\n');
      }
    }
    const n = rows.length;
    log(
      `${storeName} [${projects.map((p) => p.id).join(',')}]: loaded in ${(loadMs / 1000).toFixed(1)} s;` +
        ` ${n} prompts in ${((performance.now() - t1) / 1000).toFixed(1)} s` +
        ` (hook ${(hookMs / n).toFixed(0)} ms, search ${(searchMs / n).toFixed(0)} ms a prompt)`,
    );
    return rows;
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    await stopDaemon(home);
    rmSync(work, { recursive: true, force: true });
  }
}

/** Stops the home's daemon (the pid in daemon.json), so the next store starts clean. */
async function stopDaemon(home) {
  const f = join(home, 'daemon.json');
  if (!existsSync(f)) return;
  try {
    const { pid } = JSON.parse(readFileSync(f, 'utf8'));
    if (pid) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        await sleep(200);
      }
      process.kill(pid, 'SIGKILL');
    }
  } catch {
    // already gone
  }
}

/** The figures of a set of prompt rows. */
export function metrics(rows) {
  const ans = rows.filter((r) => r.relevant.length > 0);
  const unrel = rows.filter((r) => r.relevant.length === 0);
  const injected = rows.flatMap((r) => r.injected.map((id) => r.relevant.includes(id)));
  const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const recall5 = ans.map((r) => r.relevant.filter((id) => r.search.slice(0, 5).includes(id)).length / r.relevant.length);
  const rr = ans.map((r) => {
    const k = r.search.findIndex((id) => r.relevant.includes(id));
    return k < 0 ? 0 : 1 / (k + 1);
  });
  const pairs = rows.flatMap((r) => r.probe);
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const x of pairs) {
    const b = bins[Math.min(9, Math.floor(x.score * 10))];
    b.n++;
    b.p += x.score;
    b.y += x.relevant ? 1 : 0;
  }
  const ece = pairs.length ? bins.reduce((a, b) => a + (b.n ? Math.abs(b.p - b.y) : 0), 0) / pairs.length : NaN;
  const brier = mean(pairs.map((x) => (x.score - (x.relevant ? 1 : 0)) ** 2));
  return {
    answerable: ans.length,
    unrelated: unrel.length,
    hook_hit: mean(ans.map((r) => (r.injected.some((id) => r.relevant.includes(id)) ? 1 : 0))),
    injection_precision: injected.length ? injected.filter(Boolean).length / injected.length : NaN,
    injected: injected.length,
    quiet: mean(unrel.map((r) => (r.injected.length === 0 ? 1 : 0))),
    recall_at_5: mean(recall5),
    mrr: mean(rr),
    abstention: mean(unrel.map((r) => (r.search.length === 0 ? 1 : 0))),
    ece,
    brier,
  };
}

const f3 = (x) => (Number.isNaN(x) ? '–' : x.toFixed(3));

function table(title, groups) {
  const lines = [
    `### ${title}`,
    '',
    '| project | answerable / unrelated | hook hit | injection precision (n) | quiet | recall@5 | MRR | abstention | ECE | Brier |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, m] of groups) {
    lines.push(
      `| ${name} | ${m.answerable} / ${m.unrelated} | ${f3(m.hook_hit)} | ${f3(m.injection_precision)} (${m.injected}) | ${f3(m.quiet)} |` +
        ` ${f3(m.recall_at_5)} | ${f3(m.mrr)} | ${f3(m.abstention)} | ${f3(m.ece)} | ${f3(m.brier)} |`,
    );
  }
  return lines.join('\n');
}

/** The tables of a per-prompt file: per store, per project and overall. */
function tablesOf(file) {
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const sections = [];
  for (const store of [...new Set(rows.map((r) => r.store))]) {
    const mine = rows.filter((r) => r.store === store);
    const ids = [...new Set(mine.map((r) => r.project))].sort();
    const groups = ids.map((id) => [id, metrics(mine.filter((r) => r.project === id))]);
    groups.push(['**all**', metrics(mine)]);
    sections.push(table(`${mine[0].label ? mine[0].label + ': ' : ''}${store}`, groups));
  }
  return sections.join('\n\n') + '\n';
}

async function main() {
  const o = options();
  if (o.tables) {
    process.stdout.write(tablesOf(o.tables));
    return;
  }
  const data = JSON.parse(readFileSync(o.data, 'utf8'));
  const projects = data.projects.filter((p) => !o.projects || o.projects.has(p.id));
  mkdirSync(dirname(o.out), { recursive: true });
  const out = createWriteStream(o.out);
  const started = performance.now();
  const summary = { label: o.label, weights_dir: o.weightsDir, stores: {} };
  const sections = [];
  for (const store of o.stores) {
    let rows = [];
    if (store === 'separate') {
      for (const p of projects) {
        const extra = {};
        if (o.weightsDir) {
          const f = join(o.weightsDir, `without-${p.id}.txt`);
          if (!existsSync(f)) throw new Error(`--weights-dir: ${f} is missing`);
          extra.OMEM_RELEVANCE_WEIGHTS = f;
          // The fold's search gate too, when written (TwoThresholdFit --write-folds, session 20).
          const g = join(o.weightsDir, `search-gate-without-${p.id}.txt`);
          if (existsSync(g)) extra.OMEM_SEARCH_GATE_WEIGHTS = g;
        }
        rows = rows.concat(await runStore(o, store, [p], extra, out));
      }
    } else {
      rows = await runStore(o, store, projects, {}, out);
    }
    const groups = projects.map((p) => [p.id, metrics(rows.filter((r) => r.project === p.id))]);
    groups.push(['**all**', metrics(rows)]);
    summary.stores[store] = Object.fromEntries(groups.map(([k, v]) => [k.replaceAll('*', ''), v]));
    const what =
      store === 'separate'
        ? `each project in its own store${o.weightsDir ? ' (left-out: weights fitted without the project)' : ''}`
        : 'all projects in one store, each under its own project key';
    sections.push(table(`${o.label ? o.label + ': ' : ''}${what}`, groups));
  }
  out.end();
  summary.seconds = Math.round((performance.now() - started) / 1000);
  process.stdout.write(sections.join('\n\n') + `\n\n${summary.seconds} s in all; per-prompt rows in ${o.out}\n`);
  if (o.summaryJson) writeFileSync(o.summaryJson, JSON.stringify(summary, null, 2));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    log(`error: ${e.stack ?? e}`);
    process.exit(2);
  });
}
