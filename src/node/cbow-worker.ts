// A training worker: takes jobs from the shared queue and trains them on the shared tables.
import { parentPort, workerData } from "node:worker_threads";
import { trainJobs, type KernelParams, type KernelTables } from "../models/cbow-kernel.js";

const { tables, params } = workerData as { tables: KernelTables; params: KernelParams };
trainJobs(tables, params);
parentPort?.postMessage("done");
