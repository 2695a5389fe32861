/**
 * A mock of the backend's consultation commands (history, patient context, turns, search,
 * export) for App and component tests. Like the backend, a turn saves the question
 * and an empty answer first, and the answer's text as the test streams it; it names an
 * untitled consultation after the question (`titled`, right after the first triage), and
 * sends the sections of an answer that ended on its own (`parsed`, right after `done`).
 * Views carry the sections of every finished stored answer (`answers`).
 */
import type { Channel } from "@tauri-apps/api/core";
import type { AttachmentPreview } from "../lib/bindings/AttachmentPreview";
import type { ChatEvent } from "../lib/bindings/ChatEvent";
import type { ContextBudget } from "../lib/bindings/ContextBudget";
import type { ConsultationSummary } from "../lib/bindings/ConsultationSummary";
import type { ConsultationView } from "../lib/bindings/ConsultationView";
import type { ConsultEvent } from "../lib/bindings/ConsultEvent";
import type { ErrorPayload } from "../lib/bindings/ErrorPayload";
import type { ParsedAnswer } from "../lib/bindings/ParsedAnswer";
import type { PatientContext } from "../lib/bindings/PatientContext";
import type { SearchHit } from "../lib/bindings/SearchHit";
import type { StoredMessage } from "../lib/bindings/StoredMessage";
import type { ThinkingMode } from "../lib/bindings/ThinkingMode";
import type { Triage } from "../lib/bindings/Triage";

export const NOT_CONSULT = Symbol("not a consultation command");

export const routine: Triage = { level: "routine", rules: [], advice: "", emergency_number: null, crisis_line: null };

export function emptyPatient(): PatientContext {
  return { age_years: null, sex: null, pregnancy: null, weight_kg: null, allergies: [], medications: [], conditions: [], jurisdiction: null };
}

let stamp = 0;
/** Increasing timestamps, so "most recent first" is well defined. */
export function timestamp(): string {
  stamp += 1;
  return new Date(Date.UTC(2026, 10, 26, 9, 0, stamp)).toISOString();
}

export function stored(over: Partial<StoredMessage> & Pick<StoredMessage, "id" | "role">): StoredMessage {
  const at = timestamp();
  return {
    consultation_id: 1,
    seq: 1,
    content: "",
    reasoning: "",
    reasoning_started_at: null,
    reasoning_ended_at: null,
    stats: null,
    status: "complete",
    error: null,
    context_notice: null,
    triage: null,
    attachments: [],
    created_at: at,
    updated_at: at,
    ...over,
  };
}

export function view(
  id: number,
  over: { title?: string; chief_complaint?: string; patient?: PatientContext; messages?: StoredMessage[]; thinking?: ThinkingMode } = {},
): ConsultationView {
  const at = timestamp();
  return {
    consultation: {
      id,
      title: over.title ?? "",
      chief_complaint: over.chief_complaint ?? "",
      patient: null,
      lang: "en",
      thinking: over.thinking ?? "auto",
      created_at: at,
      updated_at: at,
    },
    patient: over.patient ?? emptyPatient(),
    messages: (over.messages ?? []).map((m, i) => ({ ...m, consultation_id: id, seq: i + 1 })),
    // What the mock sends back is recomputed from the messages (see `ConsultMock.parse`).
    answers: [],
    live: [],
    versions: [],
  };
}

export interface RunningTurn {
  cmd: "consult_send" | "consult_edit" | "consult_regenerate";
  args: any;
  userMessageId: number;
  assistantMessageId: number;
  /** Delivers an event the way the Tauri runtime does (in order, by index). */
  emit: (ev: ConsultEvent) => void;
  /** The question's triage; the first one names an untitled consultation (a `titled` event). */
  triage: (t?: Partial<Triage>) => void;
  saved: () => void;
  /** The context notice: `budget` over a default, and the stored ids of the messages left out. */
  context: (budget?: Partial<ContextBudget>, droppedMessageIds?: number[]) => void;
  /** A model event; `done` that ends the answer on its own is followed by `parsed`. */
  chat: (ev: ChatEvent) => void;
  /** Sends `finished` and resolves the command (after `done`). */
  finish: () => void;
  /** Resolves the command and sends nothing: Tauri may deliver a result before the last events. */
  resolveOnly: () => void;
  fail: (e: ErrorPayload) => void;
}

