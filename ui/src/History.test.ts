// The encrypted history's lock screen, and what the app does around it.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { setLang } from "./lib/i18n.svelte";
import { backend } from "./test/app";
import { view } from "./test/consult";

afterEach(() => {
  clearMocks();
  setLang("en");
});

const PASS = "correct horse battery";

describe("locked history", () => {
  it("a forgotten passphrase: a new history starts, the old one is kept aside and the window says where", async () => {
    const b = backend({ modelPath: "/models/med.gguf", history: { state: "locked" }, passphrase: PASS, views: [view(1, { title: "Old knee pain" })] });
    render(App);
    await screen.findByTestId("history-lock");
    const forgot = screen.getByTestId("history-forgot");
    expect(forgot.textContent).toContain("nobody can recover it");
    await fireEvent.click(screen.getByTestId("history-new"));
    // Asked once more, then done.
    expect(b.calls).not.toContain("start_new_history");
    await fireEvent.click(screen.getByTestId("history-new-confirm"));
    await waitFor(() => expect(b.calls).toContain("start_new_history"));
    const note = await screen.findByTestId("history-note");
    expect(note.textContent).toContain("kept, still encrypted, as /data/anamnesis-set-aside-20261203T0500.db");
    expect(screen.queryByTestId("history-lock")).toBeNull();
    await screen.findByTestId("message-input");
  });

  it("continues without saving: the app works, a banner says nothing is kept, and unlocking goes back to the lock", async () => {
    const b = backend({ modelPath: "/models/med.gguf", history: { state: "locked" }, passphrase: PASS });
    render(App);
    await screen.findByTestId("history-lock");
    await fireEvent.click(screen.getByTestId("history-unsaved"));
    const banner = await screen.findByTestId("unsaved-banner");
    expect(banner.textContent).toContain("forgotten when you close Anamnesis");
    await screen.findByTestId("message-input");
    await waitFor(() => expect(b.calls).toContain("list_consultations"));
    // Leaving asks first; keeping on working changes nothing.
    await fireEvent.click(screen.getByTestId("unsaved-unlock"));
    await fireEvent.click(screen.getByTestId("unsaved-confirm-no"));
    expect(b.calls).not.toContain("leave_unsaved");
    await fireEvent.click(screen.getByTestId("unsaved-unlock"));
    await fireEvent.click(screen.getByTestId("unsaved-confirm-yes"));
    await screen.findByTestId("history-lock");
    expect(b.calls).toContain("leave_unsaved");
    expect(screen.queryByTestId("unsaved-banner")).toBeNull();
  });

  it("shows only the lock screen (and the disclaimer) until the passphrase opens it", async () => {
    const b = backend({ modelPath: "/models/med.gguf", history: { state: "locked" }, passphrase: PASS, views: [view(1, { title: "Old knee pain" })] });
    render(App);
    const lock = await screen.findByTestId("history-lock");
    expect(lock.textContent).toContain("Your consultation history is protected by a passphrase");
    expect(screen.getByTestId("disclaimer").textContent).toContain("Anamnesis is not a doctor.");
    // Nothing else of the app is there to use.
    for (const id of ["open-settings", "message-input", "new-consultation", "consultation-list"]) expect(screen.queryByTestId(id)).toBeNull();
    // history_status came first; nothing read the history, nothing loaded.
    expect(b.calls[0] === "history_status" || b.calls[1] === "history_status").toBe(true);
    expect(b.calls).not.toContain("list_consultations");
    expect(b.calls).not.toContain("load_model");
    const unlock = screen.getByTestId<HTMLButtonElement>("history-unlock");
    expect(unlock.disabled).toBe(true);

    // A wrong passphrase: the message, and the field keeps what was typed.
    const field = screen.getByTestId<HTMLInputElement>("history-passphrase");
    expect(field.type).toBe("password");
    await fireEvent.input(field, { target: { value: "wrong horse" } });
    await fireEvent.click(unlock);
    expect((await screen.findByTestId("history-wrong-key")).textContent).toBe("That passphrase does not open the history");
    expect(field.value).toBe("wrong horse");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("history-lock")).toBeTruthy();

    // Typing again clears the message; the right one opens the app.
    await fireEvent.input(field, { target: { value: PASS } });
    expect(screen.queryByTestId("history-wrong-key")).toBeNull();
    await fireEvent.click(unlock);
    await waitFor(() => expect(screen.queryByTestId("history-lock")).toBeNull());
    expect(b.secure.calls.filter(([c]) => c === "unlock_history").map(([, a]) => a)).toEqual([{ passphrase: "wrong horse" }, { passphrase: PASS }]);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    expect(screen.getAllByText("Old knee pain").length).toBeGreaterThan(0);
    expect(b.calls.indexOf("list_consultations")).toBeGreaterThan(b.calls.lastIndexOf("unlock_history"));
  });

  it("Enter in the field unlocks too", async () => {
    backend({ modelPath: "/models/med.gguf", history: { state: "locked" }, passphrase: PASS });
    render(App);
    const field = await screen.findByTestId("history-passphrase");
    await fireEvent.input(field, { target: { value: PASS } });
    await fireEvent.submit(field.closest("form")!);
    await waitFor(() => expect(screen.queryByTestId("history-lock")).toBeNull());
  });

  it("speaks Chinese when the settings say so", async () => {
    backend({ modelPath: "/models/med.gguf", history: { state: "locked" }, passphrase: PASS, settings: { language: "zh" } });
    render(App);
    await waitFor(() => expect(screen.getByTestId("history-lock").textContent).toContain("您的问诊记录已用密码保护"));
    expect(screen.getByTestId("history-unlock").textContent?.trim()).toBe("解锁");
  });

  it("a command that finds the history locked brings the lock screen back, and unlocking returns to the consultation", async () => {
    const b = backend({ modelPath: "/models/med.gguf", passphrase: PASS, views: [view(1, { title: "Fever" })] });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    await fireEvent.click(screen.getByTestId("open-settings"));
    await screen.findByTestId("settings");

    // The backend locked the history (passphrase mode, say, after a restart of its store).
    b.secure.history = { state: "locked" };
    await fireEvent.input(screen.getByTestId("history-search"), { target: { value: "fever" } });
    await screen.findByTestId("history-lock");
    expect(screen.queryByTestId("settings")).toBeNull();
    expect(screen.queryByTestId("error")).toBeNull();

    await fireEvent.input(screen.getByTestId("history-passphrase"), { target: { value: PASS } });
    await fireEvent.click(screen.getByTestId("history-unlock"));
    await waitFor(() => expect(screen.queryByTestId("history-lock")).toBeNull());
    await waitFor(() => expect(screen.getAllByText("Fever").length).toBeGreaterThan(0));
    expect(b.consult.calls.filter(([c]) => c === "open_consultation").length).toBeGreaterThanOrEqual(2);
    expect(screen.queryByTestId("error")).toBeNull();
  });
});

