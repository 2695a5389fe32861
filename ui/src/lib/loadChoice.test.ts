import { describe, expect, it } from "vitest";
import { approxWords, sameChoice, shown, snapContext, toSave } from "./loadChoice";
import { ggufControls, gptqControls } from "../test/fixtures";

describe("the load choice", () => {
  it("shows all layers as the total where they can be chosen, and no draft where none is downloaded", () => {
    const gguf = ggufControls();
    expect(shown({ context: 8192, gpu_layers: null, draft: true }, gguf)).toEqual({ context: 8192, gpu_layers: 64, draft: true });
    expect(shown({ context: 8192, gpu_layers: 80, draft: true }, gguf).gpu_layers).toBe(64);
    expect(shown({ context: 8192, gpu_layers: 30, draft: true }, gptqControls())).toEqual({ context: 8192, gpu_layers: null, draft: false });
  });

  it("saves all layers as null where the settings had null, and a number otherwise", () => {
    const gguf = ggufControls();
    expect(toSave({ context: 8192, gpu_layers: 64, draft: true }, gguf).gpu_layers).toBeNull();
    expect(toSave({ context: 8192, gpu_layers: 40, draft: true }, gguf).gpu_layers).toBe(40);
    const split = ggufControls({ current: { context: 8192, gpu_layers: 40, draft: true } });
    expect(toSave({ context: 8192, gpu_layers: 64, draft: true }, split).gpu_layers).toBe(64);
    expect(toSave({ context: 8192, gpu_layers: 12, draft: false }, gptqControls()).gpu_layers).toBeNull();
  });

  it("compares every field", () => {
    const a = { context: 8192, gpu_layers: null, draft: true };
    expect(sameChoice(a, { ...a })).toBe(true);
    expect(sameChoice(a, { ...a, context: 9216 })).toBe(false);
    expect(sameChoice(a, { ...a, gpu_layers: 64 })).toBe(false);
    expect(sameChoice(a, { ...a, draft: false })).toBe(false);
  });

  it("snaps a context to a step within the bounds", () => {
    const c = ggufControls();
    expect(snapContext(9000, c)).toBe(9216);
    expect(snapContext(8700, c)).toBe(8192);
    expect(snapContext(100, c)).toBe(4096);
    expect(snapContext(1e9, c)).toBe(32768);
    expect(snapContext(Number.NaN, c)).toBe(4096);
  });

  it("says about how many words fit, rounded", () => {
    expect(approxWords(8192)).toBe(6000);
    expect(approxWords(10240)).toBe(7500);
    expect(approxWords(32768)).toBe(25000);
    expect(approxWords(131072)).toBe(98000);
    expect(approxWords(1000)).toBe(800);
    expect(approxWords(0)).toBe(0);
  });
});
