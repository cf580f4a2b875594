// A training worker: trains its share of the sentences on the shared tables, then says so.
import { parentPort, workerData } from "node:worker_threads";
import { trainRange, type KernelParams, type KernelTables } from "../models/cbow-kernel.js";

const { tables, params } = workerData as { tables: KernelTables; params: KernelParams };
trainRange(tables, params);
parentPort?.postMessage("done");
