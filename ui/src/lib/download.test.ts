import { describe, expect, it } from "vitest";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import {
  applyDownloadEvent,
  downloadSteps,
  emptyProgress,
  expectedBytes,
  failureHint,
  isStopCode,
  sourceHost,
  spaceIsTight,
  type DownloadProgress,
} from "./download";
import { cpuOnlyOverview, gguf, gptq, plannedEvent, plannedFile, qwenDraft, rtx4090Overview } from "../test/fixtures";

const fold = (events: DownloadEvent[], from: DownloadProgress = emptyProgress(gptq.id)) =>
  events.reduce(applyDownloadEvent, from);

// 10000 bytes in all, 2000 of them already on disk.
const planned = plannedEvent(gptq.id, [
  plannedFile("config.json", 1000, 1000),
  plannedFile("a.safetensors", 4000, 1000),
  plannedFile("b.safetensors", 5000),
]);

describe("applyDownloadEvent", () => {
  it("planned lists the files with what is already on disk", () => {
    const p = fold([planned]);
    expect(p.source).toBe("huggingface.co");
    expect(p.bytes).toBe(2000);
    expect(p.total).toBe(10000);
    expect(p.files.map((f) => [f.path, f.state, f.bytes, f.skipped])).toEqual([
      ["config.json", "done", 1000, true],
      ["a.safetensors", "pending", 1000, false],
      ["b.safetensors", "pending", 0, false],
    ]);
  });

  it("progress, total, verifying and file_done move one file along", () => {
    let p = fold([planned, { type: "progress", file: "a.safetensors", bytes: 3000, total: 4000, speed: 10, eta_secs: 1 }]);
    expect(p.files[1]).toMatchObject({ state: "downloading", bytes: 3000 });
    p = applyDownloadEvent(p, { type: "total", bytes: 4000, total: 10000, speed: 45_000_000, eta_secs: 12 });
    expect([p.bytes, p.speed, p.eta]).toEqual([4000, 45_000_000, 12]);
    p = applyDownloadEvent(p, { type: "verifying", file: "a.safetensors" });
    expect(p.files[1]).toMatchObject({ state: "verifying", bytes: 4000 });
    // A late progress tick does not undo verifying.
    p = applyDownloadEvent(p, { type: "progress", file: "a.safetensors", bytes: 4000, total: 4000, speed: 10, eta_secs: 0 });
    expect(p.files[1].state).toBe("verifying");
    p = applyDownloadEvent(p, { type: "file_done", file: "a.safetensors", skipped: false });
    expect(p.files[1]).toMatchObject({ state: "done", skipped: false });
  });

  it("a retry shows a quiet note until that file moves again", () => {
    let p = fold([planned, { type: "retrying", file: "a.safetensors", attempt: 1, wait_ms: 2400, reason: "reset" }]);
    expect(p.note).toBe("Connection dropped, retrying in 2 s…");
    p = applyDownloadEvent(p, { type: "progress", file: "b.safetensors", bytes: 10, total: 5000, speed: 1, eta_secs: null });
    expect(p.note).not.toBeNull();
    p = applyDownloadEvent(p, { type: "progress", file: "a.safetensors", bytes: 1010, total: 4000, speed: 1, eta_secs: null });
    expect(p.note).toBeNull();
  });

  it("a retry under a second still says 1 s", () => {
    const p = fold([planned, { type: "retrying", file: "a.safetensors", attempt: 1, wait_ms: 250, reason: "x" }]);
    expect(p.note).toBe("Connection dropped, retrying in 1 s…");
  });

  it("a failover names both hosts, survives the new plan and clears once bytes flow", () => {
    let p = fold([
      planned,
      {
        type: "source_failed",
        source: "https://huggingface.co/org/repo@main",
        reason: "HTTP 503",
        next: "https://hf-mirror.com/org/repo@main",
      },
    ]);
    expect(p.note).toBe("huggingface.co failed, trying hf-mirror.com");
    expect(p.source).toBe("hf-mirror.com");
    p = applyDownloadEvent(p, { ...planned, source: "https://hf-mirror.com/org/repo@main" } as DownloadEvent);
    expect(p.note).toBe("huggingface.co failed, trying hf-mirror.com");
    p = applyDownloadEvent(p, { type: "progress", file: "b.safetensors", bytes: 10, total: 5000, speed: 1, eta_secs: null });
    expect(p.note).toBeNull();
  });

  it("a failover with nowhere to go says only what failed", () => {
    const p = fold([{ type: "source_failed", source: "https://modelscope.cn/org/repo@master", reason: "x", next: null }]);
    expect(p.note).toBe("modelscope.cn failed");
  });

  it("done completes every file", () => {
    const p = fold([planned, { type: "done", dir: "/m", bytes: 10000, secs: 3 }]);
    expect(p.done).toBe(true);
    expect(p.bytes).toBe(10000);
    expect(p.files.every((f) => f.state === "done" && f.bytes === f.size)).toBe(true);
  });

  it("tracks a file the plan did not name", () => {
    const p = fold([planned, { type: "progress", file: "extra.json", bytes: 5, total: 10, speed: 1, eta_secs: null }]);
    expect(p.files.map((f) => f.path)).toContain("extra.json");
  });
});

describe("download plan helpers", () => {
  it("downloadSteps: the variant, then its draft when asked", () => {
    expect(downloadSteps(rtx4090Overview, gptq.id, true).map((v) => v.id)).toEqual([gptq.id, qwenDraft.id]);
    expect(downloadSteps(rtx4090Overview, gguf.id, false).map((v) => v.id)).toEqual([gguf.id]);
    expect(downloadSteps(rtx4090Overview, "nope", true)).toEqual([]);
    // A draft has no draft of its own.
    expect(downloadSteps(rtx4090Overview, qwenDraft.id, true).map((v) => v.id)).toEqual([qwenDraft.id]);
  });

  it("expectedBytes sums the catalog sizes", () => {
    expect(expectedBytes(downloadSteps(cpuOnlyOverview, gptq.id, true))).toBe(21_020_000_000);
  });

  it("spaceIsTight under 1.05× the need, never when unknown", () => {
    expect(spaceIsTight(20e9, 20.9e9)).toBe(true);
    expect(spaceIsTight(20e9, 21e9)).toBe(false);
    expect(spaceIsTight(20e9, null)).toBe(false);
  });

  it("sourceHost keeps what is not a URL", () => {
    expect(sourceHost("https://hf-mirror.com/a/b@main")).toBe("hf-mirror.com");
    expect(sourceHost("modelscope")).toBe("modelscope");
  });

  it("PAUSED and CANCELLED are states, the rest are errors with hints where useful", () => {
    expect(isStopCode("PAUSED")).toBe(true);
    expect(isStopCode("CANCELLED")).toBe(true);
    expect(isStopCode("DISK_FULL")).toBe(false);
    expect(failureHint({ code: "INSUFFICIENT_SPACE", message: "" })).toContain("is kept");
    expect(failureHint({ code: "UNAUTHORIZED", message: "" })).toContain("token");
    expect(failureHint({ code: "INTERNAL", message: "" })).toBeNull();
  });
});
