import type { ContextBudget } from "../lib/bindings/ContextBudget";
import type { DownloadEvent } from "../lib/bindings/DownloadEvent";
import type { HardwareInfo } from "../lib/bindings/HardwareInfo";
import type { LoadChoice } from "../lib/bindings/LoadChoice";
import type { LoadControls } from "../lib/bindings/LoadControls";
import type { LoadEstimate } from "../lib/bindings/LoadEstimate";
import type { MemoryFallback } from "../lib/bindings/MemoryFallback";
import type { ModelsOverview } from "../lib/bindings/ModelsOverview";
import type { Plan } from "../lib/bindings/Plan";
import type { PlannedFile } from "../lib/bindings/PlannedFile";
import type { Settings } from "../lib/bindings/Settings";
import type { Variant } from "../lib/bindings/Variant";
import { defaultSettings } from "../lib/settings";

/** A context budget with nothing dropped, shared by the meter and context tests. */
export const budget: ContextBudget = {
  limit: 32768,
  system_tokens: 200,
  history_tokens: 900,
  message_tokens: 134,
  answer_room: 31534,
  dropped: [],
};

const GIB = 1024 ** 3;

export const noFallback: MemoryFallback = { short_context: false, anyway: false };

/** Settings as the backend returns them, with nothing chosen yet. */
export const settingsFixture: (over?: Partial<Settings>) => Settings = defaultSettings;

/** The shipped catalog (models/*.toml). */
export const gptq: Variant = {
  id: "baichuan-m2-32b-gptq-int4",
  label: "Baichuan-M2-32B GPTQ-Int4",
  role: "main",
  format: "gptq",
  template: "templates/baichuan-m2.jinja",
  draft: "qwen3-0.6b",
  expected_bytes: 19_500_000_000,
  sources: [
    {
      hub: "huggingface",
      repo: "baichuan-inc/Baichuan-M2-32B-GPTQ-Int4",
      revision: "main",
      include: ["*.json", "*.safetensors"],
      exclude: ["draft/**"],
    },
  ],
  requirements: {
    backends: ["cuda"],
    min_compute_capability: "8.0",
    weights_bytes: 19_500_000_000,
    kv_bytes_per_token: 262_144,
    layers: 64,
    min_context: 4096,
    max_context: 32768,
  },
};

export const gguf: Variant = {
  id: "baichuan-m2-32b-q4_k_m-gguf",
  label: "Baichuan-M2-32B Q4_K_M (GGUF)",
  role: "main",
  format: "gguf",
  template: "templates/baichuan-m2.jinja",
  draft: "qwen3-0.6b",
  expected_bytes: 19_900_000_000,
  sources: [{ hub: "huggingface", repo: "baichuan-inc/Baichuan-M2-32B-Q4_K_M-GGUF", revision: "main", include: ["*.gguf"], exclude: [] }],
  requirements: {
    backends: ["cuda", "metal", "cpu"],
    min_compute_capability: null,
    weights_bytes: 19_900_000_000,
    kv_bytes_per_token: 262_144,
    layers: 64,
    min_context: 4096,
    max_context: 32768,
  },
};

export const qwenDraft: Variant = {
  id: "qwen3-0.6b",
  label: "Qwen3-0.6B (draft)",
  role: "draft",
  format: "safetensors",
  template: null,
  draft: null,
  expected_bytes: 1_520_000_000,
  sources: [{ hub: "huggingface", repo: "Qwen/Qwen3-0.6B", revision: "main", include: ["*.json", "*.safetensors"], exclude: [] }],
  requirements: {
    backends: ["cuda", "metal", "cpu"],
    min_compute_capability: null,
    weights_bytes: 1_200_000_000,
    kv_bytes_per_token: 114_688,
    layers: 28,
    min_context: 4096,
    max_context: 32768,
  },
};

export const rtx4090Hardware: HardwareInfo = {
  os: "Linux 24.04 Ubuntu 24.04 LTS",
  cpu: { brand: "AMD Ryzen 9 7950X 16-Core Processor", physical_cores: 16, threads: 32 },
  ram_total: 64 * GIB,
  ram_available: 51.3 * GIB,
  gpus: [
    {
      index: 0,
      vendor: "nvidia",
      name: "NVIDIA GeForce RTX 4090",
      vram_total: 24 * GIB,
      vram_free: 23.1 * GIB,
      compute_capability: "8.9",
      driver: "550.54.14",
      cuda: "12.4",
      unified: false,
    },
  ],
  disks: [{ mount: "/", total: 2_000_000_000_000, available: 812_400_000_000 }],
  notes: [],
};