describe("no lasting keychain", () => {
  const REASON = "the Linux kernel keyring forgets keys at reboot";

  it("explains why, and protects the history only with two matching passphrases of 8+ characters", async () => {
    const b = backend({ modelPath: "/models/med.gguf", history: { state: "no_keychain", reason: REASON } });
    render(App);
    const setup = await screen.findByTestId("history-setup");
    expect(setup.textContent).toContain(REASON);
    expect(setup.textContent).toContain("cannot be recovered");
    expect(screen.getByTestId("disclaimer")).toBeTruthy();
    expect(screen.queryByTestId("open-settings")).toBeNull();
    expect(b.calls).not.toContain("list_consultations");

    const protect = screen.getByTestId<HTMLButtonElement>("history-protect");
    const first = screen.getByTestId<HTMLInputElement>("passphrase-new");
    const second = screen.getByTestId<HTMLInputElement>("passphrase-confirm");
    expect(first.type).toBe("password");
    expect(protect.disabled).toBe(true);

    // Too short, even when typed twice.
    await fireEvent.input(first, { target: { value: "short7!" } });
    await fireEvent.input(second, { target: { value: "short7!" } });
    expect(screen.getByTestId("passphrase-rule").textContent).toBe("Too short: at least 8 characters.");
    expect(protect.disabled).toBe(true);

    // Long enough, but not the same twice.
    await fireEvent.input(first, { target: { value: "long enough" } });
    await fireEvent.input(second, { target: { value: "long enougj" } });
    expect(screen.getByTestId("passphrase-mismatch").textContent).toBe("The two passphrases do not match.");
    expect(protect.disabled).toBe(true);
    await fireEvent.submit(protect.closest("form")!);
    expect(b.calls).not.toContain("unlock_history");

    // Show reveals both fields.
    await fireEvent.click(screen.getByTestId("passphrase-show"));
    expect(first.type).toBe("text");
    expect(second.type).toBe("text");

    await fireEvent.input(second, { target: { value: "long enough" } });
    expect(screen.queryByTestId("passphrase-mismatch")).toBeNull();
    expect(protect.disabled).toBe(false);
    expect(protect.textContent?.trim()).toBe("Protect my history with this passphrase");
    await fireEvent.click(protect);
    await waitFor(() => expect(screen.queryByTestId("history-setup")).toBeNull());
    expect(b.secure.calls.find(([c]) => c === "unlock_history")?.[1]).toEqual({ passphrase: "long enough" });
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    expect(b.hub.settings.history_key).toBe("passphrase");
  });
});

