import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ModelsOverview } from "../../bindings/ModelsOverview";
import Onboarding from "./Onboarding.svelte";
import { setLang } from "../../i18n.svelte";
import {
  cpuOnlyOverview,
  gguf,
  gptq,
  laptopOverview,
  laptopPlan,
  plannedEvent,
  plannedFile,
  qwenDraft,
  rtx4090Overview,
} from "../../../test/fixtures";
import { commands, hubMock, type HubMock } from "../../../test/hub";
import { serveMocks } from "../../../test/settings";

afterEach(() => clearMocks());

function setup(overview: ModelsOverview = rtx4090Overview, planFor?: typeof laptopPlan) {
  const hub = hubMock({ overview, planFor });
  serveMocks(hub);
  const onReady = vi.fn();
  const onManual = vi.fn();
  const onRemote = vi.fn();
  render(Onboarding, { onReady, onManual, onRemote });
  return { hub, onReady, onManual, onRemote };
}

// 19_500_001_200 bytes in all; only config.json (1_200) is on disk.
const planned = (variant: string) =>
  plannedEvent(variant, [
    plannedFile("config.json", 1_200, 1_200),
    plannedFile("model-00001-of-00002.safetensors", 10_000_000_000),
    plannedFile("model-00002-of-00002.safetensors", 9_500_000_000),
  ]);

async function startDownload(hub: HubMock) {
  await fireEvent.click(await screen.findByTestId("download-start"));
  await waitFor(() => expect(hub.downloads).toHaveLength(1));
  return hub.latest();
}

function file(path: string) {
  return screen.getAllByTestId("download-file").find((li) => li.dataset.path === path)!;
}

