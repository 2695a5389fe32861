/**
 * Tauri delivers a command's result and its channel's events on separate paths: under load the
 * result can overtake the last events. A streaming command is over only when its last event came.
 */

/** How long a command that succeeded waits for its channel's last events, and a failed one. */
export const FINISHED_WAIT_MS = 10_000;
export const FAILED_WAIT_MS = 1_000;

/**
 * Resolves once `finished` does (the backend's last event of a turn), or after `ms`, so that a
 * backend which never sends it cannot hold the UI.
 */
export async function eventsDrained(finished: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([finished, late]);
  } finally {
    clearTimeout(timer);
  }
}
