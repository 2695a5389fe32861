/**
 * Where a loaded model's layers run, as the header and Settings show it. A model split between
 * GPU and CPU answers much more slowly than one wholly on the GPU: every token waits for the
 * CPU layers.
 */
import type { ModelInfo } from "./bindings/ModelInfo";

export type Placement =
  /** Every layer on the GPU (or no split reported and not on the CPU): nothing to warn about. */
  | { kind: "gpu"; total: number | null }
  /** Some layers on the GPU, the rest on the CPU. */
  | { kind: "split"; total: number; onGpu: number; onCpu: number }
  /** Everything on the CPU. */
  | { kind: "cpu" };

export function placement(info: Pick<ModelInfo, "on_cpu" | "layers">): Placement {
  const l = info.layers;
  if (info.on_cpu) return { kind: "cpu" };
  if (!l || !Number.isFinite(l.total) || l.total <= 0) return { kind: "gpu", total: null };
  const onGpu = Math.max(0, Math.min(l.total, Math.floor(l.on_gpu)));
  if (onGpu === 0) return { kind: "cpu" };
  if (onGpu < l.total) return { kind: "split", total: l.total, onGpu, onCpu: l.total - onGpu };
  return { kind: "gpu", total: l.total };
}
