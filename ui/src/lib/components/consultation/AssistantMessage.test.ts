import type { LivePart } from "../../bindings/LivePart";
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { assistantTurn, type AssistantTurn } from "../../chat";
import { setLang } from "../../i18n.svelte";
import AssistantMessage from "./AssistantMessage.svelte";

afterEach(() => {
  clearMocks();
  setLang("en");
});

/** Records every open_url; `fail` makes the opener reject. */
function opener(fail = false) {
  const opened: string[] = [];
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    if (cmd === "plugin:opener|open_url") {
      if (fail) throw "no browser";
      opened.push(String((args as { url: string }).url));
      return null;
    }
    return null;
  });
  return { opened, calls };
}

function answer(content: string, over: Partial<AssistantTurn> = {}): AssistantTurn {
  return { ...assistantTurn(), content, status: "done", ...over };
}

function show(turn: AssistantTurn) {
  return render(AssistantMessage, { turn, onToggleThinking: () => {} });
}

function linkIn(testid: string, text: string): HTMLAnchorElement {
  const a = [...screen.getByTestId(testid).querySelectorAll("a")].find((x) => x.textContent === text);
  if (!a) throw new Error(`no link ${text}`);
  return a;
}

describe("links in model output", () => {
  it("asks before opening an https link, and opens it only on confirm", async () => {
    const ipc = opener();
    show(answer("See [the NHS page](https://www.nhs.uk/conditions/migraine/?x=1) for more."));
    const link = linkIn("answer", "the NHS page");
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);

    const prompt = await screen.findByTestId("link-confirm");
    expect(prompt.textContent).toContain("Open this link in your browser?");
    const url = screen.getByTestId("link-url");
    expect(url.textContent).toBe("https://www.nhs.uk/conditions/migraine/?x=1");
    expect(url.querySelector("strong")?.textContent).toBe("www.nhs.uk");
    expect(ipc.opened).toEqual([]);
    expect(ipc.calls).not.toContain("plugin:opener|open_url");

    await fireEvent.click(screen.getByTestId("link-confirm-yes"));
    await waitFor(() => expect(ipc.opened).toEqual(["https://www.nhs.uk/conditions/migraine/?x=1"]));
    await waitFor(() => expect(screen.queryByTestId("link-confirm")).toBeNull());
  });

  it("focuses Cancel, which closes the question without opening anything", async () => {
    const ipc = opener();
    show(answer("[site](http://example.org/page)"));
    await fireEvent.click(linkIn("answer", "site"));
    const cancel = await screen.findByTestId("link-confirm-no");
    expect(cancel.textContent).toBe("Cancel");
    expect(screen.getByTestId("link-confirm-yes").textContent?.trim()).toBe("Open in browser");
    expect(document.activeElement).toBe(cancel);
    await fireEvent.click(cancel);
    expect(screen.queryByTestId("link-confirm")).toBeNull();
    expect(ipc.calls).not.toContain("plugin:opener|open_url");
  });

  it("never opens a javascript: link, even one that got past the sanitizer", async () => {
    const ipc = opener();
    show(answer("[click](javascript:alert(1)) and text"));
    // The sanitizer drops the href: nothing to intercept, nothing opens.
    expect(screen.getByTestId("answer").querySelector("a[href]")).toBeNull();

    const a = document.createElement("a");
    a.setAttribute("href", "javascript:alert(1)");
    a.textContent = "evil";
    screen.getByTestId("answer").appendChild(a);
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    a.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    await screen.findByTestId("link-blocked");
    expect(screen.getByTestId("link-blocked").textContent).toContain("This link cannot be opened.");
    expect(screen.queryByTestId("link-confirm")).toBeNull();
    expect(ipc.calls).not.toContain("plugin:opener|open_url");
  });

  it("shows a note, and no way to open, for mailto: and relative links", async () => {
    const ipc = opener();
    show(answer("[mail](mailto:doc@example.org) [anchor](#top)"));
    for (const name of ["mail", "anchor"]) {
      const click = new MouseEvent("click", { bubbles: true, cancelable: true });
      linkIn("answer", name).dispatchEvent(click);
      expect(click.defaultPrevented).toBe(true);
      await screen.findByTestId("link-blocked");
      expect(screen.queryByTestId("link-confirm")).toBeNull();
    }
    expect(ipc.calls).not.toContain("plugin:opener|open_url");
  });

  it("intercepts links in structured sections and in the thinking trace", async () => {
    const ipc = opener();
    show(
      answer("ignored", {
        parsed: {
          structured: true,
          sections: [{ kind: "summary", title: "Summary", body: "Read [guidance](https://www.nice.org.uk/)." }],
          follow_ups: [],
        },
        thinking: {
          phase: "expanded",
          live: false,
          text: "Check [source](https://pubmed.ncbi.nlm.nih.gov/1/)",
          firstAt: null,
          lastAt: null,
          measuredMs: null,
          reportedMs: 1000,
        },
      }),
    );
    await fireEvent.click(linkIn("answer", "guidance"));
    expect((await screen.findByTestId("link-url")).textContent).toBe("https://www.nice.org.uk/");

    const trace = [...document.querySelectorAll("a")].find((x) => x.textContent === "source")!;
    await fireEvent.click(trace);
    await waitFor(() => expect(screen.getByTestId("link-url").textContent).toBe("https://pubmed.ncbi.nlm.nih.gov/1/"));
    await fireEvent.click(screen.getByTestId("link-confirm-yes"));
    await waitFor(() => expect(ipc.opened).toEqual(["https://pubmed.ncbi.nlm.nih.gov/1/"]));
  });

  it("says so when the browser cannot be opened, in Chinese too", async () => {
    opener(true);
    setLang("zh");
    show(answer("[网站](https://example.org/)"));
    await fireEvent.click(linkIn("answer", "网站"));
    expect((await screen.findByTestId("link-confirm")).textContent).toContain("在浏览器中打开此链接？");
    await fireEvent.click(screen.getByTestId("link-confirm-yes"));
    expect((await screen.findByTestId("link-error")).textContent).toContain("无法打开链接：no browser");
    expect(screen.getByTestId("link-confirm")).toBeTruthy();
  });
});

