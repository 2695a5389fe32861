/** Driving the consultation screen in App tests: wait for it, send a question, play a turn. */
import { expect, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../App.svelte";
import type { ParsedAnswer } from "../lib/bindings/ParsedAnswer";
import { backend, type Backend } from "./app";

export const structured: ParsedAnswer = {
  structured: true,
  sections: [
    { kind: "red_flags", title: "Red flags", body: "- Worst-ever headache" },
    { kind: "summary", title: "Summary", body: "Severe headache in pregnancy." },
    { kind: "causes", title: "Most likely causes", body: "1. Migraine\n2. Pre-eclampsia (can't miss)" },
    { kind: "need_to_know", title: "What I still need to know", body: "- Any visual changes?\n- Any swelling?" },
  ],
  follow_ups: ["Any visual changes?", "Any swelling?"],
};

export async function ready() {
  await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
  await screen.findByTestId("consultation-heading");
}

export async function send(b: Backend, text: string) {
  const n = b.consult.turns.length;
  const input = await screen.findByTestId("message-input");
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.keyDown(input, { key: "Enter" });
  await waitFor(() => expect(b.consult.turns).toHaveLength(n + 1));
  return b.turn();
}

/** A whole routine turn: triage, saved ids, the answer, done. */
export async function answer(b: Backend, question: string, text: string) {
  const turn = await send(b, question);
  turn.triage();
  turn.saved();
  turn.chat({ type: "content", text });
  turn.chat({ type: "done", finish_reason: "stop" });
  turn.finish();
  await screen.findByTestId("send");
  return turn;
}

/** The app with a model, a question whose answer the backend parses as `structured`, triaged and saved. */
export async function structuredTurn() {
  const b = backend({ modelPath: "/models/med.gguf" });
  const parse = vi.fn(() => structured);
  b.consult.parse = parse;
  render(App);
  await ready();
  const turn = await send(b, "Headache, 30 weeks pregnant");
  turn.triage();
  turn.saved();
  return { b, parse, turn };
}
