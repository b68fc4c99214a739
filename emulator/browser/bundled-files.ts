// The files the emulator reads at run time, by absolute path in the browser's in-memory file
// system (./fs.ts). Empty here: the browser build (scripts/build.mjs) puts the spec, the seed
// permissions and the default content types in this module's place.
export const files: Record<string, string> = {};
