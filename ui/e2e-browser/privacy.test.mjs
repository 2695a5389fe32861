// The encrypted history's lock screen, and Settings → Privacy, Local API and Remote engine, in
// Chromium with the fake backend. Screenshots: history-lock*.png, history-unsaved*.png, history-setup.png,
// settings-privacy.png, settings-local-api.png, settings-remote.png, remote-http-header.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserSuite, calls, shot } from "./harness.mjs";
import { fixtures, settings } from "./fixtures.mjs";

const { withApp } = browserSuite({ noUnmocked: true });
const PASS = "correct horse battery";

/** Scrolls a Settings section into view and takes the window's picture. */
async function shootSection(page, testid, name) {
  const section = page.getByTestId(testid);
  await section.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(50);
  await shot(page, name);
}

test("a locked history shows only the lock screen; a wrong passphrase is refused; the right one opens the app", async () => {
  await withApp("history-lock", fixtures({ history: { state: "locked" }, passphrase: PASS }), async ({ page }) => {
    const lock = page.getByTestId("history-lock");
    await lock.waitFor({ state: "visible" });
    assert.match(await lock.textContent(), /Your consultation history is protected by a passphrase/);
    assert.ok(await page.getByTestId("disclaimer").isVisible(), "the disclaimer stays");
    assert.equal(await page.getByTestId("open-settings").count(), 0);
    assert.equal(await page.getByTestId("message-input").count(), 0);
    assert.equal((await calls(page, "list_consultations")).length, 0, "nothing read the history");
    // The field has focus: the passphrase can be typed at once.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "history-passphrase");
    await shot(page, "history-lock");

    await page.keyboard.type("wrong horse");
    await page.keyboard.press("Enter");
    const wrong = page.getByTestId("history-wrong-key");
    await wrong.waitFor({ state: "visible" });
    assert.equal((await wrong.textContent()).trim(), "That passphrase does not open the history");
    assert.equal(await page.getByTestId("history-passphrase").inputValue(), "wrong horse");
    await shot(page, "history-lock-wrong");

    await page.getByTestId("history-passphrase").fill(PASS);
    await page.getByTestId("history-unlock").click();
    await page.getByTestId("open-settings").waitFor({ state: "visible" });
    await page.getByText("Fever in a 2-year-old").first().waitFor({ state: "visible" });
    assert.equal(await page.getByTestId("history-lock").count(), 0);
    const unlocks = await calls(page, "unlock_history");
    assert.deepEqual(unlocks.map((c) => c.args), [{ passphrase: "wrong horse" }, { passphrase: PASS }]);
  });
});

test("continuing without saving: the app works with a banner on top, and unlocking goes back to the lock", async () => {
  for (const lang of ["en", "zh"]) {
    await withApp(`history-unsaved-${lang}`, fixtures({ history: { state: "locked" }, passphrase: PASS }), async ({ page }) => {
      await page.getByTestId("history-lock").waitFor({ state: "visible" });
      if (lang === "zh") {
        await page.getByTestId("language-switch").first().selectOption("zh");
        await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
      }
      const way = page.getByTestId("history-unsaved");
      assert.match(await way.textContent(), lang === "zh" ? /不保存/ : /Continue without saving/);
      await shot(page, `history-lock-unsaved-${lang}`);
      await way.click();
      const banner = page.getByTestId("unsaved-banner");
      await banner.waitFor({ state: "visible" });
      await page.getByTestId("message-input").waitFor({ state: "visible" });
      assert.match(await banner.textContent(), lang === "zh" ? /未保存/ : /forgotten when you close Anamnesis/);
      await shot(page, `history-unsaved-${lang}`);
      await page.getByTestId("unsaved-unlock").click();
      await page.getByTestId("unsaved-confirm").waitFor({ state: "visible" });
      await shot(page, `history-unsaved-leave-${lang}`);
      await page.getByTestId("unsaved-confirm-yes").click();
      await page.getByTestId("history-lock").waitFor({ state: "visible" });
      assert.equal((await calls(page, "leave_unsaved")).length, 1);
    });
  }
});

test("with no lasting keychain, the set-up screen asks for a passphrase twice, 8+ characters", async () => {
  const reason = "the Linux kernel keyring forgets keys at reboot";
  await withApp("history-setup", fixtures({ history: { state: "no_keychain", reason } }), async ({ page }) => {
    const setup = page.getByTestId("history-setup");
    await setup.waitFor({ state: "visible" });
    assert.match(await setup.textContent(), new RegExp(reason));
    const protect = page.getByTestId("history-protect");
    assert.ok(await protect.isDisabled());
    await page.getByTestId("passphrase-new").fill("short");
    await page.getByTestId("passphrase-confirm").fill("short");
    assert.ok(await protect.isDisabled());
    await page.getByTestId("passphrase-new").fill("a long passphrase");
    await page.getByTestId("passphrase-confirm").fill("a long passphrasf");
    await page.getByTestId("passphrase-mismatch").waitFor({ state: "visible" });
    assert.ok(await protect.isDisabled());
    await shot(page, "history-setup");
    await page.getByTestId("passphrase-confirm").fill("a long passphrase");
    await protect.click();
    await page.getByTestId("open-settings").waitFor({ state: "visible" });
    assert.deepEqual((await calls(page, "unlock_history")).map((c) => c.args), [{ passphrase: "a long passphrase" }]);
  });
});

