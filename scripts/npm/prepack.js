// npm runs this before `npm pack` / `npm publish`: copies the built omem.jar into the package
// ($OMEM_JAR, else target/omem.jar of this checkout) and the licence; with --clean (postpack) it
// removes both copies again. Neither is committed (.gitignore).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const copies = [
  path.join(__dirname, 'omem.jar'),
  path.join(__dirname, 'LICENSE'),
  path.join(__dirname, 'bin', 'omem-bridge.js'),
];
if (process.argv.includes('--clean')) {
  for (const f of copies) fs.rmSync(f, { force: true });
  process.exit(0);
}

const source = process.env.OMEM_JAR || path.join(__dirname, '..', '..', 'target', 'omem.jar');
const target = path.join(__dirname, 'omem.jar');
if (!fs.existsSync(source)) {
  process.stderr.write(
    `omem-mcp: ${source} not found: build it first (mvn -B -DskipTests package) or set OMEM_JAR\n`,
  );
  process.exit(1);
}
fs.copyFileSync(source, target);
fs.copyFileSync(path.join(__dirname, '..', '..', 'LICENSE'), path.join(__dirname, 'LICENSE'));
// The stdio bridge (no JVM per session in front of the daemon) lives with the shell launcher.
fs.copyFileSync(
  path.join(__dirname, '..', '..', 'plugins', 'claude-code', 'bin', 'omem-bridge.js'),
  path.join(__dirname, 'bin', 'omem-bridge.js'),
);
process.stdout.write(`omem-mcp: bundled ${source} (${fs.statSync(target).size} bytes)\n`);
