// ourmem's own MCP client (@ourmem/mcp 0.3.0) against `omem serve`, reproduced (issue 17).
//
// @ourmem/mcp is on no registry here and its code must not be copied, so this test sends the
// requests its client sends, as it sends them: the same method, path (ids through
// encodeURIComponent, so a space id's slash arrives as %2F), headers (Content-Type and X-API-Key)
// and JSON bodies (JSON.stringify, so an undefined field is left out). Each request cites the line
// of plugins/mcp/src/client.ts in the public ourmem/omem repository (package.json: version 0.3.0;
// client.ts read at commit 0f99105d48d6bcc7fae1b3bf87687283f0492e0e) that sends it. The other half
// of the check is omem's own MCP endpoint, driven by the official TypeScript MCP client: a team
// member sees the shared copy, stale, then refreshed by reshare.
//
// Run against a server you started (McpHttpEndToEndIT does this in `mvn verify`):
//   OMEM_URL=http://127.0.0.1:PORT OMEM_KEY_A=<alice's key> OMEM_KEY_B=<bob's key> \
//     node --test src/test/node/ourmem-client-e2e.mjs

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectHttp } from './mcp-harness.mjs';

const base = process.env.OMEM_URL;
const alice = process.env.OMEM_KEY_A;
const bob = process.env.OMEM_KEY_B;
assert.ok(base && alice && bob, 'needs OMEM_URL, OMEM_KEY_A and OMEM_KEY_B (two tenants)');

/**
 * One request as OmemClient.request sends it (client.ts:46-55: fetch with Content-Type and
 * X-API-Key headers). Answers {status, body}; ourmem's client throws on !res.ok, so does this.
 */