describe("Onboarding: recommendation", () => {
  it("shows the hardware, the plan's reason, the memory legend and the alternatives", async () => {
    setup();
    const hw = await screen.findByTestId("hardware");
    expect(within(hw).getByTestId("hw-cpu").textContent).toContain("AMD Ryzen 9 7950X");
    expect(within(hw).getByTestId("hw-cpu").textContent).toContain("32 threads");
    expect(within(hw).getByTestId("hw-ram").textContent).toContain("64.0 GB");
    const gpu = within(hw).getByTestId("hw-gpu");
    expect(gpu.textContent).toContain("NVIDIA GeForce RTX 4090");
    expect(gpu.textContent).toContain("24.0 GB VRAM, 23.1 GB free");
    expect(gpu.textContent).toContain("compute capability 8.9");
    expect(gpu.textContent).toContain("driver 550.54.14 (CUDA 12.4)");

    // The backend's sentence, verbatim.
    expect(screen.getByTestId("plan-reason").textContent).toBe(rtx4090Overview.plan.reason);
    expect(screen.getByTestId("plan-mode").textContent).toBe("GPU");
    expect(screen.getByTestId("plan-context").textContent).toBe("12k context");
    expect(screen.getByTestId("plan-draft").textContent).toContain("Draft model: yes");

    const legend = screen.getByTestId("memory-legend");
    expect(within(legend).getByTestId("memory-weights").textContent).toContain("18.2 GB");
    expect(within(legend).getByTestId("memory-kv_cache").textContent).toContain("3.0 GB");
    expect(within(legend).getByTestId("memory-draft").textContent).toContain("1.1 GB");
    expect(within(legend).getByTestId("memory-overhead").textContent).toContain("0.3 GB");
    expect(within(legend).getByTestId("memory-headroom").textContent).toContain("0.1 GB");
    expect(screen.getByTestId("memory-breakdown").textContent).toContain("of 22.6 GB usable memory");

    const alts = screen.getAllByTestId("alternative");
    expect(alts).toHaveLength(1);
    expect(alts[0].textContent).toContain(gguf.label);
    expect(alts[0].textContent).toContain("✓");
    expect(alts[0].textContent).toContain("fits on the GPU with an 11k context");

    // The recommendation with its draft: about 19.5 + 1.5 GB.
    expect(screen.getByTestId<HTMLInputElement>(`choice-${gptq.id}`).checked).toBe(true);
    expect(screen.getByTestId("download-size").textContent).toContain("about 21.0 GB");
    expect(screen.getByTestId("free-space").textContent).toContain("812 GB free");
    expect(screen.getByTestId("free-space").classList.contains("warn")).toBe(false);
  });

  it("shows hybrid placement in layers", async () => {
    setup({
      ...rtx4090Overview,
      plan: { ...rtx4090Overview.plan, mode: "hybrid", gpu_layers: 40, variant: gguf.id, label: gguf.label },
    });
    expect((await screen.findByTestId("plan-mode")).textContent).toBe("Hybrid: 40 of 64 layers on the GPU, the rest in RAM");
  });

  it("says clearly when this computer cannot run the model, and still lists the alternatives", async () => {
    setup(cpuOnlyOverview);
    const verdict = await screen.findByTestId("plan-unsupported");
    expect(verdict.textContent).toContain("This computer cannot run the Baichuan-M2-32B model.");
    expect(screen.getByTestId("plan-reason").textContent).toBe(cpuOnlyOverview.plan.reason);
    expect(screen.getByTestId("hw-no-gpu").textContent).toContain("No supported GPU found");
    expect(screen.getByTestId("hw-notes").textContent).toContain("NVIDIA driver not found");
    const alts = screen.getAllByTestId("alternative");
    expect(alts.map((a) => a.dataset.fits)).toEqual(["false", "false"]);
    expect(alts[0].textContent).toContain("✗");
    expect(alts[0].textContent).toContain("needs an NVIDIA GPU (CUDA); none found");
    expect(screen.getByTestId<HTMLInputElement>(`choice-${gguf.id}`).disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>("download-start").disabled).toBe(true);
    expect(screen.queryByTestId("memory-breakdown")).toBeNull();
  });

  it("a fitting alternative can be chosen instead (without the recommendation's draft)", async () => {
    const { hub } = setup();
    await fireEvent.click(await screen.findByTestId(`choice-${gguf.id}`));
    expect(screen.getByTestId("download-size").textContent).toContain("about 19.9 GB");
    const d = await startDownload(hub);
    expect(d.variant).toBe(gguf.id);
  });

  it("warns when free space is under 1.05× the download", async () => {
    setup({ ...rtx4090Overview, free_bytes: 21_500_000_000 });
    const space = await screen.findByTestId("free-space");
    expect(space.classList.contains("warn")).toBe(true);
    expect(space.textContent).toContain("Only 21.5 GB free");
    expect(space.querySelector("code")?.textContent).toBe(rtx4090Overview.models_dir);
    expect(space.textContent?.trim()).toMatch(/^Only 21\.5 GB free in \S+: the download may not fit\./);
  });

  it("says the free space in Chinese word order, the folder first", async () => {
    setLang("zh");
    try {
      setup({ ...rtx4090Overview, free_bytes: 21_500_000_000 });
      const space = await screen.findByTestId("free-space");
      expect(space.textContent?.trim()).toBe(`${rtx4090Overview.models_dir} 中仅剩 21.5 GB 可用空间，可能放不下这次下载。请释放空间，或在设置中选择其他模型文件夹。`);
    } finally {
      setLang("en");
    }
  });

  it("a download left by an earlier run is offered as a resume", async () => {
    const partial = { id: gptq.id, dir: `/models/${gptq.id}`, bytes: 7_000_000_000, partial_bytes: 6_500_000_000, verified_files: 3 };
    setup({ ...rtx4090Overview, installed: [partial] });
    const button = await screen.findByTestId("download-start");
    expect(button.textContent).toContain("Resume download (6.5 GB already here)");
  });

  it("'I already have the model files' goes to the manual chooser", async () => {
    const { onManual } = setup();
    await fireEvent.click(await screen.findByTestId("onboarding-manual"));
    expect(onManual).toHaveBeenCalledOnce();
  });

  it("a failed overview shows the error with Try again", async () => {
    let fail = true;
    const hub = hubMock();
    mockIPC((cmd, args) => {
      if (cmd === "get_overview" && fail) throw { code: "IO_ERROR", message: "cannot read memory" };
      return hub.handle(cmd, args);
    });
    render(Onboarding, { onReady: vi.fn(), onManual: vi.fn() });
    const err = await screen.findByTestId("overview-error");
    expect(err.textContent).toContain("IO_ERROR");
    fail = false;
    await fireEvent.click(within(err).getByRole("button", { name: "Try again" }));
    await screen.findByTestId("hardware");
  });
});

