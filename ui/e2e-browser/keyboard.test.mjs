// Keyboard only, in Chromium against the fake backend: no click anywhere, only page.keyboard
// (Tab, Shift+Tab, Enter, Space, the arrows, Escape and the shortcuts of lib/shortcuts.ts).
//   - from a ready model: Tab to the message box, ask, stop the streaming answer with Escape;
//     Escape in the export menu closes the menu and leaves the answer alone;
//   - Ctrl+N opens a new consultation, Ctrl+K the history search, Ctrl+, Settings (Escape closes
//     it and focus is back where it was), Ctrl+L and "/" the message box;
//   - the thinking mode's radio group turns with the arrow keys;
//   - Tab and Shift+Tab go round every visible control of the chat screen, each with a name, in
//     the same order both ways, with no trap outside a dialog; inside Settings Tab stays in it;
//   - the model picker: Enter on the header's badge opens it, Tab stays inside, the arrows move
//     the choice of model without loading it (Enter does), Escape closes it back to the badge;
//   - a narrow window: Ctrl+K opens the history drawer first, Escape closes it;
//   - what scrolls in an answer (the reasoning, a long line of code) is a named stop the arrows
//     scroll; a link's question, editing a question, the patient form and a delete to confirm
//     close with Escape (or their buttons) and give focus back to the control that opened them;
//   - a button that goes away (Collapse reasoning, the open questions' Send, Regenerate, an
//     edit's Save, "Show the answer anyway", a banner's ×) hands focus on, never to the page.
// Screenshots: keyboard-*.png; the Tab order of the chat screen and Settings:
// keyboard-tab-order.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, browserSuite, calls, shot, waitStreams } from "./harness.mjs";
import { EMERGENCY, PARSED, STRUCTURED_ANSWER, chunks, consultScript, failedScript, fixtures, pickerFixtures } from "./fixtures.mjs";

const { withApp } = browserSuite({ noUnmocked: true });

/** A slow answer: time to press keys while it streams. */
const SLOW = consultScript({
  match: "throat",
  reasoning: chunks("Sore throat: viral pharyngitis is most likely; check for a high fever and trouble swallowing.", 16),
  content: chunks("A sore throat is usually viral and gets better within a week. Drink warm fluids and rest.", 8),
  reasoningTick: 120,
  contentTick: 350,
});
/** A quick, structured answer with open questions (the follow-up form). */
const QUICK = consultScript({
  reasoning: chunks("Fever and cough: consider a viral infection first.", 14),
  content: chunks(STRUCTURED_ANSWER, 40),
  tick: 10,
  reasoningMs: 900,
});

/** An answer with what scrolls: a long reasoning trace, a wide table, a long line of code, a link. */
const DAYS = Array.from({ length: 14 }, (_, i) => `Day${i + 1}`);
const WIDE_TABLE = [
  `| Medicine | ${DAYS.join(" | ")} |`,
  `|:--|${DAYS.map(() => "--:").join("|")}|`,
  `| Paracetamol | ${DAYS.map(() => "1000mg").join(" | ")} |`,
  `| Ibuprofen | ${DAYS.map(() => "400mg").join(" | ")} |`,
].join("\n");
const SCROLLING = consultScript({
  match: "dose",
  reasoning: chunks(Array.from({ length: 30 }, (_, i) => `Step ${i + 1}: weigh the doses, the interactions and the red flags once more.`).join(" "), 60),
  content: chunks(
    `See [the NHS page](https://www.nhs.uk/medicines/paracetamol-for-adults/) first.\n\n${WIDE_TABLE}\n\n` +
      "```\nmax_daily_mg = min(4000, 60 * weight_kg) if weight_kg < 50 else 4000  # never more than this in 24 hours, whatever the brand or the combination product\n```\n",
    40,
  ),
  tick: 5,
  reasoningMs: 2400,
});

const EMERGENCY_ANSWER = consultScript({
  match: "chest pain",
  triage: EMERGENCY,
  content: chunks("While you wait for the ambulance: sit down and stay calm.", 16),
});
const FAILED = failedScript("migraine");

function fx() {
  return fixtures({ scripts: [QUICK, SLOW, SCROLLING, EMERGENCY_ANSWER, FAILED], parsedFor: [{ match: "Red flags", parsed: PARSED }] });
}

