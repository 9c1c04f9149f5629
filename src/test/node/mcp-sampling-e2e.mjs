// MCP sampling as memory_ingest's extractor (issue 6), through the official MCP TypeScript SDK
// client driving `java -jar omem.jar mcp` over stdio.
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/mcp-sampling-e2e.mjs
// (McpSamplingEndToEndIT runs it in `mvn verify`.)
//
// A client that declares the `sampling` capability answers every sampling/createMessage request
// with scripted JSON facts, worded as no local rule would word them, and records each request.
// memory_ingest (wait: 20) of a conversation holding a fake Anthropic key must then store the
// scripted fact, and no request may contain the key. Clients without sampling, a client that
// refuses the request, and a server with OMEM_SAMPLING=off get the local rules' facts instead.
// Everything runs twice: with the store in the stdio process (OMEM_DAEMON=off), where the
// service extracts, and through the local daemon (the default), where the stdio process extracts
// and sends the facts to the daemon. Last, a client of the daemon's own MCP endpoint (Streamable
// HTTP at /mcp) is asked over that session.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import * as harness from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));

/** A generated fake in Anthropic's shape (src/test/resources/privacy/secrets.txt). */
const SECRET =
  'sk-ant-api03-DEhjD4Ngo3H0orO1S-W--jYRWP1NK85aFjHjgrebnB_5LAlKOM-t5SHLxZMdpcC0BsrmwH65wFWN01dua6nrT5p3JmejKAA';

/** A conversation: one durable statement, a secret, chatter. */
function conversation(statement) {
  return [
    { role: 'user', content: `${statement}.` },
    { role: 'assistant', content: 'Noted. Anything else for the deploy bot?' },
    { role: 'user', content: `Its key is ANTHROPIC_API_KEY=${SECRET} by the way` },
    { role: 'assistant', content: 'Got it.' },
    { role: 'user', content: 'thanks!' },
  ];
}

/** What the sampling client is asked about; the other clients' statements differ, so that each
 * test's fact is new to the data dir they share (nothing is merged into an earlier one). */
const STATEMENT = 'We deploy the billing service with ArgoCD every Tuesday morning';
const STAGING = 'The staging database is Postgres 15 on db-staging.internal';
const CHANGELOG = 'Release notes are written in docs/CHANGELOG.md by hand';
// Stated as a rule: session 9's learned extractor drops the plainer 'Our alerts page the SRE team
// through Opsgenie' (a recall miss, reported under issue 14); this test is about who extracts.
const ALERTS = 'Production alerts always page the SRE team through Opsgenie';
const PAGES = 'The docs site is published to GitHub Pages from the gh-pages branch';
const HTTP_PARAPHRASE = 'Documentation is hosted on GitHub Pages, built from gh-pages.';

/** What the scripted client model answers: a paraphrase no local rule would produce. */
const PARAPHRASE = 'Billing goes out through ArgoCD once a week, on Tuesday mornings.';
const ANSWER = JSON.stringify({
  facts: [
    { text: PARAPHRASE, category: 'patterns', tags: ['deploy', 'billing'], importance: 0.8, confidence: 0.9 },
  ],
});

const work = mkdtempSync(join(tmpdir(), 'omem-sampling-'));
const clients = [];
const homes = [];

after(async () => {
  for (const c of clients) {
    await c.close().catch(() => {});
  }
  for (const h of homes) {
    stopDaemon(h);
  }
});

