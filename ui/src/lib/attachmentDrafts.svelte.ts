/**
 * The documents waiting in the composer: each file read on this computer (`readAttachment`),
 * one after another, with a chip while it is read, once it is ready, or when it was refused.
 */
import type { Attachment } from "./bindings/Attachment";
import type { AttachmentPreview } from "./bindings/AttachmentPreview";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import { MAX_ATTACHMENTS, refusal, toBase64 } from "./attachments";
import { errorText, joinSentences, t } from "./i18n.svelte";
import * as ipc from "./ipc";

export type Draft =
  | { key: number; name: string; state: "reading" }
  | { key: number; name: string; state: "ready"; preview: AttachmentPreview }
  | { key: number; name: string; state: "failed"; error: ErrorPayload }
  /** Not added: the message already carries MAX_ATTACHMENTS documents. */
  | { key: number; name: string; state: "over-limit" };

export type ReadyDraft = Extract<Draft, { state: "ready" }>;

let nextKey = 1;

export class AttachmentDrafts {
  items = $state.raw<Draft[]>([]);
  /** What the composer's live region says: the latest file read, attached or refused. */
  announcement = $state("");

  /** Documents that go with the message (being read, or ready). */
  get count(): number {
    return this.items.filter((d) => d.state === "reading" || d.state === "ready").length;
  }

  get reading(): boolean {
    return this.items.some((d) => d.state === "reading");
  }

  get ready(): ReadyDraft[] {
    return this.items.filter((d): d is ReadyDraft => d.state === "ready");
  }

  // Files are read one at a time: five PDFs at once would hold five copies in memory.
  private queue: Promise<void> = Promise.resolve();

  /** Reads `files` in turn; resolves once they are all read or refused. */
  add(files: Iterable<File>): Promise<void> {
    for (const file of files) {
      const key = nextKey++;
      const name = file.name;
      if (this.count >= MAX_ATTACHMENTS) {
        this.push({ key, name, state: "over-limit" });
        this.announcement = t("attach.overLimit", name, MAX_ATTACHMENTS);
        continue;
      }
      const refused = refusal(file);
      if (refused) {
        this.push({ key, name, state: "failed", error: refused });
        this.announcement = refusedSaying(name, refused);
        continue;
      }
      this.push({ key, name, state: "reading" });
      this.announcement = t("attach.reading", name);
      this.queue = this.queue.then(() => this.read(key, file));
    }
    return this.queue;
  }

  private async read(key: number, file: File) {
    // Removed while it waited: nothing to read.
    if (!this.has(key)) return;
    const name = file.name;
    let next: Draft;
    let said: string;
    try {
      const data = toBase64(new Uint8Array(await file.arrayBuffer()));
      next = { key, name, state: "ready", preview: await ipc.readAttachment(name, data) };
      said = t("attach.ready", name);
    } catch (e) {
      const error = ipc.toErrorPayload(e);
      next = { key, name, state: "failed", error };
      said = refusedSaying(name, error);
    }
    // A chip removed while it was read stays removed.
    if (!this.has(key)) return;
    this.items = this.items.map((d) => (d.key === key ? next : d));
    this.announcement = said;
  }

  private has(key: number): boolean {
    return this.items.some((d) => d.key === key);
  }

  private push(d: Draft) {
    this.items = [...this.items, d];
  }

  /** Removes a document, or dismisses a refusal. */
  remove(key: number) {
    this.items = this.items.filter((d) => d.key !== key);
  }

  /** The ready documents, for the message being sent; the composer is left empty. */
  take(): ReadyDraft[] {
    const ready = this.ready;
    this.items = [];
    return ready;
  }

  /** Puts back what `take` gave, before anything added since (a send that was not saved). */
  restore(drafts: readonly ReadyDraft[]) {
    const added = this.items.filter((d) => d.state === "reading" || d.state === "ready");
    const room = Math.max(0, MAX_ATTACHMENTS - added.length);
    this.items = [...drafts.slice(0, room), ...this.items];
  }
}

/** "labs.pdf could not be attached. <what the code means>" */
function refusedSaying(name: string, error: ErrorPayload): string {
  return joinSentences([t("attach.notAttached", name), errorText(error)]);
}

/** The attachments a ready draft stands for, as `consultSend` takes them. */
export function attachmentsOf(drafts: readonly ReadyDraft[]): Attachment[] {
  return drafts.map((d) => d.preview.attachment);
}
