// The web UI (issue 18) in a real headless Chromium (Debian's /usr/bin/chromium, never a
// downloaded browser) driven by playwright-core, against the built jar: the local daemon that
// `omem ui` starts, and a team server (`omem serve`) with two tenants.
//
// Run:  OMEM_JAR=target/omem.jar node --test src/test/node/ui-browser.mjs
// (UiBrowserIT runs it in `mvn verify`.) Screenshots: target/ui-screenshots/*.png.
//
// Every page passes axe-core's wcag2a and wcag2aa rules with none disabled.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request as httpRequest } from 'node:http';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const JAR = resolve(process.env.OMEM_JAR ?? join(ROOT, 'target', 'omem.jar'));
const CHROMIUM = process.env.OMEM_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'target', 'ui-screenshots');
const AXE = readFileSync(join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'omem-ui-'));
const home = join(work, 'home');
const teamHome = join(work, 'team');
mkdirSync(SHOTS, { recursive: true });

let browser; // the persistent context of the fresh profile
let page;
let base; // the daemon's http://127.0.0.1:PORT
let token; // the daemon's token, for seeding through the REST API
let team; // the team server's process
let teamBase;
const axeResults = [];

process.on('exit', (code) => {
  if (code !== 0 || (process.exitCode ?? 0) !== 0) {
    const log = join(home, 'daemon.log');
    if (existsSync(log)) writeSync(2, `\n----- daemon.log -----\n${readFileSync(log, 'utf8').slice(-4000)}\n`);
    writeSync(2, `omem ui test: kept ${work}\n`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
});

function javaEnv(extra = {}) {
  const env = { ...process.env, OMEM_HOME: home, ...extra };
  delete env.OMEM_API_URL;
  delete env.OMEM_API_KEY;
  return env;
}

function omem(args, extra = {}) {
  return execFileSync('java', ['-jar', JAR, ...args], {
    env: javaEnv(extra), timeout: 120_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function api(method, path, body, { server = base, key = token, headers = {} } = {}) {
  const res = await fetch(server + path, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'X-API-Key': key } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

/** A raw HTTP request, for headers fetch will not send as given (Host, Origin, Cookie). */
function raw(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', fail);
    if (body) req.write(body);
    req.end();
  });
}

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's wcag2a + wcag2aa rules on the page as it is: zero violations, no rule disabled. */
async function axe(p, name) {
  // Through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be
  // refused, as it should).
  await p.evaluate(AXE);
  const r = await p.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
  const v = r.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  axeResults.push({ name, passes: r.passes.length, violations: v.length });
  assert.deepEqual(v, [], `axe-core on ${name}`);
}

async function sessionCookie() {
  const [c] = await browser.cookies(`${base}/ui/`);
  return `${c.name}=${c.value}`;
}

async function store(content, extra = {}) {
  const r = await api('POST', '/v1/memories', { content, ...extra });
  assert.ok(r.status === 200 || r.status === 201, `store: ${r.status} ${r.text}`);
  return r.json.id ?? r.json.memory?.id ?? r.json.memories?.[0]?.id;
}

/** Debian's Chromium with a fresh profile (its own --user-data-dir), headless. */
function launch(profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 900 },
  });
}

before(async () => {
  // `omem ui` starts the daemon and prints the one-time link (--no-open: no desktop here).
  const link = omem(['ui', '--no-open']).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/ui\/login\?code=[A-Za-z0-9_-]{20,}$/);
  base = new URL(link).origin;
  token = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')).token;
  globalThis.loginLink = link;
  browser = await launch(join(work, 'profile'));
  page = browser.pages()[0] ?? await browser.newPage();
  page.on('dialog', (d) => { globalThis.dialogs = (globalThis.dialogs ?? 0) + 1; d.dismiss(); });
});

after(async () => {
  if (browser) await browser.close();
  try { omem(['daemon', 'stop']); } catch { /* already gone */ }
  if (team) team.kill('SIGTERM');
  console.log(`axe-core: ${JSON.stringify(axeResults)}`);
});