/**
 * Installed in the page: what the focused element is, with a stable id (data-kb), the name a
 * screen reader would read (aria-labelledby, aria-label, its labels, its text; never the
 * placeholder), and whether it is visible, in a dialog, a radio of a group…
 */
function installProbe() {
  let next = 1;
  const hidden = (el) => {
    if (el.closest('[aria-hidden="true"]')) return true;
    const s = getComputedStyle(el);
    return s.display === "none" || s.visibility === "hidden";
  };
  /** The text a label or button gives its control: skips what is hidden and the fields inside. */
  const textOf = (node) => {
    if (!node) return "";
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE || hidden(node)) return "";
    if (node.matches("input, select, textarea")) return "";
    if (node.matches("img[alt]")) return node.getAttribute("alt");
    const label = node.getAttribute("aria-label");
    if (label?.trim() && node.matches("svg, [role]")) return label;
    return [...node.childNodes].map(textOf).join("");
  };
  const nameOf = (el) => {
    const clean = (s) => (s ?? "").replace(/\s+/g, " ").trim();
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const n = clean(by.split(/\s+/).map((id) => textOf(document.getElementById(id))).join(" "));
      if (n) return { name: n, from: "aria-labelledby" };
    }
    const label = clean(el.getAttribute("aria-label"));
    if (label) return { name: label, from: "aria-label" };
    if (el.labels?.length) {
      const n = clean([...el.labels].map(textOf).join(" "));
      if (n) return { name: n, from: "label" };
    }
    if (el.matches("button, a[href], summary, [role=button], [role=link], [role=tab], [role=menuitem], [role=option]")) {
      const n = clean(textOf(el));
      if (n) return { name: n, from: "content" };
    }
    if (el.matches("fieldset")) {
      const n = clean(textOf(el.querySelector("legend")));
      if (n) return { name: n, from: "legend" };
    }
    const title = clean(el.getAttribute("title"));
    if (title) return { name: title, from: "title" };
    return { name: "", from: null };
  };
  const describe = (el) => {
    if (!el || el === document.body || el === document.documentElement) return { body: true };
    if (!el.dataset.kb) el.dataset.kb = String(next++);
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return {
      body: false,
      kb: el.dataset.kb,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type"),
      testid: el.dataset.testid ?? null,
      ...nameOf(el),
      visible: r.width > 0 && r.height > 0 && s.visibility !== "hidden" && !el.closest("[hidden]"),
      inDialog: !!el.closest('[role="dialog"]'),
      radio: el.matches('input[type="radio"]') ? { name: el.name, checked: el.checked, value: el.value } : null,
      html: el.outerHTML.slice(0, 160),
    };
  };
  window.__kb = {
    focused: () => describe(document.activeElement),
    /**
     * Every control a keyboard user should reach on screen now: visible, enabled, focusable
     * (a radio group is one stop, on its checked radio), outside dialogs unless `inDialog`.
     */
    controls: (inDialog) => {
      const sel = 'button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
      const out = [];
      for (const el of document.querySelectorAll(sel)) {
        if (el.disabled || el.closest("[inert], [hidden], fieldset:disabled") || el.getAttribute("tabindex") === "-1") continue;
        if (!!el.closest('[role="dialog"]') !== inDialog) continue;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || s.visibility === "hidden" || el.closest('[aria-hidden="true"]')) continue;
        if (el.matches('input[type="radio"]') && !el.checked) {
          const group = document.querySelectorAll(`input[type="radio"][name="${CSS.escape(el.name)}"]`);
          if ([...group].some((g) => g.checked)) continue;
        }
        out.push(describe(el));
      }
      return out;
    },
  };
}

const focused = (page) => page.evaluate(() => window.__kb.focused());

async function composerReady(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="message-input"]');
    return el && !el.disabled && el.offsetParent !== null;
  });
}

/** Presses `key` until the focused element matches `pred` (at most `max` times). */
async function tabTo(page, pred, { key = "Tab", max = 80, what = "the control" } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    seen.push(f.body ? "(page)" : `${f.tag}${f.testid ? `[${f.testid}]` : ""} “${f.name}”`);
    if (!f.body && pred(f)) return { focus: f, presses: i + 1 };
  }
  throw new Error(`${key} never reached ${what}; focus went through:\n  ${seen.join("\n  ")}`);
}

/**
 * Goes round with `key` from where focus is, until focus comes back to the first stop. Fails on a
 * stop that stays put (a trap) and on a loop that never comes back to the start (a trap too).
 * Leaving the page (to the browser) is where a round ends: allowed once a round.
 */
