import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import type { Attachment } from "../../bindings/Attachment";
import { userTurn } from "../../chat";
import { setLang } from "../../i18n.svelte";
import UserMessage from "./UserMessage.svelte";

afterEach(() => setLang("en"));

const labs: Attachment = { name: "labs.txt", kind: "text", text: "Haemoglobin 13.1 g/dL\nFerritin 12 ng/mL (low)", bytes: 46, pages: null };
const letter: Attachment = { name: "discharge.pdf", kind: "pdf", text: "Discharge summary. Diagnosis: pneumonia.", bytes: 81_000, pages: 2 };

function show(attachments: Attachment[], onEdit = vi.fn()) {
  render(UserMessage, { turn: userTurn("What do these results mean?", 7, null, attachments), canEdit: true, onEdit });
  return onEdit;
}

describe("a sent question's documents", () => {
  it("shows each one under the text, with a 'Show the text' disclosure", async () => {
    show([labs, letter]);
    const list = screen.getByRole("list", { name: "Attached documents" });
    const chips = within(list).getAllByTestId("attachment-chip");
    expect(chips.map((c) => c.dataset.name)).toEqual(["labs.txt", "discharge.pdf"]);
    expect(within(chips[1]).getByTestId("attachment-summary").textContent).toBe("2 pages · 4 words");
    // Sent documents cannot be removed from here.
    expect(within(list).queryByTestId("attachment-remove")).toBeNull();

    const toggle = within(chips[0]).getByRole("button", { name: "Show the text of labs.txt" });
    expect(toggle.textContent).toBe("Show the text");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(within(chips[0]).getByTestId("attachment-text").textContent).toBe(labs.text);
    expect(within(chips[1]).queryByTestId("attachment-text")).toBeNull();
  });

  it("shows none for a question without documents", () => {
    show([]);
    expect(screen.queryByTestId("message-attachments")).toBeNull();
  });

  it("says the documents stay with an edited question", async () => {
    const onEdit = show([labs]);
    await fireEvent.click(screen.getByTestId("edit-message"));
    expect(screen.getByTestId("edit-attachments-note").textContent).toBe("The attached documents stay with the question.");
    expect(within(screen.getByTestId("edit-form")).getAllByTestId("attachment-chip")).toHaveLength(1);
    await fireEvent.input(screen.getByTestId("edit-input"), { target: { value: "And the ferritin?" } });
    await fireEvent.submit(screen.getByTestId("edit-form"));
    expect(onEdit).toHaveBeenCalledWith("And the ferritin?");
  });

  it("says nothing about documents when editing a question without any", async () => {
    show([]);
    await fireEvent.click(screen.getByTestId("edit-message"));
    expect(screen.queryByTestId("edit-attachments-note")).toBeNull();
  });

  it("speaks Chinese", () => {
    setLang("zh");
    show([letter]);
    expect(screen.getByRole("button", { name: "显示文字（discharge.pdf）" }).textContent).toBe("显示文字");
    expect(screen.getByTestId("attachment-summary").textContent).toBe("2 页 · 4 字");
  });
});
