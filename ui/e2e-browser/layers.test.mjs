// Where the model's layers run, in Chromium: a model split between GPU and CPU shows a warning
// in the header (not the CPU one) and its counts in Settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserSuite, shot } from "./harness.mjs";
import { fixtures, modelInfo } from "./fixtures.mjs";

const { withApp } = browserSuite();

test("a model split between GPU and CPU shows a warning in the header and in Settings", async () => {
  const info = { ...modelInfo(), path: "/models/b.gguf", format: "gguf", layers: { total: 64, on_gpu: 31 } };
  await withApp("layer-split", fixtures({ modelInfo: info }), async ({ page }) => {
    const w = page.getByTestId("layer-split-warning");
    await w.waitFor({ state: "visible", timeout: 3_000 });
    assert.equal((await w.textContent()).trim(), "31 of 64 layers on GPU · 33 on CPU (slower)");
    assert.match(await w.getAttribute("title"), /CPU/);
    assert.equal(await page.getByTestId("cpu-warning").count(), 0);
    await shot(page, "layer-split");

    // Settings lists the split too.
    await page.getByTestId("open-settings").click();
    const layers = page.getByTestId("model-layers");
    await layers.waitFor({ state: "visible", timeout: 3_000 });
    assert.match(await layers.textContent(), /31 of 64 on the GPU, 33 on the CPU/);
    await shot(page, "settings-layers");
  });
});
