import { describe, expect, it } from "vitest";
import { placement } from "./layers";

describe("placement", () => {
  it("all layers on the GPU", () => {
    expect(placement({ on_cpu: false, layers: { total: 64, on_gpu: 64 } })).toEqual({ kind: "gpu", total: 64 });
  });
  it("split between GPU and CPU", () => {
    expect(placement({ on_cpu: false, layers: { total: 64, on_gpu: 31 } })).toEqual({ kind: "split", total: 64, onGpu: 31, onCpu: 33 });
  });
  it("no layer on the GPU is the CPU, whatever the device says", () => {
    expect(placement({ on_cpu: false, layers: { total: 64, on_gpu: 0 } })).toEqual({ kind: "cpu" });
    expect(placement({ on_cpu: true, layers: null })).toEqual({ kind: "cpu" });
    expect(placement({ on_cpu: true, layers: { total: 64, on_gpu: 0 } })).toEqual({ kind: "cpu" });
  });
  it("no split reported: nothing to say about layers", () => {
    expect(placement({ on_cpu: false, layers: null })).toEqual({ kind: "gpu", total: null });
    expect(placement({ on_cpu: false, layers: { total: 0, on_gpu: 0 } })).toEqual({ kind: "gpu", total: null });
  });
  it("clamps an implausible count", () => {
    expect(placement({ on_cpu: false, layers: { total: 64, on_gpu: 99 } })).toEqual({ kind: "gpu", total: 64 });
  });
});