async function round(page, key = "Tab", max = 200) {
  const stops = [];
  const seen = new Map();
  let left = 0;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (f.body) {
      left += 1;
      assert.ok(left <= 2, `${key} left the page twice without coming back to the first stop`);
      continue;
    }
    if (stops.length && f.kb === stops[0].kb) return stops;
    const last = stops[stops.length - 1];
    assert.ok(!last || last.kb !== f.kb, `${key} stays on ${f.html} (a focus trap)`);
    assert.ok(!seen.has(f.kb), `${key} went back to ${f.html} without coming round to the start (a focus trap):\n  ${stops.map(label).join("\n  ")}`);
    seen.set(f.kb, f);
    stops.push(f);
  }
  throw new Error(`${key} went ${max} steps without coming round: ${stops.map(label).join(", ")}`);
}

const label = (f) => `${f.tag}${f.type ? `[type=${f.type}]` : ""}${f.testid ? ` ${f.testid}` : ""} “${f.name}”${f.from ? ` (${f.from})` : ""}`;

/** Every stop has a name and is on screen. */
function assertNamed(stops, where) {
  const unnamed = stops.filter((s) => !s.name).map((s) => s.html);
  assert.deepEqual(unnamed, [], `${where}: focus stops without an accessible name`);
  const invisible = stops.filter((s) => !s.visible).map((s) => s.html);
  assert.deepEqual(invisible, [], `${where}: focus stops that cannot be seen`);
}

async function ctrl(page, key) {
  await page.keyboard.press(`Control+${key}`);
}

async function waitCalls(page, cmd, n) {
  await page.waitForFunction(([c, k]) => window.__fakeIpc.calls.filter((x) => x.cmd === c).length >= k, [cmd, n]);
}

async function focusIs(page, testid, what = testid) {
  await page
    .waitForFunction((id) => document.activeElement?.dataset?.testid === id, testid, { timeout: 3_000 })
    .catch(async () => {
      const f = await focused(page);
      throw new Error(`focus should be on ${what}; it is on ${f.body ? "the page" : f.html}`);
    });
}