test("log in through omem ui's link: a session cookie, and the address keeps no secret", async () => {
  const res = await page.goto(globalThis.loginLink);
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/ui/search');
  assert.equal(new URL(page.url()).search, '', 'the code left the address bar');
  const [cookie] = await browser.cookies(`${base}/ui/`);
  assert.equal(cookie.name, `omem_ui_${new URL(base).port}`);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/ui');
  assert.equal(await page.evaluate(() => document.cookie), '', 'script cannot read the session');
  // The link works once.
  const again = await raw(globalThis.loginLink);
  assert.equal(again.status, 401);
  assert.match(again.body, /used already/);
  // The session cookie is no API key: the API refuses it.
  const apiWithCookie = await raw(`${base}/v1/memories`, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  assert.equal(apiWithCookie.status, 401);
  assert.equal(JSON.parse(apiWithCookie.body).error.code, 'unauthorized');
  // And a UI page without it sends the browser to sign in.
  const anon = await raw(`${base}/ui/browse`);
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.location, '/ui/login');
  await axe(page, 'search (empty)');
});

test('find a memory by meaning: results with scores and the trace in words', async () => {
  await store('The deploy pipeline builds container images in GitHub Actions and pushes them to Amazon ECR.', { tags: ['deploy'] });
  await store('Our team prefers tabs over spaces in Go code.');
  await store('The staging database is PostgreSQL 16 on a single VM.');
  // The model loads after the daemon announces itself: wait until a paraphrase finds the memory.
  const q = 'where do we ship our docker builds';
  for (let i = 0; ; i++) {
    const r = await api('GET', `/v1/memories/search?q=${encodeURIComponent(q)}&scope=all&include_trace=true`);
    if (r.json?.trace?.mode === 'hybrid' && r.json?.results?.[0]?.memory?.content?.includes('ECR')) break;
    assert.ok(i < 120, `the model never answered: ${r.text.slice(0, 300)}`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
  await page.goto(`${base}/ui/search`);
  await page.getByLabel('Search your memory').fill(q);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/ui\/search\?q=/);
  const first = page.locator('ol.results li').first();
  assert.match(await first.innerText(), /Amazon ECR/);
  assert.match(await first.locator('.score').innerText(), /^score 0\.\d\d$/);
  await page.getByText('Why these results').click();
  const trace = await page.locator('details.trace').innerText();
  assert.match(trace, /Searched in \S+ mode; \d+ kept/);
  assert.match(trace, /\d+ in, \d+ kept/);
  await shot('search');
  await axe(page, 'search results');
});

test('open a memory, edit it, see the history grow; a stale version is refused', async () => {
  await page.goto(`${base}/ui/search?q=${encodeURIComponent('tabs or spaces in Go')}&scope=all`);
  await page.locator('ol.results li a', { hasText: 'tabs over spaces' }).first().click();
  await page.waitForURL(/\/ui\/memory\//);
  const memoryUrl = page.url();
  const steps = await page.locator('ol.timeline li').count();
  assert.ok(steps >= 1);
  await axe(page, 'memory');
  // A second tab opens the same memory, then the first one saves.
  const other = await browser.newPage();
  await other.goto(memoryUrl);
  await page.getByRole('textbox', { name: 'Content' }).fill('Our team prefers tabs over spaces in Go code, and gofmt decides the rest.');
  await page.getByLabel('Tags (comma-separated)').fill('style, go');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/done=saved/);
  assert.match(await page.locator('.content-full').innerText(), /gofmt decides the rest/);
  assert.equal(await page.locator('ol.timeline li').count(), steps + 1, 'one more history step');
  assert.match(await page.locator('ol.timeline li').last().innerText(), /updated by omem-ui/);
  await shot('memory');
  // The other tab still has the old version: its save is refused, its text kept for another try.
  await other.getByRole('textbox', { name: 'Content' }).fill('Spaces, actually.');
  const [resp] = await Promise.all([
    other.waitForResponse((r) => r.request().method() === 'POST'),
    other.getByRole('button', { name: 'Save' }).click(),
  ]);
  assert.equal(resp.status(), 409);
  assert.match(await other.getByRole('alert').innerText(), /changed since you opened it \(you had version \d+, it is now version \d+\)/);
  assert.equal(await other.getByRole('textbox', { name: 'Content' }).inputValue(), 'Spaces, actually.');
  assert.match(await other.locator('.content-full').innerText(), /gofmt decides the rest/, 'nothing overwritten');
  // Pin: the core tier, sent with the version. The other page, now at that version, pins too
  // late: the service refuses it under its write lock and the page names the current version.
  const before = Number(await page.locator('form[action$="/pin"] input[name="version"]').inputValue());
  await page.getByRole('button', { name: 'Pin' }).click();
  await page.waitForURL(/done=pinned/);
  assert.match(await page.locator('dl.fields').first().innerText(), /Tier\s+core \(pinned\)/);
  assert.match(await page.locator('ol.timeline li').last().innerText(), /updated by omem-ui: tier core/);
  await axe(page, 'memory (pinned)');
  const [pin] = await Promise.all([
    other.waitForResponse((r) => r.request().method() === 'POST'),
    other.getByRole('button', { name: 'Pin' }).click(),
  ]);
  assert.equal(pin.status(), 409);
  assert.match(await other.getByRole('alert').innerText(), new RegExp(`you had version ${before}, it is now version ${before + 1}\\)`));
  await axe(other, 'memory (version conflict)');
  await other.close();
  await page.getByRole('button', { name: 'Unpin' }).click();
  await page.waitForURL(/done=unpinned/);
  assert.match(await page.locator('dl.fields').first().innerText(), /Tier\s+working/);
});

test('forget and restore', async () => {
  await page.getByRole('button', { name: 'Forget' }).click();
  await page.waitForURL(/done=forgotten/);
  assert.match(await page.locator('dl.fields').first().innerText(), /State\s+deleted/);
  const id = page.url().match(/\/ui\/memory\/([^?]+)/)[1];
  const hidden = await api('GET', `/v1/memories/search?q=${encodeURIComponent('tabs over spaces gofmt')}&scope=all`);
  assert.ok(!hidden.json.results.some((r) => r.memory.id === id), 'forgotten: out of search');
  await page.getByRole('button', { name: 'Restore' }).click();
  await page.waitForURL(/done=restored/);
  assert.match(await page.locator('dl.fields').first().innerText(), /State\s+active/);
  const timeline = await page.locator('ol.timeline').innerText();
  assert.match(timeline, /deleted by omem-ui/);
  assert.match(timeline, /restored by omem-ui/);
});

test('confirm a capture in review, one at a time and in bulk', async () => {
  const facts = [
    { text: 'The user deploys the billing service with Terraform.', category: 'entities' },
    { text: 'The user wants release notes written in British English.', category: 'preferences' },
    { text: 'The user runs integration tests against a local MinIO.', category: 'cases' },
  ];
  const r = await api('POST', '/v1/memories', {
    messages: [{ role: 'user', content: facts.map((f) => f.text).join(' ') }],
    facts,
    session_id: 'ui-test-session',
  });
  assert.equal(r.status, 202, r.text);
  const t = await api('GET', `/v1/tasks/${r.json.task_id}?wait=25`);
  assert.equal(t.json.status, 'done', t.text);
  await page.goto(`${base}/ui/review`);
  for (const f of facts) await page.getByText(f.text).waitFor();
  await shot('review');
  await axe(page, 'review');
  // One at a time: its own Confirm button, named for the fact.
  await page.getByRole('button', { name: /^Confirm: The user deploys the billing/ }).click();
  await page.waitForURL(/done=reviewed/);
  assert.equal(await page.getByText(facts[0].text).count(), 0, 'confirmed: out of review');
  // A candidate changed since the page loaded (an agent re-tagged it) is left alone, and the
  // page says so; the others are confirmed.
  const third = (await api('GET', '/v1/memories?limit=50&scope=all')).json.memories.find((x) => x.content === facts[2].text);
  const put = await api('PUT', `/v1/memories/${third.id}`, { tags: ['minio'] });
  assert.equal(put.status, 200, put.text);
  await page.getByLabel('Select all').check();
  const [bulk] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Confirm selected' }).click(),
  ]);
  assert.equal(bulk.status(), 409);
  assert.match(await page.getByRole('alert').innerText(), /1 memory was left as they are: changed since this page was loaded/);
  // In bulk again, from a fresh page: select all, confirm selected.
  await page.goto(`${base}/ui/review`);
  await page.getByLabel('Select all').check();
  await page.getByRole('button', { name: 'Confirm selected' }).click();
  await page.waitForURL(/done=reviewed/);
  for (const f of facts) assert.equal(await page.getByText(f.text).count(), 0);
  assert.match(await page.locator('main').innerText(), /Nothing waiting for review/);
  const list = await api('GET', '/v1/memories?limit=50&scope=all');
  for (const f of facts) {
    const m = list.json.memories.find((x) => x.content === f.text);
    assert.equal(m?.confirmed, true, `${f.text} confirmed`);
  }
});

