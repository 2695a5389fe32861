// Browser-test harness: serves the BUILT UI (ui/dist) on a random loopback port, starts the
// system Chromium through playwright-core (no browser download), and opens pages with the fake
// Tauri backend (fake-tauri.js) installed before the app's scripts run.
//
//   npm --prefix ui run build && npm --prefix ui run test:browser
//
// Environment: ANAMNESIS_UI_DIST (another built UI), ANAMNESIS_UI_SHOTS (where screenshots go,
// default target/ui-shots), CHROMIUM_PATH, CHROMIUM_NO_SANDBOX.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { installFakeTauri } from "./fake-tauri.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const UI = resolve(HERE, "..");
export const ROOT = resolve(UI, "..");
export const DIST = resolve(process.env.ANAMNESIS_UI_DIST ?? join(UI, "dist"));
export const SHOTS = resolve(process.env.ANAMNESIS_UI_SHOTS ?? join(ROOT, "target", "ui-shots"));
export const VIEWPORT = { width: 1280, height: 800 };

/** The app's CSP, as the desktop shell sets it. */
export function appCsp() {
  const conf = JSON.parse(readFileSync(join(ROOT, "src-tauri", "tauri.conf.json"), "utf8"));
  return conf.app.security.csp;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

/**
 * Static server for `dir` on 127.0.0.1:<random>. `csp`: a Content-Security-Policy header for
 * HTML responses (null: none, so a sanitizer failure is not masked by the CSP).
 */
export async function serve(dir = DIST, { csp = null } = {}) {
  if (!existsSync(join(dir, "index.html"))) {
    throw new Error(`${dir}/index.html is missing: run \`npm --prefix ui run build\` first`);
  }
  const root = resolve(dir);
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url.pathname);
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!existsSync(path)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const type = TYPES[extname(path)] ?? "application/octet-stream";
    const headers = { "content-type": type, "cache-control": "no-store" };
    if (csp && type.startsWith("text/html")) headers["content-security-policy"] = csp;
    res.writeHead(200, headers).end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** The system Chromium (Debian package), or $CHROMIUM_PATH. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium not found: install the Debian `chromium` package (scripts/setup.sh does) or set CHROMIUM_PATH");
  }
}

export async function launch() {
  const args = ["--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--font-render-hinting=none"];
  const noSandbox = ["--no-sandbox"];
  const opts = (extra) => ({ executablePath: chromiumPath(), headless: true, args: [...args, ...extra], timeout: 30_000 });
  // Chromium's sandbox cannot run as root, nor in containers without user namespaces.
  if (process.getuid?.() === 0 || process.env.CHROMIUM_NO_SANDBOX) return chromium.launch(opts(noSandbox));
  try {
    return await chromium.launch(opts([]));
  } catch (e) {
    if (!/sandbox/i.test(String(e?.message ?? e))) throw e;
    return chromium.launch(opts(noSandbox));
  }
}

/**
 * The server and browser of one test file, started before its tests and closed after them;
 * `open(fixtures)` opens the app there (openApp), and `withApp(name, fixtures, fn)` runs
 * `fn(app)` in it (a screenshot `failed-<name>.png` when it throws), asserts that the page had no
 * error and no CSP violation, and closes it.
 * `csp`: serve with the app's CSP (default), or without one (null) to test the sanitizer alone.
 * `noUnmocked`: withApp asserts too that the app sent no command the fake does not know.
 */
export function browserSuite({ csp = "app", noUnmocked = false } = {}) {
  const suite = {
    server: null,
    browser: null,
    open: (fixtures) => openApp(suite.browser, suite.server, fixtures),
    async withApp(name, fixtures, fn) {
      const app = await suite.open(fixtures);
      try {
        await shootOnFailure(app.page, name, () => fn(app));
        assert.deepEqual(app.log.pageErrors, [], "no page errors");
        assert.deepEqual(app.log.csp, [], "no CSP violation");
        if (noUnmocked) assert.deepEqual(await app.page.evaluate(() => window.__fakeIpc.unknown), [], "no unmocked command");
      } finally {
        await app.context.close();
      }
    },
  };
  before(async () => {
    suite.server = await serve(undefined, { csp: csp === "app" ? appCsp() : csp });
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/**
 * A new page with the fake backend. Collects console errors, CSP violations, dialogs,
 * requests that leave the server, frames and main-frame navigations, for the tests to assert.
 */
export async function openApp(browser, server, fixtures) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: "en-US", reducedMotion: "reduce" });
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  const log = { console: [], pageErrors: [], dialogs: [], foreignRequests: [], navigations: [], csp: [] };
  page.on("console", (m) => {
    const text = m.text();
    if (m.type() === "error" || m.type() === "warning") log.console.push(`${m.type()}: ${text}`);
    if (/Content.Security.Policy|violates the following/i.test(text)) log.csp.push(text);
  });
  page.on("pageerror", (e) => log.pageErrors.push(String(e?.message ?? e)));
  page.on("dialog", async (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(server.origin) && !u.startsWith("data:") && !u.startsWith("blob:")) log.foreignRequests.push(u);
  });
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) log.navigations.push(f.url());
  });
  await page.addInitScript(installFakeTauri, fixtures);
  await page.goto(server.url, { waitUntil: "load" });
  return { page, context, log };
}

/** Runs `fn`; when it throws, saves a screenshot `failed-<name>.png` first. */
export async function shootOnFailure(page, name, fn) {
  try {
    return await fn();
  } catch (e) {
    await shot(page, `failed-${name}`).catch(() => {});
    throw e;
  }
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Waits until the fake has finished `n` streams in total. */
export async function waitStreams(page, n, timeout = 15_000) {
  await page.waitForFunction((k) => window.__fakeIpc.streamsDone >= k, n, { timeout, polling: 20 });
}

export function calls(page, cmd) {
  return page.evaluate((c) => window.__fakeIpc.calls.filter((x) => !c || x.cmd === c), cmd);
}

/** Types a question in the composer and sends it (Enter, or the send button). */
export async function ask(page, text) {
  const input = page.getByTestId("message-input");
  await input.waitFor({ state: "visible" });
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="message-input"]');
      return el && !el.disabled && !el.readOnly;
    },
    null,
    { timeout: 5_000 },
  );
  await input.fill(text);
  const send = page.getByTestId("send");
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid="send"]');
    return b && !b.disabled;
  });
  await send.click();
}