test("keyboard only: ask, stop with Escape, new consultation, search, Settings, the message box, thinking mode", async () => {
  await withApp("keyboard-flow", fx(), async ({ page }) => {
    await page.evaluate(installProbe);
    await composerReady(page);

    // Tab from the top of the window to the message box, and ask there.
    const { presses } = await tabTo(page, (f) => f.testid === "message-input", { what: "the message box" });
    assert.ok(presses < 40, `the message box is ${presses} Tab presses away`);
    assert.match((await focused(page)).name, /Describe the symptoms/);
    await page.keyboard.type("My throat is sore since this morning");
    await page.keyboard.press("Enter");
    await waitCalls(page, "consult_send", 1);
    await page.waitForFunction(() => document.querySelector('[data-testid="assistant-message"][data-status="streaming"]'));

    // Escape in the open export menu closes it; the answer goes on.
    await tabTo(page, (f) => f.testid === "export-menu", { key: "Shift+Tab", what: "the Export button" });
    await page.keyboard.press("Enter");
    await page.getByTestId("export-panel").waitFor({ state: "visible" });
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).testid, "export-include-reasoning");
    await page.keyboard.press("Escape");
    await page.getByTestId("export-panel").waitFor({ state: "detached" });
    await focusIs(page, "export-menu", "the Export button");
    assert.equal((await calls(page, "stop_generation")).length, 0, "Escape in the menu only closed the menu");
    assert.equal(await page.getByTestId("assistant-message").last().getAttribute("data-status"), "streaming");

    // Ctrl+L back to the message box; Escape there stops the answer.
    await ctrl(page, "l");
    await focusIs(page, "message-input", "the message box");
    await page.waitForFunction(() => (document.querySelector('[data-testid="stop"]')?.getAttribute("aria-keyshortcuts") ?? "") === "Escape");
    await page.keyboard.press("Escape");
    await waitCalls(page, "stop_generation", 1);
    await waitStreams(page, 1);
    await page.waitForFunction(() => /Stopped/.test([...document.querySelectorAll('[data-testid="finish-note"]')].pop()?.textContent ?? ""));
    await focusIs(page, "message-input", "the message box (still)");
    // Nothing streams now: Escape stops nothing.
    await page.keyboard.press("Escape");
    await page.waitForTimeout(100);
    assert.equal((await calls(page, "stop_generation")).length, 1);
    await shot(page, "keyboard-stopped");

    // Ctrl+N: a new consultation, the message box focused in it.
    const before = (await calls(page, "new_consultation")).length;
    await ctrl(page, "n");
    await waitCalls(page, "new_consultation", before + 1);
    await page.waitForFunction(() => document.querySelector('[data-testid="consultation-heading"]')?.textContent === "Untitled consultation");
    await focusIs(page, "message-input", "the new consultation's message box");
    // A second Ctrl+N on the untouched one makes no other.
    await ctrl(page, "n");
    await page.waitForTimeout(150);
    assert.equal((await calls(page, "new_consultation")).length, before + 1, "an untouched consultation is reused");

    // The thinking mode: Tab to its radio group, the arrows turn it.
    const radio = await tabTo(page, (f) => !!f.radio, { what: "the thinking mode" });
    assert.deepEqual(radio.focus.radio.checked, true, "Tab lands on the chosen mode");
    assert.equal(radio.focus.radio.value, "on");
    await page.keyboard.press("ArrowRight");
    await waitCalls(page, "update_consultation", 1);
    assert.equal((await focused(page)).radio.value, "off");
    await page.keyboard.press("ArrowRight");
    await waitCalls(page, "update_consultation", 2);
    await page.keyboard.press("ArrowLeft");
    await waitCalls(page, "update_consultation", 3);
    const modes = (await calls(page, "update_consultation")).map((c) => c.args.thinking);
    assert.deepEqual(modes, ["off", "auto", "off"]);
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid^="thinking-mode-"]:checked')?.value), "off");

    // "/" from a control that takes no typing: the message box.
    await page.keyboard.press("/");
    await focusIs(page, "message-input", "the message box");
    assert.equal(await page.getByTestId("message-input").inputValue(), "", '"/" was not typed');
    // In the message box "/" is a character.
    await page.keyboard.press("/");
    assert.equal(await page.getByTestId("message-input").inputValue(), "/");
    await page.keyboard.press("Backspace");

    // Ctrl+K: the history search; Escape clears it (and stops nothing).
    await ctrl(page, "k");
    await focusIs(page, "history-search", "the history search");
    await page.keyboard.type("knee");
    await page.getByTestId("search-hit").first().waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    assert.equal(await page.getByTestId("history-search").inputValue(), "");
    await page.getByTestId("consultation-list").waitFor({ state: "visible" });

    // Ctrl+, opens Settings with focus inside; its shortcut list is there; Escape closes it and
    // focus is back in the search field.
    await ctrl(page, ",");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ state: "visible" });
    assert.ok((await focused(page)).inDialog, "focus moved into Settings");
    const list = page.getByTestId("shortcuts-settings");
    assert.match(await list.textContent(), /Keyboard shortcuts[\s\S]*Ctrl\+N or Ctrl\+Shift\+O[\s\S]*Ctrl\+K[\s\S]*Ctrl\+L or \/[\s\S]*Esc[\s\S]*Ctrl\+,/);
    await list.scrollIntoViewIfNeeded();
    await shot(page, "keyboard-shortcuts-list");
    // Behind the dialog nothing answers the shortcuts.
    const news = (await calls(page, "new_consultation")).length;
    await ctrl(page, "n");
    await page.waitForTimeout(100);
    assert.equal((await calls(page, "new_consultation")).length, news, "Ctrl+N does nothing behind Settings");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await focusIs(page, "history-search", "the search field, where it was before Settings");

    // Enter on a consultation in the list opens it (Tab, then Enter).
    await tabTo(page, (f) => f.testid === "consultation-open" && /Knee pain/.test(f.name), { what: "Knee pain in the list" });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector('[data-testid="consultation-heading"]')?.textContent === "Knee pain after running");

    // And a question in it, sent from the keyboard: a finished answer, its follow-up form.
    await ctrl(page, "l");
    await focusIs(page, "message-input");
    await page.keyboard.type("Fever and cough, what now?");
    await page.keyboard.press("Enter");
    await waitStreams(page, 2);
    await tabTo(page, (f) => f.testid === "follow-up-answer" && /How long have you had the fever/.test(f.name), {
      key: "Shift+Tab",
      what: "the first open question",
    });
    await page.keyboard.type("Two days");
    await page.keyboard.press("Enter");
    await waitCalls(page, "consult_send", 3);
    await waitStreams(page, 3);

    // The discoverable keys.
    const attrs = await page.evaluate(() =>
      Object.fromEntries(
        ["new-consultation", "open-settings", "history-search", "message-input"].map((id) => {
          const el = document.querySelector(`[data-testid="${id}"]`);
          return [id, [el?.getAttribute("aria-keyshortcuts"), el?.getAttribute("title")]];
        }),
      ),
    );
    assert.deepEqual(attrs["new-consultation"], ["Control+N Control+Shift+O", "Start a new consultation (Ctrl+N)"]);
    assert.deepEqual(attrs["open-settings"], ["Control+,", "Open Settings (Ctrl+,)"]);
    assert.deepEqual(attrs["history-search"], ["Control+K", "Search the consultation history (Ctrl+K)"]);
    assert.equal(attrs["message-input"][0], "Control+L /");
    await shot(page, "keyboard-flow");
  });
});

