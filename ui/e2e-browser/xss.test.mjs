// XSS corpus through the real UI in Chromium: every payload is streamed as model output (in the
// reasoning trace and in the answer); nothing may run, navigate, load remote resources or leave
// active markup in the DOM. The page is served WITHOUT the app's CSP here, so the sanitizer alone
// is under test (the CSP is defence in depth).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ask, browserSuite, shot, waitStreams } from "./harness.mjs";
import { chunks, consultScript, consultations, fixtures } from "./fixtures.mjs";
import { PAYLOADS } from "./xss-payloads.mjs";
import { auditPage } from "./xss-audit.mjs";

const suite = browserSuite({ csp: null });

test("XSS corpus in streamed model output (content and reasoning) runs nothing", async () => {
  assert.ok(PAYLOADS.length >= 30, "at least 30 payloads");
  const scripts = PAYLOADS.map((p) =>
    consultScript({
      match: `^xss payload ${p.n}$`,
      // Small chunks: every partial state of the payload is rendered too.
      reasoning: [`Reasoning about payload ${p.n}. `, ...chunks(p.md, 7)],
      content: [`Payload ${p.n}: `, ...chunks(p.md, 7), `\n\nEnd of payload ${p.n}.`],
      tick: 2,
    }),
  );
  const { page, context, log } = await suite.open(fixtures({ scripts, tickMs: 2 }));
  const perPayload = [];
  try {
    for (const [i, p] of PAYLOADS.entries()) {
      try {
        await ask(page, `xss payload ${p.n}`);
        await waitStreams(page, i + 1);
        const hits = await page.evaluate(() => window.__xssHits ?? []);
        perPayload.push({ n: p.n, name: p.name, hits: hits.length });
      } catch (e) {
        const nav = log.navigations.length > 1 ? ` (the page navigated to ${log.navigations.slice(1).join(", ")})` : "";
        const ran = perPayload.filter((x) => x.hits > (perPayload[perPayload.indexOf(x) - 1]?.hits ?? 0));
        assert.fail(
          `payload ${p.n} "${p.name}" broke the page${nav}: ${String(e?.message ?? e).split("\n")[0]}` +
            (ran.length ? `; code had already run after payloads ${ran.map((x) => `${x.n} "${x.name}"`).join(", ")}` : ""),
        );
      }
    }
    // Late events (image errors, animations, autofocus): give them time, then expand every
    // reasoning trace (the UI renders a trace only while it is open) and wait again.
    await page.waitForTimeout(400);
    const toggles = page.locator('[data-testid="thinking-toggle"][aria-expanded="false"]');
    const n = await toggles.count();
    for (let i = 0; i < n; i++) await toggles.nth(0).click();
    await page.waitForTimeout(600);

    const audit = await page.evaluate(auditPage);
    const hits = await page.evaluate(() => window.__xssHits ?? []);
    const frames = page.frames().length;
    const text = await page.locator("body").innerText();
    await page.locator('[data-testid="assistant-message"]').nth(PAYLOADS.findIndex((p) => /mXSS math/.test(p.name))).scrollIntoViewIfNeeded().catch(() => {});
    await shot(page, "xss-corpus");

    // The payloads were really rendered (not dropped by a broken page).
    for (const p of PAYLOADS) assert.ok(text.includes(`Payload ${p.n}:`), `answer for payload ${p.n} (${p.name}) rendered`);
    assert.ok(audit.outputs >= PAYLOADS.length, `rendered outputs found: ${audit.outputs}`);
    const ran = perPayload.filter((x, i) => x.hits > (perPayload[i - 1]?.hits ?? 0));
    assert.deepEqual(hits, [], `payload code ran (hits seen after payloads ${ran.map((x) => `${x.n} "${x.name}"`).join(", ")}): ${hits.join(", ")}`);
    assert.deepEqual(log.dialogs, [], "no dialog opened");
    assert.equal(frames, 1, "no frame was created");
    assert.equal(log.navigations.length, 1, `no navigation: ${log.navigations.join(", ")}`);
    assert.deepEqual(log.foreignRequests, [], "no request left the app");
    assert.deepEqual(audit.problems, [], "no active content in the DOM");
    assert.deepEqual(log.pageErrors, [], "no page errors");
  } finally {
    await context.close();
  }
});

/** Expands every collapsed reasoning trace, waits for late events, and asserts nothing ran. */
async function expandAndAudit(page, log, what) {
  await page.waitForTimeout(300);
  // An answer to an emergency is folded: show it (and its reasoning) first.
  const folds = page.locator('[data-testid="answer-reveal"]');
  const f = await folds.count();
  for (let i = 0; i < f; i++) await folds.nth(0).click();
  const toggles = page.locator('[data-testid="thinking-toggle"][aria-expanded="false"]');
  const n = await toggles.count();
  for (let i = 0; i < n; i++) await toggles.nth(0).click();
  // Attached documents' text, shown.
  const docs = page.locator('[data-testid="attachment-toggle"][aria-expanded="false"]');
  const d = await docs.count();
  for (let i = 0; i < d; i++) await docs.nth(0).click();
  await page.waitForTimeout(500);
  const audit = await page.evaluate(auditPage);
  const hits = await page.evaluate(() => window.__xssHits ?? []);
  assert.deepEqual(hits, [], `${what}: payload code ran: ${hits.join(", ")}`);
  assert.deepEqual(log.dialogs, [], `${what}: no dialog opened`);
  assert.equal(page.frames().length, 1, `${what}: no frame was created`);
  assert.equal(log.navigations.length, 1, `${what}: no navigation: ${log.navigations.join(", ")}`);
  assert.deepEqual(log.foreignRequests, [], `${what}: no request left the app`);
  assert.deepEqual(audit.problems, [], `${what}: no active content in the DOM`);
  assert.deepEqual(log.pageErrors, [], `${what}: no page errors`);
  return audit;
}

