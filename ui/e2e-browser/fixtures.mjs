// Fixtures for the fake backend, shaped by the TS bindings in src/lib/bindings/.

/** @returns {import("../src/lib/bindings/Settings").Settings} */
export function settings(over = {}) {
  return {
    model_path: "/models/Baichuan-M2-32B-GPTQ-Int4",
    thinking: "on",
    language: "en",
    variant: "baichuan-m2-32b-gptq-int4",
    draft_path: null,
    max_context: 16384,
    gpu_layers: null,
    models_dir: null,
    hub: { endpoint: null, mirrors: [], modelscope: false },
    history_key: "keychain",
    api_server: { enabled: false, port: 8089 },
    remote: { enabled: false, base_url: "", model: "" },
    ...over,
  };
}

/** @returns {import("../src/lib/bindings/ModelInfo").ModelInfo} */
export function modelInfo() {
  return {
    path: "/models/Baichuan-M2-32B-GPTQ-Int4",
    name: "Baichuan-M2-32B",
    format: "safetensors",
    architecture: "qwen2",
    device: "cuda:0",
    on_cpu: false,
    context_length: 16384,
    load_s: 12.5,
    draft: null,
    notices: [],
    isq: null,
    layers: { total: 64, on_gpu: 64 },
  };
}

const T0 = "2026-03-02T09:15:00Z";

function patient(over = {}) {
  return {
    age_years: null, sex: null, pregnancy: null, weight_kg: null,
    allergies: [], medications: [], conditions: [], jurisdiction: "US", ...over,
  };
}

function message(cid, id, seq, role, content, extra = {}) {
  return {
    id, consultation_id: cid, seq, role, content, reasoning: "", reasoning_started_at: null,
    reasoning_ended_at: null, stats: null, status: "complete", error: null, context_notice: null,
    triage: null, attachments: [], created_at: T0, updated_at: T0, ...extra,
  };
}

/** Three stored consultations for the history list. */
export function consultations() {
  const rows = [
    [1, "Fever in a 2-year-old", "fever 39.2 °C since yesterday", "How high is too high for a toddler's fever?", "A fever of 39 °C is common…"],
    [2, "Knee pain after running", "left knee pain", "My knee hurts after running", "Patellofemoral pain is the most likely cause…"],
    [3, "Headache and blurred vision", "headache", "Sudden headache with blurred vision", "Seek care today…"],
  ];
  return rows.map(([id, title, cc, q, a]) => {
    const messages = [message(id, id * 100 + 1, 1, "user", q), message(id, id * 100 + 2, 2, "assistant", a)];
    return {
      summary: { id, title, chief_complaint: cc, updated_at: T0, message_count: 2, last_snippet: a },
      view: {
        consultation: { id, title, chief_complaint: cc, patient: null, lang: "en", thinking: "on", created_at: T0, updated_at: T0 },
        patient: patient(),
        messages,
      },
    };
  });
}

export const ROUTINE = { level: "routine", rules: [], advice: "", emergency_number: null, crisis_line: null };
export const EMERGENCY = {
  level: "emergency",
  rules: ["chest_pain_radiation"],
  advice: "Chest pain spreading to the arm or jaw can be a heart attack. Call 911 now.",
  emergency_number: "911",
  crisis_line: null,
};

/** Splits text into chunks of about `n` characters (on spaces when it can). */
export function chunks(text, n = 12) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    let j = Math.min(text.length, i + n);
    const sp = text.indexOf(" ", j);
    if (sp !== -1 && sp - j < 6) j = sp + 1;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * A ConsultEvent stream: triage, saved, context, reasoning chunks, content chunks, stats, done.
 * Delays are in ms before each event. The fake backend adds `titled` (an untitled consultation)
 * and `parsed` (an answer that ended on its own), as the real one does.
 */
