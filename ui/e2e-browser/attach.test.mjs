// Attaching documents to a question in Chromium: the Attach button's file chooser, a file set on
// the input from page JS (as the WebKitGTK end-to-end test does it: a DataTransfer's files), a
// file dropped on the composer; the chip, its preview, the send, the sent question's documents
// (stored, and shown again when the consultation is reopened); a scanned PDF, a file over 20 MB
// and a sixth document refused in words. Pictures in English and Chinese.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ask, browserSuite, calls, shot, waitStreams } from "./harness.mjs";
import { chunks, consultScript, fixtures } from "./fixtures.mjs";

const { withApp } = browserSuite({ noUnmocked: true });

const LABS = [
  "Full blood count, 12 March 2026",
  "Haemoglobin 118 g/L (120-150) LOW",
  "Ferritin 9 ug/L (15-200) LOW",
  "White cells 6.2 x10^9/L (4.0-11.0)",
  "Platelets 265 x10^9/L (150-400)",
].join("\n");

const ANSWER = "Your haemoglobin and ferritin are both a little low, which fits iron deficiency.";

/**
 * Sets `files` ({name, type, text?, size?}) on the composer's file input from page JS and fires
 * `change`, as a user's pick does. `size` makes a file of that many zero bytes.
 */
async function setFiles(page, files) {
  await page.evaluate((list) => {
    const input = document.querySelector('[data-testid="attach-input"]');
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text ?? new Uint8Array(f.size ?? 0)], f.name, { type: f.type }));
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }, files);
}

/** Drops `files` on the composer (dragenter, dragover, drop), as from a file manager. */
async function dropFiles(page, files) {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    const form = document.querySelector('[data-testid="composer"]');
    for (const type of ["dragenter", "dragover", "drop"]) {
      form.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, files);
}

async function composerReady(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="message-input"]');
    return el && !el.disabled && el.offsetParent !== null;
  });
}

async function useLanguage(page, lang) {
  if (lang === "en") return;
  await page.getByTestId("language-switch").first().selectOption(lang);
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
}

const composerChips = (page) => page.getByTestId("composer").getByTestId("attachment-chip");

