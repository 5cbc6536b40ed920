/* RFC 9497 OPRF, suite ristretto255-SHA512, mode OPRF (0x00): the reporter's side, in the browser.
 *
 * The same protocol as safelight/crypto/oprf.py, byte for byte:
 *
 *   var input = SafelightOPRF.input(namespace, canonical);   // UTF-8 bytes
 *   await SafelightOPRF.ready;
 *   var b = SafelightOPRF.blind(input);                      // {blind, blinded}: send b.blinded
 *   var output = SafelightOPRF.finalize(input, b.blind, evaluated);   // 64 bytes
 *
 * The key services see only the blinded element, so the identifier never leaves the browser.
 * Hashing is libsodium's SHA-512 (crypto_hash_sha512), not WebCrypto, which exists only in
 * secure contexts (an onion service over plain HTTP is not one in every browser).
 *
 * Needs libsodium.js (sumo) loaded before it: vendor/libsodium-setup.js, libsodium-sumo.js,
 * libsodium-wrappers.js. Bad input throws an Error whose .code is "invalid_input".
 */
(function () {
  "use strict";

  var SCALAR_BYTES = 32;
  var ELEMENT_BYTES = 32;
  var SHA512_BYTES = 64;
  var SHA512_BLOCK = 128;
  var MAX_INPUT = 0xffff;
  // The group order L, little-endian.
  var ORDER = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  var encoder = new TextEncoder();
  var CONTEXT_STRING = concat([utf8("OPRFV1-"), new Uint8Array([0]), utf8("-ristretto255-SHA512")]);
  var HASH_TO_GROUP_DST = concat([utf8("HashToGroup-"), CONTEXT_STRING]);
  var FINALIZE = utf8("Finalize");
  var INPUT_PREFIX = "safelight-escrow/v1\n"; // safelight.crypto.escrow.VERSION

  var sodium = null;
  var ready = new Promise(function (resolve, reject) {
    var library = window.sodium;
    if (!library || !library.ready || typeof library.ready.then !== "function") {
      reject(new Error("libsodium.js did not load"));
      return;
    }
    library.ready.then(function () {
      sodium = library;
      resolve(library);
    }, reject);
  });
  // A page that never waits for `ready` must not report an unhandled rejection.
  ready.catch(function () {});

  function invalid(message) {
    var error = new Error(message);
    error.name = "InvalidInput";
    error.code = "invalid_input";
    return error;
  }

  function library() {
    if (sodium === null) {
      throw new Error("SafelightOPRF is not ready: wait for SafelightOPRF.ready");
    }
    return sodium;
  }

  function utf8(text) {
    return encoder.encode(text);
  }

  function hex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) {
      out[i] = parseInt(text.substr(2 * i, 2), 16);
    }
    return out;
  }

  function concat(parts) {
    var length = 0;
    var i;
    for (i = 0; i < parts.length; i++) {
      length += parts[i].length;
    }
    var out = new Uint8Array(length);
    var offset = 0;
    for (i = 0; i < parts.length; i++) {
      out.set(parts[i], offset);
      offset += parts[i].length;
    }
    return out;
  }

  function i2osp(value, length) {
    var out = new Uint8Array(length);
    for (var i = length - 1; i >= 0; i--) {
      out[i] = value & 0xff;
      value = Math.floor(value / 256);
    }
    return out;
  }

  function sha512(data) {
    return library().crypto_hash_sha512(data);
  }

  function isZero(data) {
    var bits = 0;
    for (var i = 0; i < data.length; i++) {
      bits |= data[i];
    }
    return bits === 0;
  }

  function bytesOf(value, what) {
    if (!(value instanceof Uint8Array)) {
      throw invalid(what + " must be a Uint8Array");
    }
    return value;
  }

  function checkInput(value) {
    var raw = bytesOf(value, "input");
    if (raw.length > MAX_INPUT) {
      throw invalid("OPRF input must be at most " + MAX_INPUT + " bytes");
    }
    return raw;
  }

  // A canonical (< L), non-zero 32-byte little-endian scalar.
  function checkScalar(value, what) {
    var raw = bytesOf(value, what);
    if (raw.length !== SCALAR_BYTES) {
      throw invalid(what + " must be a " + SCALAR_BYTES + "-byte scalar");
    }
    var less = false;
    for (var i = SCALAR_BYTES - 1; i >= 0; i--) {
      if (raw[i] !== ORDER[i]) {
        less = raw[i] < ORDER[i];
        break;
      }
    }
    if (!less || isZero(raw)) {
      throw invalid(what + " must be a canonical non-zero scalar");
    }
    return raw;
  }

  // A canonical ristretto255 encoding that is not the identity.
  function checkElement(value, what) {
    var raw = bytesOf(value, what);
    if (raw.length !== ELEMENT_BYTES || !library().crypto_core_ristretto255_is_valid_point(raw)) {
      throw invalid(what + " is not a canonical ristretto255 element");
    }
    if (isZero(raw)) {
      throw invalid(what + " is the identity element");
    }
    return raw;
  }

  // RFC 9380 §5.3.1 expand_message_xmd with SHA-512.
  function expandMessageXmd(message, dst, length) {
    var ell = Math.ceil(length / SHA512_BYTES);
    if (!(length >= 1 && length <= 0xffff) || ell > 255) {
      throw invalid("expand_message_xmd length out of range");
    }
    if (dst.length > 255) {
      throw invalid("domain separation tag longer than 255 bytes");
    }
    var dstPrime = concat([dst, i2osp(dst.length, 1)]);
    var b0 = sha512(
      concat([new Uint8Array(SHA512_BLOCK), message, i2osp(length, 2), new Uint8Array([0]), dstPrime])
    );
    var block = sha512(concat([b0, new Uint8Array([1]), dstPrime]));
    var uniform = [block];
    for (var i = 2; i <= ell; i++) {
      var mixed = new Uint8Array(SHA512_BYTES);
      for (var j = 0; j < SHA512_BYTES; j++) {
        mixed[j] = b0[j] ^ block[j];
      }
      block = sha512(concat([mixed, i2osp(i, 1), dstPrime]));
      uniform.push(block);
    }
    return concat(uniform).slice(0, length);
  }

  // RFC 9497 §4.1 HashToGroup; the identity is refused (InvalidInputError).
  function hashToGroup(message) {
    var point = library().crypto_core_ristretto255_from_hash(
      expandMessageXmd(message, HASH_TO_GROUP_DST, 64)
    );
    if (isZero(point)) {
      throw invalid("input hashes to the identity element");
    }
    return point;
  }

  function randomBlind() {
    var sodiumLib = library();
    for (;;) {
      var scalar = sodiumLib.crypto_core_ristretto255_scalar_random();
      if (!isZero(scalar)) {
        return scalar;
      }
    }
  }

  /* The bytes the escrow feeds to the OPRF for one identifier; the same as
   * safelight.crypto.escrow.oprf_input(namespace, canonical) on the server. */
  function input(namespace, canonical) {
    var parts = [String(namespace), String(canonical)];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === "" || parts[i].indexOf("\n") !== -1) {
        throw invalid("namespace and identifier must be non-empty single lines");
      }
    }
    var text = INPUT_PREFIX + parts[0] + "\n" + parts[1];
    // A lone surrogate has no UTF-8 form: Python refuses it, TextEncoder would change it.
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
      throw invalid("identifier is not valid Unicode text");
    }
    return utf8(text);
  }

  /* Returns {blind, blinded}. `fixedBlind` reproduces test vectors; never pass it otherwise. */
  function blind(message, fixedBlind) {
    var raw = checkInput(message);
    var factor = fixedBlind === undefined ? randomBlind() : checkScalar(fixedBlind, "blind");
    var blinded = library().crypto_scalarmult_ristretto255(factor, hashToGroup(raw));
    return { blind: factor, blinded: blinded };
  }

  /* RFC 9497 §3.3.1 Finalize: unblind the key service's answer and hash; 64 bytes. */
  function finalize(message, blindFactor, evaluated) {
    var raw = checkInput(message);
    var sodiumLib = library();
    var inverse = sodiumLib.crypto_core_ristretto255_scalar_invert(checkScalar(blindFactor, "blind"));
    var unblinded = sodiumLib.crypto_scalarmult_ristretto255(
      inverse,
      checkElement(evaluated, "evaluated element")
    );
    return sha512(
      concat([i2osp(raw.length, 2), raw, i2osp(unblinded.length, 2), unblinded, FINALIZE])
    );
  }

  window.SafelightOPRF = {
    ready: ready,
    input: input,
    blind: blind,
    finalize: finalize,
    expandMessageXmd: expandMessageXmd,
    hashToGroup: hashToGroup,
  };
})();