process.on('exit', (code) => {
  if (code !== 0 || (process.exitCode ?? 0) !== 0) {
    for (const c of clients) {
      writeSync(2, `\n----- stderr of omem mcp (${c.label}, last 3000 chars) -----\n${c.stderr().slice(-3000)}\n`);
    }
    for (const h of homes) {
      const log = join(h, 'daemon.log');
      if (existsSync(log)) {
        writeSync(2, `\n----- ${log} (last 3000 chars) -----\n${readFileSync(log, 'utf8').slice(-3000)}\n`);
      }
    }
    writeSync(2, `omem sampling e2e: kept ${work}\n`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
});

// ---- helpers ----------------------------------------------------------------------------------

const stopDaemon = (home) => harness.stopDaemon(JAR, home);
const { handleSampling, callOk } = harness;

/**
 * Starts `omem mcp` with the SDK client. `sampling`: undefined for a client without the
 * capability, else the handler of sampling/createMessage; every request it gets is recorded.
 */
async function connect(label, env, sampling) {
  const c = await harness.connectStdio({ jar: JAR, cwd: work, name: 'omem-sampling', label, env, sampling });
  clients.push(c);
  return c;
}

/** A scripted client model: the same JSON answer to every request. */
const scripted = () => ({
  role: 'assistant',
  model: 'scripted-e2e-model',
  stopReason: 'endTurn',
  content: { type: 'text', text: ANSWER },
});

/** A client of the daemon's MCP endpoint (Streamable HTTP), with the daemon's own token. */
async function connectHttp(label, home, sampling) {
  const daemon = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${daemon.port}/mcp`), {
    requestInit: { headers: { 'X-API-Key': daemon.token } },
  });
  const client = new Client({ name: `omem-sampling-${label}`, version: '1.0.0' }, { capabilities: { sampling: {} } });
  const requests = handleSampling(client, sampling);
  await client.connect(transport);
  const c = {
    label,
    requests,
    stderr: () => '',
    ok: (name, args) => callOk(client, label, name, args),
    close: () => client.close(),
  };
  clients.push(c);
  return c;
}

/** Ingests a conversation, waiting for it; returns the task and the created memories. */
async function ingest(c, statement) {
  const r = await c.ok('memory_ingest', { messages: conversation(statement), wait: 20 });
  assert.equal(r.status, 'done', `${c.label}: the task finished: ${JSON.stringify(r)}`);
  const memories = [];
  for (const id of r.memory_ids ?? []) {
    memories.push((await c.ok('memory_get', { id })).memory);
  }
  return { task: r, memories };
}

/** The local rules' outcome: the user's statement as said, nothing of a client's model. */
function assertRulesFacts(label, statement, { task, memories }) {
  const contents = memories.map((m) => m.content);
  assert.ok(
    contents.some((t) => t.startsWith(statement)),
    `${label}: the local rules keep the user's statement: ${JSON.stringify(task)} ${JSON.stringify(contents)}`,
  );
  assert.ok(!contents.includes(PARAPHRASE), `${label}: nothing came from a client model`);
  for (const t of contents) assert.ok(!t.includes(SECRET), `${label}: the key was stored: ${t}`);
}

// ---- the scenarios, once per mode ------------------------------------------------------------

for (const mode of [
  { name: 'in-process', env: { OMEM_DAEMON: 'off' } },
  { name: 'daemon', env: {} },
]) {
  const home = join(work, `home-${mode.name}`);
  homes.push(home);
  const env = { ...mode.env, OMEM_HOME: home };

  test(`${mode.name}: a sampling client's model extracts, and never sees the key`, async () => {
    const c = await connect(`${mode.name}-sampling`, env, scripted);
    const { task, memories } = await ingest(c, STATEMENT);
    assert.equal(task.created, 1, JSON.stringify(task));
    assert.equal(memories.length, 1);
    assert.equal(memories[0].content, PARAPHRASE, "the stored fact is the client model's");
    assert.equal(memories[0].category, 'patterns');
    assert.deepEqual(memories[0].tags, ['deploy', 'billing']);
    assert.equal(memories[0].memory_type, 'insight');

    assert.ok(c.requests.length >= 1, 'the client was asked');
    const sent = JSON.stringify(c.requests);
    assert.ok(!sent.includes(SECRET), 'a sampling request contained the key');
    assert.ok(!sent.includes(SECRET.slice(0, 24)), 'a sampling request contained part of the key');
    assert.ok(sent.includes('[REDACTED:anthropic_key]'), 'the turn was sent redacted, not dropped');
    assert.ok(sent.includes('ArgoCD every Tuesday'), 'the conversation was sent');
    for (const p of c.requests) {
      assert.equal(p.includeContext, 'none', 'omem asks for no context of other servers');
      assert.ok(p.systemPrompt?.includes('durable facts'), 'the extraction prompt is the system prompt');
      assert.equal(p.messages.length, 1);
      assert.equal(p.messages[0].role, 'user');
      assert.ok(p.maxTokens > 0);
    }
    await c.close();
  });

  test(`${mode.name}: a client without sampling gets the local rules' facts`, async () => {
    const c = await connect(`${mode.name}-plain`, env, undefined);
    assertRulesFacts(`${mode.name}, no sampling`, STAGING, await ingest(c, STAGING));
    await c.close();
  });

  test(`${mode.name}: a client that refuses sampling gets the local rules' facts`, async () => {
    const c = await connect(`${mode.name}-refusing`, env, () => {
      throw new McpError(ErrorCode.InvalidRequest, 'the user declined the sampling request');
    });
    assertRulesFacts(`${mode.name}, refused`, CHANGELOG, await ingest(c, CHANGELOG));
    assert.equal(c.requests.length, 2, 'one retry after the refusal, then the rules');
    await c.close();
    // The log says why, and never quotes the prompt or the client's own error text.
    assert.match(c.stderr(), /refused sampling\/createMessage \(JSON-RPC error -32600\)/);
    assert.ok(!c.stderr().includes('declined'), "the log quotes the client's error text");
    assert.ok(!c.stderr().includes('CHANGELOG.md'), 'the log quotes the conversation');
  });

  test(`${mode.name}: OMEM_SAMPLING=off keeps the client's model out`, async () => {
    const c = await connect(`${mode.name}-off`, { ...env, OMEM_SAMPLING: 'off' }, scripted);
    assertRulesFacts(`${mode.name}, OMEM_SAMPLING=off`, ALERTS, await ingest(c, ALERTS));
    assert.equal(c.requests.length, 0, 'no sampling request was made');
    await c.close();
  });
}

test("the daemon's MCP endpoint (Streamable HTTP) asks its client's model too", async () => {
  const home = join(work, 'home-daemon');
  assert.ok(existsSync(join(home, 'daemon.json')), 'the daemon of the tests above still runs');
  const c = await connectHttp('http', home, () => ({
    role: 'assistant',
    model: 'scripted-e2e-model',
    content: {
      type: 'text',
      text: JSON.stringify({
        facts: [{ text: HTTP_PARAPHRASE, category: 'entities', tags: ['pages'], importance: 0.6, confidence: 0.8 }],
      }),
    },
  }));
  const { task, memories } = await ingest(c, PAGES);
  assert.equal(task.created, 1, JSON.stringify(task));
  assert.equal(memories[0]?.content, HTTP_PARAPHRASE, "the stored fact is the client model's");
  assert.equal(c.requests.length, 1, 'one sampling request over the HTTP session');
  const sent = JSON.stringify(c.requests);
  assert.ok(!sent.includes(SECRET), 'a sampling request contained the key');
  assert.ok(sent.includes('GitHub Pages'), 'the conversation was sent');
  await c.close();
});