for (const lang of ["en", "zh"]) {
  test(`a text file attached with the Attach button: chip, preview, sent with the question, shown on it (${lang})`, async () => {
    const script = consultScript({ content: chunks(ANSWER, 16) });
    await withApp(`attach-send-${lang}`, fixtures({ scripts: [script] }), async ({ page }) => {
      await composerReady(page);
      await useLanguage(page, lang);
      const attach = page.getByRole("button", { name: lang === "zh" ? "添加文档" : "Attach a document" });
      assert.match((await attach.getAttribute("title")) ?? "", lang === "zh" ? /不会上传任何内容/ : /nothing is uploaded/);

      // The Attach button opens the system's file chooser, for text and PDFs, several at once.
      const [chooser] = await Promise.all([page.waitForEvent("filechooser"), attach.click()]);
      assert.equal(chooser.isMultiple(), true);
      await chooser.setFiles({ name: "labs.txt", mimeType: "text/plain", buffer: Buffer.from(LABS) });
      const chip = composerChips(page).first();
      await chip.waitFor({ state: "visible" });
      assert.equal(await chip.getByTestId("attachment-name").textContent(), "labs.txt");
      const summary = (await chip.getByTestId("attachment-summary").textContent()) ?? "";
      assert.match(summary, lang === "zh" ? /^31 字 · 占用不到 1% 的对话记忆$/ : /^31 words · uses less than 1% of the conversation memory$/);
      const read = await calls(page, "read_attachment");
      assert.deepEqual(read.map((c) => [c.args.name, Buffer.from(c.args.data, "base64").toString("utf8")]), [["labs.txt", LABS]]);

      await chip.getByTestId("attachment-toggle").click();
      assert.equal(await chip.getByTestId("attachment-text").textContent(), LABS);
      assert.equal(
        await page.getByTestId("message-input").getAttribute("placeholder"),
        lang === "zh" ? "请针对这份文档提出问题…" : "Add a question about the document…",
      );
      assert.equal(await page.getByTestId("send").isDisabled(), true, "a document alone is not sent");
      await shot(page, `attach-composer-${lang}`);

      await ask(page, "What do these blood results mean?");
      await page.getByTestId("composer").getByTestId("attachments").waitFor({ state: "detached" });
      const sends = await calls(page, "consult_send");
      assert.deepEqual(sends.at(-1).args.attachments.map((a) => [a.name, a.kind, a.text, a.pages]), [["labs.txt", "text", LABS, null]]);
      await waitStreams(page, 1);

      const question = page.getByTestId("user-message").last();
      const sent = question.getByTestId("attachment-chip");
      assert.equal(await sent.count(), 1);
      await sent.getByTestId("attachment-toggle").click();
      assert.equal(await sent.getByTestId("attachment-text").textContent(), LABS);
      await shot(page, `attach-sent-${lang}`);

      // Stored with the question: another consultation, then this one again.
      const list = page.getByTestId("consultation-list").first();
      const heading = (await page.getByTestId("consultation-heading").textContent()) ?? "";
      await list.getByText("Knee pain after running").first().click();
      await page.getByTestId("consultation-heading").filter({ hasText: "Knee pain after running" }).waitFor();
      await list.getByText(heading).first().click();
      await page.getByTestId("consultation-heading").filter({ hasText: heading }).waitFor();
      const reopened = page.getByTestId("user-message").last().getByTestId("attachment-chip");
      await reopened.waitFor({ state: "visible" });
      assert.equal(await reopened.getAttribute("data-name"), "labs.txt");
    });
  });

  test(`documents refused in words: a scanned PDF, a file over 20 MB, a sixth document (${lang})`, async () => {
    await withApp(`attach-errors-${lang}`, fixtures(), async ({ page }) => {
      await composerReady(page);
      await useLanguage(page, lang);
      await page.getByTestId("message-input").fill("Is my kidney function normal?");

      await setFiles(page, [
        { name: "scanned.pdf", type: "application/pdf", text: "%PDF-1.4 scanned" },
        { name: "ct-scan.pdf", type: "application/pdf", size: 21_000_000 },
      ]);
      const errors = page.getByTestId("attachment-error");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="attachment-error"]').length === 2);
      // In the order picked: each chip keeps its place.
      assert.deepEqual(await errors.evaluateAll((els) => els.map((e) => [e.dataset.name, e.dataset.code])), [
        ["scanned.pdf", "ATTACHMENT_EMPTY"],
        ["ct-scan.pdf", "ATTACHMENT_TOO_LARGE"],
      ]);
      const scanned = errors.filter({ hasText: "scanned.pdf" });
      assert.match((await scanned.textContent()) ?? "", lang === "zh" ? /scanned\.pdf 无法添加。/ : /scanned\.pdf could not be attached\./);
      assert.equal(await scanned.getByTestId("attachment-error-code").textContent(), "ATTACHMENT_EMPTY");
      // The large one was never read, nor sent to the backend.
      assert.deepEqual((await calls(page, "read_attachment")).map((c) => c.args.name), ["scanned.pdf"]);
      assert.equal(await page.getByTestId("message-input").inputValue(), "Is my kidney function normal?", "the message is kept");

      // Five at most: four by drop, then two more picked.
      await dropFiles(page, [1, 2, 3, 4].map((i) => ({ name: `result-${i}.txt`, type: "text/plain", text: `Creatinine ${80 + i} umol/L` })));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="composer"] [data-testid="attachment-chip"]').length === 4);
      await setFiles(page, [
        { name: "result-5.txt", type: "text/plain", text: "eGFR 92" },
        { name: "result-6.txt", type: "text/plain", text: "eGFR 90" },
      ]);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="composer"] [data-testid="attachment-chip"]').length === 5);
      const over = page.getByTestId("attachment-over-limit");
      assert.equal(await over.getAttribute("data-name"), "result-6.txt");
      assert.match((await over.textContent()) ?? "", lang === "zh" ? /最多可附带 5 份文档/ : /at most 5 documents/);
      assert.ok(!(await calls(page, "read_attachment")).some((c) => c.args.name === "result-6.txt"), "the sixth was not read");
      await page.getByTestId("composer").scrollIntoViewIfNeeded();
      await shot(page, `attach-errors-${lang}`);

      await page.getByRole("button", { name: lang === "zh" ? "关闭关于 scanned.pdf 的提示" : "Dismiss the message about scanned.pdf" }).click();
      await page.getByTestId("attachment-error").filter({ hasText: "scanned.pdf" }).waitFor({ state: "detached" });
    });
  });
}

test("a file dropped outside the composer does not replace the app", async () => {
  await withApp("attach-drop-outside", fixtures(), async ({ page, log }) => {
    await composerReady(page);
    const prevented = await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(["x"], "labs.txt", { type: "text/plain" }));
      const target = document.querySelector('[data-testid="consultation-list"]');
      const over = new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: dt });
      const drop = new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: dt });
      target.dispatchEvent(over);
      target.dispatchEvent(drop);
      return [over.defaultPrevented, drop.defaultPrevented];
    });
    assert.deepEqual(prevented, [true, true]);
    assert.equal(await page.getByTestId("attachment-chip").count(), 0, "nothing is attached from outside the composer");
    assert.equal(log.navigations.length, 1);
  });
});
