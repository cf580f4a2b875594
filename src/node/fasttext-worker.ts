// A fastText training thread: runs the job loop over the shared tables it is given, then says so.
import { parentPort, workerData } from "node:worker_threads";
import { type LoopParams, type LoopTables, trainThread } from "../fasttext/train-loop.js";

const { tables, params } = workerData as { tables: LoopTables; params: LoopParams };
trainThread(tables, params);
parentPort?.postMessage("done");
