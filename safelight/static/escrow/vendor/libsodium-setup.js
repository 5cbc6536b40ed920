/* Safelight's own loader for libsodium.js (not part of the npm packages); load it first:
 *   libsodium-setup.js, libsodium-sumo.js, libsodium-wrappers.js
 *
 * libsodium-sumo.js sets window.libsodium from window.libsodium_mod and gives it a `ready`
 * promise, which libsodium-wrappers.js reads when it loads. Where WebAssembly cannot run
 * (a Content-Security-Policy without 'wasm-unsafe-eval', Tor Browser's "Safer" level), it
 * switches to its pure JavaScript build and, in doing so, deletes every enumerable property of
 * that object, `ready` included. With <script> tags that can happen between the two scripts, and
 * the wrappers then fail. A non-enumerable `ready` survives the switch.
 */
window.libsodium_mod = Object.defineProperty({}, "ready", {
  value: undefined,
  writable: true,
  enumerable: false,
  configurable: true,
});
