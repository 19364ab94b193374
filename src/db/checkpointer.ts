import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints copy the log into the database file and fsync it: tens of milliseconds on a
 * slow disk. better-sqlite3 is synchronous, so a checkpoint on the bot's own connection stalls
 * every update. This worker thread runs them on its own connection instead; PASSIVE never
 * blocks the bot's readers or writer.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const checkpoint = (mode) => db.pragma("wal_checkpoint(" + mode + ")");
checkpoint("PASSIVE");
const timer = setInterval(() => checkpoint("PASSIVE"), workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint("TRUNCATE");
  db.close();
  parentPort.postMessage("stopped");
});
`;

export interface Checkpointer {
  /** Ends the thread (if it started) after a last full checkpoint. */
  stop(): Promise<void>;
}

/**
 * Checkpoints `file` every `intervalMs`. The thread starts when the first checkpoint is due: a
 * database open for less (a refused start, a test) never pays the ~30 ms a thread takes to start,
 * and closing it checkpoints as SQLite does when its last connection closes.
 */
export function startCheckpointer(file: string, onError: (error: Error) => void, intervalMs = 1000): Checkpointer {
  let worker: Worker | undefined;
  let running = false;
  const due = setTimeout(() => {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    running = true;
    worker.unref(); // never what keeps the process alive
    worker.on("error", onError);
    worker.on("exit", () => (running = false));
  }, intervalMs);
  due.unref();
  return {
    async stop() {
      clearTimeout(due);
      if (!worker || !running) return;
      const stopped = new Promise((resolve) => worker!.once("message", resolve));
      worker.postMessage("stop");
      await stopped;
      await worker.terminate();
    },
  };
}
