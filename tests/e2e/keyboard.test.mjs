// Keyboard only, in the real window (WebKitGTK under Xvfb, through tauri-driver): no click, no
// script that clicks; every step is a key pressed through WebDriver's actions, as a user without
// a mouse would. A first run: Tab to the recommended model's download, Enter; the model loads;
// Ctrl+L to the message box, a question, Enter; Escape stops the answer; the model picker opens
// from the header's model badge with Enter, its context slider moves with the arrow keys and
// Enter on "Reload" loads the model again; Ctrl+N starts a consultation where an emergency shows
// the number of the locale's country (en_GB: 999) pinned above the message box; Ctrl+K searches the
// history, Ctrl+, opens Settings and Escape closes it with focus back where it was. Tab and
// Shift+Tab go round the chat screen's controls, each with a name, the same order both ways.
// Then a PDF attached in the window: Rust reads it, the text shows for checking, it goes with
// the question; a damaged one is refused in words. Screenshots: e2e-keyboard-*.png.

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
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444) + 60;
const base = `http://127.0.0.1:${port}`;

let driver;
let hub;
let s;
let configDir;
let dataDir;

before(async () => {
  assert.ok(app && model && testkit, "ANAMNESIS_APP, ANAMNESIS_TINY_MODEL and ANAMNESIS_TESTKIT must be set");
  mkdirSync(SHOTS, { recursive: true });
  configDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-kb-"));
  dataDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-kb-data-"));
  let endpoint;
  ({ endpoint, hub } = await startFakeHub(testkit, model));
  // A first run in a British locale: no country in the settings, so it comes from LANG.
  writeFileSync(
    join(configDir, "settings.json"),
    JSON.stringify({ hub: { endpoint, mirrors: [], modelscope: false }, thinking: "off" }),
  );
  driver = await startDriver(port, join(SHOTS, "tauri-driver-keyboard.log"), {
    LANG: "en_GB.UTF-8",
    LC_ALL: "",
    LC_MESSAGES: "",
    ANAMNESIS_CONFIG_DIR: configDir,
    ANAMNESIS_DATA_DIR: dataDir,
    ANAMNESIS_CATALOG_DIR: resolve("tests/e2e/catalog"),
  });
  s = await Session.create(base, { "tauri:options": { application: app } });
});

after(async () => {
  await stopDriver(s, driver);
  hub?.kill("SIGKILL");
  killOwn(configDir);
  removeTempDirs(configDir, dataDir);
});

const KEY = { TAB: "\uE004", ENTER: "\uE007", SHIFT: "\uE008", CONTROL: "\uE009", ESCAPE: "\uE00C", RIGHT: "\uE014", LEFT: "\uE012", SPACE: "\uE00D" };

/** Presses keys through WebDriver's actions: each argument a key, or an array held together (a chord). */
async function press(...keys) {
  const actions = [];
  for (const k of keys) {
    const chord = Array.isArray(k) ? k : [k];
    for (const c of chord) actions.push({ type: "keyDown", value: c });
    for (const c of [...chord].reverse()) actions.push({ type: "keyUp", value: c });
  }
  await s.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
  await s.cmd("DELETE", "/actions");
}

/** Types text key by key. */
async function typeKeys(text) {
  await press(...[...text]);
}

/** What has focus: its test id, role, and the name a screen reader would say (roughly). */
function focused() {
  return s.exec(`const e = document.activeElement;
    if (!e || e === document.body) return null;
    const label = e.id ? document.querySelector('label[for="' + CSS.escape(e.id) + '"]') : null;
    const labelledby = (e.getAttribute("aria-labelledby") || "").split(" ").map((i) => document.getElementById(i)?.textContent ?? "").join(" ");
    const name = (e.getAttribute("aria-label") || labelledby || label?.textContent || e.closest("label")?.textContent ||
      (e.tagName === "INPUT" || e.tagName === "TEXTAREA" ? e.placeholder : e.textContent) || e.title || "").trim();
    return { testid: e.dataset.testid ?? null, tag: e.tagName.toLowerCase(), name };`);
}

async function focusIs(testid, what = testid) {
  await s.waitFor(`focus on ${what}`, async () => (await focused())?.testid === testid, 10000);
}

/** Tabs (forward, or back with Shift) until the focused control has `testid`; at most `max` presses. */
async function tabTo(testid, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    if ((await focused())?.testid === testid) return;
    await press(back ? [KEY.SHIFT, KEY.TAB] : KEY.TAB);
  }
  assert.fail(`Tab never reached ${testid}; focus is on ${JSON.stringify(await focused())}`);
}