export function consultScript({
  match,
  triage = ROUTINE,
  reasoning = [],
  content = [],
  tick = 20,
  reasoningTick = tick,
  contentTick = tick,
  beforeChat = tick,
  reasoningMs = null,
} = {}) {
  const chat = (event, delay = tick) => ({ delay, ev: { type: "chat", event } });
  const events = [
    { delay: tick, ev: { type: "triage", triage } },
    { delay: tick, ev: { type: "saved", user_message_id: 0, assistant_message_id: 0 } },
    {
      delay: beforeChat,
      ev: {
        type: "context",
        notice: {
          budget: { limit: 16384, system_tokens: 900, history_tokens: 0, message_tokens: 40, answer_room: 15444, dropped: [] },
          dropped_message_ids: [],
        },
      },
    },
  ];
  for (const r of reasoning) events.push(chat({ type: "reasoning", text: r }, reasoningTick));
  for (const c of content) events.push(chat({ type: "content", text: c }, contentTick));
  const tokens = reasoning.length + content.length;
  events.push(
    chat({
      type: "stats", ttft_ms: 180, prefill_tok_s: 950, decode_tok_s: 38.5, prompt_tokens: 940, tokens,
      reasoning_ms: reasoningMs, device: "cuda:0", draft_acceptance: null, draft: null,
      model: "baichuan-m2-32b-gptq-int4", quantization: "GPTQ-Int4", prompt_version: "2026-11-26.1",
    }),
  );
  events.push(chat({ type: "done", finish_reason: "stop" }));
  return match ? { match, events } : { events };
}

/** A turn whose answer fails part-way (the engine runs out of GPU memory); `match` picks it by question. */
export function failedScript(match) {
  return {
    ...(match ? { match } : {}),
    events: [
      { ev: { type: "triage", triage: ROUTINE } },
      { ev: { type: "saved", user_message_id: 0, assistant_message_id: 0 } },
      { ev: { type: "chat", event: { type: "content", text: "The most likely cause is " } } },
      { ev: { type: "chat", event: { type: "error", code: "GENERATION_FAILED", message: "the engine stopped: CUDA error: out of memory" } } },
      { ev: { type: "chat", event: { type: "done", finish_reason: "error" } } },
    ],
  };
}

export const STRUCTURED_ANSWER = `## Red flags
- Chest pain that spreads to the **arm or jaw**
- Shortness of breath at rest

## Summary
Most likely a **viral infection**; the BMI formula is $BMI = \\frac{kg}{m^2}$.

| Drug | Dose |
|:--|--:|
| Paracetamol | 500 mg |

## Next steps
1. Rest and fluids
2. \`paracetamol\` every 6 h if needed
`;

export const PARSED = {
  sections: [
    { kind: "red_flags", title: "Red flags", body: "- Chest pain that spreads to the **arm or jaw**\n- Shortness of breath at rest" },
    { kind: "summary", title: "Summary", body: "Most likely a **viral infection**; the BMI formula is $BMI = \\frac{kg}{m^2}$.\n\n| Drug | Dose |\n|:--|--:|\n| Paracetamol | 500 mg |" },
    { kind: "next_steps", title: "Next steps", body: "1. Rest and fluids\n2. `paracetamol` every 6 h if needed" },
  ],
  follow_ups: ["How long have you had the fever?", "Do you take any other medicines?", "Is anyone at home also sick?"],
  structured: true,
};

/** Everything the fake backend needs; `over` replaces top-level keys. */
export function fixtures(over = {}) {
  return {
    settings: settings(),
    modelInfo: modelInfo(),
    consultations: consultations(),
    scripts: [consultScript({ reasoning: chunks("Let me think about this."), content: chunks("Here is my answer.") })],
    parsed: null,
    searchHits: [],
    tickMs: 20,
    ...over,
  };
}

// The set-up screen: the machine, the planner's plan and the catalog (get_overview), shaped like
// src/test/fixtures.ts.
const GIB = 1024 ** 3;

