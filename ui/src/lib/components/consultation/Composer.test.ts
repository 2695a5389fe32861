import { File as NodeFile } from "node:buffer";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Attachment } from "../../bindings/Attachment";
import type { AttachmentPreview } from "../../bindings/AttachmentPreview";
import { setLang } from "../../i18n.svelte";
import Composer from "./Composer.svelte";

afterEach(() => {
  clearMocks();
  setLang("en");
});

// jsdom's File cannot be read (no arrayBuffer); Node's can.
function file(name: string, body: string, type = name.endsWith(".pdf") ? "application/pdf" : "text/plain"): File {
  return new NodeFile([body], name, { type }) as unknown as File;
}

/** A file that says it is `size` bytes and must never be read. */
function hugeFile(name: string, size: number) {
  const f = file(name, "");
  Object.defineProperty(f, "size", { value: size });
  const read = vi.spyOn(f, "arrayBuffer");
  return { f, read };
}

const LAB_TEXT = "Haemoglobin 13.1 g/dL\nFerritin 12 ng/mL (low)";

/**
 * The backend's read_attachment: text files as they are, PDFs with 3 pages, "scanned.pdf" with
 * no text; `gate` holds every answer until it resolves.
 */
function backend(gate: Promise<unknown> = Promise.resolve()) {
  const reads: { name: string; data: string }[] = [];
  mockIPC(async (cmd, args) => {
    if (cmd !== "read_attachment") throw { code: "UNKNOWN_COMMAND", message: cmd };
    const { name, data } = args as { name: string; data: string };
    reads.push({ name, data });
    await gate;
    if (name === "scanned.pdf") throw { code: "ATTACHMENT_EMPTY", message: "scanned.pdf: no text layer on any page" };
    const pdf = name.endsWith(".pdf");
    const text = pdf ? "Discharge letter. Diagnosis: community-acquired pneumonia." : Buffer.from(data, "base64").toString("utf8");
    const preview: AttachmentPreview = {
      attachment: { name, kind: pdf ? "pdf" : "text", text, bytes: data.length, pages: pdf ? 3 : null },
      tokens: 2458,
      limit: 16384,
    };
    return preview;
  });
  return reads;
}

function composer(onSend: (text: string, attachments: Attachment[]) => Promise<boolean> | void = () => Promise.resolve(true)) {
  const send = vi.fn(onSend);
  render(Composer, {
    canSend: true,
    blocked: null,
    generating: false,
    stopping: false,
    thinking: "auto",
    canChangeThinking: true,
    onSend: send,
    onStop: () => {},
    onThinkingChange: () => {},
    onOpenSettings: () => {},
  });
  return send;
}

/** Picks `files` in the native file dialog. */
async function pick(files: File[]) {
  const input = screen.getByTestId<HTMLInputElement>("attach-input");
  Object.defineProperty(input, "files", { value: files, configurable: true });
  await fireEvent.change(input);
}

const chips = () => screen.queryAllByTestId("attachment-chip");
const input = () => screen.getByTestId<HTMLTextAreaElement>("message-input");