function textOf(css) {
  return s.exec("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", [css]);
}

test("a first run, a question, the model picker and the shortcuts, with the keyboard only", async () => {
  // First run: the recommendation, and its download button reached with Tab.
  await s.waitForElement('[data-testid="download-start"]', 60000);
  await tabTo("download-start");
  shot("e2e-keyboard-first-run");
  await press(KEY.ENTER);
  await s.waitFor("the model loaded", async () => !!(await s.exec(`return document.querySelector('[data-testid="model-badge"]')?.textContent.includes("tiny-qwen3-test")`)), 120000);
  await s.waitForElement('[data-testid="message-input"]', 30000);

  // Ctrl+L: the message box; a question and Enter; Escape stops the answer.
  await press([KEY.CONTROL, "l"]);
  await focusIs("message-input");
  await typeKeys("I have had a sore throat for two days.");
  await press(KEY.ENTER);
  await s.waitForElement('[data-testid="stop"]', 30000);
  await s.waitFor("the answer streams", async () => /Hello|think/i.test((await textOf('[data-testid="assistant-message"]')) ?? ""), 30000)
    .catch((e) => (shot("e2e-keyboard-no-answer"), Promise.reject(e)));
  await press(KEY.ESCAPE);
  await s.waitFor("stopped", async () => (await s.findAll('[data-testid="stop"]')).length === 0, 10000);
  shot("e2e-keyboard-stopped");

  // The chat screen's Tab order: every stop named, the same controls forward and back.
  await press([KEY.CONTROL, "l"]);
  const forward = [];
  for (let i = 0; i < 40; i++) {
    await press(KEY.TAB);
    const f = await focused();
    assert.ok(f, `Tab ${i + 1} left the page`);
    assert.ok(f.name.length > 0, `an unnamed stop: ${JSON.stringify(f)}`);
    if (f.testid === "message-input") break;
    forward.push(f.testid ?? `${f.tag}:${f.name}`);
  }
  assert.ok(forward.length > 5, `Tab went round ${forward.length} stops only: ${forward}`);
  const backward = [];
  for (let i = 0; i < forward.length + 1; i++) {
    await press([KEY.SHIFT, KEY.TAB]);
    const f = await focused();
    if (f?.testid === "message-input") break;
    backward.push(f.testid ?? `${f.tag}:${f.name}`);
  }
  assert.deepEqual(backward.reverse(), forward, "Shift+Tab goes through the same stops");
  writeFileSync(join(SHOTS, "e2e-keyboard-tab-order.json"), JSON.stringify(forward, null, 2));

  // The model picker from the header's badge: Enter opens it, the arrows move the context,
  // Enter on Reload loads the model again with it, Escape closes it and focus is on the badge.
  await tabTo("model-badge");
  await press(KEY.ENTER);
  await s.waitForElement('[data-testid="model-picker"]', 10000);
  await tabTo("context-slider");
  const before = Number(await s.exec(`return document.querySelector('[data-testid="context-slider"]').value`));
  await press(KEY.LEFT);
  await s.waitFor("a shorter context", async () => Number(await s.exec(`return document.querySelector('[data-testid="context-slider"]').value`)) < before, 5000);
  shot("e2e-keyboard-picker");
  await tabTo("reload");
  // The badge stays; the model's name in it goes while loading and comes back after.
  await s.exec(`document.querySelectorAll('[data-testid="model-badge"] .name').forEach((b) => (b.dataset.before = "1"))`);
  await press(KEY.ENTER);
  await s.waitFor("the reload", () => s.exec(`const b = document.querySelector('[data-testid="model-badge"] .name');
    return !!b && !b.dataset.before && b.textContent.trim() === "tiny-qwen3-test";`), 120000);
  await s.waitFor("the saved choice", async () => {
    const r = spawnSync("cat", [join(configDir, "settings.json")], { encoding: "utf8" });
    return JSON.parse(r.stdout).max_context === before - 1024;
  }, 10000);
  if (await s.exec(`return !!document.querySelector('[data-testid="model-picker"]')`)) {
    await press(KEY.ESCAPE);
    await s.waitFor("the picker closed", async () => !(await s.exec(`return !!document.querySelector('[data-testid="model-picker"]')`)), 5000);
  }
  await focusIs("model-badge", "the badge after the picker");

  // Ctrl+N: a new consultation, with focus in its message box. An emergency: the banner names
  // the number of the country the locale gave (999), and it stays pinned above the message box.
  const first = await s.exec(`return document.querySelectorAll('[data-testid="consultation-item"]').length`);
  await press([KEY.CONTROL, "n"]);
  await focusIs("message-input", "the new consultation's message box");
  await typeKeys("Crushing chest pain going to my left arm for an hour");
  await press(KEY.ENTER);
  await s.waitForElement('[data-testid="emergency-banner"]', 15000);
  assert.match(await textOf('[data-testid="emergency-number"]'), /999/);
  assert.match(await textOf('[data-testid="emergency-bar"]'), /999/);
  await s.waitFor("a second consultation", async () => (await s.exec(`return document.querySelectorAll('[data-testid="consultation-item"]').length`)) > first, 30000);
  await press(KEY.ESCAPE);
  shot("e2e-keyboard-emergency");

  // Ctrl+K: the history search; typing filters; Escape clears it.
  await press([KEY.CONTROL, "k"]);
  await focusIs("history-search");
  await typeKeys("throat");
  await s.waitFor("a search hit for the first consultation only", () => s.exec(`const hits = [...document.querySelectorAll('[data-testid="search-hit"]')];
    return hits.length > 0 && hits.every((h) => /throat/i.test(h.textContent) && !/chest pain/i.test(h.textContent));`), 10000);
  shot("e2e-keyboard-search");
  await press(KEY.ESCAPE);

  // Ctrl+,: Settings, Escape closes it, focus goes back to where it was.
  await press([KEY.CONTROL, "l"]);
  await press([KEY.CONTROL, ","]);
  await s.waitForElement('[data-testid="settings"]', 10000);
  const inside = await s.exec(`return !!document.activeElement?.closest('[data-testid="settings"]')`);
  assert.ok(inside, "focus moved into Settings");
  shot("e2e-keyboard-settings");
  await press(KEY.ESCAPE);
  await s.waitFor("Settings closed", async () => !(await s.exec(`return !!document.querySelector('[data-testid="settings"]')`)), 5000);
  await focusIs("message-input", "the message box after Settings");
});