test('an XSS memory renders as text and no script runs', async () => {
  const attacks = [
    '<script>window.__xss = 1; alert(1)</script>',
    '<img src=x onerror="window.__xss = 2; alert(2)">',
    '"><svg onload="window.__xss=3">',
    "'; window.__xss = 4; //",
    '<a href="javascript:window.__xss=5">click</a> <iframe src="javascript:alert(6)"></iframe>',
  ];
  const id = await store(`XSS probe: ${attacks.join(' ')}`, { tags: ['<b>tag</b>"><script>window.__xss=7</script>'] });
  for (const path of [`/ui/memory/${id}`, `/ui/browse`, `/ui/search?q=${encodeURIComponent('XSS probe script')}&scope=all`]) {
    await page.goto(base + path);
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => window.__xss), undefined, `no script ran on ${path}`);
    assert.equal(await page.locator('main script, main img, main svg[onload], main iframe').count(), 0, `no markup from content on ${path}`);
    assert.match(await page.locator('main').innerText(), /<script>window\.__xss = 1; alert\(1\)<\/script>/);
  }
  await page.goto(`${base}/ui/memory/${id}`);
  const csp = (await raw(`${base}/ui/memory/${id}`, { headers: { Cookie: await sessionCookie() } })).headers['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(globalThis.dialogs ?? 0, 0, 'no alert() ran');
  await shot('memory-xss');
});