/** GPTQ on the GPU with a 12k context and the draft model. */
export const rtx4090Plan: Plan = {
  variant: gptq.id,
  label: gptq.label,
  backend: "cuda",
  mode: "gpu",
  gpu: 0,
  gpu_layers: null,
  context: 12288,
  draft: true,
  breakdown: {
    budget: 24_300_000_000,
    weights: 19_500_000_000,
    kv_cache: 3_221_225_472,
    draft: 1_200_000_000,
    overhead: 300_000_000,
    headroom: 78_774_528,
  },
  reason:
    "NVIDIA GeForce RTX 4090 (24 GB, 23.1 GB free): Baichuan-M2-32B GPTQ-Int4 on the GPU with a 12k context and the draft model.",
  alternatives: [
    {
      variant: gguf.id,
      label: gguf.label,
      fits: true,
      reason: "fits on the GPU with an 11k context; Baichuan-M2-32B GPTQ-Int4 is preferred",
    },
  ],
  forced: false,
  fallbacks: noFallback,
};

export const rtx4090Overview: ModelsOverview = {
  hardware: rtx4090Hardware,
  plan: rtx4090Plan,
  fallback: noFallback,
  built: ["cuda", "metal", "cpu"],
  gpu_unused: null,
  gpu_problem: null,
  catalog: [gptq, gguf, qwenDraft],
  installed: [],
  models_dir: "/home/ana/.local/share/anamnesis/models",
  free_bytes: 812_400_000_000,
};

export const cpuOnlyHardware: HardwareInfo = {
  os: "Windows 11 Home",
  cpu: { brand: "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", physical_cores: 4, threads: 8 },
  ram_total: 16 * GIB,
  ram_available: 11.2 * GIB,
  gpus: [],
  disks: [{ mount: "C:\\", total: 512_000_000_000, available: 64_000_000_000 }],
  notes: ["NVIDIA driver not found"],
};

/** A laptop with 16 GB of RAM and no GPU: nothing fits. */
export const cpuOnlyPlan: Plan = {
  variant: null,
  label: null,
  backend: "cpu",
  mode: "unsupported",
  gpu: null,
  gpu_layers: null,
  context: 0,
  draft: false,
  breakdown: { budget: 10_200_000_000, weights: 0, kv_cache: 0, draft: 0, overhead: 0, headroom: 0 },
  reason:
    "Not enough memory: Baichuan-M2-32B Q4_K_M (GGUF) needs 20.4 GB with a 4k context and 9.5 GB is usable (10.9 GB short).",
  alternatives: [
    { variant: gptq.id, label: gptq.label, fits: false, reason: "needs an NVIDIA GPU (CUDA); none found" },
    { variant: gguf.id, label: gguf.label, fits: false, reason: "needs 20.4 GB of RAM, 9.5 GB usable" },
  ],
  forced: false,
  fallbacks: noFallback,
};

export const cpuOnlyOverview: ModelsOverview = {
  hardware: cpuOnlyHardware,
  plan: cpuOnlyPlan,
  fallback: noFallback,
  built: ["cuda", "metal", "cpu"],
  gpu_unused: null,
  gpu_problem: null,
  catalog: [gptq, gguf, qwenDraft],
  installed: [],
  models_dir: "C:\\Users\\ana\\AppData\\Roaming\\anamnesis\\models",
  free_bytes: 64_000_000_000,
};

/** The 24 GB laptop of the UI review: Q4_K_M is 0.4 GB short at 4k with other programs open. */
export const laptopHardware: HardwareInfo = {
  os: "Linux 12 Debian GNU/Linux 12",
  cpu: { brand: "AMD Ryzen 7 7840U", physical_cores: 8, threads: 16 },
  ram_total: 24 * GIB,
  ram_available: 22.5 * GIB,
  gpus: [],
  disks: [{ mount: "/", total: 1_000_000_000_000, available: 400_000_000_000 }],
  notes: ["NVIDIA driver not found"],
};

const laptopShort: Plan = {
  ...cpuOnlyPlan,
  breakdown: { budget: 21_600_000_000, weights: 0, kv_cache: 0, draft: 0, overhead: 0, headroom: 21_600_000_000 },
  reason:
    "Not enough memory: Baichuan-M2-32B Q4_K_M (GGUF) needs 20.5 GB with a 4k context and 20.1 GB is usable (0.4 GB short).",
  alternatives: [
    { variant: gptq.id, label: gptq.label, fits: false, reason: "needs an NVIDIA GPU (CUDA); none found" },
    { variant: gguf.id, label: gguf.label, fits: false, reason: "needs 20.5 GB of RAM, 20.1 GB usable" },
  ],
  fallbacks: { short_context: true, anyway: true },
};

