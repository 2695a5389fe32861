// Documents attached to a question, through the whole app: read, sent with the question, shown
// on it, stored with it, kept when the send failed before it began and when the question is edited.
import { File as NodeFile } from "node:buffer";
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { setLang } from "./lib/i18n.svelte";
import { backend } from "./test/app";
import { stored, view } from "./test/consult";
import { ready, send } from "./test/turns";

afterEach(() => {
  clearMocks();
  setLang("en");
});

const LABS = "Haemoglobin 13.1 g/dL\nFerritin 12 ng/mL (low)";

async function attach(...files: [name: string, body: string][]) {
  const picker = screen.getByTestId<HTMLInputElement>("attach-input");
  const list = files.map(([name, body]) => new NodeFile([body], name, { type: name.endsWith(".pdf") ? "application/pdf" : "text/plain" }));
  Object.defineProperty(picker, "files", { value: list, configurable: true });
  await fireEvent.change(picker);
}

const composerChips = () => within(screen.getByTestId("composer")).queryAllByTestId("attachment-chip");

describe("attachments in a consultation", () => {
  it("go with the question, show on it, and come back with it from the history", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    render(App);
    await ready();
    await attach(["labs.txt", LABS], ["discharge.pdf", "%PDF-1.7"]);
    await waitFor(() => expect(composerChips()).toHaveLength(2));
    const turn = await send(b, "What do these results mean?");
    expect(turn.args.attachments).toEqual([
      { name: "labs.txt", kind: "text", text: LABS, bytes: expect.any(Number), pages: null },
      { name: "discharge.pdf", kind: "pdf", text: "Discharge summary. Diagnosis: community-acquired pneumonia.", bytes: expect.any(Number), pages: 2 },
    ]);
    expect(screen.queryByTestId("attachments")).toBeNull();

    const question = screen.getByTestId("user-message");
    const sent = within(question).getAllByTestId("attachment-chip");
    expect(sent.map((c) => c.dataset.name)).toEqual(["labs.txt", "discharge.pdf"]);
    await fireEvent.click(within(sent[0]).getByRole("button", { name: "Show the text of labs.txt" }));
    expect(within(sent[0]).getByTestId("attachment-text").textContent).toBe(LABS);

    turn.triage();
    turn.saved();
    turn.chat({ type: "content", text: "Your ferritin is low." });
    turn.chat({ type: "done", finish_reason: "stop" });
    turn.finish();
    await screen.findByTestId("send");
    // Stored with the question: the backend echoes them back when the consultation is opened.
    const saved = b.consult.views[0].messages.find((m) => m.role === "user");
    expect(saved?.attachments.map((a) => a.name)).toEqual(["labs.txt", "discharge.pdf"]);
  });

  it("stay in the composer when the question could not be sent", async () => {
    const b = backend({ modelPath: "/models/med.gguf" });
    b.consult.turnRejects = { code: "NOT_LOADED", message: "No model is loaded" };
    render(App);
    await ready();
    await attach(["labs.txt", LABS]);
    await waitFor(() => expect(composerChips()).toHaveLength(1));
    const input = screen.getByTestId("message-input");
    await fireEvent.input(input, { target: { value: "Explain these" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await screen.findByTestId("error");
    expect(b.consult.calls.filter(([c]) => c === "consult_send")).toHaveLength(1);
    await waitFor(() => expect(composerChips().map((c) => c.dataset.name)).toEqual(["labs.txt"]));
  });

  it("stay with a question that is edited, and a stored question shows its own", async () => {
    const labs = { name: "labs.txt", kind: "text" as const, text: LABS, bytes: 46, pages: null };
    const b = backend({
      modelPath: "/models/med.gguf",
      views: [
        view(1, {
          title: "Low ferritin",
          messages: [
            stored({ id: 10, role: "user", content: "What do these mean?", attachments: [labs] }),
            stored({ id: 11, role: "assistant", content: "Ferritin is low.", status: "complete" }),
          ],
        }),
      ],
    });
    render(App);
    await ready();
    const question = await screen.findByTestId("user-message");
    expect(within(question).getAllByTestId("attachment-chip").map((c) => c.dataset.name)).toEqual(["labs.txt"]);

    await fireEvent.click(within(question).getByTestId("edit-message"));
    expect(screen.getByTestId("edit-attachments-note").textContent).toBe("The attached documents stay with the question.");
    await fireEvent.input(screen.getByTestId("edit-input"), { target: { value: "And the ferritin?" } });
    await fireEvent.submit(screen.getByTestId("edit-form"));
    await waitFor(() => expect(b.consult.turns).toHaveLength(1));
    expect(b.turn().cmd).toBe("consult_edit");
    expect(Object.keys(b.turn().args).sort()).toEqual(["id", "messageId", "onEvent", "text"]);
    const edited = screen.getByTestId("user-message");
    expect(edited.textContent).toContain("And the ferritin?");
    expect(within(edited).getAllByTestId("attachment-chip").map((c) => c.dataset.name)).toEqual(["labs.txt"]);
  });
});