describe("Onboarding: a computer a little short of memory", () => {
  const fallbackCalls = (hub: HubMock) => hub.calls.filter(([c]) => c === "set_memory_fallback").map(([, a]) => a.fallback);

  it("offers a shorter context, check again, a remote model and try anyway, each explained", async () => {
    setup(laptopOverview, laptopPlan);
    const ways = await screen.findByTestId("cannot-run-choices");
    expect(within(ways).getByRole("heading").textContent).toBe("What you can do");
    const buttons = within(ways).getAllByRole("button").map((b) => b.textContent?.trim());
    expect(buttons).toEqual(["Use a shorter context", "Check again", "Use a model on another computer", "Try anyway"]);
    expect(ways.textContent).toContain("may close programs, this one included");
    expect(screen.getByTestId<HTMLButtonElement>("download-start").disabled).toBe(true);
  });

  it("a shorter context plans a 2k context on the CPU; download is possible; Undo goes back", async () => {
    const { hub } = setup(laptopOverview, laptopPlan);
    await fireEvent.click(await screen.findByTestId("fallback-short"));
    await screen.findByTestId("fallback-chosen");
    expect(fallbackCalls(hub)).toEqual([{ short_context: true, anyway: false }]);
    expect(screen.getByTestId("fallback-chosen").textContent).toContain("Planned with a shorter context");
    expect(screen.getByTestId("plan-context").textContent).toBe("2k context");
    expect(screen.getByTestId("plan-mode").textContent).toBe("CPU only");
    expect(screen.getByTestId<HTMLInputElement>(`choice-${gguf.id}`).checked).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>("download-start").disabled).toBe(false);

    await fireEvent.click(screen.getByTestId("fallback-undo"));
    await screen.findByTestId("plan-unsupported");
    expect(fallbackCalls(hub).at(-1)).toEqual({ short_context: false, anyway: false });
  });

  it("try anyway says the risk on the plan and downloads the closest version", async () => {
    const { hub } = setup(laptopOverview, laptopPlan);
    await fireEvent.click(await screen.findByTestId("fallback-anyway"));
    const chosen = await screen.findByTestId("fallback-chosen");
    expect(chosen.textContent).toContain("Trying anyway");
    expect(chosen.classList.contains("forced")).toBe(true);
    expect(screen.getByTestId("plan-reason").textContent).toContain("may close programs");
    const d = await startDownload(hub);
    expect(d.variant).toBe(gguf.id);
  });

  it("check again measures the machine anew and says so; the remote choice opens its settings", async () => {
    const { hub, onRemote } = setup(laptopOverview, laptopPlan);
    await fireEvent.click(await screen.findByTestId("check-again"));
    expect((await screen.findByTestId("onboarding-notice")).textContent).toBe("Checked again just now.");
    expect(hub.calls.filter(([c]) => c === "get_overview")).toHaveLength(2);
    await fireEvent.click(screen.getByTestId("use-remote"));
    expect(onRemote).toHaveBeenCalledOnce();
  });

  it("where neither fallback would help, only check again and the remote model are offered", async () => {
    setup(cpuOnlyOverview);
    const ways = await screen.findByTestId("cannot-run-choices");
    expect(within(ways).getAllByRole("button").map((b) => b.dataset.testid)).toEqual(["check-again", "use-remote"]);
  });
});