test("Tab and Shift+Tab go round every visible control of the chat screen, each named, with no trap", async () => {
  await withApp("keyboard-tab-order", fx(), async ({ page }) => {
    await page.evaluate(installProbe);
    await composerReady(page);
    // An answer with its thinking, sections and open questions on screen.
    await ctrl(page, "l");
    await focusIs(page, "message-input");
    await page.keyboard.type("Fever and cough for two days");
    await page.keyboard.press("Enter");
    await waitStreams(page, 1);
    await page.getByTestId("follow-up-answer").first().waitFor({ state: "visible" });
    // The thinking trace open too (Space on its toggle).
    await tabTo(page, (f) => f.testid === "thinking-toggle", { key: "Shift+Tab", what: "the thinking toggle" });
    await page.keyboard.press("Space");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="thinking-toggle"]')].pop()?.getAttribute("aria-expanded") === "true");

    const forward = await round(page, "Tab");
    assertNamed(forward, "chat screen");
    assert.ok(forward.every((s) => !s.inDialog));

    // Every control on screen is a stop of the round.
    const reached = new Set(forward.map((s) => s.kb));
    const controls = await page.evaluate(() => window.__kb.controls(false));
    const missed = controls.filter((c) => !reached.has(c.kb)).map(label);
    assert.deepEqual(missed, [], "controls Tab never reaches");

    // Shift+Tab: the same stops, the other way round.
    const backward = await round(page, "Shift+Tab");
    const rotate = (ids, first) => {
      const i = ids.indexOf(first);
      assert.ok(i >= 0, "Shift+Tab goes through the first stop of Tab");
      return [...ids.slice(i), ...ids.slice(0, i)];
    };
    const fwdIds = forward.map((s) => s.kb);
    const backIds = rotate(backward.map((s) => s.kb).reverse(), fwdIds[0]);
    assert.deepEqual(backIds.map((id) => label(forward.find((s) => s.kb === id) ?? backward.find((s) => s.kb === id))), forward.map(label), "Shift+Tab retraces Tab");

    // Settings (Ctrl+,): Tab stays inside the dialog, every stop named; Escape closes it.
    const from = await focused(page);
    await ctrl(page, ",");
    await page.getByRole("dialog").waitFor({ state: "visible" });
    await page.getByTestId("shortcuts-settings").waitFor({ state: "attached" });
    const inside = await round(page, "Tab");
    assertNamed(inside, "Settings");
    const outside = inside.filter((s) => !s.inDialog).map(label);
    assert.deepEqual(outside, [], "Tab leaves the Settings dialog");
    const dialogControls = await page.evaluate(() => window.__kb.controls(true));
    const reachedInside = new Set(inside.map((s) => s.kb));
    assert.deepEqual(dialogControls.filter((c) => !reachedInside.has(c.kb)).map(label), [], "controls in Settings Tab never reaches");
    await shot(page, "keyboard-settings");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    assert.equal((await focused(page)).kb, from.kb, "focus is back where it was before Settings");

    await shot(page, "keyboard-tab-order");
    // The round, for whoever reads the screenshots.
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, "keyboard-tab-order.json"), JSON.stringify({ chat: forward.map(label), settings: inside.map(label) }, null, 2));
  });
});