test("Settings → Privacy and Local API", async () => {
  await withApp("settings-privacy-api", fixtures({ busyPorts: [9000] }), async ({ page }) => {
    await page.getByTestId("open-settings").click();
    const privacy = page.getByTestId("privacy-status");
    await page.waitForFunction(() => document.querySelector('[data-testid="privacy-status"]')?.dataset.mode === "keychain");
    assert.match(await privacy.textContent(), /key kept in the system keyring \(Secret Service\)/);
    await page.getByTestId("privacy-use-passphrase").click();
    await page.getByTestId("passphrase-new").fill("a long passphrase");
    await page.getByTestId("passphrase-confirm").fill("a long passphrase");
    await shootSection(page, "privacy-settings", "settings-privacy");
    await page.getByTestId("privacy-save").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="privacy-status"]')?.dataset.mode === "passphrase");
    assert.deepEqual((await calls(page, "set_history_passphrase")).map((c) => c.args), [{ passphrase: "a long passphrase" }]);

    // The local API: a taken port leaves it off, another starts it.
    const toggle = page.getByTestId("api-enabled");
    await page.getByTestId("api-port").fill("9000");
    await toggle.click();
    await page.getByTestId("api-error").waitFor({ state: "visible" });
    assert.match(await page.getByTestId("api-error").textContent(), /BIND_FAILED/);
    await page.waitForFunction(() => !document.querySelector('[data-testid="api-enabled"]').checked);
    await page.getByTestId("api-port").fill("8089");
    await toggle.click();
    await page.getByTestId("api-base-url").waitFor({ state: "visible" });
    assert.equal(await page.getByTestId("api-base-url").textContent(), "http://127.0.0.1:8089/v1");
    assert.equal(await page.getByTestId("api-key").count(), 0, "the key is hidden until asked for");
    assert.equal((await calls(page, "reveal_api_key")).length, 0);
    await page.getByTestId("api-show-key").click();
    await page.getByTestId("api-key").waitFor({ state: "visible" });
    assert.equal(await page.getByTestId("api-key").textContent(), "anm-4f1c0d9e7a2b5c8d3e6f9a1b4c7d0e2f");
    await shootSection(page, "api-settings", "settings-local-api");

    // Leaving Settings forgets it.
    await page.getByTestId("settings-close").click();
    await page.getByTestId("open-settings").click();
    await page.getByTestId("api-show-key").waitFor({ state: "visible" });
    assert.equal(await page.getByTestId("api-key").count(), 0);
  });
});

test("Settings → Remote engine: an invalid address is refused, an http one connects with a loud warning", async () => {
  await withApp("settings-remote", fixtures(), async ({ page }) => {
    await page.getByTestId("open-settings").click();
    await page.getByTestId("remote-enabled").check();
    await page.getByTestId("remote-url").fill("http://gpu.clinic.example/v1");
    await page.getByTestId("remote-save").click();
    await page.getByTestId("remote-invalid").waitFor({ state: "visible" });
    assert.match(await page.getByTestId("remote-invalid").textContent(), /plain http is allowed only/);

    const key = "sk-remote-0123456789abcdefghijklmnop";
    await page.getByTestId("remote-key-input").fill(key);
    await page.getByTestId("remote-key-save").click();
    await page.waitForFunction(() => /Saved in/.test(document.querySelector('[data-testid="remote-key-status"]')?.textContent ?? ""));
    assert.equal(await page.getByTestId("remote-key-input").inputValue(), "");
    assert.ok(!(await page.content()).includes(key), "the key is never echoed");

    await page.getByTestId("remote-url").fill("http://10.0.0.5:8000/v1");
    await page.getByTestId("remote-model").fill("baichuan-m2");
    await page.getByTestId("remote-connect").click();
    await page.getByTestId("remote-connected").waitFor({ state: "visible" });
    assert.equal(await page.getByTestId("remote-connected").textContent(), "Connected: baichuan-m2 (remote:10.0.0.5)");
    await page.getByTestId("remote-insecure").waitFor({ state: "visible" });
    await shootSection(page, "remote-settings", "settings-remote");

    await page.getByTestId("settings-close").click();
    const warn = page.getByTestId("insecure-remote-warning");
    await warn.waitFor({ state: "visible" });
    assert.match(await warn.textContent(), /Unencrypted connection \(http\)/);
    assert.match(await page.getByTestId("remote-hint").textContent(), /answers from the remote server/);
    assert.equal(await page.getByTestId("cpu-warning").count(), 0);
    assert.equal(await page.getByTestId("model-notice").getAttribute("data-tone"), "warning");
    await shot(page, "remote-http-header");
  });
});

test("the lock screen in Chinese", async () => {
  await withApp("history-lock-zh", fixtures({ settings: settings({ language: "zh" }), history: { state: "locked" }, passphrase: PASS }), async ({ page }) => {
    const lock = page.getByTestId("history-lock");
    await lock.waitFor({ state: "visible" });
    await page.waitForFunction(() => /您的问诊记录已用密码保护/.test(document.querySelector('[data-testid="history-lock"]')?.textContent ?? ""));
    await shot(page, "history-lock-zh");
  });
});