describe("an answer to an emergency", () => {
  it("is folded behind a button, its thinking too, and shows when asked", async () => {
    let revealed = 0;
    const turn = answer("Sit down and call 911.", {
      status: "streaming",
      thinking: { phase: "streaming", live: true, text: "Chest pain.", firstAt: 1, lastAt: 2, measuredMs: null, reportedMs: null },
    });
    const view = render(AssistantMessage, { turn, onToggleThinking: () => {}, folded: true, onReveal: () => revealed++ });
    expect(screen.queryByTestId("answer")).toBeNull();
    expect(screen.queryByTestId("thinking-panel")).toBeNull();
    expect(screen.getByTestId("answer-fold").textContent).toContain("The emergency advice above comes first.");
    await fireEvent.click(screen.getByTestId("answer-reveal"));
    expect(revealed).toBe(1);
    await view.rerender({ turn, onToggleThinking: () => {}, folded: false });
    expect(screen.getByTestId("answer").textContent).toContain("Sit down and call 911.");
    expect(screen.getByTestId("thinking-panel")).toBeTruthy();
    expect(screen.queryByTestId("answer-fold")).toBeNull();
  });
});

describe("red flags while the answer streams", () => {
  // The backend's cut (crates/consult/src/live.rs tests its rules): ranges of the text, and cards.
  const text = "Intro.\n\n## Red flags\n- Crushing chest pain: call 911\n\n## Summary\nLikely angina.";
  const cut: LivePart[] = [
    { kind: "markdown", start: 0, end: 7 },
    { kind: "red_flags", title: "Red flags", body: "- Crushing chest pain: call 911" },
    { kind: "markdown", start: text.indexOf("## Summary"), end: null },
  ];

  it("shows the backend's red-flag card, with the text around it as Markdown", () => {
    show(answer(text, { status: "streaming", liveParts: cut }));
    const card = screen.getByTestId("answer-live-red_flags");
    expect(card.classList.contains("red_flags")).toBe(true);
    expect(card.querySelector("h3")?.textContent?.trim()).toBe("Red flags");
    expect(card.querySelector("li")?.textContent).toBe("Crushing chest pain: call 911");
    const answerEl = screen.getByTestId("answer");
    expect([...answerEl.querySelectorAll(".md > p")].map((p) => p.textContent)).toEqual(["Intro.", "Likely angina."]);
    expect(answerEl.querySelector("h2")?.textContent).toBe("Summary");
  });

  it("the last range runs to the end of the text as it grows", () => {
    show(answer(`${text} Rest and fluids.`, { status: "streaming", liveParts: cut }));
    expect(screen.getByTestId("answer").textContent).toContain("Likely angina. Rest and fluids.");
  });

  it("is plain Markdown without a cut", () => {
    show(answer("## Red flags\nNone.\n\n## Summary\nA cold.", { status: "streaming", liveParts: null }));
    expect(screen.queryByTestId("answer-live-red_flags")).toBeNull();
    expect(screen.getByTestId("answer").classList.contains("md")).toBe(true);
  });

  it("gives way to the parsed sections once they arrive", () => {
    show(
      answer("## Red flags\n- Worst-ever headache", {
        liveParts: [{ kind: "red_flags", title: "Red flags", body: "- Worst-ever headache" }],
        parsed: { structured: true, sections: [{ kind: "red_flags", title: "Red flags", body: "- Worst-ever headache" }], follow_ups: [] },
      }),
    );
    expect(screen.getByTestId("answer-section-red_flags")).toBeTruthy();
    expect(screen.queryByTestId("answer-live-red_flags")).toBeNull();
  });
});

