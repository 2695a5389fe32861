// A first start on a computer a little short of memory for the model: the real app must not be
// a dead end. Its catalog (written here, from this machine's /proc/meminfo, the numbers the
// planner reads) holds the tiny model with a KV cache sized so that its minimum context does not
// fit in the free memory, a 2k context does, and so does the minimum when the memory other
// programs use is counted. The screen offers a shorter context, check again, a remote model and
// try anyway; trying anyway downloads the model from the loopback fake hub and loads it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { killOwn, removeTempDirs, Session, shot, SHOTS, startDriver, startFakeHub, stopDriver } from "./webdriver.mjs";

const app = process.env.ANAMNESIS_APP;
const model = process.env.ANAMNESIS_TINY_MODEL;
const testkit = process.env.ANAMNESIS_TESTKIT;
// Its own port: the other files' drivers may still be letting go of theirs.
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444) + 40;
const base = `http://127.0.0.1:${port}`;
const GIB = 1024 ** 3;

let driver;
let hub;
let s;
let configDir;
let dataDir;
let catalogDir;

/** MemTotal and MemAvailable in bytes: what sysinfo gives the planner on Linux. */
function memory() {
  const kb = (key) => Number(readFileSync("/proc/meminfo", "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"))[1]) * 1024;
  return { total: kb("MemTotal"), available: kb("MemAvailable") };
}

/**
 * The tiny model's catalog entry with a KV cache per token chosen so that (the planner's own
 * arithmetic, crates/hardware/src/budget.rs) its 3k minimum needs about halfway between the
 * free budget (available less the OS reserve) and all RAM but 1 GiB, and 2k needs two thirds of
 * that: about 1.5 GB of margin either way on a 24 GB machine.
 */
function catalogEntry() {
  const { total, available } = memory();
  const budget = available - Math.max(2 * GIB, total / 10);
  const anyway = total - GIB;
  const kv = Math.floor((budget + anyway) / 2 / 3072);
  assert.ok(budget > 2 * GIB, `this machine has too little free memory for the test (${available} bytes)`);
  return `# Written by tests/e2e/memory.test.mjs for a machine with ${total} bytes of RAM, ${available} available.
id = "tiny-qwen3-test"
label = "Tiny Qwen3 (test)"
role = "main"
format = "safetensors"
expected_bytes = 40_000_000

[[sources]]
hub = "huggingface"
repo = "test/tiny-qwen3"
revision = "main"

[requirements]
backends = ["cpu"]
weights_bytes = 40_000_000
kv_bytes_per_token = ${kv}
layers = 2
min_context = 3072
max_context = 4096
`;
}


before(async () => {
  assert.ok(app && model && testkit, "run through scripts/test-e2e.sh");
  mkdirSync(SHOTS, { recursive: true });
  configDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-memory-"));
  dataDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-memory-data-"));
  catalogDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-memory-catalog-"));
  writeFileSync(join(catalogDir, "tiny-qwen3-test.toml"), catalogEntry());
  let endpoint;
  ({ endpoint, hub } = await startFakeHub(testkit, model));
  writeFileSync(join(configDir, "settings.json"), JSON.stringify({ hub: { endpoint, mirrors: [], modelscope: false } }));
  driver = await startDriver(port, join(SHOTS, "tauri-driver-memory.log"), {
    ANAMNESIS_CONFIG_DIR: configDir,
    ANAMNESIS_DATA_DIR: dataDir,
    ANAMNESIS_CATALOG_DIR: catalogDir,
  });
  s = await Session.create(base, { "tauri:options": { application: app } });
});

after(async () => {
  await stopDriver(s, driver);
  hub?.kill("SIGKILL");
  killOwn(configDir);
  removeTempDirs(configDir, dataDir, catalogDir);
});

const pageText = () => s.exec("return document.body.innerText");
const textOf = (css) => s.exec("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", [css]);
const settings = () => JSON.parse(readFileSync(join(configDir, "settings.json"), "utf8"));

test("short of memory: the set-up screen offers ways on, and trying anyway loads the model", async () => {
  await s.waitForElement('[data-testid="cannot-run-choices"]', 60000).catch(async (e) => assert.fail(`${e.message}\npage: ${await pageText()}`));
  assert.match(await textOf('[data-testid="plan-reason"]'), /Not enough memory: Tiny Qwen3 \(test\) needs .* GB short/);
  assert.equal(await s.exec('return document.querySelector("[data-testid=download-start]").disabled'), true);
  shot("cannot-run");

  // Check again: measured anew, and said so.
  await s.click(await s.find('[data-testid="check-again"]'));
  await s.waitFor("checked", async () => /Checked again/.test((await textOf('[data-testid="onboarding-notice"]')) ?? ""), 30000);

  // A model on another computer: Settings opens at the remote engine, focused there.
  await s.click(await s.find('[data-testid="use-remote"]'));
  await s.waitForElement('[data-testid="settings"]', 10000);
  assert.equal(await s.exec('return !!document.activeElement.closest("[data-testid=remote-settings]")'), true, "focus is in the remote section");
  shot("cannot-run-remote");
  await s.click(await s.find('[data-testid="settings-close"]'));

  // A shorter context fits: planned at 2k, download possible; Undo goes back.
  await s.click(await s.waitForElement('[data-testid="fallback-short"]', 10000));
  await s.waitForElement('[data-testid="fallback-chosen"]', 30000);
  assert.equal(await textOf('[data-testid="plan-context"]'), "2k context");
  assert.equal(settings().memory_fallback.short_context, true);
  shot("cannot-run-short-context");
  await s.click(await s.find('[data-testid="fallback-undo"]'));
  await s.waitForElement('[data-testid="fallback-anyway"]', 30000);

  // Try anyway: the risk on the plan, then the download and the load as usual.
  await s.click(await s.find('[data-testid="fallback-anyway"]'));
  await s.waitForElement('[data-testid="fallback-chosen"]', 30000);
  assert.match(await textOf('[data-testid="fallback-chosen"]'), /Trying anyway/);
  assert.match(await textOf('[data-testid="plan-reason"]'), /may close programs/);
  shot("cannot-run-anyway");
  await s.click(await s.find('[data-testid="download-start"]'));
  await s.waitFor("model badge", async () => (await textOf('[data-testid="model-badge"]'))?.includes("tiny-qwen3-test"), 120000)
    .catch(async (e) => assert.fail(`${e.message}\npage: ${await pageText()}`));
  const saved = settings();
  assert.deepEqual(saved.memory_fallback, { short_context: false, anyway: true });
  assert.ok(saved.max_context >= 3072, `the forced plan's context is kept: ${saved.max_context}`);
  shot("cannot-run-anyway-loaded");
});
