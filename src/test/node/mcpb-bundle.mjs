// The packed Claude Desktop bundle (target/omem.mcpb, from mcpb/pack) started the way Claude
// Desktop starts it: unpacked with the mcpb library's own unpackExtension, its command line made
// by getMcpConfigForManifest from the manifest and a user's settings (the data dir), then driven
// over stdio by the official MCP SDK client.
//
// Run:  OMEM_MCPB=target/omem.mcpb node --test src/test/node/mcpb-bundle.mjs
// (McpbBundleIT packs the bundle and runs this in `mvn verify`; the mcpb library comes from
// `npm ci --prefix mcpb`.)

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const BUNDLE = resolve(process.env.OMEM_MCPB ?? join(ROOT, 'target', 'omem.mcpb'));
const MCPB = join(ROOT, 'mcpb', 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'index.js');

const work = mkdtempSync(join(tmpdir(), 'omem-mcpb-'));
let failed = false;
after(() => {
  if (failed) process.stderr.write(`mcpb bundle test: kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
});

test('Claude Desktop would start the bundle and reach omem with the user\'s data dir', async () => {
  try {
    assert.ok(existsSync(BUNDLE), `no bundle at ${BUNDLE}: run mcpb/pack`);
    assert.ok(existsSync(MCPB), `no mcpb library at ${MCPB}: npm ci --prefix mcpb`);
    const { unpackExtension, getMcpConfigForManifest } = await import(pathToFileURL(MCPB).href);
    const dir = join(work, 'extension');
    assert.equal(await unpackExtension({ mcpbPath: BUNDLE, outputDir: dir, silent: true }), true);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const dataDir = join(work, 'omem data');
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: dir,
      systemDirs: { HOME: join(work, 'home') },
      userConfig: { data_dir: dataDir },
      pathSeparator: sep,
    });
    assert.ok(config, 'no MCP config: a required setting is missing');
    assert.equal(config.env.OMEM_HOME, dataDir);
    assert.equal(config.env.OMEM_API_URL, '', 'an unset optional setting is empty, not ${...}');
    assert.equal(config.env.OMEM_API_KEY, '');
    assert.ok(!JSON.stringify(config).includes('${'), JSON.stringify(config));

    const command = config.command === 'node' ? process.execPath : config.command;
    const transport = new StdioClientTransport({
      command,
      args: config.args,
      env: {
        PATH: process.env.PATH,
        HOME: join(work, 'home'),
        ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
        OMEM_DAEMON: 'off',
        ...config.env,
      },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr.on('data', (c) => {
      stderr += c.toString();
    });
    const client = new Client({ name: 'omem-mcpb-test', version: '1.0.0' }, { capabilities: {} });
    try {
      await client.connect(transport);
      assert.equal(client.getServerVersion().name, 'omem');
      assert.equal(client.getServerVersion().version, manifest.version);
      const tools = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(tools, manifest.tools.map((t) => t.name).sort());
      const stored = await client.callTool({
        name: 'memory_store',
        arguments: { content: 'The bundle test stores this in the configured data dir.' },
      });
      assert.notEqual(stored.isError, true, JSON.stringify(stored));
    } catch (e) {
      process.stderr.write(`stderr of the bundle's server:\n${stderr}\n`);
      throw e;
    } finally {
      await client.close();
    }
    assert.ok(existsSync(join(dataDir, 'omem.db')), 'the store is in the data dir the user chose');
  } catch (e) {
    failed = true;
    throw e;
  }
});
