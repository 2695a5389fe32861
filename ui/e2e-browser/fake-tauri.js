// A fake Tauri backend, installed in the page before any app script runs (page.addInitScript).
//
// It provides what @tauri-apps/api/core expects on window.__TAURI_INTERNALS__ (the same shape as
// @tauri-apps/api/mocks' mockIPC): invoke, transformCallback / unregisterCallback / runCallback /
// callbacks, convertFileSrc and metadata. Channels work as in the real app: the UI passes a
// Channel object whose id came from transformCallback, and the fake delivers
// `{ index, message }` (then `{ index, end: true }`) to that callback, on timers, so the UI sees
// a real stream.
//
// This function is serialized into the page: it must not use anything from its module scope.
// `cfg` (JSON) holds the fixtures:
//   settings, modelInfo, consultations: [{ summary, view }], overview?, ...
//   scripts: [{ match?: "regex source", events: [{ delay?, ev: ConsultEvent }] }] — the answer
//     streamed for a question (first match wins; the last one without `match` is the default).
//     As the backend does, the fake adds `titled` after the triage (an untitled consultation),
//     fills in `saved`'s ids, sends a `context` event's notice with stored ids (a ChatEvent
//     `context` in a script becomes one, its `dropped` prompt indices mapped to stored ids) and
//     sends `parsed` after `done` for an answer that ended on its own (finish "stop"/"length");
//   parsed?: ParsedAnswer — the sections of every finished answer, in `parsed` events and in
//     views' `answers` (default: headings turned into sections);
//   parsedFor?: [{ match: "regex source", parsed }] — the sections for answers that match;
//   searchHits?: SearchHit[]; tickMs: default delay between events.
//   history?: HistoryStatus at start (default open, keychain); passphrase?: the one that opens
//     a locked history; apiServer?: ApiServerStatus; busyPorts?: ports set_api_server cannot
//     bind (BIND_FAILED); apiKey?: the local API's key; remoteKeySaved?: a remote key is saved.
//   read_attachment: a text file's own text; a PDF as 2 pages of a fixed letter; "scanned.pdf"
//     fails with ATTACHMENT_EMPTY. consult_send stores its attachments on the question (and
//     consult_edit keeps the edited question's), so a reopened view shows them.
//   modelStatus?: ModelStatus at start (default ready with modelInfo; {state: "none"} with no
//     model_path in the settings opens the set-up screen); overview?: ModelsOverview for
//     get_overview; fallbackPlans?: {short_context?, anyway?}: the Plan set_memory_fallback
//     answers with when that fallback is chosen (default: the overview's plan).
//   loadControls?: LoadControls of the chosen model (load_controls; use_model starts another
//     model from its recommendation, set_load_choice saves into it); estimate_load sums what a
//     choice needs like the planner does (see `estimate`); loadMs?: how long load_model takes.
export function installFakeTauri(cfg) {
  const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
  const state = {
    calls: [],
    unknown: [],
    streamsStarted: 0,
    streamsDone: 0,
    settings: clone(cfg.settings),
    consultations: clone(cfg.consultations ?? []),
    nextConsultation: 1000,
    nextMessage: 5000,
    cancel: false,
    scripts: clone(cfg.scripts ?? []),
    parsed: clone(cfg.parsed ?? null),
    searchHits: clone(cfg.searchHits ?? []),
    history: clone(cfg.history ?? { state: "open", mode: "keychain" }),
    passphrase: cfg.passphrase ?? null,
    api: clone(cfg.apiServer ?? { enabled: false, port: 8089, base_url: null }),
    apiKey: cfg.apiKey ?? "anm-4f1c0d9e7a2b5c8d3e6f9a1b4c7d0e2f",
    remoteKey: { saved: !!cfg.remoteKeySaved, keychain: "secret-service", problem: null },
    modelStatus: clone(cfg.modelStatus ?? null),
    overview: clone(cfg.overview ?? null),
    loadControls: clone(cfg.loadControls ?? null),
  };

  // The commands that read or write the history: HISTORY_LOCKED while it is closed.
  const HISTORY_COMMANDS = new Set([
    "list_consultations", "new_consultation", "open_consultation", "update_consultation",
    "delete_consultation", "search_history", "consult_send", "consult_edit", "consult_regenerate",
    "export_consultation",
  ]);

  /** https anywhere; http only on loopback and private networks (as the Rust side checks). */
  function endpointProblem(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      return `${url || "(empty)"} is not a URL`;
    }
    if (u.protocol === "https:") return null;
    if (u.protocol !== "http:") return `${url} is not an http(s) URL`;
    const h = u.hostname.replace(/^\[|\]$/g, "");
    const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
    const priv = !!m && (m[1] === "127" || m[1] === "10" || (m[1] === "192" && m[2] === "168") || (m[1] === "172" && +m[2] >= 16 && +m[2] <= 31));
    if (h === "localhost" || h === "::1" || priv) return null;
    return `${url}: plain http is allowed only on this computer or a private network; use https`;
  }

  function remoteInfo(remote) {
    const url = new URL(remote.base_url);
    const notices = [{ kind: "estimated_tokens" }];
    if (url.protocol === "http:") notices.push({ kind: "insecure_remote", host: url.hostname });
    return {
      path: remote.base_url, name: remote.model || "baichuan-inc/Baichuan-M2-32B", format: "remote",
      architecture: "remote", device: `remote:${url.hostname}`, on_cpu: false, context_length: 32768,
      load_s: 0.4, draft: null, notices, isq: null, layers: null,
    };
  }

  /**
   * What a load choice needs, summed as the planner does, from the catalog entry of the chosen
   * variant: the weights and the context's KV cache in the share of layers on the GPU (the rest
   * in RAM), the draft model and 0.3 GB of overhead on the GPU. More context, more memory.
   */
  function estimate(choice) {
    const lc = state.loadControls;
    if (!lc || lc.variant === null) return null;
    const catalog = state.overview?.catalog ?? [];
    const variant = catalog.find((v) => v.id === lc.variant);
    const req = variant?.requirements ?? { weights_bytes: 19_500_000_000, kv_bytes_per_token: 262_144, layers: 64 };
    const draftBytes = catalog.find((v) => v.id === variant?.draft)?.requirements.weights_bytes ?? 1_200_000_000;
    const layers = req.layers || 64;
    const share = lc.backend === "cuda" ? (choice.gpu_layers ?? layers) / layers : 0;
    const weights = req.weights_bytes;
    const kv = choice.context * req.kv_bytes_per_token;
    const draft = choice.draft ? draftBytes : 0;
    const overhead = 300_000_000;
    const gpuBudget = state.overview?.plan?.breakdown?.budget || 24_300_000_000;
    const ramBudget = Math.round((state.overview?.hardware?.ram_available ?? 51e9) * 0.9);
    let pools;
    if (lc.backend === "metal") pools = [{ pool: "unified", used: weights + kv + draft + overhead, budget: ramBudget }];
    else if (lc.backend === "cpu") pools = [{ pool: "ram", used: weights + kv + draft + overhead, budget: ramBudget }];
    else {
      const onCpu = Math.round((weights + kv) * (1 - share));
      pools = [{ pool: "gpu", used: Math.round((weights + kv) * share) + draft + overhead, budget: gpuBudget }];
      if (onCpu > 0) pools.push({ pool: "ram", used: onCpu, budget: ramBudget });
    }
    const budget = pools.reduce((n, p) => n + p.budget, 0);
    return {
      fits: pools.every((p) => p.used <= p.budget),
      pools,
      breakdown: { budget, weights, kv_cache: kv, draft, overhead, headroom: Math.max(0, budget - weights - kv - draft - overhead) },
    };
  }

  /** The backend's check of a load choice: its message, or null when it is allowed. */
  function invalidChoice(c, lc) {
    if (c.context < lc.context_min || c.context > lc.context_max) return `context ${c.context} is outside ${lc.context_min}..${lc.context_max}`;
    if (c.gpu_layers !== null && (lc.layers === null || c.gpu_layers > lc.layers)) return `gpu_layers ${c.gpu_layers} is more than the model has`;
    if (c.draft && !lc.draft_available) return "no draft model is downloaded for this model";
    return null;
  }

  // Page-level tripwires for the XSS corpus: a payload that runs sets one of these. Frames get
  // their own copy of this script, so every hit is reported to the top window.
  const hit = (what) => {
    try {
      (window.top.__xssHits = window.top.__xssHits || []).push(String(what));
    } catch {
      (window.__xssHits = window.__xssHits || []).push(String(what));
    }
  };
  window.alert = (m) => hit(`alert:${m}`);
  window.confirm = (m) => (hit(`confirm:${m}`), false);
  window.prompt = (m) => (hit(`prompt:${m}`), null);
  window.print = () => hit("print");
  if (window.top !== window) {
    hit(`frame:${location.href}`);
    return;
  }

  const callbacks = new Map();
  let nextCallback = 1;
  function transformCallback(cb, once = false) {
    const id = nextCallback++;
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      return cb && cb(data);
    });
    return id;
  }
  function unregisterCallback(id) {
    callbacks.delete(id);
  }
  function runCallback(id, data) {
    const cb = callbacks.get(id);
    if (cb) cb(data);
  }

  /** A Channel argument (the Channel object itself, or its "__CHANNEL__:id" form). */
  function channelOf(args) {
    for (const v of Object.values(args ?? {})) {
      if (v && typeof v === "object" && typeof v.id === "number" && typeof v.toJSON === "function") return v.id;
      if (typeof v === "string" && v.startsWith("__CHANNEL__:")) return Number(v.slice(12));
    }
    return null;
  }
  function sender(id) {
    let index = 0;
    return {
      send: (message) => runCallback(id, { index: index++, message }),
      end: () => runCallback(id, { index: index++, end: true }),
    };
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const now = () => new Date().toISOString();
  const fail = (code, message) => Promise.reject({ code, message });

  function scriptFor(text) {
    const list = state.scripts;
    for (const s of list) if (s.match && new RegExp(s.match, "i").test(text)) return s;
    return list.filter((s) => !s.match).pop() ?? list[list.length - 1];
  }

  function findConsultation(id) {
    return state.consultations.find((c) => c.view.consultation.id === id);
  }

  function summaryOf(c) {
    const msgs = c.view.messages.filter((m) => m.role !== "system");
    const last = [...msgs].reverse().find((m) => m.content.trim());
    return {
      ...c.summary,
      message_count: msgs.length,
      last_snippet: last ? last.content.replace(/\s+/g, " ").slice(0, 80) : "",
    };
  }

  /** A view as the backend sends it: with the sections of every finished answer. */
  function viewOf(c) {
    const view = clone(c.view);
    view.answers = view.messages
      .filter((m) => m.role === "assistant" && m.status === "complete" && m.content.trim())
      .map((m) => ({ message_id: m.id, parsed: parseAnswer(m.content) }));
    return view;
  }

  function newConsultation() {
    const id = state.nextConsultation++;
    const at = now();
    const view = {
      consultation: {
        id, title: "", chief_complaint: "", patient: null, lang: state.settings.language,
        // New consultations start with the default mode; each then keeps its own.
        thinking: state.settings.thinking, created_at: at, updated_at: at,
      },
      patient: {
        age_years: null, sex: null, pregnancy: null, weight_kg: null,
        allergies: [], medications: [], conditions: [], jurisdiction: null,
      },
      messages: [],
    };
    const c = { summary: { id, title: "", chief_complaint: "", updated_at: at, message_count: 0, last_snippet: "" }, view };
    state.consultations.unshift(c);
    return c;
  }

  function storedMessage(consultationId, seq, role, content, extra = {}) {
    const at = now();
    return {
      id: state.nextMessage++, consultation_id: consultationId, seq, role, content,
      reasoning: "", reasoning_started_at: null, reasoning_ended_at: null, stats: null,
      status: "complete", error: null, context_notice: null, triage: null, attachments: [],
      created_at: at, updated_at: at, ...extra,
    };
  }

  /**
   * Plays a script into a channel, with the events the backend adds (see the header).
   * `chatOnly`: only the ChatEvents (send_message).
   */
  async function play(channelId, script, { consultation, text, chatOnly, attachments = [] }) {
    state.streamsStarted++;
    state.cancel = false;
    const out = channelId === null ? { send() {}, end() {} } : sender(channelId);
    // What the prompt held before this question (system first): `dropped` indices point here.
    const prompt = [null];
    for (const m of consultation?.view.messages ?? []) {
      if (m.role === "user" || (m.role === "assistant" && m.content !== "")) prompt.push(m.id);
    }
    const untitled = !!consultation && !consultation.view.consultation.title.trim();
    const title = text.split(/\s+/).filter(Boolean).join(" ").slice(0, 60);
    let userId = null;
    let assistantId = null;
    let content = "";
    let reasoning = "";
    let triage = null;
    let stats = null;
    let notice = null;
    let finish = null;
    let parsedSent = false;
    try {
      for (const step of script.events) {
        await sleep(step.delay ?? cfg.tickMs ?? 20);
        let ev = clone(step.ev);
        if (state.cancel && ev.type === "chat" && ev.event.type !== "done") continue;
        if (state.cancel && ev.type === "chat" && ev.event.type === "done") ev.event.finish_reason = "cancelled";
        if (ev.type === "saved") {
          userId = ev.user_message_id = state.nextMessage++;
          assistantId = ev.assistant_message_id = state.nextMessage++;
        }
        if (ev.type === "triage") triage = ev.triage;
        // The backend never forwards the model's budget: it sends its own notice.
        if (!chatOnly && ev.type === "chat" && ev.event.type === "context") {
          const { type: _t, ...budget } = ev.event;
          const ids = [...prompt, userId];
          const dropped = budget.dropped.map((i) => ids[i]).filter((id) => id !== null && id !== undefined);
          ev = { type: "context", notice: { budget, dropped_message_ids: dropped } };
        }
        if (ev.type === "context") notice = ev.notice;
        if (ev.type === "parsed") {
          if (state.cancel) continue;
          parsedSent = true;
        }
        if (ev.type === "chat") {
          if (ev.event.type === "content") content += ev.event.text;
          if (ev.event.type === "reasoning") reasoning += ev.event.text;
          if (ev.event.type === "stats") stats = ev.event;
          if (ev.event.type === "done") finish = ev.event.finish_reason;
        }
        if (chatOnly) {
          if (ev.type === "chat") out.send(ev.event);
          continue;
        }
        out.send(ev);
        if (ev.type === "triage" && untitled && title && !consultation.view.consultation.title) {
          consultation.view.consultation.title = consultation.summary.title = title;
          out.send({ type: "titled", title });
        }
        // The answer is saved: one that ended on its own gets its sections.
        const ended = ev.type === "chat" && ev.event.type === "done" && (finish === "stop" || finish === "length");
        if (ended && !parsedSent && !script.events.some((s) => s.ev.type === "parsed") && content.trim()) {
          parsedSent = true;
          out.send({ type: "parsed", parsed: parseAnswer(content) });
        }
      }
      // The backend's last event of a turn (the UI closes the turn on it).
      if (!chatOnly) out.send({ type: "finished" });
      out.end();
    } finally {
      if (consultation) {
        const msgs = consultation.view.messages;
        msgs.push(storedMessage(consultation.view.consultation.id, msgs.length + 1, "user", text, { id: userId ?? state.nextMessage++, attachments: clone(attachments) }));
        msgs.push(
          storedMessage(consultation.view.consultation.id, msgs.length + 1, "assistant", content, {
            id: assistantId ?? state.nextMessage++, reasoning, triage, stats,
            status: state.cancel || finish === "cancelled" ? "stopped" : finish === "error" ? "error" : "complete",
            context_notice: notice && notice.dropped_message_ids.length ? notice : null,
          }),
        );
        if (!consultation.view.consultation.title) {
          consultation.view.consultation.title = title;
          consultation.summary.title = consultation.view.consultation.title;
        }
        consultation.summary.updated_at = now();
      }
      state.streamsDone++;
    }
    return null;
  }

  const KINDS = [
    [/red.?flag|warning sign|危险|警示/i, "red_flags"],
    [/summary|总结|概要/i, "summary"],
    [/cause|可能的原因/i, "causes"],
    [/need to know|须知|要知道/i, "need_to_know"],
    [/next step|下一步/i, "next_steps"],
    [/seek|care|就医/i, "seek_care"],
  ];
  /** The backend's parse of a finished answer (sections by heading, red flags first). */
  function parseAnswer(text) {
    for (const p of cfg.parsedFor ?? []) if (new RegExp(p.match).test(text)) return clone(p.parsed);
    if (state.parsed) return clone(state.parsed);
    const sections = [];
    let cur = null;
    for (const line of text.split("\n")) {
      const h = /^#{1,4}\s+(.*)$/.exec(line);
      if (h) {
        const title = h[1].replace(/[*_`]/g, "").trim();
        const kind = (KINDS.find(([re]) => re.test(title)) ?? [null, "other"])[1];
        cur = { kind, title, body: "" };
        sections.push(cur);
      } else if (cur) {
        cur.body += (cur.body ? "\n" : "") + line;
      }
    }
    const structured = sections.some((s) => s.kind !== "other");
    sections.sort((a, b) => (a.kind === "red_flags" ? -1 : 0) - (b.kind === "red_flags" ? -1 : 0));
    return { sections: sections.map((s) => ({ ...s, body: s.body.trim() })), follow_ups: [], structured };
  }

  async function invoke(cmd, args = {}) {
    const id = channelOf(args);
    const recorded = {};
    for (const [k, v] of Object.entries(args ?? {})) recorded[k] = typeof v === "object" && v !== null && typeof v.toJSON === "function" ? "[channel]" : v;
    state.calls.push({ cmd, args: recorded, at: performance.now() });
    await sleep(1);
    if (HISTORY_COMMANDS.has(cmd) && !["open", "unsaved"].includes(state.history.state)) {
      return fail("HISTORY_LOCKED", "the consultation history is locked: enter its passphrase");
    }
    switch (cmd) {
      case "get_settings":
        return clone(state.settings);
      case "set_thinking":
        state.settings.thinking = args.mode;
        return clone(state.settings);
      case "set_language":
        state.settings.language = args.language;
        return clone(state.settings);
      case "set_country":
        state.settings.country = args.country;
        return clone(state.settings);
      case "set_model_path":
        state.settings.model_path = args.path;
        return clone(state.settings);
      case "model_status":
        return state.modelStatus ? clone(state.modelStatus) : { state: "ready", info: clone(cfg.modelInfo) };
      case "load_model": {
        if (cfg.loadMs) await sleep(cfg.loadMs);
        const info = state.settings.remote?.enabled ? remoteInfo(state.settings.remote) : clone(cfg.modelInfo);
        state.modelStatus = { state: "ready", info: clone(info) };
        return info;
      }
      case "history_status":
        return clone(state.history);
      case "unlock_history":
        if (!args.passphrase) return fail("INVALID_KEY", "the passphrase is empty");
        if (state.history.state === "locked" && args.passphrase !== state.passphrase) {
          return fail("WRONG_KEY", "the key does not open the history");
        }
        if (state.history.state === "no_keychain") state.passphrase = args.passphrase;
        state.history = { state: "open", mode: "passphrase" };
        state.settings.history_key = "passphrase";
        return clone(state.history);
      case "continue_without_saving":
        if (state.history.state === "open") return fail("BUSY", "the consultation history is open");
        if (state.history.state !== "unsaved") state.closedBefore = state.history;
        state.history = { state: "unsaved" };
        return clone(state.history);
      case "leave_unsaved":
        if (state.history.state === "unsaved") state.history = state.closedBefore ?? { state: "locked" };
        return clone(state.history);
      case "set_history_passphrase":
        if (state.history.state === "unsaved") return fail("HISTORY_UNSAVED", "this session is not being saved");
        if (state.history.state !== "open") return fail("HISTORY_LOCKED", "the consultation history is locked: enter its passphrase");
        state.passphrase = args.passphrase ?? null;
        state.history = { state: "open", mode: args.passphrase == null ? "keychain" : "passphrase" };
        state.settings.history_key = state.history.mode;
        return clone(state.history);
      case "api_server_status":
        return clone(state.api);
      case "set_api_server":
        if (args.enabled && (cfg.busyPorts ?? []).includes(args.port)) {
          state.api = { enabled: false, port: state.api.port, base_url: null };
          return fail("BIND_FAILED", `could not listen on 127.0.0.1:${args.port}: address already in use`);
        }
        state.api = { enabled: !!args.enabled, port: args.port, base_url: args.enabled ? `http://127.0.0.1:${args.port}/v1` : null };
        state.settings.api_server = { enabled: state.api.enabled, port: state.api.port };
        return clone(state.api);
      case "reveal_api_key":
        return state.apiKey;
      case "regenerate_api_key":
        state.apiKey = `anm-${Math.random().toString(16).slice(2).padEnd(32, "0")}`;
        return clone(state.api);
      case "set_remote_engine": {
        const remote = { ...args.remote, base_url: String(args.remote.base_url).trim(), model: String(args.remote.model).trim() };
        const bad = remote.enabled || remote.base_url ? endpointProblem(remote.base_url) : null;
        if (bad) return fail("INVALID_ENDPOINT", bad);
        state.settings.remote = remote;
        return clone(state.settings);
      }
      case "remote_key_status":
        return clone(state.remoteKey);
      case "set_remote_api_key":
        state.remoteKey.saved = true;
        return clone(state.remoteKey);
      case "clear_remote_api_key":
        state.remoteKey.saved = false;
        return clone(state.remoteKey);
      case "stop_generation":
        state.cancel = true;
        return null;
      case "list_consultations":
        return state.consultations.map(summaryOf);
      case "new_consultation":
        return viewOf(newConsultation());
      case "open_consultation": {
        const c = findConsultation(args.id);
        return c ? viewOf(c) : fail("NOT_FOUND", `no consultation ${args.id}`);
      }
      case "update_consultation": {
        const c = findConsultation(args.id);
        if (!c) return fail("NOT_FOUND", `no consultation ${args.id}`);
        if (args.title != null) c.view.consultation.title = c.summary.title = args.title;
        if (args.chiefComplaint != null) c.view.consultation.chief_complaint = c.summary.chief_complaint = args.chiefComplaint;
        if (args.patient != null) c.view.patient = args.patient;
        if (args.thinking != null) {
          if (!["on", "off", "auto"].includes(args.thinking)) return fail("INVALID_THINKING_MODE", `unknown thinking mode ${args.thinking}`);
          c.view.consultation.thinking = args.thinking;
        }
        return viewOf(c);
      }
      case "delete_consultation":
        state.consultations = state.consultations.filter((c) => c.view.consultation.id !== args.id);
        return state.consultations.map(summaryOf);
      case "search_history": {
        const q = String(args.query ?? "").toLowerCase();
        if (state.searchHits.length) return clone(state.searchHits).filter((h) => !q || h.snippet.toLowerCase().includes(q) || h.title.toLowerCase().includes(q));
        return state.consultations
          .filter((c) => q && JSON.stringify(c.view).toLowerCase().includes(q))
          .map((c) => ({ consultation_id: c.view.consultation.id, message_id: null, title: c.summary.title, snippet: `«${q}»`, rank: 1 }));
      }
      case "consult_send":
      case "consult_edit":
      case "consult_regenerate": {
        // The backend answers in the consultation's stored mode; these take no thinking argument.
        if ("thinking" in (args ?? {})) return fail("INVALID_ARGS", `${cmd} takes no thinking argument`);
        const c = findConsultation(args.id) ?? null;
        const text = String(args.text ?? "");
        // An edited question keeps its documents.
        const edited = cmd === "consult_edit" ? c?.view.messages.find((m) => m.id === args.messageId) : null;
        const attachments = cmd === "consult_send" ? (args.attachments ?? []) : (edited?.attachments ?? []);
        return play(id, scriptFor(text), { consultation: c, text, chatOnly: false, attachments });
      }
      case "send_message": {
        const msgs = args.messages ?? [];
        const text = String(msgs.length ? msgs[msgs.length - 1].content : "");
        return play(id, scriptFor(text), { consultation: null, text, chatOnly: true });
      }
      case "read_attachment": {
        const name = String(args.name ?? "");
        const pdf = /\.pdf$/i.test(name);
        if (name === "scanned.pdf") return fail("ATTACHMENT_EMPTY", "scanned.pdf: no text on any of its 3 pages");
        const bytes = Uint8Array.from(atob(String(args.data ?? "")), (ch) => ch.charCodeAt(0));
        const text = pdf
          ? "Discharge summary\n\nDiagnosis: community-acquired pneumonia, treated with amoxicillin for 5 days.\nFollow-up: chest X-ray in 6 weeks."
          : new TextDecoder().decode(bytes);
        const limit = cfg.modelInfo?.context_length ?? null;
        return {
          attachment: { name, kind: pdf ? "pdf" : "text", text, bytes: bytes.length, pages: pdf ? 2 : null },
          tokens: limit === null ? null : Math.ceil(text.length / 3),
          limit,
        };
      }
      case "export_consultation":
        return "# SOAP note\n";
      case "token_status":
        return { saved: false, keychain: "secret-service", problem: null };
      case "get_overview":
        if (state.overview) return clone(state.overview);
        return fail("NOT_MOCKED", "get_overview is not part of these fixtures");
      case "set_memory_fallback": {
        if (!state.overview) return fail("NOT_MOCKED", "set_memory_fallback is not part of these fixtures");
        const fb = { short_context: !!args.fallback?.short_context, anyway: !!args.fallback?.anyway };
        const plans = cfg.fallbackPlans ?? {};
        const plan = (fb.short_context && plans.short_context) || (fb.anyway && plans.anyway) || cfg.overview.plan;
        state.overview = { ...state.overview, fallback: fb, plan: clone(plan) };
        return clone(state.overview);
      }
      case "use_model": {
        const dir = state.overview?.models_dir ?? "/models";
        state.settings.model_path = `${dir}/${args.variant}`;
        state.settings.variant = args.variant;
        if (state.loadControls) {
          const label = state.overview?.catalog?.find((v) => v.id === args.variant)?.label ?? args.variant;
          state.loadControls = { ...state.loadControls, variant: args.variant, name: label, current: clone(state.loadControls.recommended) };
        }
        return clone(state.settings);
      }
      case "load_controls":
        if (state.settings.remote?.enabled) return fail("NOT_FOR_REMOTE", "the remote engine is on");
        if (!state.settings.model_path) return fail("NO_MODEL_CHOSEN", "no model chosen");
        if (!state.loadControls) return fail("NOT_MOCKED", "load_controls is not part of these fixtures");
        return { ...clone(state.loadControls), estimate: estimate(state.loadControls.current) };
      case "estimate_load":
        return estimate(args.choice);
      case "set_load_choice": {
        const lc = state.loadControls;
        if (!lc) return fail("NOT_MOCKED", "set_load_choice is not part of these fixtures");
        const bad = invalidChoice(args.choice, lc);
        if (bad) return fail("INVALID_LOAD_CHOICE", bad);
        lc.current = clone(args.choice);
        state.settings.max_context = args.choice.context;
        state.settings.gpu_layers = args.choice.gpu_layers;
        return clone(state.settings);
      }
      case "plugin:event|listen":
        return transformCallback(() => {});
      case "plugin:event|unlisten":
      case "plugin:event|emit":
        return null;
      case "plugin:dialog|open":
      case "plugin:dialog|save":
        return null;
      // The system browser: only recorded (calls) here.
      case "plugin:opener|open_url":
        return null;
      default:
        state.unknown.push(cmd);
        return fail("NOT_MOCKED", `command ${cmd} is not mocked`);
    }
  }

  const internals = {
    invoke,
    transformCallback,
    unregisterCallback,
    runCallback,
    callbacks,
    convertFileSrc: (path, protocol = "asset") => `${protocol}://localhost/${encodeURIComponent(path)}`,
    metadata: {
      currentWindow: { label: "main" },
      currentWebview: { windowLabel: "main", label: "main" },
    },
    plugins: {},
  };
  // Not writable: a payload cannot replace the bridge (nor can DOM clobbering shadow it).
  Object.defineProperty(window, "__TAURI_INTERNALS__", { value: internals, writable: false, configurable: false });
  Object.defineProperty(window, "__TAURI_EVENT_PLUGIN_INTERNALS__", {
    value: { unregisterListener: () => {} },
    writable: false,
    configurable: false,
  });
  Object.defineProperty(window, "__fakeIpc", { value: state, writable: false, configurable: false });
}