test("the model picker: Enter on the badge opens it, Tab stays inside, the arrows only choose, Escape closes it", async () => {
  await withApp("keyboard-picker", pickerFixtures(), async ({ page }) => {
    await page.evaluate(installProbe);
    await composerReady(page);
    await tabTo(page, (f) => f.testid === "model-badge", { what: "the model badge" });
    await page.keyboard.press("Enter");
    await page.getByTestId("load-controls").waitFor({ state: "visible" });
    assert.ok((await focused(page)).inDialog, "focus moves into the picker");

    const inside = await round(page, "Tab");
    assertNamed(inside, "the model picker");
    assert.deepEqual(inside.filter((s) => !s.inDialog).map(label), [], "Tab leaves the picker");
    const reached = new Set(inside.map((s) => s.kb));
    const controls = await page.evaluate(() => window.__kb.controls(true));
    assert.deepEqual(controls.filter((c) => !reached.has(c.kb)).map(label), [], "controls in the picker Tab never reaches");
    const back = await round(page, "Shift+Tab");
    assert.deepEqual(new Set(back.map((s) => s.kb)), reached, "Shift+Tab goes round the same stops");

    // The arrows move the choice; only Enter (or Load) loads, as loading replaces the model.
    await tabTo(page, (f) => !!f.radio?.checked, { what: "the chosen model" });
    await page.keyboard.press("ArrowUp");
    await page.getByTestId("picker-load").waitFor({ state: "visible" });
    assert.equal((await calls(page, "use_model")).length, 0, "the arrows load nothing");
    await shot(page, "keyboard-picker");
    await page.keyboard.press("Enter");
    await waitCalls(page, "use_model", 1);
    await waitCalls(page, "load_model", 1);
    assert.equal((await calls(page, "use_model"))[0].args.variant, "baichuan-m2-32b-gptq-int4");
    await page.getByTestId("picker-load").waitFor({ state: "detached" });
    assert.ok((await focused(page)).radio?.checked, "focus stays on the chosen model");

    await page.keyboard.press("Escape");
    await page.getByTestId("model-picker").waitFor({ state: "detached" });
    await focusIs(page, "model-badge", "the model badge");
  });
});

test("a narrow window: Ctrl+K opens the history drawer at its search; Escape closes it", async () => {
  await withApp("keyboard-narrow", fx(), async ({ page }) => {
    await page.setViewportSize({ width: 720, height: 800 });
    await page.evaluate(installProbe);
    await composerReady(page);
    assert.equal(await page.getByTestId("history-search").isVisible(), false, "the drawer starts closed");
    await ctrl(page, "k");
    await focusIs(page, "history-search", "the search field in the drawer");
    assert.equal(await page.getByTestId("toggle-history").getAttribute("aria-expanded"), "true");
    await page.keyboard.type("fever");
    await page.getByTestId("search-hit").first().waitFor({ state: "visible" });
    await shot(page, "keyboard-narrow-search");
    // Escape: first the search text, then the drawer, back to its button.
    await page.keyboard.press("Escape");
    assert.equal(await page.getByTestId("history-search").inputValue(), "");
    await page.keyboard.press("Escape");
    await page.getByTestId("history-search").waitFor({ state: "hidden" });
    await focusIs(page, "toggle-history", "the History button");
    // Enter on it opens the drawer again; Ctrl+L closes it for the message box.
    await page.keyboard.press("Enter");
    await page.getByTestId("history-search").waitFor({ state: "visible" });
    await ctrl(page, "l");
    await focusIs(page, "message-input");
    await page.getByTestId("history-search").waitFor({ state: "hidden" });
  });
});

