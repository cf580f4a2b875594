// embedkit/node: what needs Node's worker threads or file system.
export { trainCBOWThreaded, type CBOWThreadedOptions } from "./cbow-threads.js";
export * from "../io/files.js";