async function ourmem(key, path, init = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key, ...(init.headers ?? {}) },
  });
  const text = await res.text();
  assert.ok(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${path}: JSON answer`);
  return res.status === 204 ? { status: 204, body: null } : { status: res.status, body: JSON.parse(text) };
}

/** A plain request of omem's own (not one ourmem's client sends): consent and staleness checks. */
async function plain(key, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const sessions = [];
after(async () => {
  for (const c of sessions) await c.close().catch(() => {});
});

/** omem's /mcp for the tenant of `key` (the shared harness); answers a call that must succeed. */
async function mcp(key) {
  const c = await connectHttp({ base, headers: { 'X-API-Key': key }, name: 'ourmem-e2e' });
  sessions.push(c);
  return c.ok;
}

const SOURCE_V1 = 'The payments service is deployed with helm from the ops repository.';
const SOURCE_V2 = 'The payments service is deployed with argocd from the platform repository.';

test("ourmem's client shares into a team by an encoded space id, and reshare refreshes the stale copy", async () => {
  // Bob's tenant id: the personal space omem lists first.
  const bobId = (await plain(bob, 'GET', '/v1/spaces')).body[0].id.replace('personal/', '');

  // client.ts:73-76 createMemory: POST /v1/memories {content, tags, source} (memory_store sends
  // source "mcp").
  const source = (
    await ourmem(alice, '/v1/memories', {
      method: 'POST',
      body: JSON.stringify({ content: SOURCE_V1, tags: ['deploy'], source: 'mcp' }),
    })
  ).body;
  assert.equal(source.l2_content, SOURCE_V1, 'MemoryDto.l2_content (client.ts:6) is the content');

  // client.ts:163-166 createSpace: POST /v1/spaces {name, space_type, members} (members left out).
  const space = (
    await ourmem(alice, '/v1/spaces', {
      method: 'POST',
      body: JSON.stringify({ name: 'payments', space_type: 'team', members: undefined }),
    })
  ).body;
  assert.match(space.id, /^team\/[0-9a-f-]{36}$/);

  // client.ts:182-186 addSpaceMember: POST /v1/spaces/${encodeURIComponent(spaceId)}/members: the
  // request Jetty used to answer with an HTML 400 "Ambiguous URI path separator".
  const encoded = encodeURIComponent(space.id);
  assert.ok(encoded.includes('%2F'));
  const added = await ourmem(alice, `/v1/spaces/${encoded}/members`, {
    method: 'POST',
    body: JSON.stringify({ user_id: bobId, role: 'member' }),
  });
  assert.equal(added.status, 201);
  // omem asks the invitee's consent (issue 12): Bob accepts, with omem's own routes.
  const invitation = (await plain(bob, 'GET', '/v1/invitations')).body.find((i) => i.space_id === space.id);
  assert.equal((await plain(bob, 'POST', `/v1/invitations/${invitation.id}/accept`, {})).status, 200);

  // client.ts:197-200 shareMemory: POST /v1/memories/${encodeURIComponent(memoryId)}/share {target_space}.
  const copy = (
    await ourmem(alice, `/v1/memories/${encodeURIComponent(source.id)}/share`, {
      method: 'POST',
      body: JSON.stringify({ target_space: space.id }),
    })
  ).body;
  assert.equal(copy.content, SOURCE_V1);
  assert.equal(copy.visibility, 'team');

  // client.ts:117-120 updateMemory: PUT /v1/memories/${encodeURIComponent(id)} {content, tags}
  // (memory_update gives no tags: left out).
  const updated = (
    await ourmem(alice, `/v1/memories/${encodeURIComponent(source.id)}`, {
      method: 'PUT',
      body: JSON.stringify({ content: SOURCE_V2, tags: undefined }),
    })
  ).body;
  assert.equal(updated.version, 2);

  // Bob, through omem's MCP endpoint with the official client: the copy is there, still v1, and
  // ourmem's server API says it is stale (stale_info beside the result).
  const bobTools = await mcp(bob);
  const seen = await bobTools('memory_get', { id: copy.id });
  assert.equal(seen.memory.content, SOURCE_V1);
  const stale = await plain(
    bob,
    'GET',
    `/v1/memories/search?q=${encodeURIComponent('payments service deployed')}&min_score=0&check_stale=true&space=${encoded}`,
  );
  const hit = stale.body.results.find((r) => r.memory.id === copy.id);
  assert.ok(hit, JSON.stringify(stale.body));
  assert.deepEqual(
    [hit.stale_info.is_stale, hit.stale_info.source_version, hit.stale_info.current_source_version],
    [true, 1, 2],
  );

  // client.ts:228-231 reshareMemory: POST /v1/memories/${encodeURIComponent(memoryId)}/reshare
  // {target_space} (the route that was missing, 404).
  const reshared = await ourmem(alice, `/v1/memories/${encodeURIComponent(copy.id)}/reshare`, {
    method: 'POST',
    body: JSON.stringify({ target_space: space.id }),
  });
  assert.equal(reshared.status, 200);
  assert.equal(reshared.body.id, copy.id);
  assert.equal(reshared.body.content, SOURCE_V2);
  assert.equal(reshared.body.provenance.source_version, 2);
  // memory_reshare without target_space (tools.ts: optional): JSON.stringify drops it, body {}.
  await ourmem(alice, `/v1/memories/${encodeURIComponent(copy.id)}/reshare`, {
    method: 'POST',
    body: JSON.stringify({ target_space: undefined }),
  });

  // Bob again over MCP: the refreshed text, found by search too, and no longer stale.
  assert.equal((await bobTools('memory_get', { id: copy.id })).memory.content, SOURCE_V2);
  const found = await bobTools('memory_search', { query: 'deployed with argocd', min_score: 0 });
  assert.equal(found.results[0].id, copy.id, JSON.stringify(found.results));
  const fresh = await plain(bob, 'GET', `/v1/memories/${copy.id}?check_stale=true`);
  assert.equal(fresh.body.stale_info.is_stale, false);
});

test("ourmem's client's other requests get the answers it reads", async () => {
  // client.ts:140-149 ingestMessages: POST /v1/memories {messages, mode, agent_id, session_id, tags}.
  const ingest = await ourmem(alice, '/v1/memories', {
    method: 'POST',
    body: JSON.stringify({
      messages: [{ role: 'user', content: 'Remember that the payments team deploys on Thursdays.' }],
      mode: 'smart',
      agent_id: undefined,
      session_id: undefined,
      tags: undefined,
    }),
  });
  assert.equal(ingest.status, 202);
  assert.ok(ingest.body.task_id);

  // client.ts:92-95 searchMemories: GET /v1/memories/search?q=&limit= (URLSearchParams; tags
  // joined by ",").
  const params = new URLSearchParams({ q: 'payments deploy', limit: String(10) });
  params.set('tags', ['deploy'].join(','));
  const search = await ourmem(alice, `/v1/memories/search?${params}`);
  assert.ok(Array.isArray(search.body.results));
  for (const r of search.body.results) assert.equal(typeof r.score, 'number');

  // client.ts:130-132 listRecent: GET /v1/memories?limit=20&offset=0 -> {memories}.
  const list = await ourmem(alice, `/v1/memories?limit=${20}&offset=0`);
  assert.ok(list.body.memories.length >= 1);
  const id = list.body.memories[0].id;

  // client.ts:106-108 getMemory: GET /v1/memories/${encodeURIComponent(id)}.
  assert.equal((await ourmem(alice, `/v1/memories/${encodeURIComponent(id)}`)).body.id, id);
  // client.ts:126 getProfile: GET /v1/profile; client.ts:153 getStats: GET /v1/stats.
  assert.ok(Array.isArray((await ourmem(alice, '/v1/profile')).body.static_facts));
  assert.equal(typeof (await ourmem(alice, '/v1/stats')).body.total, 'number');
  // client.ts:172 listSpaces: GET /v1/spaces. ourmem's server answers a bare array (its API doc),
  // which the client reads as res.spaces; omem answers as ourmem's server does.
  assert.ok(Array.isArray((await ourmem(alice, '/v1/spaces')).body));

  // client.ts:100-102 deleteMemory: DELETE /v1/memories/${encodeURIComponent(id)}.
  const del = await ourmem(alice, `/v1/memories/${encodeURIComponent(id)}`, { method: 'DELETE' });
  assert.equal(del.body.status, 'deleted');
});