// The same corpus where the UI shows backend text outside the markdown renderer: section
// titles and bodies, the follow-up form, the triage banner, stored messages and their reasoning,
// consultation titles and snippets in the history, search snippets with «marks», attached
// documents' names and text.
const MANY = PAYLOADS.map((p) => p.md).join("\n\n");
const SHORT = [
  '<img src=x onerror=alert("t1")>',
  '<svg onload=alert("t2")>',
  '<a href="javascript:alert(\'t3\')">t3</a>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert('t4')>",
];

test("payloads in answer sections, the follow-up form and the triage banner run nothing", async () => {
  const parsed = {
    sections: [
      { kind: "red_flags", title: `Red flags ${SHORT[0]}`, body: MANY },
      { kind: "summary", title: `Summary ${SHORT[1]}`, body: `${SHORT.join(" ")}\n\n$\\href{javascript:alert(5)}{x}$` },
      { kind: "other", title: SHORT[3], body: MANY },
    ],
    follow_ups: SHORT,
    structured: true,
  };
  const triage = { level: "emergency", rules: ["chest_pain_radiation"], advice: `Call now ${SHORT.join(" ")}`, emergency_number: SHORT[0], crisis_line: SHORT[1] };
  const script = consultScript({ triage, reasoning: chunks(MANY, 400), content: [`## Red flags ${SHORT[0]}\n\n`, ...chunks(MANY, 400)], tick: 2 });
  const { page, context, log } = await suite.open(fixtures({ scripts: [script], parsed }));
  try {
    await ask(page, `structured payloads ${SHORT[0]}`);
    await waitStreams(page, 1);
    await page.getByTestId("follow-up-answer").first().waitFor({ timeout: 3_000 }).catch(() => {});
    await expandAndAudit(page, log, "sections/form/banner");
    const labels = await page.evaluate(() => [...document.querySelectorAll('[data-testid="follow-up-answer"]')].map((i) => i.labels[0].textContent));
    assert.ok(labels.some((c) => c.includes("<img")), "the form shows payloads as text");
    await shot(page, "xss-sections");
  } finally {
    await context.close();
  }
});

test("payloads in stored consultations, history titles and search snippets run nothing", async () => {
  const cid = 77;
  const T = "2026-03-02T09:15:00Z";
  const messages = [];
  let id = 7000;
  for (const p of PAYLOADS) {
    const base = { consultation_id: cid, reasoning_started_at: T, reasoning_ended_at: T, stats: null, status: "complete", error: null, context_notice: null, created_at: T, updated_at: T };
    // The payload as an attached document's name and text too (shown, and previewed, as text).
    const attachments = [{ name: `${p.n}-${p.md}.txt`, kind: "text", text: p.md, bytes: p.md.length, pages: null }];
    messages.push({ ...base, id: id++, seq: messages.length + 1, role: "user", content: p.md, reasoning: "", triage: null, attachments });
    messages.push({
      ...base, id: id++, seq: messages.length + 1, role: "assistant", content: `Stored payload ${p.n}: ${p.md}`, reasoning: p.md, attachments: [],
      triage: { level: "urgent", rules: ["x"], advice: p.md, emergency_number: null, crisis_line: null },
    });
  }
  const xssConsultation = {
    summary: { id: cid, title: `Stored ${SHORT[0]}`, chief_complaint: SHORT[1], updated_at: "2027-01-01T00:00:00Z", message_count: messages.length, last_snippet: SHORT[2] },
    view: {
      consultation: { id: cid, title: `Stored ${SHORT[0]}`, chief_complaint: SHORT[1], patient: null, lang: "en", thinking: "auto", created_at: T, updated_at: "2027-01-01T00:00:00Z" },
      patient: { age_years: 30, sex: null, pregnancy: null, weight_kg: null, allergies: [SHORT[0]], medications: [SHORT[1]], conditions: [SHORT[3]], jurisdiction: "US" },
      messages,
    },
  };
  const searchHits = [
    { consultation_id: cid, message_id: 7001, title: `Stored ${SHORT[0]}`, snippet: `before «${SHORT[0]}» middle «</mark><img src=x onerror=alert('s2')>» after`, rank: 5 },
    { consultation_id: cid, message_id: null, title: SHORT[3], snippet: `«img» ${SHORT[1]}`, rank: 1 },
  ];
  const { page, context, log } = await suite.open(fixtures({ consultations: [xssConsultation, ...consultations()], searchHits }));
  try {
    const list = page.getByTestId("consultation-list").first();
    await list.waitFor({ state: "visible", timeout: 3_000 });
    await list.getByText(/^Stored /).first().click();
    await page.getByText(`Stored payload ${PAYLOADS.length}:`).first().waitFor({ timeout: 3_000 });
    const text = await page.locator("body").innerText();
    for (const p of PAYLOADS) assert.ok(text.includes(`Stored payload ${p.n}:`), `stored answer ${p.n} rendered`);
    await expandAndAudit(page, log, "stored consultation");

    await page.getByTestId("history-search").first().fill("img");
    await page.waitForFunction(() => window.__fakeIpc.calls.some((c) => c.cmd === "search_history"), null, { timeout: 3_000 }).catch(() => {});
    await page.waitForTimeout(400);
    await expandAndAudit(page, log, "history search");
    await shot(page, "xss-history");
  } finally {
    await context.close();
  }
});