const GGUF = {
  id: "baichuan-m2-32b-q4_k_m-gguf",
  label: "Baichuan-M2-32B Q4_K_M (GGUF)",
  role: "main",
  format: "gguf",
  template: "templates/baichuan-m2.jinja",
  draft: "qwen3-0.6b",
  expected_bytes: 19_900_000_000,
  sources: [{ hub: "huggingface", repo: "baichuan-inc/Baichuan-M2-32B-Q4_K_M-GGUF", revision: "main", include: ["*.gguf"], exclude: [] }],
  requirements: {
    backends: ["cuda", "metal", "cpu"], min_compute_capability: null, weights_bytes: 19_900_000_000,
    kv_bytes_per_token: 262_144, layers: 64, min_context: 4096, max_context: 32768,
  },
};
const GPTQ = {
  ...GGUF,
  id: "baichuan-m2-32b-gptq-int4",
  label: "Baichuan-M2-32B GPTQ-Int4",
  format: "gptq",
  expected_bytes: 19_500_000_000,
  sources: [{ hub: "huggingface", repo: "baichuan-inc/Baichuan-M2-32B-GPTQ-Int4", revision: "main", include: ["*.json", "*.safetensors"], exclude: ["draft/**"] }],
  requirements: { ...GGUF.requirements, backends: ["cuda"], min_compute_capability: "8.0", weights_bytes: 19_500_000_000 },
};
const DRAFT = {
  id: "qwen3-0.6b",
  label: "Qwen3-0.6B (draft)",
  role: "draft",
  format: "safetensors",
  template: null,
  draft: null,
  expected_bytes: 1_520_000_000,
  sources: [{ hub: "huggingface", repo: "Qwen/Qwen3-0.6B", revision: "main", include: ["*.json", "*.safetensors"], exclude: [] }],
  requirements: { ...GGUF.requirements, weights_bytes: 1_200_000_000, kv_bytes_per_token: 114_688, layers: 28 },
};
const NO_FALLBACK = { short_context: false, anyway: false };

/**
 * The 24 GB laptop without a GPU of the UI review: nothing runs as planned ("cannot run"), a
 * shorter context or trying anyway would (the "What you can do" choices).
 */
export function cannotRunOverview() {
  return {
    hardware: {
      os: "Linux 12 Debian GNU/Linux 12",
      cpu: { brand: "AMD Ryzen 7 7840U", physical_cores: 8, threads: 16 },
      ram_total: 24 * GIB,
      ram_available: 22.5 * GIB,
      gpus: [],
      disks: [{ mount: "/", total: 1_000_000_000_000, available: 400_000_000_000 }],
      notes: ["NVIDIA driver not found"],
    },
    plan: {
      variant: null, label: null, backend: "cpu", mode: "unsupported", gpu: null, gpu_layers: null, context: 0, draft: false,
      breakdown: { budget: 21_600_000_000, weights: 0, kv_cache: 0, draft: 0, overhead: 0, headroom: 21_600_000_000 },
      reason: "Not enough memory: Baichuan-M2-32B Q4_K_M (GGUF) needs 20.5 GB with a 4k context and 20.1 GB is usable (0.4 GB short).",
      alternatives: [
        { variant: GPTQ.id, label: GPTQ.label, fits: false, reason: "needs an NVIDIA GPU (CUDA); none found" },
        { variant: GGUF.id, label: GGUF.label, fits: false, reason: "needs 20.5 GB of RAM, 20.1 GB usable" },
      ],
      forced: false,
      fallbacks: { short_context: true, anyway: true },
    },
    fallback: NO_FALLBACK,
    built: ["cuda", "metal", "cpu"],
    gpu_unused: null,
    gpu_problem: null,
    catalog: [GPTQ, GGUF, DRAFT],
    installed: [],
    models_dir: "/home/ana/.local/share/anamnesis/models",
    free_bytes: 400_000_000_000,
  };
}

/** The laptop's plan with a 2k context (set_memory_fallback {short_context: true}). */
export function shortContextPlan() {
  return {
    ...cannotRunOverview().plan,
    variant: GGUF.id,
    label: GGUF.label,
    mode: "cpu",
    context: 2048,
    breakdown: { budget: 21_600_000_000, weights: 19_900_000_000, kv_cache: 2048 * 262_144, draft: 0, overhead: 995_000_000, headroom: 100_000_000 },
    reason: "16 threads and 21.0 GB free RAM: Baichuan-M2-32B Q4_K_M (GGUF) on the CPU with a 2k context.",
    alternatives: [{ variant: GPTQ.id, label: GPTQ.label, fits: false, reason: "needs an NVIDIA GPU (CUDA); none found" }],
    fallbacks: NO_FALLBACK,
  };
}

