// The consultation UI in Chromium: red-flag banner first, answer sections and the follow-up form,
// the Chinese UI, the history list and its search. Written against the data-testid contract:
//   emergency-banner, answer-section-<kind>, follow-up-answer, language-switch,
//   consultation-list, history-search (plus message-input / send / assistant-message).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ask, browserSuite, calls, shot, waitStreams } from "./harness.mjs";
import { EMERGENCY, PARSED, STRUCTURED_ANSWER, chunks, consultScript, consultations, fixtures } from "./fixtures.mjs";

const { withApp } = browserSuite();

/**
 * Text of the new answer so far (the answer body, or the message without its thinking panel);
 * "" while there are no more than `before` answers on the page.
 */
function latestAnswerText(before) {
  const msgs = document.querySelectorAll('[data-testid="assistant-message"]');
  const m = msgs[msgs.length - 1];
  if (!m || msgs.length <= before) return "";
  const a = m.querySelector('[data-testid="answer"]');
  if (a) return (a.textContent ?? "").trim();
  const c = m.cloneNode(true);
  c.querySelectorAll('[data-testid="thinking-panel"], [data-testid="emergency-banner"], [data-testid="answer-fold"], [data-testid="progress"]').forEach((x) => x.remove());
  return (c.textContent ?? "").trim();
}

