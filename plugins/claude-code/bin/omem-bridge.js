#!/usr/bin/env node
// omem-bridge: `omem mcp` without a JVM per session (issue 19). It forwards MCP messages between
// stdio (the agent) and the local daemon's Streamable HTTP endpoint (http://127.0.0.1:<port>/mcp,
// the daemon's token from <data dir>/daemon.json) without interpreting them: the one MCP server is
// the daemon's. Node costs about a third of a thin JVM's memory per session, and Claude Code and
// Claude Desktop ship it.
//
// Run by the launchers (bin/omem, omem-mcp.js) for `omem mcp` when node is there; by hand:
//   node omem-bridge.js --java /path/to/java --jar omem.jar [--home DIR]
// What it does with the messages:
//  - each line from stdin is POSTed as is; a JSON answer, or each event of an SSE answer (the
//    daemon's requests to the client, such as roots or sampling, come that way too), is one line on
//    stdout. Calls run side by side, as the client sends them.
//  - the working directory goes along (X-Omem-Cwd): the daemon finds the project from it, as
//    `omem mcp` does, when the client offers no roots.
//  - no daemon, or one that stopped (it exits after 30 quiet minutes): `java -jar omem.jar daemon
//    start` starts one, and the session is opened again with the client's own initialize.
//  - no daemon can start: the plain `java -jar omem.jar mcp` takes over the session, with what was
//    read so far.
// stdout is protocol only; messages go to stderr.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const CWD_HEADER = 'X-Omem-Cwd';

function log(message) {
  process.stderr.write(`omem-bridge: ${message}\n`);
}

function parseArgs(argv) {
  const o = { java: 'java', jar: null, home: null, javaOpts: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--java') o.java = argv[++i];
    else if (a === '--jar') o.jar = argv[++i];
    else if (a === '--home') o.home = argv[++i];
    else if (a === '--java-opt') o.javaOpts.push(argv[++i]);
  }
  return o;
}

function dataDir(home) {
  let h = home || process.env.OMEM_HOME;
  if (!h || !h.trim()) return path.join(os.homedir(), '.omem');
  h = h.trim();
  if (h === '~') return os.homedir();
  if (h.startsWith('~/')) h = path.join(os.homedir(), h.slice(2));
  return path.resolve(h);
}

function readDaemon(home) {
  try {
    const d = JSON.parse(fs.readFileSync(path.join(home, 'daemon.json'), 'utf8'));
    return d.port && d.token && ours(d.pid) ? { port: d.port, token: d.token } : null;
  } catch {
    return null;
  }
}

/**
 * Whether the daemon daemon.json names is alive and runs as this user: a file left by a killed
 * daemon names a port any local user may bind since, and the bridge would send that user the token
 * and the session (session 16, bridge-squatter.mjs). The Java client checks the same and the home id.
 */
function ours(pid) {
  try {
    process.kill(pid, 0); // ESRCH: gone; EPERM: another user's process now has the pid
  } catch {
    return false;
  }
  try {
    return typeof process.getuid !== 'function' || fs.statSync(`/proc/${pid}`).uid === process.getuid();
  } catch {
    return true; // no /proc (macOS): the signal check above is the same-user check
  }
}

/** One HTTP request to the daemon; resolves with the response (status, headers, stream). */
function request(daemon, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: daemon.port, path: '/mcp', method, headers, agent },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

class Bridge {
  constructor(opts) {
    this.opts = opts;
    this.home = dataDir(opts.home);
    this.daemon = null;
    this.session = null;
    this.protocol = null;
    this.init = null; // the client's initialize line and its answer, to open the session again
    this.initialized = null; // the client's notifications/initialized line
    this.opening = null; // a promise while the session is being (re)opened
    this.pending = 0;
    this.ended = false;
    this.fallen = false;
  }

  write(line) {
    process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
  }

  headers(extra) {
    const h = {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'X-API-Key': this.daemon.token,
      [CWD_HEADER]: encodeURI(process.cwd()),
      ...extra,
    };
    if (this.session) h['Mcp-Session-Id'] = this.session;
    if (this.protocol) h['MCP-Protocol-Version'] = this.protocol;
    return h;
  }

  /** Starts the daemon with the jar (`omem daemon start`); its address, or null when none starts. */
  startDaemon() {
    if (!this.opts.jar) return null;
    const args = [...this.opts.javaOpts, '-jar', this.opts.jar, 'daemon', 'start', '--home', this.home];
    const r = spawnSync(this.opts.java, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      log(`the daemon did not start: ${(r.stderr || r.error || '').toString().trim()}`);
      return null;
    }
    return readDaemon(this.home);
  }

