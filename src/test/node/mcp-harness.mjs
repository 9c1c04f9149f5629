// The MCP client harness the end-to-end and bench scripts share: `omem mcp` (or another server)
// started under the official TypeScript SDK client over stdio, with an optional sampling handler,
// and the daemon stopped after; or the same client on a server's /mcp over HTTP.
// One copy here instead of one per script.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** Stops the daemon of data dir `home` started by `jar`, if one runs. */
export function stopDaemon(jar, home) {
  try {
    execFileSync('java', ['-jar', jar, 'daemon', 'stop', '--home', home], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // none running
  }
}

/** Calls a tool that must succeed; returns the whole result (content and structuredContent). */
export async function callResult(client, label, name, args, stderr = () => '', timeout = 60_000) {
  const r = await client.callTool({ name, arguments: args }, undefined, { timeout });
  const text = (r.content ?? []).filter((x) => x.type === 'text').map((x) => x.text).join('\n');
  assert.notEqual(r.isError, true, `${label}: ${name} failed: ${text}\n${stderr().slice(-2000)}`);
  return r;
}

/** Calls a tool that must succeed; returns its structuredContent. */
export async function callOk(client, label, name, args, stderr = () => '', timeout = 60_000) {
  return (await callResult(client, label, name, args, stderr, timeout)).structuredContent;
}

/** Adds the sampling handler (recording each request) to a client; returns the record. */
export function handleSampling(client, sampling) {
  const requests = [];
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      requests.push(request.params);
      return sampling(request.params);
    });
  }
  return requests;
}

/**
 * Starts `omem mcp` of `jar` in `cwd` with the SDK client, named `<name>-<label>` (`<name>` without a
 * label: a script whose answers must not depend on the client's name). `sampling`:
 * undefined for a client without the capability, else the handler of sampling/createMessage; every
 * request it gets is recorded in `requests`. `timeout`: how long a tool call may take. `command` and
 * `args`: another launcher of the same server (the Node bridge); `onStderr`: each chunk of its
 * stderr as it comes (kept for a failure's report before the handshake is answered).
 */
export async function connectStdio({
  jar,
  cwd,
  name,
  label,
  env = {},
  sampling,
  timeout = 60_000,
  command = 'java',
  args = ['-jar', jar, 'mcp'],
  onStderr = () => {},
}) {
  const transport = new StdioClientTransport({
    command,
    args,
    cwd,
    env: {
      ...getDefaultEnvironment(),
      ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
      ...env,
    },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
    onStderr(chunk.toString());
  });
  const clientName = label === undefined ? name : `${name}-${label}`;
  const client = new Client({ name: clientName, version: '1.0.0' }, { capabilities: sampling ? { sampling: {} } : {} });
  const requests = handleSampling(client, sampling);
  await client.connect(transport);
  const child = transport._process;
  assert.ok(child, 'the SDK transport no longer keeps its child process in _process');
  const exited = new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => res({ code, signal }));
  });
  return {
    label,
    client,
    pid: child.pid,
    /** The server process (its exit status; killed when a test fails). */
    child,
    /** Resolves with the server's {code, signal} once it exits. */
    exited,
    requests,
    stderr: () => stderr,
    /** Calls a tool and returns its result as it is (isError included: for the failures a test expects). */
    call: (tool, args) => client.callTool({ name: tool, arguments: args }, undefined, { timeout }),
    ok: (tool, args) => callOk(client, label, tool, args, () => stderr, timeout),
    /** Like `ok`, but the whole result (for the text content next to the structured one). */
    result: (tool, args) => callResult(client, label, tool, args, () => stderr, timeout),
    /** Closes the session and waits for the server to exit (the in-process store's lock). */
    async close() {
      await client.close();
      await exited;
    },
  };
}

/**
 * The SDK client for `<base>/mcp` over streamable HTTP with `headers` (X-API-Key, ...), named
 * `<name>-<label>` (`<name>` without a label), not connected yet: `connect()` does it (a script
 * may time it or expect it to fail).
 */
export function httpClient({ base, headers, name, label, timeout = 60_000 }) {
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers } });
  const clientName = label === undefined ? name : `${name}-${label}`;
  const client = new Client({ name: clientName, version: '1.0.0' }, { capabilities: {} });
  return {
    label,
    client,
    transport,
    connect: () => client.connect(transport),
    call: (tool, args) => client.callTool({ name: tool, arguments: args }, undefined, { timeout }),
    ok: (tool, args) => callOk(client, label ?? name, tool, args, () => '', timeout),
    result: (tool, args) => callResult(client, label ?? name, tool, args, () => '', timeout),
    close: () => client.close(),
  };
}

/** httpClient, connected. */
export async function connectHttp(options) {
  const c = httpClient(options);
  await c.connect();
  return c;
}