test('CSRF, Origin and Host are checked: a forged request changes nothing', async () => {
  const cookie = await sessionCookie();
  const id = await store('A memory a forged form tries to forget.');
  const form = { 'content-type': 'application/x-www-form-urlencoded', Cookie: cookie };
  // Same origin, no CSRF token.
  const noToken = await raw(`${base}/ui/memory/${id}/forget`, { method: 'POST', headers: { ...form, Origin: base }, body: 'version=1' });
  assert.equal(noToken.status, 403);
  // The right token from another origin (what a cross-site form would send, if it had the token).
  await page.goto(`${base}/ui/memory/${id}`);
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const version = await page.locator('form[action$="/forget"] input[name="version"]').inputValue();
  const body = `csrf=${encodeURIComponent(csrf)}&version=${version}`;
  const evil = await raw(`${base}/ui/memory/${id}/forget`, { method: 'POST', headers: { ...form, Origin: 'http://evil.example' }, body });
  assert.equal(evil.status, 403);
  const noOrigin = await raw(`${base}/ui/memory/${id}/forget`, { method: 'POST', headers: form, body });
  assert.equal(noOrigin.status, 403);
  // DNS rebinding: a name that resolves to 127.0.0.1 but is not a loopback name.
  const rebound = await raw(`${base}/ui/search`, { headers: { Host: `rebind.evil.example:${new URL(base).port}`, Cookie: cookie } });
  assert.equal(rebound.status, 421);
  const m = await api('GET', `/v1/memories/${id}`);
  assert.equal(m.json.state, 'active', 'nothing was forgotten');
  // The same request from the page itself works.
  const ok = await raw(`${base}/ui/memory/${id}/forget`, { method: 'POST', headers: { ...form, Origin: base }, body });
  assert.equal(ok.status, 303);
});

