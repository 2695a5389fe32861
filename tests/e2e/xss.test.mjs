// The XSS corpus as MODEL OUTPUT in the real app: the built Anamnesis binary in its WebKitGTK
// window under Xvfb, driven through tauri-driver + WebKitWebDriver, answering through its remote
// engine (crates/openai's client) from a loopback server that speaks the OpenAI streaming API the
// way vLLM does. Nothing in the app is faked: the answers cross the Rust client, the engine's
// pump, the Tauri channel, the Svelte UI, the markdown sanitizer and the app's own CSP.
//
// Needs: ANAMNESIS_APP (the binary), DISPLAY (Xvfb), tauri-driver and WebKitWebDriver on PATH,
// and a Secret Service for the history key. scripts/test-e2e.sh sets all of that up.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Keys, killOwn, removeTempDirs, Session, shot, SHOTS, startDriver, stopDriver } from "./webdriver.mjs";
import { PAYLOADS } from "../../ui/e2e-browser/xss-payloads.mjs";
import { auditPage } from "../../ui/e2e-browser/xss-audit.mjs";

const app = process.env.ANAMNESIS_APP;
// Its own ports: app.test.mjs's driver may still be letting go of its own.
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444) + 10;
const base = `http://127.0.0.1:${port}`;
const MODEL_ID = "xss-model";

let driver;
let server;
let configDir;
let dataDir;
let s;
const requests = [];

// A few of our own on top of the shared corpus: they change the title or navigate, which the
// corpus' alert/__xss sentinels would not show.
const EXTRA = [
  ["title via onerror", `<img src=x onerror="document.title='XSS-TITLE'">`],
  ["title via javascript: link", `<a href="javascript:document.title='XSS-TITLE'">title link</a>`],
  ["location via meta refresh and js link", `<meta http-equiv="refresh" content="0;url=https://evil.example/"><a href="javascript:location='https://evil.example/'">go</a>`],
  ["title via svg set", `<svg><set attributeName="onmouseover" to="document.title='XSS-TITLE'"/><a><rect width=99 height=99 /></a></svg>`],
];
const ALL = [
  ...PAYLOADS,
  ...EXTRA.map(([name, md], i) => ({ n: PAYLOADS.length + i + 1, name, md })),
];

