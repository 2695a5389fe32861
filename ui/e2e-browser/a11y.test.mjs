// Accessibility (WCAG 2.2 AA) in Chromium: axe-core runs on every screen the fake backend can
// reach, in English and in Chinese (switched with the LanguageSwitch), and a finding of impact
// "serious" or "critical" fails the test with its rule, targets and summary. Each screen's
// picture is saved as a11y-<screen>-<lang>.png, and every finding (minor ones too) goes to
// a11y-report.json, in the screenshots folder (ANAMNESIS_UI_SHOTS, default target/ui-shots).
//
// Served without the CSP: axe is injected as an inline script (page.addScriptTag), which the
// app's `script-src 'self'` would refuse. The CSP itself is tested by the other browser tests.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { SHOTS, ask, browserSuite, shot, waitStreams } from "./harness.mjs";
import {
  EMERGENCY,
  PARSED,
  STRUCTURED_ANSWER,
  cannotRunOverview,
  chunks,
  consultScript,
  failedScript,
  firstRun,
  fixtures,
  gpuOverview,
  pickerFixtures,
  shortContextPlan,
} from "./fixtures.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const BLOCKING = new Set(["serious", "critical"]);
/** Each screen in English and Chinese, and in English in the dark theme. */
const VARIANTS = [
  { lang: "en", dark: false },
  { lang: "zh", dark: false },
  { lang: "en", dark: true },
];

const { withApp } = browserSuite({ csp: null, noUnmocked: true });

/** Every finding of every screen, for a11y-report.json. */
const report = [];
after(() => {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, "a11y-report.json"), JSON.stringify(report, null, 2));
});

/** Runs axe on the whole document; saves the screen's picture; returns its violations. */
async function audit(page, screen, lang) {
  await page.evaluate(() => document.fonts.ready);
  // Let a frame or two pass: transitions are off (reducedMotion), layout is settled.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (values) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target, summary: n.failureSummary })),
    }));
  }, TAGS);
  await shot(page, `a11y-${screen}-${lang}`);
  report.push({ screen, lang, violations });
  return violations.map((v) => ({ ...v, screen: `${screen} (${lang})` }));
}

/** The serious and critical findings, one line per element. */
function blocking(violations) {
  const lines = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      const impact = n.impact ?? v.impact;
      if (!BLOCKING.has(impact)) continue;
      lines.push(`[${v.screen}] ${v.id} (${impact}) ${JSON.stringify(n.target)}: ${v.help}\n    ${(n.summary ?? "").replace(/\n/g, "\n    ")}`);
    }
  }
  return lines;
}

function assertClean(violations) {
  const lines = blocking(violations);
  assert.equal(lines.length, 0, `axe found ${lines.length} serious/critical problem(s):\n${lines.join("\n")}`);
}

/** Switches the UI to `lang` with the LanguageSwitch on screen (the header's or the lock screen's). */
async function useLanguage(page, tag) {
  const lang = tag.slice(0, 2);
  const sw = page.getByTestId("language-switch").first();
  await sw.waitFor({ state: "visible" });
  if (lang === "zh") await sw.selectOption("zh");
  const want = lang === "zh" ? "zh-CN" : "en";
  await page.waitForFunction((l) => document.documentElement.lang === l, want);
}

/** Waits until the composer takes a question (the model is ready, a consultation open). */
async function composerReady(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="message-input"]');
    return el && !el.disabled && el.offsetParent !== null;
  });
}

/**
 * `fn(page, lang)` in a fresh app for each variant (VARIANTS); fails on the findings of all.
 * `lang` names the pictures: "en", "zh" or "en-dark"; the language is its first two letters.
 */
async function eachLanguage(name, fx, fn) {
  const found = [];
  for (const { lang, dark } of VARIANTS) {
    const tag = dark ? `${lang}-dark` : lang;
    await withApp(`a11y-${name}-${tag}`, typeof fx === "function" ? fx() : fx, async ({ page }) => {
      if (dark) await page.emulateMedia({ colorScheme: "dark" });
      found.push(...(await fn(page, tag)));
    });
  }
  assertClean(found);
}