describe("attaching documents in the composer", () => {
  it("offers a named Attach button that opens the file picker for text and PDFs, and says nothing is uploaded", () => {
    composer();
    const button = screen.getByRole("button", { name: "Attach a document" });
    expect(button.getAttribute("title")).toContain("The text is read on this computer; nothing is uploaded.");
    expect(button.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(button.getAttribute("aria-describedby")!)?.textContent).toBe(
      "The text is read on this computer; nothing is uploaded.",
    );
    const picker = screen.getByTestId<HTMLInputElement>("attach-input");
    expect(picker.type).toBe("file");
    expect(picker.multiple).toBe(true);
    expect(picker.accept).toBe(".txt,.md,.csv,.pdf,text/*,application/pdf");
    const opened = vi.spyOn(picker, "click").mockImplementation(() => {});
    button.click();
    expect(opened).toHaveBeenCalledOnce();
  });

  it("reads a picked file on this computer, shows 'Reading…', then a chip with its summary and a preview of its text", async () => {
    let release = () => {};
    const reads = backend(new Promise<void>((r) => (release = r)));
    composer();
    await pick([file("labs.txt", LAB_TEXT)]);
    const reading = await screen.findByTestId("attachment-reading");
    expect(reading.textContent).toContain("Reading labs.txt…");
    expect(screen.getByTestId("attachment-status").textContent).toBe("Reading labs.txt…");
    // Nothing is sent while a document is still being read.
    await fireEvent.input(input(), { target: { value: "What do these mean?" } });
    expect(screen.getByTestId<HTMLButtonElement>("send").disabled).toBe(true);

    release();
    await waitFor(() => expect(chips()).toHaveLength(1));
    expect(reads).toEqual([{ name: "labs.txt", data: Buffer.from(LAB_TEXT).toString("base64") }]);
    const chip = chips()[0];
    expect(within(chip).getByTestId("attachment-name").textContent).toBe("labs.txt");
    expect(within(chip).getByTestId("attachment-summary").textContent).toBe("9 words · uses 15% of the conversation memory");
    expect(screen.getByTestId("attachment-status").textContent).toBe("labs.txt is attached.");
    expect(screen.getByTestId("attachment-privacy").textContent).toBe("The text is read on this computer; nothing is uploaded.");
    expect(screen.getByTestId<HTMLButtonElement>("send").disabled).toBe(false);

    const toggle = within(chip).getByRole("button", { name: "Preview the text of labs.txt" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const shown = within(chip).getByTestId("attachment-text");
    expect(shown.textContent).toBe(LAB_TEXT);
    expect(toggle.getAttribute("aria-controls")).toBe(shown.id);
    await fireEvent.click(toggle);
    expect(within(chip).queryByTestId("attachment-text")).toBeNull();
  });

  it("sums up a PDF by its pages", async () => {
    backend();
    composer();
    await pick([file("discharge.pdf", "%PDF-1.7")]);
    await waitFor(() => expect(chips()).toHaveLength(1));
    expect(chips()[0].dataset.kind).toBe("pdf");
    expect(within(chips()[0]).getByTestId("attachment-summary").textContent).toBe(
      "3 pages · 5 words · uses 15% of the conversation memory",
    );
  });

  it("removes a document with its own named button, and focus goes back to the message box", async () => {
    backend();
    composer();
    await pick([file("labs.txt", LAB_TEXT), file("meds.txt", "Metformin 500 mg twice a day")]);
    await waitFor(() => expect(chips()).toHaveLength(2));
    await fireEvent.click(screen.getByRole("button", { name: "Remove labs.txt" }));
    expect(chips().map((c) => c.dataset.name)).toEqual(["meds.txt"]);
    expect(document.activeElement).toBe(input());
    await fireEvent.click(screen.getByRole("button", { name: "Remove meds.txt" }));
    expect(screen.queryByTestId("attachments")).toBeNull();
  });

  it("says in words why a file could not be attached, with its name, and keeps the message", async () => {
    backend();
    composer();
    await fireEvent.input(input(), { target: { value: "Is this normal?" } });
    await pick([file("scanned.pdf", "%PDF-1.4")]);
    const error = await screen.findByTestId("attachment-error");
    expect(error.dataset.code).toBe("ATTACHMENT_EMPTY");
    expect(error.textContent).toContain("scanned.pdf could not be attached.");
    expect(within(error).getByTestId("attachment-error-said").textContent).toMatch(/No text could be found in this file/);
    expect(within(error).getByTestId("attachment-error-code").textContent).toBe("ATTACHMENT_EMPTY");
    expect(screen.getByTestId("attachment-status").textContent).toMatch(/^scanned\.pdf could not be attached\. No text could be found/);
    expect(input().value).toBe("Is this normal?");
    expect(chips()).toHaveLength(0);
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss the message about scanned.pdf" }));
    expect(screen.queryByTestId("attachment-error")).toBeNull();
  });

  it("refuses a file over 20 MB without reading it, and a picture without sending it", async () => {
    const reads = backend();
    composer();
    const { f, read } = hugeFile("ct-scan.pdf", 25_300_000);
    await pick([f, file("rash.jpg", "\xff\xd8", "image/jpeg")]);
    const errors = await screen.findAllByTestId("attachment-error");
    expect(errors.map((e) => e.dataset.code)).toEqual(["ATTACHMENT_TOO_LARGE", "ATTACHMENT_UNSUPPORTED"]);
    expect(errors[0].textContent).toContain("ct-scan.pdf could not be attached.");
    expect(errors[0].textContent).toContain("larger than 20 MB");
    expect(errors[0].textContent).toContain("ct-scan.pdf is 25.3 MB; the limit is 20.0 MB");
    expect(read).not.toHaveBeenCalled();
    expect(reads).toEqual([]);
  });

  it("takes at most 5 documents: a sixth says so and is not read", async () => {
    const reads = backend();
    composer();
    await pick([1, 2, 3, 4].map((i) => file(`part${i}.txt`, `Part ${i}`)));
    await waitFor(() => expect(chips()).toHaveLength(4));
    await pick([file("part5.txt", "Part 5"), file("part6.txt", "Part 6")]);
    await waitFor(() => expect(chips()).toHaveLength(5));
    const over = screen.getByTestId("attachment-over-limit");
    expect(over.textContent).toContain("part6.txt was not attached: a message can carry at most 5 documents. Remove one to add another.");
    expect(reads.map((r) => r.name)).toEqual(["part1.txt", "part2.txt", "part3.txt", "part4.txt", "part5.txt"]);
    // A removed one makes room again.
    await fireEvent.click(screen.getByRole("button", { name: "Remove part1.txt" }));
    await pick([file("part6.txt", "Part 6")]);
    await waitFor(() => expect(chips()).toHaveLength(5));
  });

  it("asks for a question about the documents: the message needs text, then sends the documents with it and clears them", async () => {
    backend();
    const send = composer();
    await pick([file("labs.txt", LAB_TEXT)]);
    await waitFor(() => expect(chips()).toHaveLength(1));
    expect(input().placeholder).toBe("Add a question about the document…");
    expect(screen.getByTestId<HTMLButtonElement>("send").disabled).toBe(true);
    await pick([file("meds.txt", "Metformin")]);
    await waitFor(() => expect(chips()).toHaveLength(2));
    expect(input().placeholder).toBe("Add a question about the documents…");

    await fireEvent.input(input(), { target: { value: "  What do these mean?  " } });
    await fireEvent.click(screen.getByTestId("send"));
    expect(send).toHaveBeenCalledWith("What do these mean?", [
      { name: "labs.txt", kind: "text", text: LAB_TEXT, bytes: expect.any(Number), pages: null },
      { name: "meds.txt", kind: "text", text: "Metformin", bytes: expect.any(Number), pages: null },
    ]);
    await waitFor(() => expect(screen.queryByTestId("attachments")).toBeNull());
    expect(input().value).toBe("");
    expect(input().placeholder).toBe("Describe the symptoms or ask a question…");
  });

  it("keeps the documents when the question was not saved (the send failed before it began)", async () => {
    backend();
    const send = composer(() => Promise.resolve(false));
    await pick([file("labs.txt", LAB_TEXT)]);
    await waitFor(() => expect(chips()).toHaveLength(1));
    await fireEvent.input(input(), { target: { value: "Explain" } });
    await fireEvent.keyDown(input(), { key: "Enter" });
    expect(send).toHaveBeenCalledOnce();
    await waitFor(() => expect(chips().map((c) => c.dataset.name)).toEqual(["labs.txt"]));
  });

  it("attaches files dropped on the composer, and files pasted into the message box", async () => {
    backend();
    composer();
    const form = screen.getByTestId("composer");
    const dropped = { types: ["Files"], files: [file("letter.pdf", "%PDF")], dropEffect: "none" };
    await fireEvent.dragEnter(form, { dataTransfer: dropped });
    expect(form.classList.contains("dragging")).toBe(true);
    expect(screen.getByText("Drop the files here to attach them")).toBeTruthy();
    await fireEvent.drop(form, { dataTransfer: dropped });
    expect(form.classList.contains("dragging")).toBe(false);
    await waitFor(() => expect(chips().map((c) => c.dataset.name)).toEqual(["letter.pdf"]));

    // Copied text pastes as text; a copied file attaches.
    const text = await fireEvent.paste(input(), { clipboardData: { types: ["text/plain"], files: [] } });
    expect(text).toBe(true);
    const pasted = await fireEvent.paste(input(), { clipboardData: { types: ["Files"], files: [file("meds.txt", "Metformin")] } });
    expect(pasted).toBe(false);
    await waitFor(() => expect(chips().map((c) => c.dataset.name)).toEqual(["letter.pdf", "meds.txt"]));
  });

  it("speaks Chinese", async () => {
    setLang("zh");
    backend();
    composer();
    expect(screen.getByRole("button", { name: "添加文档" })).toBeTruthy();
    await pick([file("化验单.txt", "血红蛋白 131 g/L")]);
    await waitFor(() => expect(chips()).toHaveLength(1));
    expect(within(chips()[0]).getByTestId("attachment-summary").textContent).toBe("7 字 · 占用 15% 的对话记忆");
    expect(screen.getByRole("button", { name: "移除化验单.txt" })).toBeTruthy();
    expect(input().placeholder).toBe("请针对这份文档提出问题…");
  });
});
