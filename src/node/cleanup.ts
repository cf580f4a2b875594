// Files and folders that must not outlive the process if it is interrupted: a temporary file being
// written, the spooled copy of standard input. While any is registered, SIGINT and SIGTERM remove
// them all, then the signal is raised again so the process ends as it would have (status 128 + n),
// unless the program has its own listener for that signal (then ending is its decision).
import { closeSync, existsSync, openSync, rmSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const paths = new Set<string>();
const handlers = new Map<NodeJS.Signals, () => void>();
let uninstallQueued = false;

function removeAll(): void {
  for (const p of paths) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort: the process is ending
    }
  }
  paths.clear();
}

function install(): void {
  if (handlers.size > 0 || !isMainThread) return; // signals reach the main thread only
  for (const sig of SIGNALS) {
    const h = () => {
      removeAll();
      uninstall();
      // Ours was the only listener: end as the signal would have ended the process.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
}

function uninstall(): void {
  for (const [sig, h] of handlers) process.off(sig, h);
  handlers.clear();
}

/**
 * Registers `path` (a file or a folder) to be removed if SIGINT or SIGTERM arrives before the
 * returned function is called. A signal that arrives during synchronous work (an atomic write) is
 * handled when that work returns, so the listeners stay one turn of the event loop longer than the
 * last registration: the signal is never lost, and still ends the process.
 * @internal
 */
export function removeOnSignal(path: string): () => void {
  paths.add(path);
  install();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    paths.delete(path);
    if (paths.size === 0 && !uninstallQueued && handlers.size > 0) {
      // A signal that came during synchronous work waits in the event loop's poll phase: two
      // setImmediate turns let at least one poll phase run first, so it reaches the listener.
      uninstallQueued = true;
      setImmediate(() =>
        setImmediate(() => {
          uninstallQueued = false;
          if (paths.size === 0) uninstall();
        }),
      );
    }
  };
}

/**
 * On Linux: opens `file`, removes the folder `dir` that holds it, and returns a path that still reads
 * the file (`/proc/self/fd/N`, a new offset at each open) until `close()`. The kernel frees the data
 * when the process ends, however it ends (Ctrl-C, SIGKILL, a crash), and no signal listener is needed
 * (one would delay Ctrl-C until synchronous training returns). Null where /proc is not available:
 * then the caller removes `dir` itself.
 * @internal
 */
export function detachedFile(file: string, dir: string): { path: string; close(): void } | null {
  if (!existsSync("/proc/self/fd")) return null;
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  const path = `/proc/self/fd/${fd}`;
  try {
    closeSync(openSync(path, "r"));
  } catch {
    closeSync(fd);
    return null;
  }
  rmSync(dir, { recursive: true, force: true });
  let open = true;
  return {
    path,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
