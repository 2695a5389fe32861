// A minimal W3C WebDriver client over fetch: enough to drive the real app through
// tauri-driver without pulling a WebDriver library into the project.

import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

/** tauri.conf.json's identifier: the single-instance plugin's D-Bus name starts with it. */
const APP_IDENTIFIER = JSON.parse(readFileSync(new URL("../../src-tauri/tauri.conf.json", import.meta.url), "utf8")).identifier;

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    const value = await call(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Polls until `fn` returns a truthy value or the timeout passes. */
  async waitFor(what, fn, timeoutMs = 30000, everyMs = 100) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        last = await fn();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
  }

  async waitForElement(css, timeoutMs) {
    return this.waitFor(css, () => this.find(css), timeoutMs);
  }

  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  type(el, text) {
    return this.cmd("POST", `/element/${el}/value`, { text });
  }

  clear(el) {
    return this.cmd("POST", `/element/${el}/clear`, {});
  }

  text(el) {
    return this.cmd("GET", `/element/${el}/text`);
  }

  attr(el, name) {
    return this.cmd("GET", `/element/${el}/attribute/${name}`);
  }

  exec(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }

  close() {
    return this.cmd("DELETE", "");
  }
}

async function call(base, method, path, body) {
  // No WebDriver command takes minutes here: say which one hung instead of undici's "fetch failed".
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120000),
  }).catch((e) => {
    throw new Error(`${method} ${path}: no answer from the WebDriver server (${e.message})`);
  });
  const json = await res.json();
  if (!res.ok || (json.value && json.value.error)) {
    throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  }
  return json.value;
}

export const Keys = { ENTER: "\uE007", SHIFT: "\uE008" };

/**
 * Starts tauri-driver on `port` (and `port + 1` for WebKitWebDriver) with `env` added, logging to
 * `logFile`, and waits until it answers. Its own process group and its own log: the driver,
 * WebKitWebDriver and the app must not hold the test runner's pipes, or the runner waits for
 * them after the tests end.
 */
export async function startDriver(port, logFile, env) {
  const log = openSync(logFile, "w");
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
    detached: true,
  });
  recordDriver(driver);
  const base = `http://127.0.0.1:${port}`;
  await new Session(base, "").waitFor("tauri-driver", async () => (await fetch(`${base}/status`)).ok, 20000, 200);
  return driver;
}

/**
 * Notes tauri-driver's process group (it is spawned detached, and WebKitWebDriver starts the app
 * in it) in $E2E_PGIDS, so that scripts/test-e2e.sh can end exactly these processes if the test
 * runner dies.
 */
export function recordDriver(driver) {
  if (process.env.E2E_PGIDS && driver?.pid) appendFileSync(process.env.E2E_PGIDS, `${driver.pid}\n`);
}

/**
 * Kills, by id, the processes this test started: those whose environment carries its own
 * ANAMNESIS_CONFIG_DIR (a fresh temporary folder), optionally only the ones running `exe`. Never
 * by name: that would end the user's own Anamnesis too.
 */
export function killOwn(configDir, exe) {
  if (!configDir) return;
  const mark = `ANAMNESIS_CONFIG_DIR=${configDir}\0`;
  const killed = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "latin1").includes(mark)) continue;
      if (exe && readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] !== exe) continue;
      process.kill(Number(pid), "SIGKILL");
      killed.push(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  // Wait until they are dead (gone or a zombie) and the bus has let go of the app's
  // single-instance name: an app started before that finds the name taken, cannot hand over to
  // the dead owner and exits, and the new WebDriver session waits for a window that never
  // comes (seen in 2 of 10 runs with the machine loaded).
  const end = Date.now() + 30000;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  // The name is waited for even when nothing was left to kill: an app that a closed WebDriver
  // session ended may still hold it for a moment.
  while ((killed.some(alive) || singleInstanceTaken()) && Date.now() < end) {
    Atomics.wait(nap, 0, 0, 25);
  }
  if (killed.some(alive) || singleInstanceTaken()) {
    throw new Error("the previous app is still running or its single-instance name is still taken after 30 s");
  }
}

/** Whether the session bus still has an owner for the app's single-instance name. A call that
 * timed out (a loaded machine) counts as taken, so the caller asks again. */
function singleInstanceTaken() {
  const r = spawnSync("dbus-send", [
    "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
    "org.freedesktop.DBus.NameHasOwner", `string:${APP_IDENTIFIER}.SingleInstance`,
  ], { encoding: "utf8", timeout: 5000 });
  if (r.error) return true;
  return r.status === 0 && /boolean true/.test(r.stdout);
}

function alive(pid) {
  try {
    // The state follows the command name in parentheses: "Z" is a zombie, whose sockets are closed.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Ends a WebDriver session and kills tauri-driver's process group (it is spawned detached). */
export async function stopDriver(session, driver) {
  try {
    await session?.close();
  } catch {
    // The session may already be gone; the process group goes below either way.
  }
  if (driver?.pid) {
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      // Already exited.
    }
  }
}

/** Removes a run's temporary folders (each run made ~90 MB of them, and they piled up in /tmp),
 * unless ANAMNESIS_E2E_KEEP asks to keep them for a post-mortem. Call after killOwn: the app must
 * be gone before its database is. */
export function removeTempDirs(...dirs) {
  if (process.env.ANAMNESIS_E2E_KEEP) return;
  for (const d of dirs) if (d) rmSync(d, { recursive: true, force: true });
}

/**
 * The testkit's loopback fake hub serving the files of `modelDir` as the repo `test/tiny-qwen3`:
 * resolves to its endpoint and the process (the caller kills it).
 */
export function startFakeHub(testkit, modelDir) {
  const files = readdirSync(modelDir).map((f) => `${modelDir}/${f}`);
  const hub = spawn(testkit, ["fake-hub", "--repo", "test/tiny-qwen3", ...files], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((ok, fail) => {
    hub.stdout.once("data", (d) => ok({ endpoint: String(d).split("\n")[0].trim(), hub }));
    hub.once("exit", (c) => fail(new Error(`fake hub exited with ${c}`)));
  });
}

/** Where the e2e screenshots go (ANAMNESIS_SHOTS, else target/e2e). */
export const SHOTS = resolve(process.env.ANAMNESIS_SHOTS ?? "target/e2e");

/** The X server's own picture of the screen as SHOTS/NAME.png (ImageMagick): WebKitWebDriver's
 * screenshot command can hang under Xvfb without compositing. */
export function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  const r = spawnSync("import", ["-window", "root", join(SHOTS, `${name}.png`)], { env: process.env, timeout: 20000 });
  if (r.status !== 0) throw new Error(`screenshot ${name} failed: ${r.stderr}`);
}
