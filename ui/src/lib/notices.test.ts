import { afterEach, describe, expect, it } from "vitest";
import type { GpuProblem } from "./bindings/GpuProblem";
import type { ModelNotice } from "./bindings/ModelNotice";
import { setLang } from "./i18n.svelte";
import { gpuProblemText, isWarning, noticeText } from "./notices";

afterEach(() => setLang("en"));

const all: ModelNotice[] = [
  { kind: "estimated_tokens" },
  { kind: "insecure_remote", host: "10.0.0.5" },
  { kind: "remote_context_capped" },
  { kind: "draft_not_used", error: { code: "MODEL_NOT_FOUND", message: "No such file: /d.gguf" } },
  { kind: "gpu_unavailable", problem: { kind: "gpu_too_old", gpu: "Tesla T4", compute_capability: "7.5" } },
];

describe("model notices", () => {
  it("read in the user's language, with what the backend named kept as it is", () => {
    const en = all.map(noticeText);
    setLang("zh");
    const zh = all.map(noticeText);
    for (let i = 0; i < all.length; i++) {
      expect(en[i]).not.toBe(zh[i]);
      expect(zh[i]).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(en[1]).toContain("10.0.0.5 is reached over plain http");
    expect(zh[1]).toContain("10.0.0.5");
    expect(zh[3]).toContain("/d.gguf");
    expect(zh[3]).not.toContain("Draft model not used");
  });

  it("plain http and an unusable GPU are warnings", () => {
    expect(all.map(isWarning)).toEqual([false, true, false, false, true]);
  });

  it("an unusable GPU says why, for each reason", () => {
    expect(noticeText(all[4])).toContain("Tesla T4: its compute capability is 7.5");
    const problems: GpuProblem[] = [
      { kind: "no_driver" },
      { kind: "runtime_missing", library: "cuBLASLt" },
      { kind: "driver_failed", error: "CUDA_ERROR_NOT_INITIALIZED" },
      { kind: "no_gpu" },
      { kind: "driver_too_old", driver: "12.4", needs: "13.0" },
      { kind: "gpu_too_old", gpu: "Tesla T4", compute_capability: "7.5" },
    ];
    const en = problems.map(gpuProblemText);
    setLang("zh");
    const zh = problems.map(gpuProblemText);
    expect(new Set(en).size).toBe(problems.length);
    for (const text of [...en, ...zh]) expect(text).toMatch(/processor|处理器/);
    expect(zh[1]).toContain("cuBLASLt");
    expect(zh[2]).toContain("CUDA_ERROR_NOT_INITIALIZED");
    expect(zh[4]).toContain("CUDA 12.4");
  });
});