test("set-up screen: a computer that cannot run the model, and the shorter context chosen", async () => {
  const fx = () => firstRun(cannotRunOverview(), { short_context: shortContextPlan() });
  await eachLanguage("setup-cannot-run", fx, async (page, lang) => {
    await page.getByTestId("onboarding").waitFor({ state: "visible" });
    await useLanguage(page, lang);
    await page.getByTestId("cannot-run-choices").waitFor({ state: "visible" });
    const found = await audit(page, "setup-cannot-run", lang);
    await page.getByTestId("fallback-short").click();
    await page.getByTestId("fallback-chosen").waitFor({ state: "visible" });
    found.push(...(await audit(page, "setup-short-context", lang)));
    return found;
  });
});

test("set-up screen: the recommended model", async () => {
  await eachLanguage("setup-recommended", () => firstRun(gpuOverview()), async (page, lang) => {
    await page.getByTestId("onboarding").waitFor({ state: "visible" });
    await useLanguage(page, lang);
    await page.getByTestId("download-start").waitFor({ state: "visible" });
    return audit(page, "setup-recommended", lang);
  });
});

test("chat: a new, empty consultation", async () => {
  await eachLanguage("chat-empty", () => fixtures({ consultations: [] }), async (page, lang) => {
    await useLanguage(page, lang);
    await composerReady(page);
    return audit(page, "chat-empty", lang);
  });
});

const REASONING =
  "The patient reports fever and a dry cough for two days. Consider a viral infection first; " +
  "check for red flags such as shortness of breath or chest pain.";

test("chat: an answer streaming (thinking), then finished (sections, follow-ups, 'answer ready')", async () => {
  const script = consultScript({
    reasoning: chunks(REASONING, 14),
    content: chunks(STRUCTURED_ANSWER, 30),
    reasoningTick: 15,
    contentTick: 15,
    reasoningMs: 1800,
  });
  // A pause before the answer: the page holds still, thinking, while axe looks.
  const first = script.events.findIndex((e) => e.ev.type === "chat" && e.ev.event.type === "content");
  script.events[first].delay = 4_000;
  await eachLanguage("chat-answer", () => fixtures({ scripts: [script], parsed: PARSED }), async (page, lang) => {
    await useLanguage(page, lang);
    await ask(page, "I have had a fever and a dry cough for two days");
    await page.waitForFunction(() => /dry cough/.test([...document.querySelectorAll('[data-testid="thinking-panel"]')].pop()?.textContent ?? ""));
    const found = await audit(page, "chat-streaming", lang);
    assert.equal(await page.getByTestId("assistant-message").last().getAttribute("data-status"), "streaming", "audited while streaming");
    await waitStreams(page, 1);
    await page.getByTestId("follow-up-answer").first().waitFor({ state: "visible" });
    // The one announcement of a finished turn.
    await page.waitForFunction(
      (text) => [...document.querySelectorAll('[data-testid="answer-status"]')].some((el) => el.textContent.trim() === text),
      lang.startsWith("zh") ? "回答已完成" : "Answer ready",
    );
    // Nothing else speaks the answer: neither the message nor its text is a live region.
    const live = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="assistant-message"] [aria-live], [data-testid="assistant-message"][aria-live]')]
        .filter((el) => el.closest('[data-testid="answer"]') || el.matches('[data-testid="answer"], [data-testid="assistant-message"]'))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(live, [], "the answer is not a live region");
    found.push(...(await audit(page, "chat-answer", lang)));
    // The thinking trace, opened again.
    await page.getByTestId("thinking-toggle").last().click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="thinking-toggle"]')].pop()?.getAttribute("aria-expanded") === "true");
    found.push(...(await audit(page, "chat-answer-thinking", lang)));
    return found;
  });
});

test("chat: an emergency (red-flag banner, pinned bar, folded answer)", async () => {
  const script = consultScript({
    triage: EMERGENCY,
    content: chunks("While you wait for the ambulance: sit down and stay calm.", 16),
  });
  await eachLanguage("chat-emergency", () => fixtures({ scripts: [script] }), async (page, lang) => {
    await useLanguage(page, lang);
    await ask(page, "Crushing chest pain spreading to my left arm and jaw");
    await page.getByTestId("emergency-banner").first().waitFor({ state: "visible" });
    await waitStreams(page, 1);
    await page.getByTestId("answer-reveal").last().waitFor({ state: "visible" });
    const found = await audit(page, "chat-emergency", lang);
    await page.getByTestId("answer-reveal").last().click();
    await page.getByTestId("assistant-message").last().getByTestId("answer").waitFor({ state: "visible" });
    found.push(...(await audit(page, "chat-emergency-revealed", lang)));
    return found;
  });
});