/** Text cut into pieces of varying size (1 to 23 characters): tags and entities split anywhere. */
function pieces(text, seed) {
  const sizes = [7, 3, 1, 12, 5, 23, 2, 9, 4, 16];
  const out = [];
  for (let i = 0, k = seed; i < text.length; k++) {
    const n = sizes[k % sizes.length];
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

// The structured answer: section headings the backend parses (Summary, Possible causes, Next
// steps), payloads in every section, a plain https link to click, and a reasoning trace with a
// link and payloads of its own.
const STRUCTURED = {
  reasoning:
    "Structured reasoning REASONING-OK about a headache, see the [NICE guideline](https://www.nice.org.uk/guidance/cg150). " +
    `<img src=x onerror="window.__xss='r1'"> <a href="javascript:alert('r2')">r2 link</a> <svg onload="alert('r3')"></svg>` +
    "\n\n<math><mtext><table><mglyph><style><img src=x onerror=alert('r4')>",
  content: [
    "## Summary",
    "",
    `A tension-type headache is the most likely cause SUMMARY-OK. <img src=x onerror="alert('s1')"> See [NHS headaches](https://www.nhs.uk/conditions/headaches/).`,
    "",
    "## Possible causes",
    "",
    `- Tension-type headache CAUSES-OK <script>window.__xss='s2'</script>`,
    `- Dehydration <a href="javascript:alert('s3')">js link</a> <iframe srcdoc="<script>parent.alert('s4')</script>"></iframe>`,
    "",
    "## Next steps",
    "",
    `Rest, fluids and regular meals NEXT-OK. <form action="javascript:alert('s5')"><button>go</button></form><div style="position:fixed;inset:0;background:red">overlay</div>`,
  ].join("\n"),
};

/** What the server answers to a user message. */
function script(user) {
  const m = /^xss payload (\d+)$/.exec(user.trim());
  if (m) {
    const p = ALL.find((x) => x.n === Number(m[1]));
    return {
      reasoning: [`Reasoning about payload ${p.n}. `, ...pieces(p.md, p.n)],
      content: [`Payload ${p.n}: `, ...pieces(p.md, p.n + 3), `\n\nEnd of payload ${p.n}.`],
    };
  }
  if (/structured/.test(user)) return { reasoning: pieces(STRUCTURED.reasoning, 1), content: pieces(STRUCTURED.content, 2) };
  return { reasoning: ["Nothing to think about."], content: ["Nothing scripted for this message."] };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The loopback OpenAI-style server, answering as vLLM with `--reasoning-parser` does. */
function startServer() {
  server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    requests.push({ method: req.method, url: req.url, body });
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: MODEL_ID, object: "model", created: 0, owned_by: "vllm", max_model_len: 32768 }] }));
      return;
    }
    if (req.method === "POST" && req.url === "/v1/chat/completions") {
      const json = JSON.parse(body);
      const user = [...json.messages].reverse().find((m) => m.role === "user")?.content ?? "";
      const { reasoning, content } = script(typeof user === "string" ? user : JSON.stringify(user));
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const created = Math.floor(Date.now() / 1000);
      const chunk = (choices, extra = {}) =>
        `data: ${JSON.stringify({ id: "chatcmpl-xss", object: "chat.completion.chunk", created, model: MODEL_ID, choices, ...extra })}\n\n`;
      res.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
      for (const r of reasoning) {
        res.write(chunk([{ index: 0, delta: { reasoning_content: r }, finish_reason: null }]));
        await sleep(2);
      }
      for (const c of content) {
        res.write(chunk([{ index: 0, delta: { content: c }, finish_reason: null }]));
        await sleep(2);
      }
      res.write(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
      const completion = reasoning.length + content.length;
      res.write(chunk([], { usage: { prompt_tokens: 100, completion_tokens: completion, total_tokens: 100 + completion } }));
      res.end("data: [DONE]\n\n");
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: "NotFoundError", code: 404 } }));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server.address().port)));
}

/** SIGKILL for this file's processes only (driver, WebKitWebDriver, app): found by our config dir. */
before(async () => {
  assert.ok(app, "ANAMNESIS_APP must name the built app");
  mkdirSync(SHOTS, { recursive: true });
  const apiPort = await startServer();
  configDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-xss-"));
  dataDir = mkdtempSync(join(tmpdir(), "anamnesis-e2e-xss-data-"));
  // The remote engine, on: the app connects at start, no model download, no onboarding.
  writeFileSync(
    join(configDir, "settings.json"),
    JSON.stringify({ remote: { enabled: true, base_url: `http://127.0.0.1:${apiPort}/v1`, model: "" }, hub: { mirrors: [], modelscope: false } }),
  );
  driver = await startDriver(port, join(SHOTS, "tauri-driver-xss.log"), { ANAMNESIS_CONFIG_DIR: configDir, ANAMNESIS_DATA_DIR: dataDir });
  s = await Session.create(base, { "tauri:options": { application: app } });
});

after(async () => {
  await stopDriver(s, driver);
  killOwn(configDir);
  removeTempDirs(configDir, dataDir);
  server?.close();
  server?.closeAllConnections?.();
});

const pageText = () => s.exec("return document.body.innerText");

