/*
 * Canonical identifiers for matching escrow, in the browser.
 *
 * The same rules as safelight/escrow/identifiers.py (its docstring says them), step for step, so
 * both give the same string, or throw the same error code, for every input: the table in
 * tests/escrow/data/identifier_cases.json is run through both. Keep the two in step.
 *
 *   SafelightIdentifiers.canonicalise(kind, text, defaultRegion, services)
 *     -> "instagram:some.user" | throws Error with .code (and .service / .other: service codes)
 *   SafelightIdentifiers.message(error, messages, labels)
 *     -> the message for error.code from messages (identifiers.ERROR_MESSAGES, as the page embeds
 *        it), with %(service)s and %(other)s replaced through labels (service code -> name)
 *
 * `services` is services.json, parsed (the page embeds it with json_script): nothing is fetched.
 * Phone numbers need libphonenumber-js (vendor/libphonenumber-min.js) loaded first.
 * A plain script: no modules, no build step.
 */
(function () {
  "use strict";

  var MAX_INPUT = 2048;
  var MAX_INTERNAL = 200;
  var CONTROL = /[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]|[\ud800-\udfff]/u;
  var LINK_CHARS = /[/?#]/;
  var SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
  var PORT = /:[0-9]*$/;
  var PERCENT = /(?:%[0-9A-Fa-f]{2})+/g;
  var ATOM = '[^\\x00-\\x20"(),.:;<>@\\[\\\\\\]\\x7f]+';
  var LOCAL = whole(ATOM + "(?:[.]" + ATOM + ")*");
  var LABEL =
    "(?:[a-z0-9]|[^\\x00-\\x7f])(?:(?:[a-z0-9-]|[^\\x00-\\x7f]){0,61}(?:[a-z0-9]|[^\\x00-\\x7f]))?";
  var DOMAIN = whole(LABEL + "(?:[.]" + LABEL + ")+");
  var DIGITS = whole("[0-9]+");
  var NAMED = whole("[^<>]*<([^<>]*)>");
  var PHONE = whole("[+]?[0-9]{2,20}");
  var PHONE_SEPARATORS = new Set("-.()/");
  var catalogues = new WeakMap();

  function whole(pattern) {
    return new RegExp("^(?:" + pattern + ")$", "u");
  }

  function fail(code, service, other) {
    var error = new Error(code);
    error.code = code;
    error.service = service || "";
    error.other = other || "";
    return error;
  }

  // --- services.json ---------------------------------------------------------------------------

  function compileService(data) {
    var values = {};
    Object.keys(data.values).forEach(function (name) {
      var v = data.values[name];
      values[name] = {
        prefix: v.prefix,
        pattern: whole(v.pattern),
        lowercase: v.lowercase,
        ignore: new Set(Array.from(v.ignore || "")),
      };
    });
    return {
      code: data.code,
      hosts: data.hosts,
      subdomains: new Set(data.subdomains),
      subdomainPattern: data.subdomain_pattern ? whole(data.subdomain_pattern) : null,
      shortHosts: new Set(data.short_hosts),
      values: values,
      bare: data.bare,
      barePrefixes: data.bare_prefixes,
      routes: data.routes,
      reserved: new Set(data.reserved),
    };
  }

  function catalogue(services) {
    var found = catalogues.get(services);
    if (found) return found;
    var compiled = {
      whitespace: new Set(Array.from(services.whitespace)),
      invisible: new Set(Array.from(services.invisible)),
      services: new Map(),
    };
    services.services.forEach(function (s) {
      compiled.services.set(s.code, compileService(s));
    });
    catalogues.set(services, compiled);
    return compiled;
  }

  // --- text ------------------------------------------------------------------------------------

  function nfkc(text) {
    return text.normalize("NFKC");
  }

  function lower(text) {
    return nfkc(text.toLowerCase());
  }

  function asciiLower(text) {
    return text.replace(/[A-Z]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 32);
    });
  }

  function length(text) {
    return Array.from(text).length;
  }

  function drop(text, chars) {
    return Array.from(text)
      .filter(function (c) {
        return !chars.has(c);
      })
      .join("");
  }

  function trim(text, chars) {
    var points = Array.from(text);
    var start = 0;
    var end = points.length;
    while (start < end && chars.has(points[start])) start += 1;
    while (end > start && chars.has(points[end - 1])) end -= 1;
    return points.slice(start, end).join("");
  }

  function has(text, chars) {
    return Array.from(text).some(function (c) {
      return chars.has(c);
    });
  }

  function clean(cat, text) {
    if (length(text) > MAX_INPUT) throw fail("too_long");
    text = trim(drop(nfkc(text), cat.invisible), cat.whitespace);
    if (!text) throw fail("empty");
    if (CONTROL.test(text)) throw fail("bad_characters");
    return text;
  }

  // --- public ----------------------------------------------------------------------------------

  function canonicalise(kind, text, defaultRegion, services) {
    var cat = catalogue(services);
    if (kind !== "email" && kind !== "phone" && kind !== "internal" && !cat.services.has(kind)) {
      throw fail("unknown_kind");
    }
    text = clean(cat, typeof text === "string" ? text : "");
    if (kind === "email") return email(cat, text);
    if (kind === "phone") return phone(cat, text, defaultRegion);
    if (kind === "internal") return internal(cat, text);
    return social(cat, cat.services.get(kind), text);
  }

  function message(error, messages, labels) {
    var template = messages[error.code] || error.code;
    return template.replace(/%\((service|other)\)s|%%/g, function (match, name) {
      if (!name) return "%";
      var code = error[name];
      return (labels && labels[code]) || code;
    });
  }

  // --- email -----------------------------------------------------------------------------------

  function email(cat, text) {
    if (asciiLower(text).startsWith("mailto:")) text = text.slice(7).split("?")[0];
    var named = NAMED.exec(text);
    if (named) text = trim(named[1], cat.whitespace);
    var parts = text.split("@");
    if (has(text, cat.whitespace) || parts.length !== 2) throw fail("email_invalid");
    var local = lower(parts[0]);
    var domain = lower(parts[1]);
    if (domain.endsWith(".")) domain = domain.slice(0, -1);
    if (!emailPartsOk(local, domain)) throw fail("email_invalid");
    return "email:" + local + "@" + domain;
  }

  function emailPartsOk(local, domain) {
    return (
      length(local) <= 64 &&
      length(domain) <= 253 &&
      LOCAL.test(local) &&
      DOMAIN.test(domain) &&
      !DIGITS.test(domain.slice(domain.lastIndexOf(".") + 1))
    );
  }

  // --- phone -----------------------------------------------------------------------------------

  function phoneLibrary() {
    var library = globalThis.libphonenumber;
    if (!library) throw new Error("libphonenumber-js is not loaded");
    return library;
  }

  function region(library, defaultRegion) {
    var code = String(defaultRegion || "").trim().toUpperCase();
    return code && library.isSupportedCountry(code) ? code : "";
  }

  // Python's phonenumbers judges length by the main region of the calling code and counts only a
  // full IS_POSSIBLE; libphonenumber-js's isPossible() would use the region it guessed. Same test:
  function possible(library, number) {
    var metadata = new library.Metadata();
    metadata.selectNumberingPlan(number.countryCallingCode);
    var lengths = metadata.possibleLengths() || [];
    return lengths.indexOf(number.nationalNumber.length) >= 0;
  }

  function phone(cat, text, defaultRegion) {
    if (asciiLower(text).startsWith("tel:")) text = text.slice(4);
    text = drop(drop(text, cat.whitespace), PHONE_SEPARATORS);
    if (!PHONE.test(text)) throw fail("phone_invalid");
    var library = phoneLibrary();
    var home = region(library, defaultRegion);
    var international = text.startsWith("+");
    if (!international && !home) throw fail("phone_needs_country_code");
    var number = library.parsePhoneNumberFromString(text, international ? undefined : home);
    if (!number || !possible(library, number)) throw fail("phone_invalid");
    return "phone:" + number.number;
  }

  // --- internal --------------------------------------------------------------------------------

  function internal(cat, text) {
    var value = lower(drop(text, cat.whitespace));
    if (length(value) > MAX_INTERNAL) throw fail("too_long");
    return "internal:" + value;
  }

  // --- social services -------------------------------------------------------------------------

  function social(cat, service, text) {
    if (has(text, cat.whitespace)) throw fail("handle_invalid", service.code);
    var scheme = SCHEME.exec(text);
    if (scheme) {
      var name = asciiLower(scheme[1]);
      if (name !== "http" && name !== "https") throw fail("url_invalid", service.code);
      return link(cat, service, text.slice(scheme[0].length));
    }
    if (text.startsWith("//")) return link(cat, service, text.slice(2));
    var bare = bareText(cat, service, text);
    return bare !== null ? bareValue(cat, service, bare) : link(cat, service, text);
  }

  function stripSlashes(text) {
    return text.replace(/\/+$/, "");
  }

  function bareText(cat, service, text) {
    var low = asciiLower(text);
    for (var i = 0; i < service.barePrefixes.length; i += 1) {
      var prefix = service.barePrefixes[i];
      if (low.startsWith(prefix)) {
        var rest = stripSlashes(text.slice(prefix.length));
        if (!LINK_CHARS.test(rest)) return rest;
      }
    }
    text = stripSlashes(text);
    if (LINK_CHARS.test(text) || owner(cat, host(text)) !== null) return null;
    return text;
  }

  function bareValue(cat, service, raw) {
    for (var i = 0; i < service.bare.length; i += 1) {
      var found = value(cat, service.values[service.bare[i]], raw);
      if (found !== null) return found;
    }
    throw fail("handle_invalid", service.code);
  }

  function value(cat, spec, raw) {
    var v = drop(nfkc(raw), cat.invisible);
    if (spec.lowercase) v = lower(v);
    v = drop(v, spec.ignore);
    if (has(v, cat.whitespace) || CONTROL.test(v)) return null;
    if (!spec.pattern.test(v)) return null;
    return spec.prefix + ":" + v;
  }

  function host(authority) {
    var name = asciiLower(authority).replace(PORT, "");
    return name.endsWith(".") ? name.slice(0, -1) : name;
  }

  function owner(cat, name) {
    for (var service of cat.services.values()) {
      if (service.shortHosts.has(name)) return { service: service, subdomain: "", short: true };
      for (var i = 0; i < service.hosts.length; i += 1) {
        var base = service.hosts[i];
        if (name === base) return { service: service, subdomain: "", short: false };
        if (name.endsWith("." + base)) {
          var subdomain = name.slice(0, name.length - base.length - 1);
          return { service: service, subdomain: subdomain, short: false };
        }
      }
    }
    return null;
  }

  function link(cat, service, rest) {
    var found = rest.search(LINK_CHARS);
    var cut = found < 0 ? rest.length : found;
    var name = host(rest.slice(0, cut));
    if (!name || name.indexOf("@") >= 0) throw fail("url_invalid", service.code);
    checkHost(cat, service, name);
    var tail = rest.slice(cut).split("#")[0];
    var question = tail.indexOf("?");
    var path = question < 0 ? tail : tail.slice(0, question);
    var query = question < 0 ? "" : tail.slice(question + 1);
    var segments = path
      .split("/")
      .filter(function (s) {
        return s;
      })
      .map(function (s) {
        return decode(service, s);
      });
    return route(cat, service, segments, params(query));
  }

  function checkHost(cat, service, name) {
    var found = owner(cat, name);
    if (found === null) {
      // Without a dot it was never a host name: a name with a stray "/" or "#" in it.
      throw fail(name.indexOf(".") >= 0 ? "url_wrong_site" : "handle_invalid", service.code);
    }
    if (found.service !== service) throw fail("url_other_service", service.code, found.service.code);
    if (found.short) throw fail("short_link", service.code);
    var sub = found.subdomain;
    if (
      sub &&
      !service.subdomains.has(sub) &&
      !(service.subdomainPattern && service.subdomainPattern.test(sub))
    ) {
      throw fail("url_not_profile", service.code);
    }
  }

  function decode(service, segment) {
    try {
      return segment.replace(PERCENT, function (run) {
        return decodeURIComponent(run);
      });
    } catch (e) {
      throw fail("url_invalid", service.code);
    }
  }

  // Query parameters, still percent-encoded: only the one a route names is ever decoded.
  function params(query) {
    var found = new Map();
    query.split("&").forEach(function (pair) {
      var equals = pair.indexOf("=");
      var key = equals < 0 ? pair : pair.slice(0, equals);
      if (!found.has(key)) found.set(key, equals < 0 ? "" : pair.slice(equals + 1));
    });
    return found;
  }

  function route(cat, service, segments, query) {
    var invalid = false;
    for (var i = 0; i < service.routes.length; i += 1) {
      var r = service.routes[i];
      var captured = match(service, r, segments, query);
      if (captured === null) continue;
      if (r.error) throw fail(r.error, service.code);
      var found = value(cat, service.values[captured[0]], captured[1]);
      if (found !== null) return found;
      invalid = true;
    }
    throw fail(invalid ? "handle_invalid" : "url_not_profile", service.code);
  }

  function match(service, r, segments, query) {
    var template = r.path;
    if (segments.length < template.length) return null;
    if (segments.length > template.length && !r.more) return null;
    var captured = ["", ""];
    for (var index = 0; index < template.length; index += 1) {
      var part = template[index];
      var segment = segments[index];
      var brace = part.indexOf("{");
      var low = asciiLower(segment);
      if (part === "*") continue;
      if (brace < 0) {
        if (low !== part) return null;
        continue;
      }
      if (!low.startsWith(part.slice(0, brace))) return null;
      if (index === 0 && brace === 0 && service.reserved.has(low)) return null;
      captured = [part.slice(brace + 1, -1), segment.slice(brace)];
    }
    if ("query" in r) {
      if (!query.has(r.query)) return null;
      captured = [r.value, decode(service, query.get(r.query))];
    }
    return captured;
  }

  window.SafelightIdentifiers = { canonicalise: canonicalise, message: message };
})();