test('import a Markdown file and watch the progress; roll it back', async () => {
  const md = join(work, 'notes.md');
  const lines = ['# Preferences', ''];
  for (let i = 0; i < 250; i++) lines.push(`- Imported note number ${i}: the service ${i} listens on port ${9000 + i}.`);
  writeFileSync(md, lines.join('\n') + '\n');
  await page.goto(`${base}/ui/imports`);
  await axe(page, 'imports (empty)');
  await page.getByLabel('File', { exact: true }).setInputFiles(md);
  const seen = new Set();
  const watch = setInterval(async () => {
    try { seen.add(await page.locator('#import-status').innerText()); } catch { /* navigating */ }
  }, 50);
  try {
    await page.getByRole('button', { name: 'Import' }).click();
    await page.locator('#import-status', { hasText: /completed|partial|Not imported/ }).waitFor({ timeout: 60_000 });
    assert.doesNotMatch(await page.locator('#import-status').innerText(), /Not imported/);
    assert.equal(await page.locator('#import-progress').getAttribute('value'), '100');
    await shot('imports-progress');
  } finally {
    clearInterval(watch);
  }
  assert.ok([...seen].some((s) => /Uploading|Importing/.test(s)), `progress shown: ${[...seen].join(' | ')}`);
  await page.waitForURL(/\/ui\/imports$/);
  const row = page.locator('tbody tr').first();
  assert.match(await row.innerText(), /notes\.md\s+markdown\s+completed\s+250/);
  await axe(page, 'imports');
  await shot('imports');
  await row.getByRole('button', { name: 'Roll back notes.md' }).click();
  await page.waitForURL(/done=rolled-back/);
  assert.match(await page.locator('tbody tr').first().innerText(), /rolled_back/);
});

test('browse pages through memories with filters; stats and health render', async () => {
  await page.goto(`${base}/ui/browse?state=deleted&scope=all`);
  assert.match(await page.getByRole('status').innerText(), /Showing 1–50 of 2\d\d\./);
  await page.getByRole('link', { name: 'Next page' }).click();
  assert.match(await page.getByRole('status').innerText(), /Showing 51–100 of/);
  assert.match(page.url(), /offset=50/);
  assert.match(page.url(), /state=deleted/);
  await shot('browse');
  await axe(page, 'browse');
  // Filters by tier and date through the form, by keyboard-reachable labelled fields.
  await page.goto(`${base}/ui/browse?scope=all`);
  const all = Number((await page.getByRole('status').innerText()).match(/of (\d+)\./)[1]);
  await page.getByLabel('Tier').selectOption('peripheral');
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Created from').fill(today);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/tier=peripheral/);
  assert.match(page.url(), new RegExp(`from=${today}`));
  const peripheral = Number((await page.getByRole('status').innerText()).match(/of (\d+)\./)[1]);
  assert.ok(peripheral > 0 && peripheral < all, `${peripheral} peripheral of ${all}`);
  assert.equal(await page.locator('ol.results .meta', { hasText: /· (core|working) ·/ }).count(), 0);
  await page.goto(`${base}/ui/browse?scope=all&to=2001-01-01`);
  assert.equal(await page.getByRole('status').innerText(), 'No memories match.');
  await page.goto(`${base}/ui/browse?scope=all&from=yesterday`);
  assert.match(await page.getByRole('alert').innerText(), /written as 2026-12-31/);
  // What the hooks injected: a SessionStart of an agent session shows memories, the page lists them.
  const hook = await api('POST', '/v1/hooks/SessionStart', { session_id: 'ui-hook-session', hook_event_name: 'SessionStart', source: 'startup' });
  assert.equal(hook.status, 200, hook.text);
  assert.match(hook.text, /omem-memories/, 'the hook injected a block');
  await page.goto(`${base}/ui/stats`);
  assert.ok(await page.locator('figure.chart svg[role="img"]').count() >= 5);
  assert.match(await page.locator('#chart-decay').innerText(), /Decay curve/);
  assert.match(await page.locator('figure', { has: page.locator('#chart-decay') }).locator('svg').getAttribute('aria-label'), /today 0\.\d\d; in 7 days 0\.\d\d;.*in 365 days 0\.\d\d/);
  assert.match(await page.locator('figure', { has: page.locator('#chart-tags') }).locator('svg').getAttribute('aria-label'), /Top tags: .*deploy 1/);
  const injected = page.locator('section', { hasText: 'What the hooks injected lately' }).locator('tbody tr');
  assert.ok(await injected.count() >= 1, 'the injections are listed');
  assert.match(await injected.first().innerText(), /ui-hook-session/);
  await shot('stats');
  await axe(page, 'stats');
  await page.goto(`${base}/ui/health`);
  assert.match(await page.locator('main').innerText(), /Server uptime/);
  await shot('health');
  await axe(page, 'health');
  // Keyboard: the skip link is the first stop and lands on the content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
});