describe("Onboarding: download", () => {
  it("streams per-file and total progress, speed and ETA", async () => {
    const { hub } = setup();
    const d = await startDownload(hub);
    expect(d.variant).toBe(gptq.id);
    expect(commands(hub)).toContain("start_download");

    d.emit(planned(gptq.id));
    await waitFor(() => expect(screen.getAllByTestId("download-file")).toHaveLength(3));
    expect(file("config.json").dataset.state).toBe("done");
    expect(within(file("config.json")).getByTestId("download-file-status").textContent).toContain("already downloaded");

    d.emit({ type: "progress", file: "model-00001-of-00002.safetensors", bytes: 2_500_000_000, total: 10_000_000_000, speed: 45_200_000, eta_secs: 166 });
    d.emit({ type: "total", bytes: 2_500_001_200, total: 19_500_001_200, speed: 45_200_000, eta_secs: 200 });
    await waitFor(() => expect(screen.getByTestId("download-speed").textContent).toBe("45.2 MB/s"));
    expect(screen.getByTestId("download-eta").textContent).toBe("3 min 20 s left");
    expect(screen.getByTestId("download-bytes").textContent).toBe("2.5 GB of 19.5 GB");
    const total = screen.getByTestId("download-total");
    expect(total.getAttribute("role")).toBe("progressbar");
    expect(total.getAttribute("aria-valuemin")).toBe("0");
    expect(total.getAttribute("aria-valuemax")).toBe("100");
    expect(total.getAttribute("aria-valuenow")).toBe("12");
    const first = file("model-00001-of-00002.safetensors");
    expect(first.dataset.state).toBe("downloading");
    expect(within(first).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25");
    expect(within(first).getByTestId("download-file-status").textContent).toBe("25%");

    d.emit({ type: "verifying", file: "model-00001-of-00002.safetensors" });
    await waitFor(() => expect(file("model-00001-of-00002.safetensors").dataset.state).toBe("verifying"));
    expect(within(file("model-00001-of-00002.safetensors")).getByTestId("download-file-status").textContent).toBe("verifying…");
    d.emit({ type: "file_done", file: "model-00001-of-00002.safetensors", skipped: false });
    await waitFor(() => expect(file("model-00001-of-00002.safetensors").dataset.state).toBe("done"));
    expect(within(file("model-00001-of-00002.safetensors")).getByTestId("download-file-status").textContent).toContain("✓");
  });

  it("retries and failovers show as a quiet status line, not an error", async () => {
    const { hub } = setup();
    const d = await startDownload(hub);
    d.emit(planned(gptq.id));
    d.emit({ type: "retrying", file: "model-00001-of-00002.safetensors", attempt: 2, wait_ms: 2000, reason: "connection reset" });
    const note = await screen.findByTestId("download-note");
    expect(note.textContent).toBe("Connection dropped, retrying in 2 s…");
    expect(note.getAttribute("role")).toBe("status");
    expect(screen.queryByRole("alert")).toBeNull();
    d.emit({ type: "progress", file: "model-00001-of-00002.safetensors", bytes: 10, total: 10_000_000_000, speed: 1, eta_secs: null });
    await waitFor(() => expect(screen.queryByTestId("download-note")).toBeNull());

    d.emit({
      type: "source_failed",
      source: "https://huggingface.co/baichuan-inc/Baichuan-M2-32B-GPTQ-Int4@main",
      reason: "HTTP 503",
      next: "https://hf-mirror.com/baichuan-inc/Baichuan-M2-32B-GPTQ-Int4@main",
    });
    await waitFor(() => expect(screen.getByTestId("download-note").textContent).toBe("huggingface.co failed, trying hf-mirror.com"));
    expect(screen.getByTestId("download").textContent).toContain("from hf-mirror.com");
    expect(screen.queryByTestId("download-failure")).toBeNull();
  });

  it("Pause calls pause_download; the PAUSED rejection shows Paused with Resume, which starts again", async () => {
    const { hub } = setup();
    const d = await startDownload(hub);
    d.emit(planned(gptq.id));
    await fireEvent.click(await screen.findByTestId("download-pause"));
    expect(hub.calls.find(([c]) => c === "pause_download")?.[1]).toEqual({ variant: gptq.id });
    const paused = await screen.findByTestId("download-paused");
    expect(paused.textContent).toContain("Paused");
    expect(screen.queryByTestId("download-failure")).toBeNull();
    // The file list stays while paused.
    expect(screen.getAllByTestId("download-file")).toHaveLength(3);

    await fireEvent.click(screen.getByTestId("download-resume"));
    await waitFor(() => expect(hub.downloads).toHaveLength(2));
    expect(hub.latest().variant).toBe(gptq.id);
    expect(screen.queryByTestId("download-paused")).toBeNull();
    expect(screen.getByTestId("download-pause")).toBeTruthy();
  });

  it("Cancel asks first; confirming cancels the running download and goes back", async () => {
    const { hub } = setup();
    const d = await startDownload(hub);
    d.emit(planned(gptq.id));
    await fireEvent.click(await screen.findByTestId("download-cancel"));
    const confirm = screen.getByTestId("download-cancel-confirm");
    expect(confirm.textContent).toContain("Delete the partial download?");
    expect(commands(hub)).not.toContain("cancel_download");

    // "Keep downloading" changes nothing.
    await fireEvent.click(screen.getByTestId("download-cancel-confirm-no"));
    expect(screen.queryByTestId("download-cancel-confirm")).toBeNull();
    expect(commands(hub)).not.toContain("cancel_download");

    await fireEvent.click(screen.getByTestId("download-cancel"));
    await fireEvent.click(screen.getByTestId("download-cancel-confirm-yes"));
    expect(hub.calls.find(([c]) => c === "cancel_download")?.[1]).toEqual({ variant: gptq.id });
    const notice = await screen.findByTestId("onboarding-notice");
    expect(notice.textContent).toContain("Download cancelled");
    expect(screen.queryByTestId("download")).toBeNull();
    expect(screen.getByTestId("download-start")).toBeTruthy();
  });

  it("cancelling while paused deletes the partial data with delete_model", async () => {
    const { hub } = setup();
    const d = await startDownload(hub);
    d.emit(planned(gptq.id));
    await fireEvent.click(await screen.findByTestId("download-pause"));
    await screen.findByTestId("download-paused");
    await fireEvent.click(screen.getByTestId("download-cancel"));
    await fireEvent.click(screen.getByTestId("download-cancel-confirm-yes"));
    await screen.findByTestId("onboarding-notice");
    expect(hub.calls.find(([c]) => c === "delete_model")?.[1]).toEqual({ variant: gptq.id });
    expect(commands(hub)).not.toContain("cancel_download");
  });

  it("DISK_FULL says the data is kept and to free space; Try again resumes", async () => {
    const { hub } = setup();
    const d = await startDownload(hub);
    d.emit(planned(gptq.id));
    d.fail({ code: "DISK_FULL", message: "No space left on device while writing model-00001-of-00002.safetensors" });
    const failure = await screen.findByTestId("download-failure");
    expect(failure.getAttribute("role")).toBe("alert");
    expect(failure.textContent).toContain("DISK_FULL");
    expect(failure.textContent).toContain("No space left on device");
    expect(screen.getByTestId("download-failure-said").textContent).toContain("What was downloaded so far is kept. Free up space");

    await fireEvent.click(screen.getByTestId("download-retry"));
    await waitFor(() => expect(hub.downloads).toHaveLength(2));
    expect(hub.latest().variant).toBe(gptq.id);
    expect(screen.queryByTestId("download-failure")).toBeNull();
  });

  it("after main and draft are done, calls use_model then hands the settings over", async () => {
    const { hub, onReady } = setup();
    const main = await startDownload(hub);
    main.emit(planned(gptq.id));
    main.emit({ type: "done", dir: "/m/baichuan", bytes: 19_500_001_200, secs: 400 });
    main.finish();

    await waitFor(() => expect(hub.downloads).toHaveLength(2));
    const draft = hub.latest();
    expect(draft.variant).toBe(qwenDraft.id);
    await waitFor(() => expect(screen.getAllByTestId("download-step").map((s) => s.dataset.state)).toEqual(["done", "current"]));
    draft.emit(
      plannedEvent(
        qwenDraft.id,
        [plannedFile("model.safetensors", 1_500_000_000, 1_500_000_000)],
        "https://huggingface.co/Qwen/Qwen3-0.6B@main",
      ),
    );
    draft.emit({ type: "file_done", file: "model.safetensors", skipped: true });
    draft.emit({ type: "done", dir: "/m/qwen", bytes: 1_500_000_000, secs: 0 });
    expect(commands(hub)).not.toContain("use_model");
    draft.finish();

    await waitFor(() => expect(onReady).toHaveBeenCalledOnce());
    expect(commands(hub).slice(-1)).toEqual(["use_model"]);
    expect(hub.calls.find(([c]) => c === "use_model")?.[1]).toEqual({ variant: gptq.id });
    expect(onReady.mock.calls[0][0].variant).toBe(gptq.id);
  });
});

describe("Onboarding: a build without CUDA on an NVIDIA machine", () => {
  it("says which installer would use the GPU", async () => {
    setup({ ...rtx4090Overview, built: ["cpu"], gpu_unused: "NVIDIA GeForce RTX 4090" });
    const note = await screen.findByTestId("gpu-unused");
    expect(note.textContent).toContain("built without NVIDIA (CUDA) support, so it cannot use the NVIDIA GeForce RTX 4090");
    expect(note.textContent).toContain("Install the NVIDIA (CUDA) version of Anamnesis");
  });

  it("says nothing when the build has CUDA", async () => {
    setup();
    await screen.findByTestId("hardware");
    expect(screen.queryByTestId("gpu-unused")).toBeNull();
  });
});

describe("Onboarding: the CUDA build on a machine whose GPU it cannot use", () => {
  it("says why and what to do, in English and Chinese", async () => {
    const problem = { kind: "driver_too_old", driver: "12.4", needs: "13.0" } as const;
    setup({ ...rtx4090Overview, gpu_problem: problem });
    const note = await screen.findByTestId("gpu-problem");
    expect(note.dataset.kind).toBe("driver_too_old");
    expect(note.textContent).toContain("the NVIDIA driver supports CUDA 12.4, and Anamnesis needs CUDA 13.0");
    expect(note.textContent).toContain("Update the driver");
    expect(screen.queryByTestId("gpu-unused")).toBeNull();
  });

  it("names a missing driver", async () => {
    setup({ ...rtx4090Overview, gpu_problem: { kind: "no_driver" } });
    expect((await screen.findByTestId("gpu-problem")).textContent).toContain("no NVIDIA driver is installed");
  });
});
