// Extraction benchmark (issue 14; protocol: ../shared/bench/README.md, section extraction-dev.json).
// Runs the dev corpus through memory_ingest (mode smart) of omem's MCP stdio server, driven by the
// official MCP TypeScript SDK: one fresh store per source repository, its conversations in order.
//
// Usage (scripts/bench-extraction builds the jar and test classes first):
//   node src/test/node/bench-extraction.mjs [--data <file>] [--jar <file>] [--out <results.jsonl>]
//        [--weights-dir <dir>] [--repos owner/a,owner/b] [--label <text>] [--summary-json <file>]
//   --agent-cli <claude command, or default>: the agent-CLI extractor's lane (OMEM_EXTRACTOR=agent-cli), with
//   the real Claude Code CLI (default src/test/node/node_modules/.bin/claude) against a stand-in
//   Anthropic API in this process that answers each extraction request with the conversation's
//   labelled facts: wiring proof (prompt on stdin, JSON result, budget, fallback), not quality.
//   --weights-dir: leave-one-repository-out run: the server of repository R loads the extraction
//   classifier <dir>/<owner>__<repo>.txt (fitted without R) through OMEM_EXTRACTION_WEIGHTS.
//
// Figures (all matching case-insensitive):
//   - a memory MATCHES a labelled fact when it is at most 250 characters and contains every
//     must_match entry ("a|b": either); matching is one to one per conversation (maximum bipartite
//     matching between the conversation's facts and the memories its ingest produced);
//   - the memories a conversation produced: the distinct memory ids its ingest steps name (created,
//     superseding, merged into, or a stored memory it restated), with their text after the ingest;
//   - fact recall = matched facts / facts; precision = matched memories / produced memories;
//   - kept out: a not-fact is kept out when no produced memory restates it (content-word Jaccard
//     >= 0.5, or cosine >= 0.85 with the shipped embedding model, computed by
//     dev.omem.bench.EmbedLines from the test classes);
//   - supersede: right after the pair's `after` conversation, memory_search with the old fact's
//     text (limit 3): the first result matches the new fact and no result of the top 3 matches
//     the old fact's must_match without the new one's;
//   - scope: of the matched facts, those whose memory's scope is right (global vs project:*).
// Per-conversation JSON lines go to --out (default target/bench-extraction/results.jsonl).

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectStdio } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const MAX_MATCH_CHARS = 250;
const JACCARD_KEPT = 0.5;
const COSINE_KEPT = 0.85;
const log = (m) => process.stderr.write(`bench-extraction: ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { values: o } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(ROOT, '..', '..', 'shared', 'bench', 'extraction-dev.json') },
    jar: { type: 'string', default: join(ROOT, 'target', 'omem.jar') },
    out: { type: 'string', default: join(ROOT, 'target', 'bench-extraction', 'results.jsonl') },
    'weights-dir': { type: 'string' },
    repos: { type: 'string' },
    label: { type: 'string', default: 'smart' },
    'summary-json': { type: 'string' },
    'agent-cli': { type: 'string' },
  },
});
if (o['agent-cli'] === '' || o['agent-cli'] === 'default') o['agent-cli'] = join(ROOT, 'src', 'test', 'node', 'node_modules', '.bin', 'claude');
if (o['weights-dir']) {
  o['weights-dir'] = resolve(o['weights-dir']); // the server runs in another directory
}
if (!existsSync(o.data)) {
  o.data = resolve(ROOT, '..', 'shared', 'bench', 'extraction-dev.json');
}

// A small stop list: function words only, so that Jaccard compares what a text is about.
const STOP = new Set(
  ('a an the and or but if then so of to in on at for from by with as is are was were be been being ' +
    'it its this that these those i we you he she they me us my our your their them do does did ' +
    'not no just can could should would will shall may might must have has had there here what ' +
    'which who whom when where why how all any some also too very into out up down about than ' +
    'please yes ok okay let lets now').split(/\s+/),
);
const contentWords = (t) =>
  new Set((t.toLowerCase().match(/[\p{L}\p{N}_'-]+/gu) ?? []).filter((w) => !STOP.has(w) && w.length > 1));
function jaccard(a, b) {
  const x = contentWords(a);
  const y = contentWords(b);
  if (!x.size || !y.size) return 0;
  let n = 0;
  for (const w of x) if (y.has(w)) n++;
  return n / (x.size + y.size - n);
}
const contains = (text, entry) => entry.split('|').some((alt) => text.toLowerCase().includes(alt.toLowerCase()));
const matches = (text, mustMatch) => text.length <= MAX_MATCH_CHARS && mustMatch.every((e) => contains(text, e));

/** Maximum bipartite matching (Kuhn): facts x memories, edge when the memory matches the fact. */
function matchOneToOne(facts, memories) {
  const owner = new Array(memories.length).fill(-1);
  const edges = facts.map((f) => memories.map((m, j) => (matches(m.content, f.must_match) ? j : -1)).filter((j) => j >= 0));
  const tryFact = (i, seen) => {
    for (const j of edges[i]) {
      if (seen.has(j)) continue;
      seen.add(j);
      if (owner[j] < 0 || tryFact(owner[j], seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  facts.forEach((_, i) => tryFact(i, new Set()));
  const factToMemory = new Array(facts.length).fill(-1);
  owner.forEach((i, j) => {
    if (i >= 0) factToMemory[i] = j;
  });
  return factToMemory;
}

/** Embeds texts with the shipped model (dev.omem.bench.EmbedLines), one vector per text. */
function embedAll(texts) {
  if (!texts.length) return [];
  const cp = [o.jar, join(ROOT, 'target', 'bench-extraction', 'classes')].join(':');
  const input = texts.map((t) => t.replace(/\s+/g, ' ')).join('\n') + '\n';
  const out = execFileSync('java', ['-Xss2m', '-cp', cp, 'dev.omem.bench.EmbedLines'], {
    input,
    maxBuffer: 1 << 28,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').map((l) => Float32Array.from(l.split(',').map(Number)));
}
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

class Server {
  constructor(repo, weights) {
    this.work = mkdtempSync(join(tmpdir(), 'omem-bench-extraction-'));
    this.repoDir = join(this.work, repo.split('/')[1]);
    mkdirSync(this.repoDir, { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: this.repoDir });
    execFileSync('git', ['remote', 'add', 'origin', `https://github.com/${repo}.git`], { cwd: this.repoDir });
    const env = { ...process.env, OMEM_HOME: join(this.work, 'home'), OMEM_DAEMON: 'off', OMEM_LOG_LEVEL: 'info' };
    if (weights) env.OMEM_EXTRACTION_WEIGHTS = weights;
    if (o['agent-cli']) {
      const claudeHome = join(this.work, 'claude-home');
      mkdirSync(claudeHome, { recursive: true });
      for (const k of Object.keys(env)) if (/^(CLAUDE|ANTHROPIC)/.test(k)) delete env[k];
      Object.assign(env, {
        OMEM_EXTRACTOR: 'agent-cli',
        OMEM_AGENT_CLI: o['agent-cli'],
        HOME: claudeHome,
        ANTHROPIC_BASE_URL: agentModel.url,
        ANTHROPIC_API_KEY: 'sk-ant-test',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      });
    }
    this.stderr = '';
    this.launch = { jar: o.jar, cwd: this.repoDir, name: 'omem-bench-extraction', env, timeout: 300_000 };
  }
  async start() {
    this.mcp = await connectStdio({
      ...this.launch,
      onStderr: (c) => {
        this.stderr = (this.stderr + c).slice(-50_000);
      },
    });
    this.child = this.mcp.child;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const t = (await this.ok('memory_search', { query: 'readiness probe', include_trace: true, limit: 1 })).trace;
      if (t.mode === 'hybrid') return;
      if (Date.now() > deadline) throw new Error(`the embedding model did not load\n${this.stderr.slice(-2000)}`);
      await sleep(250);
    }
  }
  async ok(name, args) {
    return this.mcp.ok(name, args);
  }
  async memories() {
    const all = [];
    for (let offset = 0; ; offset += 200) {
      const page = await this.ok('memory_list', { scope: 'all', limit: 200, offset });
      all.push(...page.memories);
      if (page.memories.length < 200) return all;
    }
  }
  async stop() {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await this.mcp?.client.close().catch(() => {});
    rmSync(this.work, { recursive: true, force: true });
  }
}

