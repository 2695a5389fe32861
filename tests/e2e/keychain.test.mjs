// A new user's first start on a desktop whose GNOME Keyring runs but is locked (auto-login: no
// password was typed, and the unlock prompt cannot be answered). The real app in its window must
// say in plain words what happened, offer "Try again" and, as no history exists yet, a
// passphrase instead; the passphrase path must open the app.
//
// scripts/test-e2e.sh runs this file in its own D-Bus session: a login keyring made with a
// password in an earlier session, the daemon started again without it, and no DISPLAY in the
// bus's activation environment, so GNOME's unlock prompt fails as a dismissed one would.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { killOwn, removeTempDirs, Session, shot, SHOTS, startDriver, stopDriver } from "./webdriver.mjs";

const app = process.env.ANAMNESIS_APP;
// Its own ports: the other files' drivers may still be letting go of theirs.
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444) + 20;
const base = `http://127.0.0.1:${port}`;

let driver;
let configDir;
let dataDir;
let s;

before(async () => {
  assert.ok(app, "ANAMNESIS_APP must name the built app");
  assert.ok(process.env.E2E_KEYRING_LOCKED, "run through scripts/test-e2e.sh (a locked GNOME Keyring)");
  mkdirSync(SHOTS, { recursive: true });
  configDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-keychain-"));
  dataDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-keychain-data-"));
  // No hub reachable: nothing downloads in this test.
  writeFileSync(join(configDir, "settings.json"), JSON.stringify({ hub: { endpoint: "http://127.0.0.1:9/", mirrors: [], modelscope: false } }));
  driver = await startDriver(port, join(SHOTS, "tauri-driver-keychain.log"), { ANAMNESIS_CONFIG_DIR: configDir, ANAMNESIS_DATA_DIR: dataDir });
  s = await Session.create(base, { "tauri:options": { application: app } });
});

after(async () => {
  await stopDriver(s, driver);
  killOwn(configDir);
  removeTempDirs(configDir, dataDir);
});

const pageText = () => s.exec("return document.body.innerText");

test("a locked keychain on the first start is explained, and a passphrase opens the app", async () => {
  const screenEl = await s.waitForElement('[data-testid="history-keychain-locked"]', 60000);
  shot("keychain-locked");
  const text = await pageText();
  assert.match(text, /Your system keychain is locked/);
  assert.match(text, /Try again/);
  // Plain words: no raw error code or Secret Service text on screen (the detail is folded away).
  assert.doesNotMatch(text, /KEYCHAIN_|SS error/);
  assert.equal((await s.findAll('[data-testid="error"]')).length, 0, "no error banner");
  assert.ok(screenEl);

  // Try again while it is still locked: said so, nothing else changes.
  await s.click(await s.find('[data-testid="history-retry"]'));
  await s.waitForElement('[data-testid="history-still-locked"]', 30000);

  // No history yet: a passphrase instead.
  await s.click(await s.find('[data-testid="history-use-passphrase"]'));
  await s.type(await s.waitForElement('[data-testid="passphrase-new"]', 10000), "a long passphrase");
  await s.type(await s.find('[data-testid="passphrase-confirm"]'), "a long passphrase");
  shot("keychain-passphrase");
  await s.click(await s.find('[data-testid="history-protect"]'));
  // The app opens: no model yet, so the set-up screen.
  await s.waitForElement('[data-testid="onboarding"]', 60000);
  assert.equal((await s.findAll('[data-testid="history-setup"]')).length, 0);
  shot("keychain-opened");

  // The history exists, encrypted, and the choice is remembered.
  assert.ok(existsSync(join(dataDir, "anamnesis.db")), "the history was made");
  const head = readFileSync(join(dataDir, "anamnesis.db")).subarray(0, 16).toString("latin1");
  assert.notEqual(head, "SQLite format 3\u0000", "the history is encrypted");
  const settings = JSON.parse(readFileSync(join(configDir, "settings.json"), "utf8"));
  assert.equal(settings.history_key, "passphrase");
});