test("chat: an answer that failed, with the error banner", async () => {
  const script = failedScript();

  await eachLanguage("chat-error", () => fixtures({ scripts: [script] }), async (page, lang) => {
    await useLanguage(page, lang);
    await ask(page, "Why do I have a headache?");
    await page.getByTestId("error").waitFor({ state: "visible" });
    await waitStreams(page, 1);
    await page.getByTestId("answer-error").first().waitFor({ state: "visible" });
    return audit(page, "chat-error", lang);
  });
});

test("chat: a link in an answer asks before it opens", async () => {
  const script = consultScript({ content: chunks("See [the NHS page](https://www.nhs.uk/conditions/migraine/) for more.", 20) });
  await eachLanguage("link-confirm", () => fixtures({ scripts: [script] }), async (page, lang) => {
    await useLanguage(page, lang);
    await ask(page, "Migraine advice");
    await waitStreams(page, 1);
    await page.getByTestId("answer").last().getByRole("link").first().click();
    await page.getByTestId("link-confirm").waitFor({ state: "visible" });
    return audit(page, "link-confirm", lang);
  });
});

test("chat: earlier turns left out of the context (marked 'not sent')", async () => {
  const script = consultScript({ content: chunks("A short answer that fits.", 10) });
  const context = script.events.find((e) => e.ev.type === "context");
  context.ev.notice.budget.dropped = [1, 2];
  context.ev.notice.dropped_message_ids = [101, 102];
  await eachLanguage("chat-not-sent", () => fixtures({ scripts: [script] }), async (page, lang) => {
    await useLanguage(page, lang);
    await ask(page, "And what about the rash?");
    await waitStreams(page, 1);
    await page.getByTestId("turn-dropped").first().waitFor({ state: "visible" });
    await page.getByTestId("context-meter").waitFor({ state: "visible" });
    return audit(page, "chat-not-sent", lang);
  });
});

test("chat: documents attached in the composer (a chip with its text shown, one refused), then on the sent question", async () => {
  const labs = "Full blood count\nHaemoglobin 118 g/L (120-150) LOW\nFerritin 9 ug/L (15-200) LOW";
  const script = consultScript({ content: chunks("Both values are a little low, which fits iron deficiency.", 16) });
  await eachLanguage("chat-attachments", () => fixtures({ scripts: [script] }), async (page, lang) => {
    await useLanguage(page, lang);
    await composerReady(page);
    await page.evaluate((text) => {
      const input = document.querySelector('[data-testid="attach-input"]');
      const dt = new DataTransfer();
      dt.items.add(new File([text], "labs.txt", { type: "text/plain" }));
      dt.items.add(new File(["%PDF-1.4"], "scanned.pdf", { type: "application/pdf" }));
      input.files = dt.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }, labs);
    const chip = page.getByTestId("composer").getByTestId("attachment-chip");
    await chip.waitFor({ state: "visible" });
    await page.getByTestId("attachment-error").waitFor({ state: "visible" });
    await chip.getByTestId("attachment-toggle").click();
    await chip.getByTestId("attachment-text").waitFor({ state: "visible" });
    const found = await audit(page, "chat-attachments", lang);

    await ask(page, "What do these blood results mean?");
    await waitStreams(page, 1);
    const sent = page.getByTestId("user-message").last().getByTestId("attachment-chip");
    await sent.getByTestId("attachment-toggle").click();
    await sent.getByTestId("attachment-text").waitFor({ state: "visible" });
    found.push(...(await audit(page, "chat-attachments-sent", lang)));
    return found;
  });
});

test("chat controls: editing a question, the patient panel, the export menu", async () => {
  await eachLanguage("chat-controls", fixtures, async (page, lang) => {
    await useLanguage(page, lang);
    await composerReady(page);
    await page.getByTestId("user-message").first().waitFor({ state: "visible" });
    const found = await audit(page, "chat-stored", lang);

    await page.getByTestId("edit-message").first().click();
    await page.getByTestId("edit-form").waitFor({ state: "visible" });
    found.push(...(await audit(page, "chat-edit", lang)));
    await page.getByTestId("edit-cancel").click();

    await page.getByTestId("patient-toggle").click();
    await page.getByTestId("patient-save").waitFor({ state: "visible" });
    found.push(...(await audit(page, "patient-panel", lang)));
    await page.getByTestId("patient-toggle").click();

    await page.getByTestId("export-menu").click();
    await page.getByTestId("export-panel").waitFor({ state: "visible" });
    found.push(...(await audit(page, "export-menu", lang)));
    return found;
  });
});