test("a PDF attached in the real window is read by Rust, checked, and sent with the question", async () => {
  // A real PDF from the testkit, handed to the file input as the file chooser would.
  const pdf = join(configDir, "labs.pdf");
  const made = spawnSync(testkit, ["pdf", "--out", pdf, "--page", "Potassium 5.9 mmol/L (high)", "--page", "eGFR 48 (low)"]);
  assert.equal(made.status, 0, String(made.stderr));
  const b64 = readFileSync(pdf).toString("base64");
  await press([KEY.CONTROL, "l"]);
  await s.exec(`const [name, b64] = arguments;
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const input = document.querySelector('[data-testid="attach-input"]');
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type: "application/pdf" }));
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));`, ["labs.pdf", b64]);
  const chip = '[data-testid="composer"] [data-testid="attachment-chip"][data-name="labs.pdf"]';
  await s.waitForElement(chip, 30000);
  assert.match(await textOf(`${chip} [data-testid="attachment-summary"]`), /2 pages/);
  await tabTo("attachment-toggle");
  await press(KEY.ENTER);
  // Both pages, in order, apart.
  await s.waitFor("the extracted text", async () => /Potassium 5\.9 mmol\/L \(high\)\n+eGFR 48/.test((await textOf(`${chip} [data-testid="attachment-text"]`)) ?? ""), 5000);
  shot("e2e-keyboard-attachment");
  await press([KEY.CONTROL, "l"]);
  await typeKeys("What do these results mean?");
  await press(KEY.ENTER);
  await s.waitFor("the sent question with its document", async () =>
    /labs\.pdf/.test((await textOf('[data-testid="user-message"]:last-of-type [data-testid="message-attachments"]')) ?? (await textOf('[data-testid="message-attachments"]')) ?? ""), 30000);
  await s.waitForElement('[data-testid="stop"]', 30000).catch(() => null);
  await press(KEY.ESCAPE);
  shot("e2e-keyboard-attachment-sent");

  // A picture is refused in words; the typed text stays.
  await press([KEY.CONTROL, "l"]);
  await typeKeys("And this one?");
  await s.exec(`const input = document.querySelector('[data-testid="attach-input"]');
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x78])], "broken.pdf", { type: "application/pdf" }));
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));`);
  await s.waitFor("the damaged PDF refused", async () =>
    (await s.exec(`return document.querySelector('[data-testid="attachment-error"]')?.dataset.code ?? null`)) === "ATTACHMENT_MALFORMED", 30000);
  assert.equal(await s.exec(`return document.querySelector('[data-testid="message-input"]').value`), "And this one?");
});
