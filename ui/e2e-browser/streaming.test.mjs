// Streaming render in Chromium, under the app's real CSP: the reasoning trace streams into an
// open thinking panel, the panel collapses when the answer starts and says how long the model
// thought, and the answer (GFM table, code, KaTeX math) grows progressively.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ask, browserSuite, shootOnFailure, shot, waitStreams } from "./harness.mjs";
import { STRUCTURED_ANSWER, chunks, consultScript, fixtures } from "./fixtures.mjs";

const suite = browserSuite();

const REASONING =
  "The patient reports fever and a dry cough for two days. Consider viral upper respiratory infection first; " +
  "check for red flags such as shortness of breath, chest pain or confusion. No risk factors mentioned. " +
  "Paracetamol dosing by weight is reasonable; advise fluids and rest.";

/** Installed in the page: samples the latest answer and thinking panel on every frame. */
function startRecorder() {
  const rec = { samples: [], firstContent: null };
  const answerText = () => {
    const msgs = document.querySelectorAll('[data-testid="assistant-message"]');
    const m = msgs[msgs.length - 1];
    if (!m) return "";
    const a = m.querySelector('[data-testid="answer"]');
    if (a) return a.textContent ?? "";
    const c = m.cloneNode(true);
    c.querySelectorAll('[data-testid="thinking-panel"]').forEach((x) => x.remove());
    return c.textContent ?? "";
  };
  const tick = () => {
    const toggle = [...document.querySelectorAll('[data-testid="thinking-toggle"]')].pop();
    const s = {
      t: performance.now(),
      answer: answerText().trim().length,
      expanded: toggle?.getAttribute("aria-expanded") ?? null,
      label: document.querySelector('[data-testid="thinking-duration"]')?.textContent ?? null,
      trace: (toggle?.closest('[data-testid="thinking-panel"]')?.textContent ?? "").length,
    };
    const last = rec.samples[rec.samples.length - 1];
    if (!last || last.answer !== s.answer || last.expanded !== s.expanded || last.label !== s.label || last.trace !== s.trace) rec.samples.push(s);
    // The answer's first text after the trace began (a placeholder may show text before).
    if (s.answer > 0 && !rec.firstContent && rec.samples.some((x) => x.trace > 0)) rec.firstContent = s;
    if (!window.__stopRecorder) requestAnimationFrame(tick);
  };
  window.__rec = rec;
  requestAnimationFrame(tick);
}

test("reasoning streams into an open panel that collapses with a duration when the answer starts", async () => {
  const script = consultScript({
    reasoning: chunks(REASONING, 14),
    content: chunks(STRUCTURED_ANSWER, 14),
    reasoningTick: 70,
    contentTick: 45,
    reasoningMs: 1800,
  });
  const { page, context, log } = await suite.open(fixtures({ scripts: [script] }));
  try {
    await shootOnFailure(page, "streaming", () => scenario(page, log));
  } finally {
    await context.close();
  }
});

async function scenario(page, log) {
  await page.evaluate(startRecorder);
  await ask(page, "I have had a fever and a dry cough for two days");

  // Thinking: the panel is open while the trace streams in.
  const toggle = page.getByTestId("thinking-toggle").last();
  await toggle.waitFor({ state: "visible", timeout: 10_000 });
  await page.waitForFunction(() => /dry cough/.test([...document.querySelectorAll('[data-testid="thinking-panel"]')].pop()?.textContent ?? ""), null, { timeout: 10_000 });
  await shot(page, "streaming-thinking");

  // The answer starts: the panel collapses and shows how long the model thought.
  await page.waitForFunction(() => window.__rec.firstContent !== null, null, { timeout: 15_000 });
  // The trace grew while the panel was open, before any answer text: judged from the
  // recorder's per-frame samples, not from two reads a fixed time apart (on a loaded machine
  // the answer could start in between and collapse the panel).
  const growing = await page.evaluate(() =>
    window.__rec.samples.filter((s) => s.t < window.__rec.firstContent.t && s.answer === 0 && s.expanded === "true" && s.trace > 0).map((s) => s.trace),
  );
  assert.ok(growing.length >= 2 && growing[growing.length - 1] > growing[0], `the trace grows while streaming (${growing.join(" → ")})`);
  await page.waitForFunction(
    () => {
      const t = [...document.querySelectorAll('[data-testid="thinking-toggle"]')].pop();
      return t?.getAttribute("aria-expanded") === "false";
    },
    null,
    { timeout: 10_000 },
  );
  const label = await page.getByTestId("thinking-duration").last().textContent({ timeout: 10_000 });
  assert.match(label ?? "", /Thought for/i, "the collapsed panel shows the thinking time");
  await shot(page, "streaming-answer-partial");

  await waitStreams(page, 1);
  await page.waitForTimeout(250);
  await page.evaluate(() => (window.__stopRecorder = true));
  const rec = await page.evaluate(() => window.__rec);

  // While reasoning, before any answer text, the panel was open; it was never open again after.
  const beforeContent = rec.samples.filter((s) => s.answer === 0 && s.trace > 60);
  assert.ok(beforeContent.length > 0 && beforeContent.every((s) => s.expanded === "true"), "open during reasoning");
  const firstContentAt = rec.firstContent.t;
  // A frame or two may pass between the first answer text and the collapse; a second is generous.
  const lateOpen = rec.samples.filter((s) => s.answer > 0 && s.expanded === "true" && s.t - firstContentAt > 1_000);
  assert.deepEqual(lateOpen, [], "collapsed once the answer streams");
  // The answer rendered progressively, not in one go.
  const lengths = new Set(rec.samples.map((s) => s.answer).filter((n) => n > 0));
  assert.ok(lengths.size >= 6, `the answer grew in steps (${lengths.size} distinct lengths)`);

  // Final render: GFM table, code, KaTeX math (with its bundled fonts, under the CSP).
  const last = page.getByTestId("assistant-message").last();
  await last.locator("table").first().waitFor({ timeout: 10_000 });
  assert.equal(await last.locator("table td").first().textContent(), "Paracetamol");
  assert.ok((await last.locator("code").count()) > 0, "inline code rendered");
  const katex = last.locator(".katex").first();
  await katex.waitFor({ timeout: 10_000 });
  assert.ok((await last.locator(".katex math annotation").first().textContent()).includes("\\frac{kg}{m^2}"));
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.family.replace(/"/g, "").startsWith("KaTeX") && f.status === "loaded").map((f) => f.family);
  });
  assert.ok(fonts.length > 0, "KaTeX fonts loaded from the app itself");
  assert.ok(suite.server.requests.some((p) => /KaTeX_.*\.woff2$/.test(p)), "KaTeX fonts served locally");
  assert.deepEqual(log.foreignRequests, [], "nothing loaded from elsewhere");
  assert.deepEqual(log.csp, [], "no CSP violation");
  assert.deepEqual(log.pageErrors, [], "no page errors");
  await katex.scrollIntoViewIfNeeded();
  await shot(page, "streaming-answer");
}
