// Where the model's layers run, in the header badge and in Settings: all on the GPU (quiet),
// split with the CPU (a warning), all on the CPU (the loud CPU warning).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { ModelInfo } from "../../bindings/ModelInfo";
import { display } from "../../display.svelte";
import { setLang } from "../../i18n.svelte";
import { cpuModel } from "../../../test/app";
import { settingsFixture } from "../../../test/fixtures";
import { hubMock } from "../../../test/hub";
import { panelProps, serveMocks } from "../../../test/settings";
import ModelBadge from "./ModelBadge.svelte";
import SettingsPanel from "../settings/SettingsPanel.svelte";

// The layer count is a technical detail; the warnings are for everyone (tested below).
beforeEach(() => {
  display.technical = true;
});

afterEach(() => {
  clearMocks();
  setLang("en");
  display.technical = false;
});

const gpu = (layers: ModelInfo["layers"]): ModelInfo => ({ ...cpuModel, device: "cuda:0", on_cpu: false, layers });

function badge(info: ModelInfo) {
  render(ModelBadge, { status: { state: "ready", info } });
}

function settings(info: ModelInfo) {
  const hub = hubMock({ settings: settingsFixture({ model_path: info.path }) });
  serveMocks(hub);
  render(SettingsPanel, panelProps(hub.settings, { state: "ready", info }));
}

describe("layers in the model badge", () => {
  it("all on the GPU: a quiet count next to the device, no warning", () => {
    badge(gpu({ total: 64, on_gpu: 64 }));
    const b = screen.getByTestId("model-badge");
    expect(b.textContent).toContain("cuda:0");
    expect(screen.getByTestId("layers-on-gpu").textContent).toBe("64/64 layers on GPU");
    expect(b.contains(screen.getByTestId("layers-on-gpu"))).toBe(true);
    expect(screen.queryByTestId("layer-split-warning")).toBeNull();
    expect(screen.queryByTestId("cpu-warning")).toBeNull();
  });

  it("split: a warning that says how many layers run on the CPU, and why it is slower", () => {
    badge(gpu({ total: 64, on_gpu: 31 }));
    const w = screen.getByTestId("layer-split-warning");
    expect(w.textContent?.trim()).toBe("31 of 64 layers on GPU · 33 on CPU (slower)");
    expect(w.classList.contains("warn")).toBe(true);
    expect(w.getAttribute("title")).toContain("33 layers did not fit in GPU memory and run on the CPU. Every token waits for them");
    expect(screen.queryByTestId("layers-on-gpu")).toBeNull();
    expect(screen.queryByTestId("cpu-warning")).toBeNull();
  });

  it("on the CPU: the loud CPU warning, no layer count", () => {
    badge({ ...cpuModel, layers: { total: 64, on_gpu: 0 } });
    expect(screen.getByTestId("cpu-warning").textContent).toContain("Running on CPU — slow");
    expect(screen.queryByTestId("layer-split-warning")).toBeNull();
    expect(screen.queryByTestId("layers-on-gpu")).toBeNull();
  });

  it("without technical details: the name, no device or count; the warnings stay", () => {
    display.technical = false;
    badge(gpu({ total: 64, on_gpu: 64 }));
    expect(screen.getByTestId("model-badge").textContent).not.toContain("cuda:0");
    expect(screen.queryByTestId("model-device")).toBeNull();
    expect(screen.queryByTestId("layers-on-gpu")).toBeNull();
    cleanup();
    badge(gpu({ total: 64, on_gpu: 31 }));
    expect(screen.getByTestId("layer-split-warning").textContent).toContain("33 on CPU");
  });

  it("no split reported: the badge as before", () => {
    badge(gpu(null));
    expect(screen.queryByTestId("layers-on-gpu")).toBeNull();
    expect(screen.queryByTestId("layer-split-warning")).toBeNull();
    expect(screen.queryByTestId("cpu-warning")).toBeNull();
  });

  it("speaks Chinese", () => {
    setLang("zh");
    badge(gpu({ total: 64, on_gpu: 31 }));
    expect(screen.getByTestId("layer-split-warning").textContent?.trim()).toBe("64 层中 31 层在 GPU 上 · 33 层在 CPU 上（较慢）");
  });
});

describe("layers in Settings", () => {
  it("all on the GPU", () => {
    settings(gpu({ total: 64, on_gpu: 64 }));
    const row = screen.getByTestId("model-layers");
    expect(row.textContent?.trim()).toBe("all 64 on the GPU");
    expect(row.querySelector(".cpu")).toBeNull();
  });

  it("split: the counts and a 'slower' mark", () => {
    settings(gpu({ total: 64, on_gpu: 31 }));
    const row = screen.getByTestId("model-layers");
    expect(row.dataset.placement).toBe("split");
    expect(row.textContent).toContain("31 of 64 on the GPU, 33 on the CPU");
    expect(row.querySelector(".cpu")?.textContent).toBe("slower");
  });

  it("on the CPU", () => {
    settings({ ...cpuModel, layers: { total: 64, on_gpu: 0 } });
    expect(screen.getByTestId("model-layers").textContent?.trim()).toBe("all 64 on the CPU");
    expect(screen.getByTestId("model-info").textContent).toContain("Running on CPU — slow");
  });

  it("no row when no split is reported", () => {
    settings(gpu(null));
    expect(screen.queryByTestId("model-layers")).toBeNull();
  });
});
