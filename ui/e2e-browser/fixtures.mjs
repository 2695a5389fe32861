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
    triage: null, created_at: T0, updated_at: T0, ...extra,
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
