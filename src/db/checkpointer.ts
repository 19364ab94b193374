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
const timer = setInterval(() => checkpoint("PASSIVE"), workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint("TRUNCATE");
  db.close();
  parentPort.postMessage("stopped");
});
`;

export interface Checkpointer {
  /** Runs a last full checkpoint and ends the thread. */
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, onError: (error: Error) => void, intervalMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref(); // never what keeps the process alive
  worker.on("error", onError);
  let running = true;
  worker.on("exit", () => (running = false));
  return {
    async stop() {
      if (!running) return;
      const stopped = new Promise((resolve) => worker.once("message", resolve));
      worker.postMessage("stop");
      await stopped;
      await worker.terminate();
    },
  };
}
