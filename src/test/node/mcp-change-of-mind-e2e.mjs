// A changed mind (issue 14), through the official MCP TypeScript SDK client driving
// `java -jar omem.jar mcp` over stdio in a git checkout (so project scope is real): a preference
// captured by smart ingest (no LLM), then, in a new session, a later change of mind ingested the
// same way. Afterwards memory_search, memory_profile and the SessionStart hook (`omem hook
// SessionStart`, as Claude Code runs it) show only the new preference; the old one stays in its
// history (memory_get: archived, superseded_by the new one); and the captured fact, a candidate,
// is marked [unconfirmed] in the hook's injected text.
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/mcp-change-of-mind-e2e.mjs
// (ChangeOfMindEndToEndIT runs it in `mvn verify`.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectStdio } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));

// The issue's own example (unit-test data, not a quality claim).
const FIRST =
  'Hi! Quick thing before we start: I always use pnpm, never npm, for JavaScript projects. ' +
  'And please keep commit messages under 72 characters.';
const CHANGE = 'Change of plan: I now use bun instead of pnpm for all JavaScript projects.';

const work = mkdtempSync(join(tmpdir(), 'omem-change-e2e-'));
const repo = join(work, 'shop');
const data = join(work, 'data');
mkdirSync(repo);
execFileSync('git', ['init', '-q'], { cwd: repo });
execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/shop.git'], { cwd: repo });
// In-process store in each process, one after the other: the MCP sessions, then the hook.
const env = { ...getDefaultEnvironment(), OMEM_HOME: data, OMEM_DAEMON: 'off' };

/** A new MCP session (the shared harness): `ok` calls a tool that must succeed; `close` waits for the exit. */
function session(label) {
  return connectStdio({ jar: JAR, cwd: repo, name: 'change-e2e', label, env: { OMEM_HOME: data, OMEM_DAEMON: 'off' } });
}

/** Waits for the embedding model (searches turn hybrid), so that an ingest's wait covers it. */
async function modelLoaded(s) {
  const deadline = Date.now() + 180_000;
  while ((await s.ok('memory_search', { query: 'probe', include_trace: true, min_score: 0 })).trace.mode !== 'hybrid') {
    assert.ok(Date.now() < deadline, 'the model never loaded');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every memory, active and archived (memory_list: unlike memory_get, it confirms nothing). */
async function all(s) {
  return (await s.ok('memory_list', { scope: 'all', limit: 200 })).memories;
}

async function ingest(s, userTurn) {
  await modelLoaded(s);
  const messages = [
    { role: 'user', content: userTurn },
    { role: 'assistant', content: 'Noted.' },
  ];
  const r = await s.ok('memory_ingest', { messages, mode: 'smart', wait: 30 });
  assert.equal(r.status, 'done', JSON.stringify(r));
  return r;
}

function hook(event, input) {
  return new Promise((res, rej) => {
    const p = spawn('java', ['-jar', JAR, 'hook', event], { cwd: repo, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('exit', (code) => (code === 0 ? res(JSON.parse(out)) : rej(new Error(`hook ${event}: ${code}\n${err}`))));
    p.stdin.end(JSON.stringify({ hook_event_name: event, session_id: 'e2e-3', cwd: repo, ...input }));
  });
}

test('a later change of mind replaces the old preference in search, profile and SessionStart', { timeout: 300_000 }, async (t) => {
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const first = await session('1');
  let pnpmId;
  try {
    const r = await ingest(first, FIRST);
    const mems = (await all(first)).filter((m) => (r.memory_ids ?? []).includes(m.id));
    const pnpm = mems.find((m) => m.content.includes('pnpm'));
    assert.ok(pnpm, `the preference is captured: ${JSON.stringify(mems.map((m) => m.content))}`);
    assert.ok(!pnpm.content.includes('Quick thing'), pnpm.content);
    pnpmId = pnpm.id;
  } finally {
    await first.close();
  }

  const second = await session('2'); // a new session, a new ingest
  let bunId;
  try {
    const r = await ingest(second, CHANGE);
    const mems = (await all(second)).filter((m) => (r.memory_ids ?? []).includes(m.id));
    const bun = mems.find((m) => m.content.includes('bun'));
    assert.ok(bun, `the change is captured: ${JSON.stringify(mems.map((m) => m.content))}`);
    bunId = bun.id;
    assert.equal(bun.confirmed, false, 'a captured fact enters as a candidate');

    const old = (await all(second)).find((m) => m.id === pnpmId);
    assert.equal(old.state, 'archived', 'the old preference leaves search and is kept in history');
    assert.equal(old.superseded_by, bunId);

    for (const q of ['Which package manager do I use for JavaScript projects?', 'I always use pnpm, never npm, for JavaScript projects.']) {
      const hits = (await second.ok('memory_search', { query: q })).results;
      assert.ok(hits.length > 0, q);
      assert.equal(hits[0].id, bunId, `${q} -> first: ${hits[0].content}`);
      assert.ok(!hits.some((h) => h.id === pnpmId), `${q}: the old preference is not found`);
    }

    const p = await second.ok('memory_profile', {});
    const facts = [...p.static_facts, ...p.dynamic_context].join('\n');
    assert.match(facts, /bun/, facts);
    assert.doesNotMatch(facts, /always use pnpm/, facts);
  } finally {
    await second.close();
  }

  const start = await hook('SessionStart', { source: 'startup' });
  const text = start.hookSpecificOutput?.additionalContext ?? '';
  const lines = text.split('\n');
  const bunLine = lines.find((l) => l.includes('bun instead of pnpm'));
  assert.ok(bunLine, `SessionStart shows the new preference:\n${text}`);
  assert.match(bunLine, /\[unconfirmed\]/, `the captured fact is marked as a candidate: ${bunLine}`);
  assert.ok(!lines.some((l) => /always use pnpm/.test(l)), `SessionStart shows the old one:\n${text}`);
});
