// Where a daemon's CPU samples go, by hop: reads `jfr print --events jdk.ExecutionSample
// --stack-depth 96 FILE.jfr` on stdin and prints the share of samples per part (issue 19's profile of
// a store and a search). A sample counts for the part of its topmost frame that is not the JDK's own
// (java., jdk., sun.: a HashMap or a String counts for whoever called it).
//
// Run: jfr print --events jdk.ExecutionSample --stack-depth 96 daemon.jfr | node src/test/node/jfr-hops.mjs
import { createInterface } from 'node:readline';

const PARTS = [
  [/^(ai\.onnxruntime|dev\.omem\.embed)\./, 'embedding (ONNX Runtime, tokenizer)'],
  [/^(org\.apache\.lucene|dev\.omem\.index)\./, 'index (Lucene)'],
  [/^(org\.sqlite|dev\.omem\.store)\./, 'store (SQLite, durable commit)'],
  [/^dev\.omem\.retrieve\./, 'retrieval (fusion, relevance)'],
  [/^dev\.omem\.ingest\./, 'ingest (reconcile, screens)'],
  [/^io\.modelcontextprotocol\./, 'MCP SDK (JSON-RPC, schemas)'],
  [/^(com\.fasterxml\.jackson|com\.networknt)\./, 'JSON (Jackson)'],
  [/^org\.eclipse\.jetty\./, 'HTTP (Jetty)'],
  [/^(reactor|org\.reactivestreams)\./, 'Reactor (MCP SDK)'],
  [/^dev\.omem\.(mcp|http)\./, 'omem faces (mcp, http)'],
  [/^dev\.omem\./, 'omem service and other'],
  [/^(org\.slf4j|ch\.qos)\./, 'logging'],
];
const JDK = /^(java|javax|jdk|sun|com\.sun)\./;

const counts = new Map();
const threads = new Map();
let total = 0;
let frames = null;
let thread = '';
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const t = line.trim();
  if (t.startsWith('sampledThread = ')) thread = (/"([^"]*)"/.exec(t)?.[1] ?? '').replace(/[-#]?\d+$/g, '').replace(/\d+/g, 'N');
  else if (t === 'stackTrace = [') frames = [];
  else if (frames && t === ']') {
    let part = 'JDK only (GC, class loading, threads)';
    for (const f of frames) {
      if (JDK.test(f)) continue;
      part = PARTS.find(([re]) => re.test(f))?.[1] ?? `other (${f.split('(')[0].split('.').slice(0, 3).join('.')})`;
      break;
    }
    counts.set(part, (counts.get(part) ?? 0) + 1);
    threads.set(thread, (threads.get(thread) ?? 0) + 1);
    total++;
    frames = null;
  } else if (frames && t && t !== '...') frames.push(t);
});
rl.on('close', () => {
  const table = (m, head) => {
    console.log(`| ${head} | samples | share |`);
    console.log('|---|---:|---:|');
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${v} | ${((100 * v) / total).toFixed(1)}% |`);
  };
  table(counts, 'part (topmost non-JDK frame)');
  console.log('');
  table(threads, 'thread');
  console.log(`\n${total} execution samples`);
});