test("an emergency triage shows the red-flag banner first, before the answer", async () => {
  const script = consultScript({
    triage: EMERGENCY,
    beforeChat: 900,
    content: chunks("While you wait for the ambulance: sit down, stay calm and chew an aspirin unless you are allergic.", 16),
    contentTick: 30,
  });
  await withApp("emergency-banner", fixtures({ scripts: [script] }), async ({ page }) => {
    await page.getByTestId("message-input").waitFor({ state: "visible" });
    await page.waitForTimeout(200);
    const before = await page.getByTestId("assistant-message").count();
    await ask(page, "Crushing chest pain spreading to my left arm and jaw");
    const banner = page.getByTestId("emergency-banner").first();
    await banner.waitFor({ state: "visible", timeout: 3_000 });
    const answerSoFar = await page.evaluate(latestAnswerText, before);
    assert.equal(answerSoFar, "", "the banner is up before any answer text");
    const text = await banner.textContent();
    assert.match(text ?? "", /911/, "the banner gives the emergency number");
    const bar = page.getByTestId("emergency-bar").first();
    assert.ok(await bar.isVisible(), "the emergency is pinned above the message box");
    assert.match((await page.getByTestId("emergency-bar-number").first().textContent()) ?? "", /911/, "the pinned bar gives the number");
    await shot(page, "emergency-banner");
    await waitStreams(page, 1);
    await page.waitForTimeout(200);
    assert.ok(await banner.isVisible(), "the banner stays with the answer");
    // The answer waits behind its button; it was streamed all the same.
    // (Earlier consultations' answers may be on the page too: look at this one.)
    const latest = page.getByTestId("assistant-message").last();
    assert.equal(await latest.getByTestId("answer").count(), 0, "the answer is folded");
    await latest.getByTestId("answer-reveal").click();
    await latest.getByTestId("answer").waitFor({ state: "visible", timeout: 2_000 });
    assert.match((await latest.getByTestId("answer").textContent()) ?? "", /chew an aspirin/, "the whole answer is there");
    assert.ok(await bar.isVisible(), "the pinned bar stays");
    const order = await page.evaluate(() => {
      const b = document.querySelector('[data-testid="emergency-banner"]');
      const msgs = document.querySelectorAll('[data-testid="assistant-message"]');
      const a = msgs[msgs.length - 1];
      const answer = a?.querySelector('[data-testid="answer"], [data-testid^="answer-section-"]') ?? a;
      return b && answer && b !== answer && !!(b.compareDocumentPosition(answer) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(order, "the banner comes before the answer on the page");
  });
});

test("a finished answer shows its sections (red flags first) and a form for its open questions", async () => {
  const script = consultScript({ content: chunks(STRUCTURED_ANSWER, 40), contentTick: 15 });
  await withApp("follow-up-form", fixtures({ scripts: [script], parsed: PARSED }), async ({ page }) => {
    await ask(page, "Fever and cough for two days");
    await waitStreams(page, 1);
    const fields = page.getByTestId("follow-up-answer");
    await fields.first().waitFor({ state: "visible", timeout: 3_000 });
    const labels = await page.evaluate(() => [...document.querySelectorAll('[data-testid="follow-up-answer"]')].map((i) => i.labels[0].textContent.trim()));
    assert.deepEqual(labels, PARSED.follow_ups);
    // The sections came with the stream (a `parsed` event), not from a command of the UI's.
    assert.equal((await page.evaluate(() => window.__fakeIpc.unknown)).length, 0, "no command outside the fake backend's");

    const redFlags = page.getByTestId("answer-section-red_flags").first();
    const summary = page.getByTestId("answer-section-summary").first();
    await redFlags.waitFor({ state: "visible", timeout: 2_000 });
    await summary.waitFor({ state: "visible", timeout: 2_000 });
    assert.match((await redFlags.textContent()) ?? "", /arm or jaw/);
    const redFirst = await page.evaluate(() => {
      const r = document.querySelector('[data-testid="answer-section-red_flags"]');
      const s = document.querySelector('[data-testid="answer-section-summary"]');
      return !!(r.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(redFirst, "red flags come first");
    assert.ok((await summary.locator(".katex").count()) > 0, "math renders inside a section");
    assert.ok((await summary.locator("table").count()) > 0, "tables render inside a section");
    await fields.first().fill("Since yesterday");
    await shot(page, "follow-up-form");

    // One Send: the answered question goes out with its answer, as one message.
    await page.getByTestId("follow-up-send").click();
    await page.waitForFunction(
      (q) => window.__fakeIpc.calls.some((c) => c.cmd === "consult_send" && c.args.text.includes(q) && c.args.text.includes("Since yesterday")),
      PARSED.follow_ups[0],
      { timeout: 2_000 },
    );
  });
});

test("a link in an answer asks first and opens only in the system browser, never in the webview", async () => {
  const content = "See [the NHS page](https://www.nhs.uk/conditions/migraine/) or [mail](mailto:doc@example.org).";
  const script = consultScript({ content: chunks(content, 20) });
  await withApp("external-link", fixtures({ scripts: [script] }), async ({ page, log }) => {
    await ask(page, "Migraine advice");
    await waitStreams(page, 1);
    const answer = page.getByTestId("answer").last();
    const start = page.url();

    // Keyboard: Enter on a focused link is a click.
    await answer.getByRole("link", { name: "the NHS page" }).focus();
    await page.keyboard.press("Enter");
    const prompt = page.getByTestId("link-confirm");
    await prompt.waitFor({ state: "visible", timeout: 2_000 });
    assert.equal(await page.getByTestId("link-url").textContent(), "https://www.nhs.uk/conditions/migraine/");
    assert.equal((await calls(page, "plugin:opener|open_url")).length, 0, "nothing opens before the user confirms");
    await shot(page, "external-link");

    await page.getByTestId("link-confirm-no").click();
    await prompt.waitFor({ state: "detached", timeout: 2_000 });

    await answer.getByRole("link", { name: "the NHS page" }).click();
    await page.getByTestId("link-confirm-yes").click();
    await page.waitForFunction(() => window.__fakeIpc.calls.some((c) => c.cmd === "plugin:opener|open_url"), null, { timeout: 2_000 });
    const opened = await calls(page, "plugin:opener|open_url");
    assert.deepEqual(opened.map((c) => c.args.url), ["https://www.nhs.uk/conditions/migraine/"]);

    // Other schemes: a note, never the opener.
    await answer.getByRole("link", { name: "mail" }).click();
    await page.getByTestId("link-blocked").waitFor({ state: "visible", timeout: 2_000 });
    assert.equal((await calls(page, "plugin:opener|open_url")).length, 1);

    assert.equal(page.url(), start, "the webview did not navigate");
    assert.equal(page.context().pages().length, 1, "no new window");
    assert.deepEqual(log.foreignRequests, [], "nothing left the app");
  });
});

async function switchToChinese(page) {
  const sw = page.getByTestId("language-switch").first();
  await sw.waitFor({ state: "visible", timeout: 3_000 });
  const tag = await sw.evaluate((el) => el.tagName.toLowerCase());
  if (tag === "select") {
    const value = await sw.evaluate((el) => [...el.options].find((o) => o.value === "zh" || /中文|Chinese/.test(o.textContent ?? ""))?.value);
    await sw.selectOption(value ?? "zh");
    return;
  }
  await sw.click();
  // A menu: pick Chinese in it.
  const option = page.locator('[role="menuitem"], [role="option"], [role="menuitemradio"], button, li').filter({ hasText: /中文|Chinese/ }).first();
  if (await option.isVisible().catch(() => false)) {
    const already = await page.getByText("Anamnesis 不是医生").first().isVisible().catch(() => false);
    if (!already) await option.click();
  }
}

test("the language switch turns the UI Chinese", async () => {
  await withApp("language-zh", fixtures(), async ({ page }) => {
    await page.getByTestId("message-input").waitFor({ state: "visible" });
    await switchToChinese(page);
    await page.getByText("Anamnesis 不是医生").first().waitFor({ state: "visible", timeout: 3_000 });
    const set = await calls(page, "set_language");
    assert.ok(set.some((c) => c.args.language === "zh"), "set_language {language: 'zh'} was called");
    await shot(page, "language-zh");
  });
});

test("the history lists consultations, opens one and searches", async () => {
  const stored = consultations();
  await withApp("history", fixtures(), async ({ page }) => {
    const list = page.getByTestId("consultation-list").first();
    await list.waitFor({ state: "visible", timeout: 3_000 });
    for (const c of stored) {
      await list.getByText(c.summary.title).first().waitFor({ timeout: 2_000 });
    }
    assert.ok((await calls(page, "list_consultations")).length > 0, "list_consultations was called");

    // Open one: its stored messages show.
    const target = stored[2];
    await list.getByText(target.summary.title).first().click();
    await page.getByText(target.view.messages[0].content).first().waitFor({ timeout: 2_000 });
    assert.ok((await calls(page, "open_consultation")).some((c) => c.args.id === target.summary.id), "open_consultation {id}");

    // Search.
    const search = page.getByTestId("history-search").first();
    await search.fill("knee");
    // Full-text search through the backend, or at least the list filtered to the match.
    await page.waitForFunction(
      () => {
        const searched = window.__fakeIpc.calls.some((c) => c.cmd === "search_history" && /knee/i.test(c.args.query));
        const list = document.querySelector('[data-testid="consultation-list"]');
        const filtered = !!list && /Knee pain/.test(list.textContent ?? "") && !/Fever in a 2-year-old/.test(list.textContent ?? "");
        return searched || filtered;
      },
      null,
      { timeout: 3_000 },
    );
    await page.getByText(/Knee pain after running/).first().waitFor({ state: "visible", timeout: 2_000 });
    await shot(page, "history");
  });
});
