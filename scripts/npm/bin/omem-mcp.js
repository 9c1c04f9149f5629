#!/usr/bin/env node
// omem-mcp: runs omem.jar (bundled next to this folder) with Java 17+, so that an MCP client
// configuration can say `npx -y omem-mcp`. The same file starts omem in the Claude Desktop
// bundle (mcpb/), where Claude Desktop runs it with its own Node.js.
//
// Java: $OMEM_JAVA_HOME, $JAVA_HOME, else `java` on the PATH (on macOS, /usr/libexec/java_home
// when the PATH has only Apple's stub); it must be 17 or newer, else one line on stderr says what
// to install and the exit code is 1. The jar: $OMEM_JAR, else ../omem.jar. With no arguments it
// runs `omem mcp` (MCP over stdio). stdin, stdout and stderr are the jar's own; SIGINT, SIGTERM
// and SIGHUP are passed on, and the jar's exit code (or signal) becomes ours.
//
// Like the shell launcher (plugins/claude-code/bin/omem), it adds the daemon's class-data-sharing
// archive (<data dir>/cds/omem-*.jsa, the newest) when there is one: a faster MCP handshake. An
// archive of another build or jar path only makes the JVM start normally; its warning goes to
// stderr (-Xlog:disable first: the JVM's default log output is stdout, the MCP protocol).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MIN_JAVA = 17;
const INSTALL_HINT =
  'install a Java 17 (or newer) runtime, e.g. from https://adoptium.net, ' +
  "'brew install openjdk@17' or 'apt-get install openjdk-17-jre-headless', or set JAVA_HOME to one";
const WINDOWS = process.platform === 'win32';
const JAVA_EXE = WINDOWS ? 'java.exe' : 'java';

function fail(message) {
  process.stderr.write(`omem: ${message}\n`);
  process.exit(1);
}

function nonBlank(value) {
  return value !== undefined && value !== null && value.trim() !== '' ? value.trim() : null;
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isFile(candidate)) return candidate;
  }
  return null;
}

/** The java executable, and where it came from (for messages). */
function findJava() {
  for (const variable of ['OMEM_JAVA_HOME', 'JAVA_HOME']) {
    const home = nonBlank(process.env[variable]);
    if (home) {
      const java = path.join(home, 'bin', JAVA_EXE);
      if (isFile(java)) return java;
      if (variable === 'OMEM_JAVA_HOME') fail(`OMEM_JAVA_HOME is ${home}, which has no bin/${JAVA_EXE}`);
    }
  }
  let java = onPath(JAVA_EXE);
  if (process.platform === 'darwin' && (java === null || java === '/usr/bin/java')) {
    // /usr/bin/java is Apple's stub even with no JDK installed; ask it for a real one.
    const r = spawnSync('/usr/libexec/java_home', ['-v', `${MIN_JAVA}+`], { encoding: 'utf8' });
    const home = r.status === 0 ? nonBlank(r.stdout) : null;
    if (home && isFile(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
    if (java === '/usr/bin/java') fail(`no Java ${MIN_JAVA} or newer is installed: ${INSTALL_HINT}`);
  }
  if (java === null) {
    fail(`no Java found (JAVA_HOME is not set and java is not on the PATH): ${INSTALL_HINT}`);
  }
  return java;
}

/** Java's major version: from the JDK's `release` file, else from `java -version` (slower). */
function javaMajor(java) {
  let version = null;
  try {
    const jdk = path.dirname(path.dirname(fs.realpathSync(java)));
    const release = fs.readFileSync(path.join(jdk, 'release'), 'utf8');
    const m = /^JAVA_VERSION="([^"]*)"/m.exec(release);
    if (m) version = m[1];
  } catch {
    // no release file: ask the JVM
  }
  if (version === null) {
    const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
    const m = /version "([^"]*)"/.exec(`${r.stderr || ''}${r.stdout || ''}`);
    if (!m) return null;
    version = m[1];
  }
  if (version.startsWith('1.')) version = version.slice(2); // 1.8.0_292 is Java 8
  const major = parseInt(version, 10);
  return Number.isNaN(major) ? null : major;
}