/** An RTX 4090: GPTQ on the GPU with a 12k context and the draft model. */
export function gpuOverview() {
  return {
    hardware: {
      os: "Linux 24.04 Ubuntu 24.04 LTS",
      cpu: { brand: "AMD Ryzen 9 7950X 16-Core Processor", physical_cores: 16, threads: 32 },
      ram_total: 64 * GIB,
      ram_available: 51.3 * GIB,
      gpus: [{
        index: 0, vendor: "nvidia", name: "NVIDIA GeForce RTX 4090", vram_total: 24 * GIB, vram_free: 23.1 * GIB,
        compute_capability: "8.9", driver: "550.54.14", cuda: "12.4", unified: false,
      }],
      disks: [{ mount: "/", total: 2_000_000_000_000, available: 812_400_000_000 }],
      notes: [],
    },
    plan: {
      variant: GPTQ.id, label: GPTQ.label, backend: "cuda", mode: "gpu", gpu: 0, gpu_layers: null, context: 12288, draft: true,
      breakdown: { budget: 24_300_000_000, weights: 19_500_000_000, kv_cache: 3_221_225_472, draft: 1_200_000_000, overhead: 300_000_000, headroom: 78_774_528 },
      reason: "NVIDIA GeForce RTX 4090 (24 GB, 23.1 GB free): Baichuan-M2-32B GPTQ-Int4 on the GPU with a 12k context and the draft model.",
      alternatives: [{ variant: GGUF.id, label: GGUF.label, fits: true, reason: "fits on the GPU with an 11k context; Baichuan-M2-32B GPTQ-Int4 is preferred" }],
      forced: false,
      fallbacks: NO_FALLBACK,
    },
    fallback: NO_FALLBACK,
    built: ["cuda", "metal", "cpu"],
    gpu_unused: null,
    gpu_problem: null,
    catalog: [GPTQ, GGUF, DRAFT],
    installed: [],
    models_dir: "/home/ana/.local/share/anamnesis/models",
    free_bytes: 812_400_000_000,
  };
}

/**
 * The model picker on the RTX 4090: the GGUF loaded with its draft (its layers can be split, a
 * 10k context recommended), GPTQ downloaded too; a load takes half a second.
 */
export function pickerFixtures(over = {}) {
  const dir = "/home/ana/.local/share/anamnesis/models";
  const installed = [GPTQ, GGUF, DRAFT].map((v) => ({ id: v.id, dir: `${dir}/${v.id}`, bytes: v.expected_bytes, partial_bytes: 0, verified_files: 3 }));
  return fixtures({
    settings: settings({ model_path: `${dir}/${GGUF.id}`, variant: GGUF.id, max_context: 10240, draft_path: `${dir}/${DRAFT.id}` }),
    modelInfo: {
      ...modelInfo(),
      path: `${dir}/${GGUF.id}/baichuan-m2-32b-q4_k_m.gguf`,
      name: "Baichuan-M2-32B Q4_K_M",
      format: "gguf",
      context_length: 10240,
      draft: { name: "Qwen3-0.6B", gamma: 4 },
    },
    overview: { ...gpuOverview(), installed },
    loadControls: {
      variant: GGUF.id, name: GGUF.label, backend: "cuda", layers: 64,
      context_min: 4096, context_max: 32768, context_step: 1024,
      recommended: { context: 10240, gpu_layers: null, draft: true },
      current: { context: 10240, gpu_layers: null, draft: true },
      draft_available: true,
      estimate: null,
    },
    loadMs: 500,
    ...over,
  });
}

/**
 * A first run: no model chosen yet (model_status "none"), so the app opens on the set-up screen
 * with `overview`; `fallbackPlans` answer set_memory_fallback.
 */
export function firstRun(overview, fallbackPlans = {}, settingsOver = {}) {
  return fixtures({
    settings: settings({ model_path: null, variant: null, ...settingsOver }),
    modelStatus: { state: "none" },
    overview,
    fallbackPlans,
  });
}