/** Installed in the page before anything is sent: records every dialog, CSP violation and title change. */
function installSentinel() {
  window.__xssSentinel = "anamnesis-e2e";
  window.__xssHits = [];
  window.__cspViolations = [];
  window.__startHref = location.href;
  window.__startTitle = document.title;
  for (const f of ["alert", "confirm", "prompt", "print", "open"]) {
    window[f] = (...a) => {
      window.__xssHits.push(`${f}(${a.map(String).join(",")})`);
      return null;
    };
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${(e.sample || "").slice(0, 60)})`);
  });
  new MutationObserver(() => {
    if (document.title !== window.__startTitle) window.__xssHits.push(`title=${document.title}`);
  }).observe(document.head, { subtree: true, childList: true, characterData: true });
  return { href: location.href, origin: location.origin, title: document.title };
}

/** The WebDriver id of an element returned by `exec`. */
const elementId = (ref) => Object.values(ref)[0];

/**
 * Scrolls an element to the middle of its scrolling boxes (the conversation, a reasoning trace).
 * scrollIntoView also scrolls `overflow: hidden` ancestors, which shifts the whole layout (the
 * header goes off the top): those are put back.
 */
async function reveal(ref) {
  await s.exec(
    `const el = arguments[0];
     el.scrollIntoView({ block: "center" });
     for (let a = el.parentElement; a; a = a.parentElement) {
       if (!/auto|scroll/.test(getComputedStyle(a).overflowY)) a.scrollTop = 0;
     }
     document.scrollingElement.scrollTop = 0;`,
    [ref],
  );
}

/** WebDriver's own view: is a JavaScript dialog open? */
async function openAlert() {
  try {
    return await s.cmd("GET", "/alert/text");
  } catch (e) {
    if (/no such alert/i.test(String(e.message))) return null;
    throw e;
  }
}

async function send(text, turns) {
  const box = await s.waitForElement('[data-testid="message-input"]', 10000);
  await s.waitFor("the composer to accept input", async () => (await s.attr(box, "disabled")) === null, 10000);
  await s.type(box, text);
  await s.type(box, Keys.ENTER);
  // The answer finished: as many answers as questions, the last one done.
  await s
    .waitFor(
      `answer ${turns}`,
      () =>
        s.exec(
          `const a = document.querySelectorAll('[data-testid="assistant-message"]');
           const last = a[a.length - 1];
           if (last && last.dataset.status === "failed") throw new Error("answer failed: " + last.innerText);
           return a.length === arguments[0] && last.dataset.status === "done" && !document.querySelector('[data-testid="stop"]');`,
          [turns],
        ),
      30000,
      50,
    )
    .catch(async (e) => assert.fail(`${e.message}\npage: ${(await pageText()).slice(-2000)}`));
}

test("the XSS corpus as remote model output (answers, sections, reasoning) runs nothing in the real window", { timeout: 600000 }, async () => {
  assert.equal(PAYLOADS.length, 48, "the shared corpus has 48 payloads");

  // The app connects to the remote server at start, with no onboarding.
  await s
    .waitFor("the remote model", async () => (await s.exec(`return document.querySelector('[data-testid="model-badge"]')?.textContent ?? ""`)).includes(MODEL_ID), 60000)
    .catch(async (e) => assert.fail(`${e.message}\npage: ${await pageText()}`));
  assert.ok(requests.some((r) => r.method === "GET" && r.url === "/v1/models"), "the app listed the server's models");
  await s.click(await s.waitForElement('[data-testid="new-consultation"]', 10000));
  await s.waitForElement('[data-testid="message-input"]', 10000);

  const start = await s.exec(`return (${installSentinel})()`);
  assert.match(start.origin, /^(?:tauri:\/\/localhost|https?:\/\/tauri\.localhost)$/, `the app's own origin: ${start.href}`);

  // One question per payload, so no payload hides the next (an unclosed <style> or <math>
  // swallows what follows it); each streams in pieces, so its partial states render too.
  const perTurn = [];
  for (const [i, p] of ALL.entries()) {
    await send(`xss payload ${p.n}`, i + 1);
    const a = await s.exec(`return [window.__xss === undefined ? null : String(window.__xss), (window.__xssHits ?? []).length, location.href]`);
    perTurn.push({ n: p.n, name: p.name, xss: a[0], hits: a[1], href: a[2] });
  }
  await send("structured answer please", ALL.length + 1);
  assert.ok(
    requests.filter((r) => r.url === "/v1/chat/completions").every((r) => JSON.parse(r.body).model === MODEL_ID && JSON.parse(r.body).stream === true),
    "every chat request streams from the listed model",
  );

  // Late events (image errors, animations, autofocus), then open every reasoning trace (the UI
  // renders a trace only while it is open) and wait again.
  await sleep(500);
  const opened = await s.exec(
    `const t = [...document.querySelectorAll('[data-testid="thinking-toggle"][aria-expanded="false"]')]; t.forEach((b) => b.click()); return t.length;`,
  );
  assert.equal(opened, ALL.length + 1, "every answer has a collapsed reasoning trace");
  await sleep(800);

  const audit = await s.exec(`return (${auditPage})()`);
  const alert = await openAlert();

  const ran = perTurn.filter((x, i) => x.xss !== null || x.hits > (perTurn[i - 1]?.hits ?? 0) || x.href !== start.href);
  const ranNote = ran.length ? ` (first seen after payloads ${ran.map((x) => `${x.n} "${x.name}"`).join(", ")})` : "";
  assert.equal(audit.sentinel, "anamnesis-e2e", `the page was replaced (navigated or reloaded): ${audit.href}`);
  assert.equal(audit.href, start.href, `the window is still on the app's page${ranNote}`);
  assert.equal(alert, null, `a JavaScript dialog is open: ${alert}`);
  assert.equal(audit.xss, null, `window.__xss was set${ranNote}`);
  assert.deepEqual(audit.hits, [], `payload code ran${ranNote}`);
  assert.equal(audit.title, start.title, "the title is unchanged");
  assert.equal(audit.frames, 0, "no frame was created");
  assert.deepEqual(audit.problems, [], "no active content in the DOM");
  // The sanitizer already removed everything the CSP would have to block.
  assert.deepEqual(audit.csp, [], "no CSP violation");

  // A picture of the corpus too: the event-handler payload, its trace open, and its neighbours.
  await reveal(await s.exec(`return document.querySelectorAll('[data-testid="assistant-message"]')[arguments[0]]`, [ALL.findIndex((p) => /event handlers on common tags/.test(p.name))]));
  await sleep(200);
  shot("xss-corpus");

  // The benign parts are all there, as text, in the right places.
  const view = await s.exec(`
    const answers = [...document.querySelectorAll('[data-testid="assistant-message"]')];
    return answers.map((a) => ({
      answer: (a.querySelector('[data-testid="answer"]')?.textContent ?? "").trim(),
      trace: a.querySelector('[data-testid="thinking-panel"] .trace')?.textContent ?? "",
      sections: [...a.querySelectorAll('[data-testid^="answer-section-"]')].map((x) => x.dataset.testid),
      code: [...a.querySelectorAll('[data-testid="answer"] code')].map((c) => c.textContent),
    }));`);
  assert.equal(view.length, ALL.length + 1);
  for (const [i, p] of ALL.entries()) {
    assert.match(view[i].answer, new RegExp(`^Payload ${p.n}:`), `answer ${p.n} (${p.name}) starts with its benign text`);
    assert.match(view[i].trace, new RegExp(`^Reasoning about payload ${p.n}\\.`), `reasoning ${p.n} (${p.name}) rendered`);
  }
  // The text after a payload shows too, except after the two that leave a <style> open (inside
  // <math>/<svg>): the HTML parser takes everything after it as the style's text, and the
  // sanitizer drops the style with it.
  const swallowed = ALL.filter((p, i) => !view[i].answer.endsWith(`End of payload ${p.n}.`)).map((p) => `${p.n} ${p.name}`);
  assert.deepEqual(swallowed, ["20 mXSS math/mtext/table/mglyph/style", "21 mXSS form/math/mglyph/svg/style"], "answers whose closing text is gone");
  // Code spans and blocks keep payloads as visible text.
  const code = ALL.find((p) => p.name === "code spans stay text");
  assert.ok(view[code.n - 1].code.some((c) => c.includes(`<img src=x onerror=alert(${code.n})>`)), "a code span shows the payload as text");
  assert.ok(view[code.n - 1].code.some((c) => c.includes(`<script>alert(${code.n})</script>`)), "a code block shows the payload as text");
  const last = view[ALL.length];
  assert.deepEqual(last.sections, ["answer-section-summary", "answer-section-causes", "answer-section-next_steps"], "the structured answer renders as sections");
  for (const t of ["SUMMARY-OK", "CAUSES-OK", "NEXT-OK", "NHS headaches", "overlay"]) assert.ok(last.answer.includes(t), `structured answer shows ${t}`);
  assert.match(last.trace, /REASONING-OK/);

  // A link in the reasoning trace asks first, and opens nothing by itself.
  const lastMessage = `[...document.querySelectorAll('[data-testid="assistant-message"]')].pop()`;
  const nice = await s.exec(`return ${lastMessage}.querySelector('[data-testid="thinking-panel"] a[href^="https://www.nice.org.uk/"]')`);
  assert.ok(nice, "the reasoning trace's link is rendered as a link");
  await reveal(nice);
  await s.click(elementId(nice));
  await s.waitForElement('[data-testid="link-confirm"]', 5000);
  assert.match(await s.exec(`return document.querySelector('[data-testid="link-url"]').textContent`), /^https:\/\/www\.nice\.org\.uk\/guidance\/cg150$/);
  await s.click(await s.find('[data-testid="link-confirm-no"]'));
  await s.waitFor("the link prompt to close", async () => (await s.findAll('[data-testid="link-prompt"]')).length === 0, 5000);

  // The same for a link in an answer section.
  const nhs = await s.exec(`return ${lastMessage}.querySelector('[data-testid="answer"] a[href^="https://www.nhs.uk/"]')`);
  assert.ok(nhs, "the NHS link is rendered as a link");
  assert.equal(await s.attr(elementId(nhs), "target"), "_blank");
  assert.equal(await s.attr(elementId(nhs), "rel"), "noopener noreferrer");
  await reveal(nhs);
  await s.click(elementId(nhs));
  await s.waitForElement('[data-testid="link-confirm"]', 5000);
  assert.match(await s.exec(`return document.querySelector('[data-testid="link-url"]').textContent`), /^https:\/\/www\.nhs\.uk\/conditions\/headaches\/$/);
  // The picture: the structured answer and its reasoning trace, down to the link prompt.
  const dismiss = await s.findAll('[data-testid="model-notice-dismiss"]');
  if (dismiss.length) await s.click(dismiss[0]);
  await s.exec(
    `const m = ${lastMessage};
     const trace = m.querySelector(".trace"); if (trace) trace.scrollTop = trace.scrollHeight;
     const main = m.closest("main"); main.scrollTop += m.querySelector('[data-testid="link-prompt"]').getBoundingClientRect().bottom - main.getBoundingClientRect().bottom + 8;`,
  );
  await sleep(300);
  shot("xss");
  await s.click(await s.find('[data-testid="link-confirm-no"]'));
  await s.waitFor("the link prompt to close", async () => (await s.findAll('[data-testid="link-prompt"]')).length === 0, 5000);

  // The defused javascript: links are plain text now: a click does nothing at all.
  const defused = await s.exec(`return [...document.querySelectorAll('.md a:not([href])')].filter((a) => /click me|title link|^go$/.test(a.textContent))`);
  assert.ok(defused.length >= 3, `defused links found: ${defused.length}`);
  for (const d of defused) {
    await reveal(d);
    await s.click(elementId(d));
  }
  await sleep(500);
  assert.equal((await s.findAll('[data-testid="link-prompt"]')).length, 0, "a defused link asks nothing");

  const end = await s.exec(`return (${auditPage})()`);
  assert.equal(end.sentinel, "anamnesis-e2e", "no navigation after the clicks");
  assert.equal(end.href, start.href, "still on the app's page after the clicks");
  assert.equal(await openAlert(), null, "no dialog after the clicks");
  assert.equal(end.xss, null);
  assert.deepEqual(end.hits, [], "nothing ran after the clicks");
  assert.equal(end.title, start.title);
  assert.deepEqual(end.problems, []);
  assert.deepEqual(end.csp, []);

  // Control: the same kind of markup put in the page WITHOUT the sanitizer. The app's CSP blocks
  // the inline handler and the listener sees it, so "no CSP violation" above means something.
  await s.exec(
    `const d = document.createElement("div"); d.id = "xss-control";
     d.innerHTML = '<img src="control-missing.png" onerror="window.__xss = 1">';
     document.body.append(d);`,
  );
  const control = await s.waitFor("the control's CSP violation", () => s.exec(`return window.__cspViolations.length ? window.__cspViolations : null`), 5000);
  await s.exec(`document.getElementById("xss-control").remove()`);
  assert.match(control.join("\n"), /script-src/, `the CSP blocked the unsanitized handler: ${control}`);
  assert.equal(await s.exec(`return window.__xss === undefined`), true, "the CSP stopped the control's handler");
});
