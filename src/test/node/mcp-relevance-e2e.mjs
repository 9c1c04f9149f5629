// The relevance floor of memory_search (issue 13), through the official MCP TypeScript SDK client
// driving `java -jar omem.jar mcp` over stdio: a store of thirty memories of a made-up project;
// a query about something never stored returns no results and a one-line reason (text and the
// structured `reason`), the same query with min_score 0 returns the closest matches anyway, and a
// related query finds its memory first. Run twice: the store in the stdio process
// (OMEM_DAEMON=off) and through the local daemon (the reason crosses the REST dialect).
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/mcp-relevance-e2e.mjs
// (RelevanceEndToEndIT runs it in `mvn verify`.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio, stopDaemon } from './mcp-harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = resolve(process.env.OMEM_JAR ?? join(HERE, '..', '..', '..', 'target', 'omem.jar'));

/** A made-up project's memories (unit-test data, written for this test). */
const MEMORIES = [
  'The billing service is deployed to production with ArgoCD every Tuesday morning.',
  'Database migrations use Flyway; never edit a migration that has been merged.',
  'The team dropped GraphQL in 2024; all new endpoints are REST under /api/v2.',
  'Staging is redeployed nightly from the main branch at 02:00 UTC.',
  'Rate limiting lives in the API gateway (Kong), not in the services.',
  'Run `make lint` before every commit; CI fails on any lint warning.',
  'Frontend code is TypeScript with React 18 and Vite; no class components.',
  'Feature flags are managed in LaunchDarkly; remove a flag within two sprints of full rollout.',
  'Integration tests run against Testcontainers Postgres 15, never a shared database.',
  'Secrets come from Vault at runtime; nothing secret goes into environment files.',
  'The on-call rotation is weekly and handed over on Mondays at 10:00.',
  'Logs are shipped to Loki; use structured JSON logging with a request_id field.',
  'Python services pin dependencies with uv lock files; do not use pip freeze.',
  'The mobile app talks only to the BFF service, never to internal services directly.',
  'Pull requests need two approvals and a green CI run before merging.',
  'Error codes returned to clients follow the ERR_<DOMAIN>_<REASON> pattern.',
  'Images are stored in S3 bucket acme-media with CloudFront in front of it.',
  'The search feature is backed by OpenSearch 2.11 with one index per tenant.',
  'Background jobs run on Sidekiq with Redis 7; jobs must be idempotent.',
  'Time zones: store everything in UTC, convert only in the UI.',
  'Public API changes require an ADR in docs/adr before implementation.',
  'Emails are sent through Postmark; templates live in templates/email.',
  'Payments go through Stripe; webhooks are verified with the signing secret.',
  'The data warehouse is BigQuery, loaded nightly by Airbyte.',
  'Use pnpm, not npm or yarn, for every JavaScript package in the monorepo.',
  'Performance budget: p95 API latency under 200 ms for read endpoints.',
  'The design system components live in packages/ui and are documented in Storybook.',
  'Access to production requires a break-glass request approved by the on-call lead.',
  'Kubernetes manifests are generated with Helm charts in deploy/charts.',
  'Customer data must stay in the EU region (eu-west-1) for GDPR reasons.',
];

/** `omem mcp` in a fresh home (the shared harness); `close` also stops the daemon it may have started. */
async function connect(env) {
  const home = mkdtempSync(join(tmpdir(), 'omem-relevance-e2e-'));
  const data = join(home, 'data');
  const c = await connectStdio({ jar: JAR, cwd: home, name: 'relevance-e2e', label: env.OMEM_DAEMON ?? 'daemon', env: { ...env, OMEM_HOME: data } });
  return {
    ...c,
    async close() {
      await c.close();
      stopDaemon(JAR, data);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

const call = (c, name, args) => c.result(name, args);

async function run(env) {
  const c = await connect(env);
  try {
    // Vectors first: the floor is a probability read from cosine and keywords.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await call(c, 'memory_search', { query: 'probe', include_trace: true, min_score: 0 });
      if (r.structuredContent.trace.mode === 'hybrid') break;
      assert.ok(Date.now() < deadline, `the model never loaded\n${c.stderr()}`);
      await new Promise((res) => setTimeout(res, 250));
    }
    const ids = [];
    for (const m of MEMORIES) {
      ids.push((await call(c, 'memory_store', { content: m })).structuredContent.id);
    }

    const unrelated = await call(c, 'memory_search', { query: 'what is a good recipe for banana bread?' });
    assert.deepEqual(unrelated.structuredContent.results, [], JSON.stringify(unrelated.structuredContent));
    const reason = unrelated.structuredContent.reason;
    // Session 18: the search gate (SearchGate) answers an unrelated query before any floor does.
    assert.match(reason, /^Nothing relevant: /);
    assert.equal(unrelated.content[0].text, reason, 'the text says the same one line');
    assert.ok(!reason.includes('\n'));

    const anyway = await call(c, 'memory_search', { query: 'what is a good recipe for banana bread?', min_score: 0 });
    assert.ok(anyway.structuredContent.results.length > 0, 'min_score 0 lists the closest matches');
    assert.equal(anyway.structuredContent.reason, undefined);
    for (const r of anyway.structuredContent.results) {
      assert.ok(r.score < 0.36, `an unrelated match scored ${r.score}: ${r.content}`);
    }

    const related = await call(c, 'memory_search', { query: 'how does the billing service get deployed to production?' });
    const results = related.structuredContent.results;
    assert.ok(results.length > 0, `the related query found nothing: ${related.structuredContent.reason}`);
    assert.equal(results[0].id, ids[0], `first: ${results[0].content}`);
    assert.ok(results[0].score > 0, `the best scored ${results[0].score}`);
    assert.equal(related.structuredContent.reason, undefined);
    // Session 20: the search gate sets only the floor; a memory's score is the one every search
    // gives it (session 18-19 returned the pair probability here, higher than min_score 0's).
    const closest = await call(c, 'memory_search', {
      query: 'how does the billing service get deployed to production?',
      min_score: 0,
    });
    assert.equal(closest.structuredContent.results[0].id, results[0].id);
    // (within 0.001: the first search's access counting may move the fourth decimal)
    const delta = Math.abs(results[0].score - closest.structuredContent.results[0].score);
    assert.ok(delta < 0.001, `one score: ${results[0].score} and ${closest.structuredContent.results[0].score}`);
  } finally {
    await c.close();
  }
}

test('the relevance floor, with the store in the stdio process', { timeout: 240_000 }, () =>
  run({ OMEM_DAEMON: 'off' }),
);

test('the relevance floor, through the local daemon', { timeout: 240_000 }, () => run({}));