  /** POSTs one line; writes what comes back to stdout. Throws when the daemon is unreachable. */
  async post(line, message) {
    const res = await request(this.daemon, 'POST', this.headers(), line);
    const type = res.headers['content-type'] || '';
    if (res.statusCode === 404 && this.session && message.method !== 'initialize') {
      res.resume();
      const e = new Error('session gone');
      e.sessionGone = true;
      throw e;
    }
    if (res.statusCode >= 400) {
      const text = await readAll(res);
      if (message.id !== undefined && message.method) {
        let reason = text;
        try {
          reason = JSON.parse(text).error.message || text;
        } catch {
          // not the error envelope
        }
        this.write(
          JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: `omem daemon: ${reason}` } }),
        );
      } else {
        log(`the daemon answered ${res.statusCode}: ${text.slice(0, 200)}`);
      }
      return null;
    }
    if (type.startsWith('text/event-stream')) {
      await relayEvents(res, (data) => this.write(data));
      return null;
    }
    const text = await readAll(res);
    if (text.trim()) this.write(text.trim());
    return res;
  }

  /** Opens (or reopens) the daemon session with the client's initialize. */
  async open(line, message, replay) {
    this.session = null;
    this.protocol = null;
    const res = await request(this.daemon, 'POST', this.headers(), line);
    const text = await readAllOrEvents(res);
    if (res.statusCode >= 400) throw new Error(`initialize answered ${res.statusCode}: ${text.slice(0, 200)}`);
    this.session = res.headers['mcp-session-id'] || null;
    try {
      const answer = JSON.parse(text);
      this.protocol = answer.result && answer.result.protocolVersion ? answer.result.protocolVersion : null;
    } catch {
      // left to the client to judge
    }
    if (!replay) this.write(text);
    else if (this.initialized) await this.post(this.initialized, {});
  }

  async handle(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      message = {}; // not ours to judge: the daemon answers it
    }
    if (message.method === 'initialize') {
      this.init = line;
      this.opening = this.connect(() => this.open(line, message, false));
      return this.opening;
    }
    if (message.method === 'notifications/initialized') this.initialized = line;
    if (this.opening) await this.opening.catch(() => {});
    if (this.fallen) return;
    try {
      await this.post(line, message);
    } catch (e) {
      // The daemon stopped (idle exit, upgrade, kill): start one, open the session again, resend.
      if (!this.init) throw e;
      if (!this.reopening) {
        this.reopening = this.connect(() => this.open(this.init, {}, true), true).finally(() => {
          this.reopening = null;
        });
      }
      await this.reopening;
      await this.post(line, message);
    }
  }

  /** Runs {@code step} against the daemon, starting one when none answers (or {@code restart}). */
  async connect(step, restart) {
    this.daemon = restart ? null : readDaemon(this.home);
    let started = false;
    if (!this.daemon) {
      this.daemon = this.startDaemon();
      started = true;
    }
    if (!this.daemon) throw new Error('no daemon');
    try {
      return await step();
    } catch (e) {
      if (started || !isUnreachable(e)) throw e;
    }
    // daemon.json named a daemon that is gone (killed, or stopped with its file left behind).
    this.session = null;
    this.daemon = this.startDaemon();
    if (!this.daemon) throw new Error('no daemon');
    return step();
  }
}

function isUnreachable(e) {
  return e && (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.sessionGone || /answered 401/.test(e.message));
}

function readAll(res) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The body of a JSON answer, or the data of the first event of an SSE one. */
async function readAllOrEvents(res) {
  if ((res.headers['content-type'] || '').startsWith('text/event-stream')) {
    let first = null;
    await relayEvents(res, (d) => {
      if (first === null) first = d;
    });
    return first || '';
  }
  return (await readAll(res)).trim();
}

/** Calls {@code onData} with the data of each server-sent event, until the stream ends. */
function relayEvents(res, onData) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let data = [];
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const raw = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (lineText === '') {
          if (data.length) onData(data.join('\n'));
          data = [];
        } else if (lineText.startsWith('data:')) {
          data.push(lineText.slice(lineText[5] === ' ' ? 6 : 5));
        }
      }
    });
    res.on('end', () => {
      if (data.length) onData(data.join('\n'));
      resolve();
    });
    res.on('error', reject);
  });
}

/** The plain `java -jar omem.jar mcp` takes the session over, with the lines read so far. */
function fallBack(bridge, lines, rest) {
  bridge.fallen = true;
  const o = bridge.opts;
  const child = spawn(o.java, [...o.javaOpts, '-jar', o.jar, 'mcp', '--home', bridge.home], {
    stdio: ['pipe', 'inherit', 'inherit'],
    windowsHide: true,
  });
  for (const l of lines) child.stdin.write(`${l}\n`);
  if (rest.readableEnded) child.stdin.end();
  else rest.pipe(child.stdin);
  child.on('exit', (code, signal) => process.exit(signal ? 1 : code === null ? 1 : code));
}

function run(opts) {
  const bridge = new Bridge(opts);
  const seen = []; // lines before the session opened: the plain server needs them on a fall-back
  let buffer = '';
  let chain = Promise.resolve();
  const inFlight = new Set();
  const onLine = (line) => {
    if (!line.trim()) return;
    if (!bridge.session) seen.push(line);
    else seen.length = 0;
    let message = {};
    try {
      message = JSON.parse(line);
    } catch {
      // forwarded as is
    }
    // initialize and what follows it wait for the session; later calls run side by side.
    const p = (message.method === 'initialize' || !bridge.session ? (chain = chain.then(() => bridge.handle(line))) : bridge.handle(line))
      .catch((e) => {
        if (bridge.fallen) return;
        if (!opts.jar) {
          log(`no daemon: ${e.message}`);
          process.exit(1);
        }
        log(`no daemon (${e.message}): running the plain server`);
        process.stdin.removeListener('data', onData);
        process.stdin.removeListener('end', onEnd);
        fallBack(bridge, bridge.init && seen.length === 0 ? [bridge.init, bridge.initialized].filter(Boolean) : seen, process.stdin);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const onData = (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      onLine(line);
    }
  };
  const onEnd = async () => {
    if (buffer.trim()) onLine(buffer);
    await Promise.allSettled([...inFlight]);
    if (bridge.fallen) return;
    if (bridge.session && bridge.daemon) {
      await request(bridge.daemon, 'DELETE', bridge.headers(), '')
        .then((r) => r.resume())
        .catch(() => {});
    }
    process.exit(0);
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', onData);
  process.stdin.on('end', onEnd);
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    if (process.platform === 'win32' && s === 'SIGHUP') continue;
    process.on(s, () => process.exit(0));
  }
}

module.exports = { run, parseArgs };

if (require.main === module) {
  run(parseArgs(process.argv.slice(2)));
}