test("history: the list, a search and a delete to confirm", async () => {
  await eachLanguage("history", fixtures, async (page, lang) => {
    await useLanguage(page, lang);
    await page.getByTestId("consultation-list").getByText("Knee pain after running").waitFor({ state: "visible" });
    await composerReady(page);
    const found = await audit(page, "history-list", lang);

    await page.getByTestId("history-search").fill("knee");
    await page.getByTestId("search-hit").first().waitFor({ state: "visible" });
    found.push(...(await audit(page, "history-search", lang)));
    await page.getByTestId("history-search").fill("");
    await page.getByTestId("consultation-list").waitFor({ state: "visible" });

    await page.getByTestId("consultation-delete").nth(1).click();
    await page.getByTestId("consultation-delete-confirm").waitFor({ state: "visible" });
    found.push(...(await audit(page, "history-delete", lang)));
    return found;
  });
});

test("Settings, open", async () => {
  const overview = () => ({
    ...gpuOverview(),
    installed: [{ id: "baichuan-m2-32b-gptq-int4", dir: "/home/ana/.local/share/anamnesis/models/baichuan-m2-32b-gptq-int4", bytes: 19_500_000_000, partial_bytes: 0, verified_files: 9 }],
  });
  await eachLanguage("settings", () => fixtures({ overview: overview() }), async (page, lang) => {
    await useLanguage(page, lang);
    await composerReady(page);
    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings").waitFor({ state: "visible" });
    await page.getByTestId("models-dir").waitFor({ state: "visible" });
    await page.waitForFunction(() => document.querySelector('[data-testid="privacy-status"]')?.dataset.mode === "keychain");
    return audit(page, "settings", lang);
  });
});

test("the model picker, open, then with a context that may not fit", async () => {
  await eachLanguage("model-picker", pickerFixtures, async (page, lang) => {
    await useLanguage(page, lang);
    await composerReady(page);
    await page.getByTestId("model-badge").click();
    await page.getByTestId("load-estimate").waitFor({ state: "visible" });
    const found = await audit(page, "model-picker", lang);
    await page.getByTestId("context-slider").focus();
    await page.keyboard.press("End");
    await page.getByTestId("load-too-big").waitFor({ state: "visible" });
    await page.waitForFunction(() => document.querySelector('[data-testid="load-estimate"]')?.getAttribute("aria-busy") === "false");
    found.push(...(await audit(page, "model-picker-too-big", lang)));
    return found;
  });
});

test("the history's lock screen (a wrong passphrase) and its set-up (passphrases that differ)", async () => {
  await eachLanguage("history-lock", () => fixtures({ history: { state: "locked" }, passphrase: "correct horse battery" }), async (page, lang) => {
    await page.getByTestId("history-lock").waitFor({ state: "visible" });
    await useLanguage(page, lang);
    const found = await audit(page, "history-lock", lang);
    await page.getByTestId("history-passphrase").fill("wrong horse");
    await page.keyboard.press("Enter");
    await page.getByTestId("history-wrong-key").waitFor({ state: "visible" });
    found.push(...(await audit(page, "history-lock-wrong", lang)));
    await page.getByTestId("history-unsaved").click();
    await page.getByTestId("unsaved-banner").waitFor({ state: "visible" });
    await page.getByTestId("unsaved-unlock").click();
    await page.getByTestId("unsaved-confirm").waitFor({ state: "visible" });
    found.push(...(await audit(page, "history-unsaved", lang)));
    return found;
  });
  const reason = "the Linux kernel keyring forgets keys at reboot";
  await eachLanguage("history-setup", () => fixtures({ history: { state: "no_keychain", reason } }), async (page, lang) => {
    await page.getByTestId("history-setup").waitFor({ state: "visible" });
    await useLanguage(page, lang);
    await page.getByTestId("passphrase-new").fill("a long passphrase");
    await page.getByTestId("passphrase-confirm").fill("a long passphrasf");
    await page.getByTestId("passphrase-mismatch").waitFor({ state: "visible" });
    return audit(page, "history-setup", lang);
  });
});