const data = JSON.parse(readFileSync(o.data, 'utf8'));

/**
 * The stand-in Anthropic Messages API of the --agent-cli lane: an extraction request is matched to
 * the conversation whose user turns it quotes (letters and digits only, so JSON escaping does not
 * matter) and answered, as server-sent events, with that conversation's labelled facts.
 */
async function startAgentModel() {
  const norm = (t) => t.toLowerCase().replace(/[^a-z0-9]/g, '');
  const keys = data.conversations.map((c) => ({
    c,
    keys: c.messages.filter((m) => m.role === 'user').map((m) => norm(m.content).slice(0, 60)).filter((k) => k.length >= 20),
  }));
  const state = { requests: 0, extraction: 0, unmatched: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url.startsWith('/v1/messages')) return res.writeHead(404).end();
      state.requests++;
      if (req.url.startsWith('/v1/messages/count_tokens')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"input_tokens":10}');
      const r = JSON.parse(body || '{}');
      const text = norm(JSON.stringify(r.messages ?? []));
      let best = null;
      let bestHits = 0;
      for (const k of keys) {
        const hits = k.keys.filter((x) => text.includes(x)).length;
        if (hits > bestHits) [best, bestHits] = [k.c, hits];
      }
      const facts = best
        ? best.facts.map((f) => ({ text: f.text, category: f.scope === 'global' ? 'preferences' : 'patterns', tags: [], importance: 0.7, confidence: 0.9 }))
        : [];
      state.extraction += best ? 1 : 0;
      state.unmatched += best ? 0 : 1;
      const answer = JSON.stringify({ facts });
      const msg = { id: 'msg_bench', type: 'message', role: 'assistant', model: r.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: Math.ceil(body.length / 4), output_tokens: 0 } };
      const ev = (type, d) => `event: ${type}\ndata: ${JSON.stringify({ type, ...d })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        ev('message_start', { message: msg }) +
          ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
          ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: answer } }) +
          ev('content_block_stop', { index: 0 }) +
          ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: Math.ceil(answer.length / 4) } }) +
          ev('message_stop', {}),
      );
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, state, close: () => server.close() };
}
const agentModel = o['agent-cli'] ? await startAgentModel() : null;
const repoOf = (c) => c.source.split(' ')[0];
const byRepo = new Map();
for (const c of data.conversations) {
  if (!byRepo.has(repoOf(c))) byRepo.set(repoOf(c), []);
  byRepo.get(repoOf(c)).push(c);
}
const only = o.repos ? new Set(o.repos.split(',')) : null;
const factByText = new Map(data.conversations.flatMap((c) => c.facts.map((f) => [f.text, f])));
mkdirSync(dirname(o.out), { recursive: true });
const rows = [];
const pairs = [];
const ingestMs = [];

for (const [repo, convs] of byRepo) {
  if (only && !only.has(repo)) continue;
  const weights = o['weights-dir'] ? join(o['weights-dir'], `${repo.replace('/', '__')}.txt`) : null;
  if (weights && !existsSync(weights)) throw new Error(`no weights for ${repo}: ${weights}`);
  const s = new Server(repo, weights);
  try {
    await s.start();
    log(`${repo}: ${convs.length} conversations`);
    for (const c of convs) {
      const t0 = performance.now();
      const r = await s.ok('memory_ingest', { messages: c.messages, mode: 'smart', wait: 30 });
      ingestMs.push(performance.now() - t0);
      if (r.status !== 'done') throw new Error(`ingest of ${c.id}: ${r.status}`);
      const now = await s.memories();
      const byId = new Map(now.map((m) => [m.id, m]));
      const ids = [...new Set(r.memory_ids ?? [])];
      const produced = ids.map((id) => byId.get(id)).filter(Boolean);
      const f2m = matchOneToOne(c.facts, produced);
      const row = {
        id: c.id,
        repo,
        facts: c.facts.map((f, i) => {
          const m = f2m[i] >= 0 ? produced[f2m[i]] : null;
          return {
            text: f.text,
            must_match: f.must_match,
            scope: f.scope,
            matched: m ? m.content : null,
            memory_scope: m ? m.scope : null,
            scope_ok: m ? (f.scope === 'global') === (m.scope === 'global') : null,
          };
        }),
        memories: produced.map((m, j) => ({ content: m.content, scope: m.scope, category: m.category, confidence: m.confidence, state: m.state, matched: f2m.includes(j) })),
        not_facts: c.not_facts.map((n) => ({ text: n.text, jaccard: Math.max(0, ...produced.map((m) => jaccard(n.text, m.content))) })),
      };
      rows.push(row);
      for (const p of data.supersede.filter((p) => p.after === c.id)) {
        const oldF = factByText.get(p.old_fact);
        const newF = factByText.get(p.new_fact);
        const hits = (await s.ok('memory_search', { query: p.old_fact, limit: 3, scope: 'all' })).results ?? [];
        const texts = hits.map((h) => (h.memory ?? h).content);
        const first = texts.length > 0 && matches(texts[0], newF.must_match);
        const oldOnly = texts.some((t) => matches(t, oldF.must_match) && !matches(t, newF.must_match));
        pairs.push({ before: p.before, after: p.after, old_fact: p.old_fact, new_fact: p.new_fact, top3: texts, resolved: first && !oldOnly });
      }
      log(`${c.id}: ${produced.length} memories, ${f2m.filter((x) => x >= 0).length}/${c.facts.length} facts`);
    }
  } finally {
    await s.stop();
  }
}

if (agentModel) {
  agentModel.close();
  log(`agent CLI lane: the stand-in model got ${agentModel.state.requests} messages requests, ${agentModel.state.extraction} matched to a conversation, ${agentModel.state.unmatched} not`);
}

// Cosine for the not-facts whose Jaccard did not already restate them.
const need = [];
for (const r of rows) for (const n of r.not_facts) if (n.jaccard < JACCARD_KEPT && r.memories.length) need.push([r, n]);
const texts = [...new Set(need.flatMap(([r, n]) => [n.text, ...r.memories.map((m) => m.content)]))];
const vecs = new Map(embedAll(texts).map((v, i) => [texts[i], v]));
for (const r of rows) {
  for (const n of r.not_facts) {
    n.cosine = r.memories.length ? Math.max(...r.memories.map((m) => dot(vecs.get(n.text) ?? [], vecs.get(m.content) ?? []))) : 0;
    if (!Number.isFinite(n.cosine)) n.cosine = 0;
    n.kept_out = n.jaccard < JACCARD_KEPT && n.cosine < COSINE_KEPT;
  }
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const facts = sum(rows.map((r) => r.facts.length));
const matched = sum(rows.map((r) => r.facts.filter((f) => f.matched).length));
const memories = sum(rows.map((r) => r.memories.length));
const notFacts = sum(rows.map((r) => r.not_facts.length));
const kept = sum(rows.map((r) => r.not_facts.filter((n) => n.kept_out).length));
const scopeOk = sum(rows.map((r) => r.facts.filter((f) => f.scope_ok).length));
const ratio = (a, b) => (b ? a / b : 1);
const summary = {
  label: o.label,
  conversations: rows.length,
  facts,
  matched,
  memories,
  fact_recall: ratio(matched, facts),
  precision: ratio(matched, memories),
  not_facts: notFacts,
  kept_out: ratio(kept, notFacts),
  supersede_pairs: pairs.length,
  supersede_resolved: ratio(pairs.filter((p) => p.resolved).length, pairs.length),
  scope_accuracy: ratio(scopeOk, matched),
  ingest_ms_p50: ingestMs.sort((a, b) => a - b)[Math.floor(ingestMs.length / 2)] ?? 0,
};
writeFileSync(o.out, [...rows, ...pairs.map((p) => ({ supersede: p }))].map((x) => JSON.stringify(x)).join('\n') + '\n');
if (o['summary-json']) writeFileSync(o['summary-json'], JSON.stringify(summary, null, 2));
const f3 = (x) => x.toFixed(3);
console.log(`| run | conversations | facts | memories | fact recall | precision | kept out | supersede | scope |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
console.log(
  `| ${o.label} | ${rows.length} | ${facts} | ${memories} | ${f3(summary.fact_recall)} (${matched}/${facts}) | ${f3(summary.precision)} (${matched}/${memories}) | ` +
    `${f3(summary.kept_out)} (${kept}/${notFacts}) | ${f3(summary.supersede_resolved)} (${pairs.filter((p) => p.resolved).length}/${pairs.length}) | ${f3(summary.scope_accuracy)} (${scopeOk}/${matched}) |`,
);
