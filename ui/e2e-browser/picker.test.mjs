// The model picker in Chromium, from the header's badge: the downloaded models, the load controls
// and the memory estimate; moving the context slider asks for an estimate (and warns when it may
// not fit), "Reload with these settings" saves the choice and loads again. In English, Chinese
// and the dark theme. Screenshots: picker-{open,too-big,loading,reloaded}-<lang>.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserSuite, calls, shot } from "./harness.mjs";
import { pickerFixtures } from "./fixtures.mjs";

const { withApp } = browserSuite({ noUnmocked: true });

const VARIANTS = [
  { lang: "en", dark: false },
  { lang: "zh", dark: false },
  { lang: "en", dark: true },
];

const TEXT = {
  en: { context: "10,240 tokens (about 7,500 words)", tooBig: "This may not fit in memory" },
  zh: { context: "10,240（约相当于 7,500 个英文单词）", tooBig: "内存可能不够" },
};

async function composerReady(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="message-input"]');
    return el && !el.disabled && el.offsetParent !== null;
  });
}

for (const { lang, dark } of VARIANTS) {
  const tag = dark ? `${lang}-dark` : lang;
  test(`the model picker: open it from the header, slide the context, reload (${tag})`, async () => {
    await withApp(`picker-${tag}`, pickerFixtures(), async ({ page }) => {
      if (dark) await page.emulateMedia({ colorScheme: "dark" });
      await composerReady(page);
      if (lang === "zh") {
        await page.getByTestId("language-switch").first().selectOption("zh");
        await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
      }
      const badge = page.getByTestId("model-badge");
      assert.equal(await badge.getAttribute("aria-expanded"), "false");
      await badge.click();
      const picker = page.getByTestId("model-picker");
      await picker.waitFor({ state: "visible" });
      assert.equal(await badge.getAttribute("aria-expanded"), "true");
      await page.getByTestId("load-estimate").waitFor({ state: "visible" });
      assert.equal((await page.getByTestId("context-value").textContent()).trim(), TEXT[lang].context);
      assert.equal(await page.getByTestId("picker-model").count(), 2, "the two main models, not the draft");
      assert.equal(await page.getByTestId("load-estimate").getAttribute("data-fits"), "true");
      // Inside the window, and clear of the disclaimer strip.
      const box = await picker.boundingBox();
      const strip = await page.getByTestId("disclaimer").boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 1280, "the picker is inside the window");
      assert.ok(box.y + box.height <= strip.y, "the picker ends above the disclaimer");
      await shot(page, `picker-open-${tag}`);

      // The slider to its end (keyboard on the range): the estimate follows, with the warning.
      const slider = page.getByTestId("context-slider");
      await slider.focus();
      await page.keyboard.press("End");
      await page.getByTestId("load-too-big").waitFor({ state: "visible" });
      assert.match(await page.getByTestId("load-too-big").textContent(), new RegExp(TEXT[lang].tooBig));
      const estimates = await calls(page, "estimate_load");
      assert.equal(estimates.length, 1, "one estimate once the slider rests");
      assert.deepEqual(estimates[0].args.choice, { context: 32768, gpu_layers: null, draft: true });
      await shot(page, `picker-too-big-${tag}`);

      // A shorter context, typed; fewer layers on the GPU: it fits again.
      const number = page.getByTestId("context-number");
      await number.fill("8000");
      await number.press("Enter");
      assert.equal(await number.inputValue(), "8192", "snapped to a step");
      await page.getByTestId("layers-slider").fill("48");
      await page.waitForFunction(() => document.querySelector('[data-testid="load-estimate"]')?.dataset.fits === "true");
      await page.waitForFunction(() => !document.querySelector('[data-testid="load-too-big"]'));
      await page.getByTestId("pool-ram").waitFor({ state: "visible" });

      const reload = page.getByTestId("reload");
      assert.equal(await reload.getAttribute("aria-disabled"), "false");
      await reload.click();
      await page.getByTestId("picker-loading").waitFor({ state: "visible" });
      await shot(page, `picker-loading-${tag}`);
      await page.waitForFunction(() => !document.querySelector('[data-testid="picker-loading"]'), null, { timeout: 5_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="reload"]')?.getAttribute("aria-disabled") === "true");

      const sent = await calls(page);
      const saved = sent.findIndex((c) => c.cmd === "set_load_choice");
      assert.ok(saved >= 0, "the choice was saved");
      assert.deepEqual(sent[saved].args.choice, { context: 8192, gpu_layers: 48, draft: true });
      assert.ok(sent.slice(saved).some((c) => c.cmd === "load_model"), "then the model loaded again");
      assert.equal(await page.getByTestId("model-picker").count(), 1, "the picker stays open");
      assert.match(await page.getByTestId("context-value").textContent(), /8,192/);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "reload", "focus stays on Reload");
      await shot(page, `picker-reloaded-${tag}`);

      // Escape closes it, back to the badge.
      await page.keyboard.press("Escape");
      await picker.waitFor({ state: "detached" });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "model-badge");
    });
  });
}

test("the model picker: a click outside closes it; All models… opens Settings there", async () => {
  await withApp("picker-outside", pickerFixtures(), async ({ page }) => {
    await composerReady(page);
    await page.getByTestId("model-badge").click();
    await page.getByTestId("load-controls").waitFor({ state: "visible" });
    await page.mouse.click(900, 500);
    await page.getByTestId("model-picker").waitFor({ state: "detached" });

    await page.getByTestId("model-badge").click();
    await page.getByTestId("picker-all-models").click();
    await page.getByTestId("settings").waitFor({ state: "visible" });
    await page.getByTestId("models-dir").waitFor({ state: "visible" });
    assert.ok(await page.evaluate(() => document.querySelector('[data-testid="models-settings"]').contains(document.activeElement)), "focus in Downloaded models");
    await shot(page, "picker-all-models");
  });
});

test("the model picker stays inside a narrow window", async () => {
  await withApp("picker-narrow", pickerFixtures(), async ({ page }) => {
    await page.setViewportSize({ width: 600, height: 800 });
    await composerReady(page);
    await page.getByTestId("model-badge").click();
    await page.getByTestId("load-controls").waitFor({ state: "visible" });
    const box = await page.getByTestId("model-picker").boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 600, `inside the window: ${JSON.stringify(box)}`);
    await shot(page, "picker-narrow");
  });
});