test("what scrolls is reachable and named; focus comes back from every small question", async () => {
  await withApp("keyboard-scroll-and-return", fx(), async ({ page }) => {
    await page.evaluate(installProbe);
    await composerReady(page);
    await ctrl(page, "l");
    await page.keyboard.type("What dose of paracetamol can I take?");
    await page.keyboard.press("Enter");
    await waitStreams(page, 1);
    await page.getByTestId("assistant-message").last().locator("table").waitFor({ state: "visible" });
    await tabTo(page, (f) => f.testid === "thinking-toggle", { key: "Shift+Tab", what: "the thinking toggle" });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="thinking-toggle"]')].pop()?.getAttribute("aria-expanded") === "true");

    // Whatever scrolls (the trace, the table, the code) is a named stop of its own, by tabindex
    // (WebKit, the macOS and Linux webviews, never focuses a scroller by itself).
    const scrollers = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('[data-testid="assistant-message"] *')) {
        const s = getComputedStyle(el);
        const x = /auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
        const y = /auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
        if (x || y) out.push({ tag: el.tagName.toLowerCase(), testid: el.dataset.testid ?? null, tabindex: el.getAttribute("tabindex") });
      }
      return out;
    });
    // (The table wraps its cells rather than scroll; a formula or table that cannot would too.)
    assert.deepEqual(scrollers.map((s) => s.testid ?? s.tag).sort(), ["pre", "thinking-trace"], "the trace and the code scroll");
    assert.deepEqual(scrollers.filter((s) => s.tabindex !== "0").map((s) => s.tag), [], "scrollers without tabindex=0");
    const stops = await round(page, "Tab");
    assertNamed(stops, "an answer that scrolls");
    const scrollStops = stops.filter((s) => s.tag === "pre" || s.testid === "thinking-trace").map((s) => s.name);
    assert.deepEqual(scrollStops, ["Reasoning", "Code"], "the trace and the code are named stops");
    // The arrow keys scroll them.
    await tabTo(page, (f) => f.tag === "pre", { what: "the code" });
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.activeElement.scrollLeft > 0);
    await tabTo(page, (f) => f.testid === "thinking-trace", { key: "Shift+Tab", what: "the reasoning" });
    await page.keyboard.press("PageDown");
    await page.waitForFunction(() => document.activeElement.scrollTop > 0);
    await shot(page, "keyboard-scrollers");

    // A link asks first; Escape leaves it closed and focus on the link.
    await tabTo(page, (f) => f.tag === "a" && /NHS page/.test(f.name), { key: "Shift+Tab", what: "the link in the answer" });
    await page.keyboard.press("Enter");
    await page.getByTestId("link-confirm").waitFor({ state: "visible" });
    await focusIs(page, "link-confirm-no", "the link question's safe answer");
    await page.keyboard.press("Escape");
    await page.getByTestId("link-confirm").waitFor({ state: "detached" });
    assert.match((await focused(page)).name, /NHS page/, "focus is back on the link");
    assert.equal((await calls(page, "plugin:opener|open_url")).length, 0);

    // Editing a question: Escape cancels, back on its Edit button.
    await tabTo(page, (f) => f.testid === "edit-message", { key: "Shift+Tab", what: "Edit on the question" });
    await page.keyboard.press("Enter");
    await focusIs(page, "edit-input", "the question's text");
    await page.keyboard.press("Escape");
    await page.getByTestId("edit-form").waitFor({ state: "detached" });
    await focusIs(page, "edit-message", "the Edit button");

    // The patient's details: Enter opens the form in its first field; Escape closes it, back on
    // its button; so does Cancel.
    await tabTo(page, (f) => f.testid === "patient-toggle", { key: "Shift+Tab", what: "the patient's Edit" });
    await page.keyboard.press("Enter");
    await focusIs(page, "consultation-title-input", "the form's first field");
    await page.keyboard.press("Escape");
    await page.getByTestId("patient-save").waitFor({ state: "detached" });
    await focusIs(page, "patient-toggle", "the patient's Edit button");
    await page.keyboard.press("Enter");
    await focusIs(page, "consultation-title-input");
    await tabTo(page, (f) => f.testid === "patient-cancel", { what: "Cancel" });
    await page.keyboard.press("Enter");
    await page.getByTestId("patient-save").waitFor({ state: "detached" });
    await focusIs(page, "patient-toggle", "the patient's Edit button, after Cancel");
    await page.keyboard.press("Enter");
    await focusIs(page, "consultation-title-input");
    await tabTo(page, (f) => f.testid === "patient-save", { what: "Save" });
    await page.keyboard.press("Enter");
    await page.getByTestId("patient-save").waitFor({ state: "detached" });
    await waitCalls(page, "update_consultation", 1);
    await focusIs(page, "patient-toggle", "the patient's Edit button, after Save");

    // Deleting from the history: the question focuses Keep; Escape keeps, back on the trash
    // button; Delete moves focus to the consultation that takes its place.
    await tabTo(page, (f) => f.testid === "consultation-delete" && /Knee pain/.test(f.name), { what: "Delete Knee pain" });
    await page.keyboard.press("Enter");
    await page.getByTestId("consultation-delete-confirm").waitFor({ state: "visible" });
    await focusIs(page, "consultation-delete-confirm-no", "Keep");
    await page.keyboard.press("Escape");
    await page.getByTestId("consultation-delete-confirm").waitFor({ state: "detached" });
    await focusIs(page, "consultation-delete", "the trash button");
    assert.match((await focused(page)).name, /Knee pain/);
    await page.keyboard.press("Space");
    await focusIs(page, "consultation-delete-confirm-no", "Keep");
    await page.keyboard.press("Shift+Tab");
    await focusIs(page, "consultation-delete-confirm-yes", "Delete");
    await page.keyboard.press("Enter");
    await waitCalls(page, "delete_consultation", 1);
    await page.getByTestId("consultation-delete-confirm").waitFor({ state: "detached" });
    await focusIs(page, "consultation-open", "the next consultation in the list");
    assert.match((await focused(page)).name, /Headache/);
  });
});