function dataDir() {
  let home = nonBlank(process.env.OMEM_HOME);
  if (!home) return path.join(os.homedir(), '.omem');
  if (home === '~') return os.homedir();
  if (home.startsWith('~/')) home = path.join(os.homedir(), home.slice(2));
  return path.resolve(home);
}

/** The newest stdio-server archive the daemon made (cds/omem-*.jsa), or null. */
function newestArchive(home) {
  const dir = path.join(home, 'cds');
  let best = null;
  let bestTime = -1;
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    // omem-*.jsa is the stdio server's; daemon-*.jsa is the daemon's own (classes of a server).
    if (!name.startsWith('omem-') || !name.endsWith('.jsa')) continue;
    try {
      const st = fs.statSync(path.join(dir, name));
      if (st.isFile() && st.mtimeMs > bestTime) {
        best = path.join(dir, name);
        bestTime = st.mtimeMs;
      }
    } catch {
      // removed meanwhile
    }
  }
  return best;
}

/**
 * The stdio bridge (omem-bridge.js): beside this file in the npm package and the Claude Desktop
 * bundle, in plugins/claude-code/bin/ of a checkout; null when missing (the plain jar serves).
 */
function bridgeScript() {
  for (const p of [
    path.join(__dirname, 'omem-bridge.js'),
    path.join(__dirname, '..', '..', '..', 'plugins', 'claude-code', 'bin', 'omem-bridge.js'),
  ]) {
    if (isFile(p)) return p;
  }
  return null;
}

/** Not with the store in this process, a remote server, or OMEM_BRIDGE=off. */
function bridgeWanted() {
  return (
    process.env.OMEM_DAEMON !== 'off' && !nonBlank(process.env.OMEM_API_URL) && process.env.OMEM_BRIDGE !== 'off'
  );
}

function main() {
  const java = findJava();
  const major = javaMajor(java);
  if (major !== null && major < MIN_JAVA) {
    fail(`${java} is Java ${major}, and omem needs Java ${MIN_JAVA} or newer: ${INSTALL_HINT}`);
  }
  const jar = nonBlank(process.env.OMEM_JAR) || path.join(__dirname, '..', 'omem.jar');
  if (!isFile(jar)) {
    fail(`omem.jar not found at ${jar}: ${process.env.OMEM_JAR ? 'fix OMEM_JAR' : 'this package is incomplete; reinstall it'}`);
  }
  const opts = [];
  const archive = newestArchive(dataDir());
  if (archive) opts.push(`-XX:SharedArchiveFile=${archive}`, '-Xlog:disable', '-Xlog:all=warning:stderr');
  const extra = nonBlank(process.env.OMEM_JAVA_OPTS);
  if (extra) {
    opts.push(...extra.split(/\s+/));
  } else {
    // The thin client's defaults, as bin/omem's (issue 19); OMEM_JAVA_OPTS replaces them. With
    // OMEM_DAEMON=off the store and model are in this process, so its heap is left uncapped.
    opts.push('-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k');
    if (process.env.OMEM_DAEMON !== 'off') opts.push('-Xmx128m');
  }
  const args = process.argv.slice(2);
  // What omem creates is the user's alone (the JVM cannot set a umask); see bin/omem.
  if (process.platform !== 'win32') process.umask(0o077);
  const bridge = bridgeScript();
  if (bridge && (args.length === 0 || (args.length === 1 && args[0] === 'mcp')) && bridgeWanted()) {
    // No JVM for this session: this Node forwards it to the daemon's MCP endpoint (issue 19).
    const javaOpts = opts;
    require(bridge).run({ java, jar, home: dataDir(), javaOpts });
    return;
  }
  const child = spawn(java, [...opts, '-jar', jar, ...(args.length ? args : ['mcp'])], {
    stdio: 'inherit',
    windowsHide: true,
  });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = WINDOWS ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward);
  child.on('error', (e) => fail(`cannot run ${java}: ${e.message}`));
  child.on('exit', (code, signal) => {
    if (signal) {
      // End the way the jar did, so whoever started us sees the signal.
      for (const s of signals) process.removeListener(s, forward);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

main();