describe("remote engine in the header", () => {
  it("says the answers come from the remote server, never 'running on CPU'", async () => {
    backend({
      modelPath: null,
      settings: { remote: { enabled: true, base_url: "https://gpu.clinic.example/v1", model: "baichuan-m2" } },
    });
    render(App);
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("baichuan-m2"));
    const badge = screen.getByTestId("model-badge");
    expect(screen.getByTestId("remote-hint").textContent).toBe("answers from the remote server");
    expect(badge.textContent).toContain("remote:gpu.clinic.example");
    expect(screen.queryByTestId("cpu-warning")).toBeNull();
    expect(screen.queryByTestId("layer-split-warning")).toBeNull();
    expect(screen.queryByTestId("insecure-remote-warning")).toBeNull();
    expect(document.body.textContent).not.toContain("Running on CPU");
    // No first-run set-up screen: the remote server is the model.
    expect(screen.queryByTestId("onboarding")).toBeNull();
    expect((await screen.findByTestId("model-notice")).dataset.tone).toBe("info");
  });

  it("warns loudly about plain http", async () => {
    backend({
      modelPath: "/models/med.gguf",
      settings: { remote: { enabled: true, base_url: "http://10.0.0.5:8000/v1", model: "" } },
    });
    render(App);
    const warn = await screen.findByTestId("insecure-remote-warning");
    expect(warn.textContent).toContain("Unencrypted connection (http)");
    expect(warn.getAttribute("title")).toContain("unencrypted");
    const notice = screen.getByTestId("model-notice");
    expect(notice.dataset.tone).toBe("warning");
    expect(notice.textContent).toContain("10.0.0.5 is reached over plain http");
    expect(screen.queryByTestId("cpu-warning")).toBeNull();
  });
});

describe("a locked keychain", () => {
  const DETAIL = "The keychain refused access to the consultation database key (SS error: prompt dismissed)";
  const locked = (history_exists: boolean) => ({ state: "keychain_locked" as const, detail: DETAIL, history_exists });

  it("says in plain words what happened, and Try again opens the history once it is unlocked", async () => {
    const b = backend({ modelPath: "/models/med.gguf", history: locked(true) });
    render(App);
    const screenEl = await screen.findByTestId("history-keychain-locked");
    expect(screenEl.textContent).toContain("Your system keychain is locked");
    expect(screenEl.textContent).toContain("Try again");
    // No error banner with a raw code; the raw detail only behind "Details".
    expect(screen.queryByTestId("error")).toBeNull();
    expect(screenEl.textContent).not.toContain("KEYCHAIN");
    expect(screen.getByTestId("history-keychain-detail").closest("details")?.open).toBe(false);
    // A history exists: its key is in the keychain, so no passphrase can replace it.
    expect(screen.getByTestId("history-keychain-existing").textContent).toContain("Nothing has been lost");
    expect(screen.queryByTestId("history-use-passphrase")).toBeNull();
    expect(b.calls).not.toContain("list_consultations");

    // Still locked: said so, and the screen stays.
    await fireEvent.click(screen.getByTestId("history-retry"));
    expect((await screen.findByTestId("history-still-locked")).textContent).toContain("still locked");
    // Unlocked: the app opens.
    b.secure.history = { state: "open", mode: "keychain" };
    await fireEvent.click(screen.getByTestId("history-retry"));
    await waitFor(() => expect(screen.queryByTestId("history-keychain-locked")).toBeNull());
    await waitFor(() => expect(screen.getByTestId("model-badge").textContent).toContain("MedModel"));
    expect(b.calls.filter((c) => c === "history_status").length).toBe(3);
  });

  it("on a first run offers a passphrase instead, and can go back", async () => {
    const b = backend({ modelPath: "/models/med.gguf", history: locked(false) });
    render(App);
    await fireEvent.click(await screen.findByTestId("history-use-passphrase"));
    const setup = await screen.findByTestId("history-setup");
    expect(screen.getByTestId("history-setup-reason").textContent).toContain("keychain is locked");
    await fireEvent.click(screen.getByText("Back"));
    await fireEvent.click(await screen.findByTestId("history-use-passphrase"));
    expect(setup).toBeTruthy();
    await fireEvent.input(screen.getByTestId("passphrase-new"), { target: { value: "long enough" } });
    await fireEvent.input(screen.getByTestId("passphrase-confirm"), { target: { value: "long enough" } });
    await fireEvent.click(screen.getByTestId("history-protect"));
    await waitFor(() => expect(screen.queryByTestId("history-setup")).toBeNull());
    expect(b.secure.calls.find(([c]) => c === "unlock_history")?.[1]).toEqual({ passphrase: "long enough" });
    expect(b.hub.settings.history_key).toBe("passphrase");
  });

  it("speaks Chinese too", async () => {
    backend({ modelPath: "/models/med.gguf", history: locked(false), settings: { language: "zh" } });
    render(App);
    const el = await screen.findByTestId("history-keychain-locked");
    await waitFor(() => expect(el.textContent).toContain("您的系统钥匙串已锁定"));
    expect(screen.getByTestId("history-use-passphrase").textContent).toContain("改用密码");
  });
});
