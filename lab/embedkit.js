// The lab's one import of the library. In the repository this is the build in ../dist; the build
// copies the lab into dist/lab/ with this line pointing at ../index.js instead.
export * from "../dist/index.js";
