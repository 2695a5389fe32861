/** The backend's notices about how the model was loaded, in the user's language. */
import type { GpuProblem } from "./bindings/GpuProblem";
import type { ModelNotice } from "./bindings/ModelNotice";
import { t } from "./i18n.svelte";

export function noticeText(n: ModelNotice): string {
  switch (n.kind) {
    case "estimated_tokens":
      return t("notice.estimatedTokens");
    case "insecure_remote":
      return t("notice.insecureRemote", n.host);
    case "remote_context_capped":
      return t("notice.remoteContextCapped");
    case "draft_not_used":
      // The sentence in the user's language; the backend's detail (a file, a vocabulary) as it said it.
      return t("notice.draftNotUsed", n.error.message);
    case "gpu_unavailable":
      return gpuProblemText(n.problem);
  }
}

/** Why the NVIDIA build runs on the processor here, and what to do about it. */
export function gpuProblemText(p: GpuProblem): string {
  switch (p.kind) {
    case "no_driver":
      return t("gpu.noDriver");
    case "runtime_missing":
      return t("gpu.runtimeMissing", p.library);
    case "driver_failed":
      return t("gpu.driverFailed", p.error);
    case "no_gpu":
      return t("gpu.noGpu");
    case "driver_too_old":
      return t("gpu.driverTooOld", p.driver, p.needs);
    case "gpu_too_old":
      return t("gpu.gpuTooOld", p.gpu, p.compute_capability);
  }
}

/** Something the user must act on (a remote server over plain http, an unusable GPU), not just know. */
export function isWarning(n: ModelNotice): boolean {
  return n.kind === "insecure_remote" || n.kind === "gpu_unavailable";
}