test("a button that goes away hands focus on (collapse, open questions, regenerate, edit, the emergency fold, a banner)", async () => {
  await withApp("keyboard-focus-kept", fx(), async ({ page }) => {
    await page.evaluate(installProbe);
    await composerReady(page);
    await ctrl(page, "l");
    await page.keyboard.type("Fever and cough for two days");
    await page.keyboard.press("Enter");
    await waitStreams(page, 1);
    await page.getByTestId("follow-up-answer").first().waitFor({ state: "visible" });

    // "Collapse reasoning" goes with the trace: focus to the toggle above it.
    await tabTo(page, (f) => f.testid === "thinking-toggle", { key: "Shift+Tab", what: "the thinking toggle" });
    await page.keyboard.press("Enter");
    await tabTo(page, (f) => f.testid === "collapse-reasoning", { what: "Collapse reasoning" });
    await page.keyboard.press("Enter");
    await page.getByTestId("collapse-reasoning").waitFor({ state: "detached" });
    await focusIs(page, "thinking-toggle", "the thinking toggle");

    // The open questions' Send: the form goes while the answer is written; focus to the message box.
    await tabTo(page, (f) => f.testid === "follow-up-answer", { what: "an open question" });
    await page.keyboard.type("Three days");
    await page.keyboard.press("Enter");
    await waitCalls(page, "consult_send", 2);
    await focusIs(page, "message-input", "the message box, after the open questions' Send");
    await waitStreams(page, 2);

    // Regenerate goes while the answer is written again.
    await tabTo(page, (f) => f.testid === "regenerate", { key: "Shift+Tab", what: "Regenerate" });
    await page.keyboard.press("Enter");
    await waitCalls(page, "consult_regenerate", 1);
    await focusIs(page, "message-input", "the message box, after Regenerate");
    await waitStreams(page, 3);

    // Editing a question: Save goes with the form.
    await tabTo(page, (f) => f.testid === "edit-message", { key: "Shift+Tab", what: "Edit on the last question" });
    await page.keyboard.press("Enter");
    await focusIs(page, "edit-input");
    await page.keyboard.press("End");
    await page.keyboard.type(", and a rash");
    await tabTo(page, (f) => f.testid === "edit-save", { what: "Save" });
    await page.keyboard.press("Enter");
    await waitCalls(page, "consult_edit", 1);
    await focusIs(page, "message-input", "the message box, after the edit's Save");
    await waitStreams(page, 4);

    // An emergency: "Show the answer anyway" goes; focus to the answer it shows.
    await page.keyboard.type("Crushing chest pain spreading to my left arm");
    await page.keyboard.press("Enter");
    await waitStreams(page, 5);
    await tabTo(page, (f) => f.testid === "answer-reveal", { key: "Shift+Tab", what: "Show the answer anyway" });
    await page.keyboard.press("Enter");
    await page.getByTestId("answer-reveal").waitFor({ state: "detached" });
    await focusIs(page, "answer", "the answer shown");

    // A failed answer raises the error banner; its × goes with it, focus to the message box.
    await ctrl(page, "l");
    await page.keyboard.type("Is this a migraine?");
    await page.keyboard.press("Enter");
    await page.getByTestId("error").waitFor({ state: "visible" });
    await waitStreams(page, 6);
    await tabTo(page, (f) => f.testid === "error-dismiss", { key: "Shift+Tab", what: "the error's ×" });
    await page.keyboard.press("Enter");
    await page.getByTestId("error").waitFor({ state: "detached" });
    await focusIs(page, "message-input", "the message box, after the banner");
    await shot(page, "keyboard-focus-kept");
  });
});
