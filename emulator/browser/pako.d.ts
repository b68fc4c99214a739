// The part of pako (zlib in JavaScript, bundled into the browser build only) that node-misc.ts uses.
declare module 'pako' {
  const pako: { inflate(data: Uint8Array): Uint8Array; deflate(data: Uint8Array): Uint8Array };
  export default pako;
}