/** What the laptop's plan is with each fallback (the planner's answers, see planner.rs). */
export function laptopPlan(fb: MemoryFallback): Plan {
  const cpu = (context: number, reason: string): Plan => ({
    ...laptopShort,
    variant: gguf.id,
    label: gguf.label,
    mode: "cpu",
    context,
    breakdown: { budget: 21_600_000_000, weights: 19_900_000_000, kv_cache: context * 262_144, draft: 0, overhead: 995_000_000, headroom: 100_000_000 },
    reason,
    alternatives: [laptopShort.alternatives[0]],
    fallbacks: noFallback,
  });
  if (fb.short_context) return cpu(2048, "16 threads and 21.0 GB free RAM: Baichuan-M2-32B Q4_K_M (GGUF) on the CPU with a 2k context.");
  if (fb.anyway)
    return {
      ...cpu(8192, "Trying anyway. 16 threads and 21.0 GB free RAM: Baichuan-M2-32B Q4_K_M (GGUF) on the CPU with an 8k context. This counts memory other programs use now: the computer may slow down, and the system may close programs, this one included, if memory runs out."),
      forced: true,
    };
  return laptopShort;
}

export const laptopOverview: ModelsOverview = {
  hardware: laptopHardware,
  plan: laptopShort,
  fallback: noFallback,
  built: ["cuda", "metal", "cpu"],
  gpu_unused: null,
  gpu_problem: null,
  catalog: [gptq, gguf, qwenDraft],
  installed: [],
  models_dir: "/home/ana/.local/share/anamnesis/models",
  free_bytes: 400_000_000_000,
};

/** A file of a download plan with `present` bytes already on disk; verified when all are. */
export function plannedFile(path: string, size: number, present = 0): PlannedFile {
  return { path, size, present, verified: present === size };
}

/** The "planned" event that opens a download; its total and present add up the files. */
export function plannedEvent(
  variant: string,
  files: PlannedFile[],
  source = "https://huggingface.co/baichuan-inc/Baichuan-M2-32B-GPTQ-Int4@main",
): DownloadEvent {
  return {
    type: "planned",
    variant,
    source,
    files,
    total: files.reduce((n, f) => n + f.size, 0),
    present: files.reduce((n, f) => n + f.present, 0),
  };
}

/**
 * A plausible memory estimate on the RTX 4090 (24.3 GB usable on the GPU, 48 GB of RAM): the
 * weights and the context's KV cache go to the GPU in the share of layers there, the rest to
 * RAM; the draft model and the overhead to the GPU. More context, more memory.
 */
export function loadEstimate(choice: LoadChoice, variant: Variant = gguf): LoadEstimate {
  const { weights_bytes: weights, kv_bytes_per_token: kvPerToken, layers } = variant.requirements;
  const share = (choice.gpu_layers ?? layers) / layers;
  const kv = choice.context * kvPerToken;
  const draft = choice.draft ? qwenDraft.requirements.weights_bytes : 0;
  const overhead = 300_000_000;
  const gpu = { pool: "gpu" as const, used: Math.round((weights + kv) * share + draft + overhead), budget: 24_300_000_000 };
  const ram = { pool: "ram" as const, used: Math.round((weights + kv) * (1 - share)), budget: 48_000_000_000 };
  const pools = ram.used > 0 ? [gpu, ram] : [gpu];
  const budget = pools.reduce((n, p) => n + p.budget, 0);
  return {
    fits: pools.every((p) => p.used <= p.budget),
    pools,
    breakdown: { budget, weights, kv_cache: kv, draft, overhead, headroom: Math.max(0, budget - weights - kv - draft - overhead) },
  };
}

/** The GGUF on the RTX 4090: its layers can be split, a draft is downloaded, 10k recommended. */
export function ggufControls(over: Partial<LoadControls> = {}): LoadControls {
  const current: LoadChoice = over.current ?? { context: 10240, gpu_layers: null, draft: true };
  return {
    variant: gguf.id,
    name: gguf.label,
    backend: "cuda",
    layers: 64,
    context_min: 4096,
    context_max: 32768,
    context_step: 1024,
    recommended: { context: 10240, gpu_layers: null, draft: true },
    current,
    draft_available: true,
    estimate: loadEstimate(current),
    ...over,
  };
}

/** GPTQ on the RTX 4090: all on the GPU (no layers to choose), no draft downloaded. */
export function gptqControls(over: Partial<LoadControls> = {}): LoadControls {
  const current: LoadChoice = over.current ?? { context: 12288, gpu_layers: null, draft: false };
  return {
    ...ggufControls(),
    variant: gptq.id,
    name: gptq.label,
    layers: null,
    recommended: { context: 12288, gpu_layers: null, draft: false },
    current,
    draft_available: false,
    estimate: loadEstimate(current, gptq),
    ...over,
  };
}
