// The thinking mode is per consultation, in Chromium against the fake backend: the composer
// shows and changes the open consultation's mode (update_consultation), another consultation
// keeps its own, the mode is still there when the consultation is opened again, and a turn
// carries no thinking argument; Settings holds the default new consultations start with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ask, browserSuite, calls, shot, waitStreams } from "./harness.mjs";
import { consultations, fixtures } from "./fixtures.mjs";

const { withApp } = browserSuite({ noUnmocked: true });

/** The mode the composer shows as chosen. */
function shownMode(page) {
  return page.evaluate(() => document.querySelector('[data-testid^="thinking-mode-"]:checked')?.value ?? null);
}

async function open(page, title) {
  await page.getByTestId("consultation-list").getByText(title).first().click();
  await page.waitForFunction((t) => document.querySelector('[data-testid="consultation-heading"]')?.textContent === t, title);
}

function withModes(modes) {
  return consultations().map((c, i) => {
    c.view.consultation.thinking = modes[i];
    return c;
  });
}

test("each consultation keeps its own thinking mode; turns carry none", async () => {
  const fx = fixtures({ consultations: withModes(["auto", "off", "on"]) });
  await withApp("thinking-per-consultation", fx, async ({ page }) => {
    const [fever, knee] = fx.consultations.map((c) => c.summary.title);
    await page.waitForFunction((t) => document.querySelector('[data-testid="consultation-heading"]')?.textContent === t, fever);
    assert.equal(await shownMode(page), "auto", "the open consultation's mode, not the default (on)");

    await page.getByTestId("thinking-mode-off").check();
    await page.waitForFunction(() => window.__fakeIpc.calls.some((c) => c.cmd === "update_consultation"));
    const updates = await calls(page, "update_consultation");
    assert.deepEqual(updates.map((c) => c.args), [{ id: 1, title: null, chiefComplaint: null, patient: null, thinking: "off" }]);
    assert.equal((await calls(page, "set_thinking")).length, 0, "the default is not touched");
    await shot(page, "thinking-composer");

    // Another consultation: its own mode, unchanged.
    await open(page, knee);
    assert.equal(await shownMode(page), "off");
    await page.getByTestId("thinking-mode-on").check();
    await page.waitForFunction(() => window.__fakeIpc.calls.filter((c) => c.cmd === "update_consultation").length === 2);

    // Reopened: what was stored for each.
    await open(page, fever);
    assert.equal(await shownMode(page), "off");
    await open(page, knee);
    assert.equal(await shownMode(page), "on");
    await open(page, fever);

    await ask(page, "Is 39.5 °C dangerous?");
    await waitStreams(page, 1);
    const sends = await calls(page, "consult_send");
    assert.equal(sends.length, 1);
    assert.deepEqual(Object.keys(sends[0].args).sort(), ["attachments", "id", "onEvent", "text"], "consult_send carries no thinking argument");
    assert.equal(sends[0].args.id, 1);
    const stored = await page.evaluate(() => window.__fakeIpc.consultations.map((c) => [c.view.consultation.id, c.view.consultation.thinking]));
    assert.deepEqual(stored, [[1, "off"], [2, "on"], [3, "on"]]);
  });
});

test("Settings sets the default thinking mode for new consultations only", async () => {
  await withApp("thinking-default", fixtures(), async ({ page }) => {
    await page.getByTestId("message-input").waitFor({ state: "visible" });
    assert.equal(await shownMode(page), "on");
    await page.getByTestId("open-settings").click();
    const section = page.getByTestId("thinking-settings");
    await section.waitFor({ state: "visible", timeout: 3_000 });
    assert.match(await section.textContent(), /Default thinking mode for new consultations/);
    assert.ok(await page.getByTestId("default-thinking-on").isChecked(), "the default from the settings");
    await page.getByTestId("default-thinking-auto").check();
    await page.waitForFunction(() => window.__fakeIpc.calls.some((c) => c.cmd === "set_thinking" && c.args.mode === "auto"));
    await section.scrollIntoViewIfNeeded();
    await shot(page, "thinking-default");
    await page.getByTestId("settings-close").click();
    assert.equal(await shownMode(page), "on", "the open consultation keeps its mode");
    assert.equal((await calls(page, "update_consultation")).length, 0);

    // A new consultation starts with the new default.
    await page.getByTestId("new-consultation").click();
    await page.waitForFunction(() => window.__fakeIpc.calls.some((c) => c.cmd === "new_consultation"));
    await page.waitForFunction(() => document.querySelector('[data-testid^="thinking-mode-"]:checked')?.value === "auto");
  });
});
