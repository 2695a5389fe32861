import { afterEach, describe, expect, it, vi } from "vitest";
import { Channel } from "@tauri-apps/api/core";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ConsultEvent } from "./bindings/ConsultEvent";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import * as ipc from "./ipc";
import { COMMAND_NAMES, commands } from "./bindings/commands";

afterEach(() => clearMocks());

// Deliver a message to a Channel the way the Tauri runtime does.
function emit<T>(channel: Channel<T>, index: number, message: T) {
  (window as any).__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
}

describe("ipc", () => {
  it("consult_send passes id, text, the attachments and a Channel (no thinking mode: the consultation has one), and streams ConsultEvents in order", async () => {
    let received: Record<string, unknown> | undefined;
    mockIPC((cmd, args) => {
      if (cmd !== "consult_send") throw new Error(`unexpected ${cmd}`);
      received = args as Record<string, unknown>;
      const ch = received.onEvent as Channel<ConsultEvent>;
      emit(ch, 0, { type: "triage", triage: { level: "routine", rules: [], advice: "", emergency_number: null, crisis_line: null } });
      emit(ch, 2, { type: "chat", event: { type: "content", text: "Hi" } }); // out of order on purpose
      emit(ch, 1, { type: "saved", user_message_id: 3, assistant_message_id: 4 });
      return null;
    });
    const events: ConsultEvent[] = [];
    const labs = { name: "labs.txt", kind: "text" as const, text: "Hb 13.1", bytes: 7, pages: null };
    await ipc.consultSend(9, "hello", [labs], (e) => events.push(e));
    expect(Object.keys(received ?? {}).sort()).toEqual(["attachments", "id", "onEvent", "text"]);
    expect(received?.id).toBe(9);
    expect(received?.text).toBe("hello");
    expect(received?.attachments).toEqual([labs]);
    expect(received?.onEvent).toBeInstanceOf(Channel);
    expect(events.map((e) => e.type)).toEqual(["triage", "saved", "chat"]);
  });

  it("a rejected invoke surfaces the {code, message} payload", async () => {
    mockIPC((cmd) => {
      if (cmd === "set_model_path") throw { code: "MODEL_NOT_FOUND", message: "No such file: /x" };
    });
    await expect(ipc.setModelPath("/x")).rejects.toEqual({ code: "MODEL_NOT_FOUND", message: "No such file: /x" });
  });

  it("a rejected consult_send surfaces {code, message}", async () => {
    mockIPC(() => {
      throw { code: "NOT_LOADED", message: "No model loaded" };
    });
    await expect(ipc.consultSend(1, "q", [], () => {})).rejects.toEqual({ code: "NOT_LOADED", message: "No model loaded" });
  });

  it("read_attachment passes the name and the base64 bytes; a refusal surfaces its code", async () => {
    const preview = { attachment: { name: "a.txt", kind: "text", text: "hi", bytes: 2, pages: null }, tokens: 1, limit: 4096 };
    mockIPC((cmd, args) => {
      if (cmd !== "read_attachment") throw new Error(`unexpected ${cmd}`);
      const { name, data } = args as { name: string; data: string };
      if (name === "scan.pdf") throw { code: "ATTACHMENT_EMPTY", message: "no text layer" };
      expect(data).toBe("aGk=");
      return preview;
    });
    await expect(ipc.readAttachment("a.txt", "aGk=")).resolves.toEqual(preview);
    await expect(ipc.readAttachment("scan.pdf", "")).rejects.toEqual({ code: "ATTACHMENT_EMPTY", message: "no text layer" });
  });

  it("string rejections are normalised to an ErrorPayload", async () => {
    mockIPC(() => {
      throw "something broke";
    });
    await expect(ipc.loadModel()).rejects.toEqual({ code: "BACKEND_ERROR", message: "something broke" });
  });

  it("start_download streams DownloadEvents over a Channel; PAUSED rejects as a payload", async () => {
    let received: Record<string, unknown> | undefined;
    mockIPC((cmd, args) => {
      if (cmd !== "start_download") throw new Error(`unexpected ${cmd}`);
      received = args as Record<string, unknown>;
      const ch = received.onEvent as Channel<DownloadEvent>;
      emit(ch, 0, { type: "verifying", file: "a" });
      emit(ch, 1, { type: "file_done", file: "a", skipped: false });
      throw { code: "PAUSED", message: "Download paused" };
    });
    const events: DownloadEvent[] = [];
    await expect(ipc.startDownload("qwen3-0.6b", (e) => events.push(e))).rejects.toEqual({ code: "PAUSED", message: "Download paused" });
    expect(received?.variant).toBe("qwen3-0.6b");
    expect(received?.onEvent).toBeInstanceOf(Channel);
    expect(events.map((e) => e.type)).toEqual(["verifying", "file_done"]);
  });

  it("a download's result that overtakes its last events waits for `done`, and a settled download's stray events go nowhere", async () => {
    let channel: Channel<DownloadEvent> | undefined;
    mockIPC((cmd, args) => {
      if (cmd !== "start_download") throw new Error(`unexpected ${cmd}`);
      const ch = (args as Record<string, unknown>).onEvent as Channel<DownloadEvent>;
      channel = ch;
      emit(ch, 0, { type: "verifying", file: "a" });
      // The result first, as Tauri can deliver it under load; the file's end and `done` after it.
      setTimeout(() => {
        emit(ch, 1, { type: "file_done", file: "a", skipped: false });
        emit(ch, 2, { type: "done", dir: "/m/q", bytes: 1, secs: 1 });
      }, 30);
      return { variant: "q", dir: "/m/q", source: "https://huggingface.co", files: 1, fetched: 1, total: 1, secs: 1 };
    });
    const events: DownloadEvent[] = [];
    const report = await ipc.startDownload("q", (e) => events.push(e));
    expect(report.variant).toBe("q");
    expect(events.map((e) => e.type)).toEqual(["verifying", "file_done", "done"]);
    // The next step's progress must not get this one's leftovers.
    emit(channel!, 3, { type: "total", bytes: 1, total: 1, speed: 0, eta_secs: 0 });
    expect(events).toHaveLength(3);
  });

  it("HISTORY_LOCKED from any command calls the lock handler, and still rejects", async () => {
    const locked = vi.fn();
    ipc.setHistoryLockedHandler(locked);
    try {
      mockIPC((cmd) => {
        if (cmd === "list_consultations") throw { code: "HISTORY_LOCKED", message: "locked" };
        throw { code: "NOT_FOUND", message: "no" };
      });
      await expect(ipc.openConsultation(1)).rejects.toEqual({ code: "NOT_FOUND", message: "no" });
      expect(locked).not.toHaveBeenCalled();
      await expect(ipc.listConsultations()).rejects.toEqual({ code: "HISTORY_LOCKED", message: "locked" });
      expect(locked).toHaveBeenCalledOnce();
    } finally {
      ipc.setHistoryLockedHandler(null);
    }
  });

  it("every generated wrapper invokes its own command, with the Rust argument names in camelCase", async () => {
    const seen: [string, string[]][] = [];
    const wrappers = commands((command, args) => {
      seen.push([command, Object.keys(args ?? {})]);
      return Promise.resolve(undefined as never);
    });
    for (const [name, wrapper] of Object.entries(wrappers)) {
      // Each wrapper takes exactly its arguments; placeholders are enough to see the names.
      await (wrapper as (...a: unknown[]) => Promise<unknown>)(...Array.from({ length: wrapper.length }, () => null));
      const [command, keys] = seen[seen.length - 1];
      expect(command.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())).toBe(name);
      expect(keys.every((k) => /^[a-z][A-Za-z]*$/.test(k))).toBe(true);
    }
    expect(seen.map(([c]) => c).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it("reports INTERNAL with a plain reason outside the desktop shell", () => {
    clearMocks();
    delete (window as any).__TAURI_INTERNALS__;
    expect(ipc.toErrorPayload(new TypeError("x is undefined")).code).toBe("INTERNAL");
  });
});