test('a team server: sign in with an API key, create a space, invite a second user who sees the invitation', async () => {
  team = spawn('java', ['-jar', JAR, 'serve', '--port', '0', '--open-signup'], { env: javaEnv({ OMEM_HOME: teamHome }), stdio: ['ignore', 'ignore', 'pipe'] });
  teamBase = await new Promise((ok, fail) => {
    let err = '';
    team.stderr.on('data', (c) => {
      err += c;
      const m = err.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) ok(m[1]);
    });
    team.on('exit', (code) => fail(new Error(`omem serve exited ${code}: ${err}`)));
  });
  const alice = (await api('POST', '/v1/tenants', { name: 'alice' }, { server: teamBase, key: null })).json;
  const bob = (await api('POST', '/v1/tenants', { name: 'bob' }, { server: teamBase, key: null })).json;
  assert.ok(alice.api_key && bob.api_key, JSON.stringify(alice));
  const signIn = async (p, key) => {
    await p.goto(`${teamBase}/ui/`);
    assert.equal(new URL(p.url()).pathname, '/ui/login');
    await p.getByLabel('API key').fill(key);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/ui\/search$/);
    assert.equal(await p.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)), '{}{}', 'the key is kept nowhere in the page');
  };
  const a = await browser.newPage();
  await a.goto(`${teamBase}/ui/login`);
  await axe(a, 'sign in');
  await a.getByLabel('API key').fill('not-a-key');
  await a.getByRole('button', { name: 'Sign in' }).click();
  assert.match(await a.getByRole('alert').innerText(), /not valid/);
  await signIn(a, alice.api_key);
  await a.goto(`${teamBase}/ui/spaces`);
  await a.getByLabel('Name').fill('Platform team');
  await a.getByRole('button', { name: 'Create space' }).click();
  await a.waitForURL(/done=space-created/);
  await a.getByLabel('Invite (user id)').fill(bob.id);
  await a.getByRole('button', { name: 'Invite', exact: true }).click();
  await a.waitForURL(/done=invited/);
  assert.match(await a.locator('article.space', { hasText: 'Platform team' }).innerText(), new RegExp(`${bob.id} as member`));
  await axe(a, 'spaces');
  // Bob, in a browser of his own (a second context: its own cookies).
  const bobs = await launch(join(work, 'profile-bob'));
  const b = bobs.pages()[0] ?? await bobs.newPage();
  await signIn(b, bob.api_key);
  await b.goto(`${teamBase}/ui/spaces`);
  const inv = b.locator('ul.invitations li');
  assert.match(await inv.innerText(), /invites you to Platform team as member/);
  await inv.getByRole('button', { name: 'Accept' }).click();
  await b.waitForURL(/done=accepted/);
  assert.match(await b.locator('article.space', { hasText: 'Platform team' }).innerText(), new RegExp(`${bob.id} \\(member\\)`));
  // Bob sees what his key may see, nothing more: Alice's personal memory is not found for him.
  const secret = await api('POST', '/v1/memories', { content: 'Alice keeps this to herself.' }, { server: teamBase, key: alice.api_key });
  const hidden = await b.goto(`${teamBase}/ui/memory/${secret.json.id}`);
  assert.equal(hidden.status(), 404);
  assert.doesNotMatch(await b.locator('main').innerText(), /herself/);
  // Sign out: the cookie stops working.
  await b.getByRole('button', { name: 'Sign out' }).click();
  await b.waitForURL(/\/ui\/login\?done=signed-out/);
  await b.goto(`${teamBase}/ui/spaces`);
  assert.equal(new URL(b.url()).pathname, '/ui/login');
  await bobs.close();

  // Alice administers the space: Bob's role, an auto-share rule, and Bob's removal.
  await a.goto(`${teamBase}/ui/spaces`);
  const platform = a.locator('article.space', { hasText: 'Platform team' });
  await platform.getByLabel(`Role of ${bob.id}`).selectOption('reader');
  await platform.getByRole('button', { name: `Change role of ${bob.id}` }).click();
  await a.waitForURL(/done=role-changed/);
  assert.match(await platform.locator('ul.members').innerText(), new RegExp(`${bob.id} \\(reader\\)`));
  await platform.getByLabel('Tags (comma-separated, all needed)').fill('deploy');
  await platform.getByRole('button', { name: 'Add rule' }).click();
  await a.waitForURL(/done=rule-added/);
  assert.match(await platform.locator('ul.rules').innerText(), /Shares: any category; tags deploy/);
  await axe(a, 'spaces (admin)');
  await a.screenshot({ path: join(SHOTS, 'spaces.png'), fullPage: true });
  // The rule shares Alice's next deploy memory; its page lists the copy.
  const shared = await api('POST', '/v1/memories', { content: 'Deploys need a green canary for ten minutes.', tags: ['deploy'] }, { server: teamBase, key: alice.api_key });
  await a.goto(`${teamBase}/ui/memory/${shared.json.id}`);
  const copy = a.locator('ul.copies li');
  assert.equal(await copy.count(), 1);
  assert.match(await copy.innerText(), /Copy in team\/.*\(version 1 of this memory, which is at version 1\)/);
  await axe(a, 'memory (shared copies)');
  await a.screenshot({ path: join(SHOTS, 'memory-shared.png'), fullPage: true });
  await copy.getByRole('link').click();
  assert.match(await a.locator('main').innerText(), /shared_from_memory\s+/);
  assert.match(await a.locator('main').innerText(), /A shared copy, up to date with its source\./);
  // Delete the rule, remove Bob.
  await a.goto(`${teamBase}/ui/spaces`);
  await platform.getByRole('button', { name: /^Delete the rule Shares: any category; tags deploy/ }).click();
  await a.waitForURL(/done=rule-deleted/);
  assert.match(await platform.innerText(), /None: members share into this space by hand/);
  await platform.getByRole('button', { name: `Remove ${bob.id}` }).click();
  await a.waitForURL(/done=member-removed/);
  assert.doesNotMatch(await platform.locator('ul.members').innerText(), new RegExp(bob.id));
  const bobSpaces = await api('GET', '/v1/spaces', undefined, { server: teamBase, key: bob.api_key });
  assert.ok(!JSON.stringify(bobSpaces.json).includes('Platform team'), 'Bob is out of the space');
  await a.close();
});
