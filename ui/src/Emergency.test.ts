import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { setLang } from "./lib/i18n.svelte";
import { backend } from "./test/app";
import { answer, ready, send, structuredTurn } from "./test/turns";

afterEach(() => {
  clearMocks();
  setLang("en");
});

/** Emergency first: the banner before any token, the pinned bar, the folded answer, red flags as they stream. */
describe("emergency first", () => {
  it("shows the emergency banner before any answer text, then streams the answer below it", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const turn = await send(b, "Crushing chest pain going down my left arm");
    turn.triage({
      level: "emergency",
      rules: ["chest_pain_radiation"],
      advice: "This could be a heart attack. Call an ambulance now.",
      emergency_number: "911",
      crisis_line: null,
    });
    const banner = await screen.findByTestId("emergency-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.textContent).toContain("This could be a heart attack. Call an ambulance now.");
    expect(within(banner).getByTestId("emergency-number").textContent).toBe("911");
    // No token yet, and the answer waits behind a button: the advice above comes first.
    const answerEl = screen.getByTestId("assistant-message");
    expect(within(answerEl).queryByTestId("answer")).toBeNull();
    expect(within(answerEl).getByTestId("answer-fold").textContent).toContain("The emergency advice above comes first.");
    expect(screen.queryByTestId("urgent-banner")).toBeNull();

    // The answer and its thinking stream on underneath, folded: nothing is shown, nothing lost.
    turn.saved();
    turn.chat({ type: "reasoning", text: "Chest pain with radiation to the arm." });
    turn.chat({ type: "content", text: "Please call 911 now." });
    await waitFor(() => expect(answerEl.dataset.messageId).toBeTruthy());
    await new Promise((r) => setTimeout(r, 40));
    expect(within(answerEl).queryByTestId("answer")).toBeNull();
    expect(within(answerEl).queryByTestId("thinking-panel")).toBeNull();
    expect(answerEl.textContent).not.toContain("Please call 911 now.");

    const reveal = within(answerEl).getByTestId("answer-reveal");
    expect(reveal.textContent?.trim()).toBe("Show the answer anyway");
    await fireEvent.click(reveal);
    await waitFor(() => expect(screen.getByTestId("answer").textContent).toContain("Please call 911 now."));
    expect(within(answerEl).getByTestId("thinking-panel")).toBeTruthy();
    expect(within(answerEl).queryByTestId("answer-fold")).toBeNull();
    expect(banner.compareDocumentPosition(answerEl) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Open now, it keeps streaming.
    turn.chat({ type: "content", text: " Sit down while you wait." });
    await waitFor(() => expect(screen.getByTestId("answer").textContent).toContain("Please call 911 now. Sit down while you wait."));
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await screen.findByTestId("send");
    expect(screen.getByTestId("emergency-banner")).toBeTruthy();
    // It stays open for this turn while the consultation is open, after another turn too.
    await answer(b, "The ambulance is on its way", "Good. Unlock the door.");
    const answers = screen.getAllByTestId("answer").map((a) => a.textContent?.trim());
    expect(answers).toEqual(["Please call 911 now. Sit down while you wait.", "Good. Unlock the door."]);
    expect(screen.queryByTestId("answer-fold")).toBeNull();
  });

  it("pins the latest emergency above the message box, announced once, through later routine turns", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const turn = await send(b, "My baby is 6 weeks old and has a fever of 38.5");
    expect(screen.queryByTestId("emergency-bar")).toBeNull();
    turn.triage({ level: "emergency", rules: ["infant_fever"], advice: "A fever under 3 months needs a doctor now.", emergency_number: "999", crisis_line: "116 123" });
    const bar = await screen.findByTestId("emergency-bar");
    expect(bar.getAttribute("role")).toBe("alert");
    expect(bar.textContent).toContain("Possible emergency. Call for help now; do not wait for the answer.");
    expect(within(bar).getByTestId("emergency-bar-number").textContent).toBe("999");
    expect(within(bar).getByTestId("emergency-bar-crisis").textContent).toBe("116 123");
    // Above the composer, outside the scrolling messages: it never scrolls away.
    const input = screen.getByTestId("message-input");
    expect(bar.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole("main").contains(bar)).toBe(false);
    // The record stays in the thread too.
    expect(within(screen.getByTestId("emergency-banner")).getByTestId("emergency-number").textContent).toBe("999");

    // The answer's words do not re-create (re-announce) it.
    turn.saved();
    for (const text of ["Call ", "999 ", "now."]) turn.chat({ type: "content", text });
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await screen.findByTestId("send");
    expect(screen.getByTestId("emergency-bar")).toBe(bar);

    // A later routine turn does not take it away.
    await answer(b, "She is feeding well", "That is reassuring.");
    expect(screen.getByTestId("emergency-bar")).toBe(bar);
    expect(within(bar).getByTestId("emergency-bar-number").textContent).toBe("999");
    expect(screen.getAllByTestId("answer").map((a) => a.textContent?.trim())).toEqual(["That is reassuring."]);
  });

  it("pins no bar and folds nothing for urgent and routine turns; without a number it names the local one", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const turn = await send(b, "Burning when I pee and a fever");
    turn.triage({ level: "urgent", rules: ["uti_fever"], advice: "See a doctor today." });
    await screen.findByTestId("urgent-banner");
    turn.saved();
    turn.chat({ type: "content", text: "Probably a kidney infection." });
    await waitFor(() => expect(screen.getByTestId("answer").textContent).toContain("Probably a kidney infection."));
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await screen.findByTestId("send");
    await answer(b, "Mild sore throat", "Rest and fluids.");
    expect(screen.queryByTestId("emergency-bar")).toBeNull();
    expect(screen.queryByTestId("answer-fold")).toBeNull();

    const later = await send(b, "Now I cannot breathe");
    later.triage({ level: "emergency", rules: ["breathing"], advice: "Call your local emergency number now." });
    const bar = await screen.findByTestId("emergency-bar");
    expect(within(bar).getByTestId("emergency-bar-number").textContent).toBe("your local emergency number");
  });

  it("folds an emergency answer in Chinese too", async () => {
    const b = backend({ modelPath: "/models/med.gguf", settings: { language: "zh" } });
    render(App);
    await ready();
    const turn = await send(b, "胸口压榨样疼痛，放射到左臂");
    turn.triage({ level: "emergency", rules: ["chest_pain_radiation"], advice: "请立即拨打120。", emergency_number: "120" });
    const bar = await screen.findByTestId("emergency-bar");
    expect(bar.textContent).toContain("可能是紧急情况。请您现在就呼叫急救，不要等待回答。");
    expect(within(bar).getByTestId("emergency-bar-number").textContent).toBe("120");
    // One sentence per language around the number (triage.callNumber), in Chinese word order.
    expect(within(screen.getByTestId("emergency-banner")).getByTestId("emergency-number").parentElement?.textContent?.trim()).toBe("请拨打 120");
    expect(screen.getByTestId("answer-fold").textContent).toContain("请您先按照上面的紧急建议去做。");
    expect(screen.getByTestId("answer-reveal").textContent?.trim()).toBe("仍然显示回答");
  });

  it("styles a red-flag section red while it streams, before the parsed sections, and keeps it in place", async () => {
    const { parse, turn } = await structuredTurn();
    turn.chat({ type: "content", text: "## Red f" });
    await waitFor(() => expect(screen.getByTestId("answer").textContent).toContain("Red f"));
    expect(screen.queryByTestId("answer-live-red_flags")).toBeNull();
    turn.chat({ type: "content", text: "lags\n- Worst-ever headache\n\n## Summary\nSevere headache in pregnancy.\n" });
    // The backend's cut of the text so far (crates/consult/src/live.rs).
    const so = "## Red flags\n- Worst-ever headache\n\n## Summary\nSevere headache in pregnancy.\n";
    turn.emit({
      type: "live",
      parts: [
        { kind: "red_flags", title: "Red flags", body: "- Worst-ever headache" },
        { kind: "markdown", start: so.indexOf("## Summary"), end: null },
      ],
    });
    const live = await screen.findByTestId("answer-live-red_flags");
    expect(parse).not.toHaveBeenCalled();
    expect(live.classList.contains("red_flags")).toBe(true);
    expect(live.querySelector("h3")?.textContent?.trim()).toBe("Red flags");
    expect(live.textContent).toContain("Worst-ever headache");
    expect(live.textContent).not.toContain("Severe headache in pregnancy.");
    // The red card comes first in the answer, as it will once parsed.
    const answerEl = screen.getByTestId("answer");
    expect(answerEl.firstElementChild).toBe(live);
    expect(answerEl.textContent).toContain("Severe headache in pregnancy.");

    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    const parsed = await screen.findByTestId("answer-section-red_flags");
    expect(screen.queryByTestId("answer-live-red_flags")).toBeNull();
    expect(screen.getByTestId("answer").firstElementChild).toBe(parsed);
  });

  it("urgent shows the amber banner with the crisis line; routine shows none", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const turn = await send(b, "I keep thinking about hurting myself");
    turn.triage({ level: "urgent", advice: "Please talk to someone today.", crisis_line: "988" });
    const banner = await screen.findByTestId("urgent-banner");
    expect(banner.textContent).toContain("Please talk to someone today.");
    expect(within(banner).getByTestId("crisis-line").textContent).toBe("988");
    expect(screen.queryByTestId("emergency-banner")).toBeNull();
    turn.saved();
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await screen.findByTestId("send");

    await answer(b, "Mild sore throat", "Rest and fluids.");
    expect(screen.getAllByTestId("urgent-banner")).toHaveLength(1);
    expect(screen.queryByTestId("emergency-banner")).toBeNull();
  });

  it("the model's own red flags raise the emergency banner while the answer streams", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    const turn = await send(b, "I have had a headache since this morning");
    turn.triage();
    turn.saved();
    turn.chat({ type: "content", text: "## Red flags\nThis may be an emergency. Call 999 now." });
    expect(screen.queryByTestId("emergency-banner")).toBeNull();
    turn.triage({ level: "emergency", rules: ["model_red_flags"], advice: "These symptoms can be a sign of an emergency. Call 999 now.", emergency_number: "999" });
    const banner = await screen.findByTestId("emergency-banner");
    expect(within(banner).getByTestId("emergency-number").textContent).toBe("999");
    expect(within(banner).getByTestId("triage-by-model").textContent).toBe("The answer below flags this as an emergency.");
    // Pinned above the composer too; the answer it came from stays open (it was being read).
    expect(within(await screen.findByTestId("emergency-bar")).getByTestId("emergency-bar-number").textContent).toBe("999");
    expect(screen.queryByTestId("answer-fold")).toBeNull();
    expect(screen.getByTestId("answer").textContent).toContain("Call 999 now.");
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await screen.findByTestId("send");
    expect(screen.getAllByTestId("emergency-banner")).toHaveLength(1);
  });
});