describe("progress while the answer streams", () => {
  it("shows what it is doing and the elapsed time, and goes when the answer is done", async () => {
    const started = performance.now() - 75_000;
    const turn: AssistantTurn = { ...assistantTurn(started), status: "streaming" };
    const view = show(turn);
    const line = screen.getByTestId("progress");
    expect(line.dataset.phase).toBe("reading");
    expect(line.textContent).toMatch(/^Reading the question · 1:1\d$/);
    expect(line.getAttribute("aria-live")).toBeNull();
    await view.rerender({ turn: { ...turn, content: "Hello", status: "done" } });
    expect(screen.queryByTestId("progress")).toBeNull();
  });
});

describe("which model wrote the answer", () => {
  const stats = {
    ttft_ms: 120, prefill_tok_s: 500, decode_tok_s: 42.1, prompt_tokens: 20, tokens: 128, reasoning_ms: null,
    device: "cpu", draft_acceptance: null, draft: null,
    model: "Baichuan-M2-32B.gguf", quantization: "Q4_K_M", prompt_version: "2026-11-26.1",
  };

  it("is stamped under every answer; speeds only with technical details", () => {
    show(answer("Drink water.", { stats }));
    expect(screen.getByTestId("answer-stamp").textContent).toBe("Written by Baichuan-M2-32B.gguf (Q4_K_M) · instructions 2026-11-26.1");
    expect(screen.queryByTestId("stats")).toBeNull();
  });

  it("does not repeat a quantization the name already says, and speaks Chinese", () => {
    setLang("zh");
    show(answer("多喝水。", { stats: { ...stats, model: "baichuan-m2-32b-q4_k_m-gguf" } }));
    expect(screen.getByTestId("answer-stamp").textContent).toBe("由 baichuan-m2-32b-q4_k_m-gguf 生成 · 问诊指令版本 2026-11-26.1");
  });

  it("answers saved before stamps show none", () => {
    show(answer("Old answer.", { stats: { ...stats, model: "", quantization: null, prompt_version: "" } }));
    expect(screen.queryByTestId("answer-stamp")).toBeNull();
  });
});