export interface ConsultMock {
  calls: [string, any][];
  views: ConsultationView[];
  turns: RunningTurn[];
  latest: () => RunningTurn;
  /** How the backend parses a finished answer (`parsed` events, views' `answers`); plain by default. */
  parse: (text: string) => ParsedAnswer;
  search: (query: string) => SearchHit[];
  /** Rejects update_consultation when this returns an error. */
  invalidPatient: (p: PatientContext | null) => ErrorPayload | null;
  /** Rejects every turn command at once with this. */
  turnRejects: ErrorPayload | null;
  /** Rejects update_consultation with this (a thinking-mode change, say). */
  updateRejects: ErrorPayload | null;
  /** While set, update_consultation answers (and saves) only once this resolves. */
  updateGate: Promise<unknown> | null;
  /** read_attachment: a text file as it is, a PDF as 2 pages of a fixed text; "scanned.pdf" has no text. */
  readAttachment: (name: string, data: string) => AttachmentPreview;
  exported: string;
  handle: (cmd: string, args: any) => unknown;
}

/**
 * `defaultThinking`, `defaultCountry`: the settings' mode and country, which new consultations
 * start with ("auto" and none if absent).
 */
export function consultMock(
  opts: { views?: ConsultationView[]; defaultThinking?: () => ThinkingMode; defaultCountry?: () => string | null } = {},
): ConsultMock {
  let nextView = Math.max(0, ...(opts.views ?? []).map((v) => v.consultation.id)) + 1;
  let nextMessage = 1000;
  const find = (id: number) => {
    const v = m.views.find((x) => x.consultation.id === id);
    if (!v) throw { code: "NOT_FOUND", message: `consultation ${id} not found` };
    return v;
  };
  const touch = (v: ConsultationView) => {
    v.consultation = { ...v.consultation, updated_at: timestamp() };
  };
  /** A copy of the view as the backend sends it: every finished answer's sections. */
  const withAnswers = (v: ConsultationView): ConsultationView => ({
    ...structuredClone(v),
    answers: v.messages
      .filter((x) => x.role === "assistant" && x.status === "complete" && x.content.trim())
      .map((x) => ({ message_id: x.id, parsed: m.parse(x.content) })),
  });
  const summary = (v: ConsultationView): ConsultationSummary => {
    const shown = v.messages.filter((x) => x.role !== "system");
    const last = [...shown].reverse().find((x) => x.content);
    return {
      id: v.consultation.id,
      title: v.consultation.title,
      chief_complaint: v.consultation.chief_complaint,
      updated_at: v.consultation.updated_at,
      message_count: shown.length,
      last_snippet: last?.content.slice(0, 80) ?? "",
    };
  };

  function startTurn(cmd: RunningTurn["cmd"], args: any): Promise<void> {
    if (m.turnRejects) {
      // As the shell does: `finished` even when the turn fails before it starts.
      (window as any).__TAURI_INTERNALS__.runCallback((args.onEvent as Channel<ConsultEvent>).id, { index: 0, message: { type: "finished" } });
      return Promise.reject(m.turnRejects);
    }
    // The backend answers in the consultation's stored mode: a turn takes no thinking argument.
    if ("thinking" in args) return Promise.reject({ code: "INVALID_ARGS", message: `${cmd} takes no thinking argument` });
    const v = find(args.id);
    let user: StoredMessage;
    let answer: StoredMessage;
    if (cmd === "consult_send") {
      user = stored({ id: nextMessage++, role: "user", content: args.text, attachments: args.attachments });
      answer = stored({ id: nextMessage++, role: "assistant", status: "streaming" });
      v.messages.push(user, answer);
    } else if (cmd === "consult_edit") {
      const i = v.messages.findIndex((x) => x.id === args.messageId);
      user = { ...v.messages[i], content: args.text };
      answer = stored({ id: nextMessage++, role: "assistant", status: "streaming" });
      v.messages = [...v.messages.slice(0, i), user, answer];
    } else {
      answer = { ...v.messages[v.messages.length - 1], content: "", status: "streaming" };
      user = [...v.messages].reverse().find((x) => x.role === "user")!;
      v.messages = [...v.messages.slice(0, -1), answer];
    }
    touch(v);
    const title = v.consultation.title.trim() ? null : user.content.split(/\s+/).filter(Boolean).join(" ").slice(0, 60);
    const save = (patch: Partial<StoredMessage>) => {
      v.messages = v.messages.map((x) => (x.id === answer.id ? { ...x, ...patch } : x));
    };
    return new Promise<void>((resolve, reject) => {
      let index = 0;
      let content = "";
      const channel = args.onEvent as Channel<ConsultEvent>;
      const turn: RunningTurn = {
        cmd,
        args,
        userMessageId: user.id,
        assistantMessageId: answer.id,
        emit(ev) {
          (window as any).__TAURI_INTERNALS__.runCallback(channel.id, { index: index++, message: ev });
        },
        triage(t) {
          const triage = { ...routine, ...t };
          v.messages = v.messages.map((x) => (x.id === user.id ? { ...x, triage } : x));
          turn.emit({ type: "triage", triage });
          if (title !== null && !v.consultation.title) {
            v.consultation = { ...v.consultation, title };
            turn.emit({ type: "titled", title });
          }
        },
        saved() {
          turn.emit({ type: "saved", user_message_id: user.id, assistant_message_id: answer.id });
        },
        context(budget, droppedMessageIds = []) {
          const notice = {
            budget: { limit: 4096, system_tokens: 100, history_tokens: 0, message_tokens: 10, answer_room: 3986, dropped: [], ...budget },
            dropped_message_ids: droppedMessageIds,
          };
          if (droppedMessageIds.length > 0) save({ context_notice: notice });
          turn.emit({ type: "context", notice });
        },
        chat(ev) {
          // The backend sends the budget as its own event (`context`), never as a ChatEvent.
          if (ev.type === "context") throw new Error("a consultation's context comes as turn.context(), not a chat event");
          if (ev.type === "content") content += ev.text;
          const status = ev.type !== "done" ? null : ev.finish_reason === "cancelled" ? "stopped" : ev.finish_reason === "error" ? "error" : "complete";
          if (status) save({ content, status });
          turn.emit({ type: "chat", event: ev });
          if (status === "complete" && content.trim()) turn.emit({ type: "parsed", parsed: m.parse(content) });
        },
        finish() {
          save({ content });
          turn.emit({ type: "finished" });
          resolve();
        },
        resolveOnly() {
          save({ content });
          resolve();
        },
        fail(e) {
          turn.emit({ type: "finished" });
          reject(e);
        },
      };
      m.turns.push(turn);
    });
  }

  const m: ConsultMock = {
    calls: [],
    views: structuredClone(opts.views ?? []),
    turns: [],
    latest() {
      const t = m.turns[m.turns.length - 1];
      if (!t) throw new Error("no turn started");
      return t;
    },
    parse: () => ({ sections: [], follow_ups: [], structured: false }),
    search: () => [],
    invalidPatient: () => null,
    turnRejects: null,
    updateRejects: null,
    updateGate: null,
    readAttachment(name, data) {
      if (name === "scanned.pdf") throw { code: "ATTACHMENT_EMPTY", message: "scanned.pdf: no text on any page" };
      const pdf = name.toLowerCase().endsWith(".pdf");
      const text = pdf ? "Discharge summary. Diagnosis: community-acquired pneumonia." : new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
      return {
        attachment: { name, kind: pdf ? "pdf" : "text", text, bytes: Math.floor((data.length * 3) / 4), pages: pdf ? 2 : null },
        tokens: Math.ceil(text.length / 4),
        limit: 4096,
      };
    },
    exported: "# Consultation\n\n## S\n\nHeadache.\n\n> Anamnesis is not a doctor.",
    handle(cmd, args) {
      m.calls.push([cmd, args]);
      switch (cmd) {
        case "list_consultations":
          return [...m.views].sort((a, b) => b.consultation.updated_at.localeCompare(a.consultation.updated_at)).map(summary);
        case "new_consultation": {
          const country = opts.defaultCountry?.() ?? null;
          const patient = country ? { ...emptyPatient(), jurisdiction: country } : undefined;
          const v = view(nextView++, { thinking: opts.defaultThinking?.() ?? "auto", patient });
          m.views.push(v);
          return withAnswers(v);
        }
        case "open_consultation":
          return withAnswers(find(args.id));
        case "update_consultation": {
          const update = () => {
            const bad = m.updateRejects ?? m.invalidPatient(args.patient);
            if (bad) throw bad;
            const v = find(args.id);
            v.consultation = {
              ...v.consultation,
              title: args.title ?? v.consultation.title,
              chief_complaint: args.chiefComplaint ?? v.consultation.chief_complaint,
              thinking: args.thinking ?? v.consultation.thinking,
            };
            if (args.patient) v.patient = args.patient;
            touch(v);
            return withAnswers(v);
          };
          return m.updateGate ? m.updateGate.then(update) : update();
        }
        case "delete_consultation":
          m.views = m.views.filter((v) => v.consultation.id !== args.id);
          return m.handle("list_consultations", {});
        case "search_history":
          return m.search(args.query);
        case "consult_send":
        case "consult_edit":
        case "consult_regenerate":
          return startTurn(cmd, args);
        case "read_attachment":
          return m.readAttachment(args.name, args.data);
        case "export_consultation":
          return m.exported;
        case "plugin:dialog|save":
          return "/home/me/notes/Headache.md";
      }
      m.calls.pop();
      return NOT_CONSULT;
    },
  };
  return m;
}

/** The command names in call order. */
export function consultCommands(m: ConsultMock): string[] {
  return m.calls.map(([c]) => c);
}
