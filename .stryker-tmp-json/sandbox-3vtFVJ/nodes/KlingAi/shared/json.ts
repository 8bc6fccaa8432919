/**
 * JSON request bodies with 64-bit integer ids. Kling types element ids (and other ids) as `long`
 * (e.g. 829836802793406551), which a JavaScript number cannot hold: JSON.stringify of the number would
 * send 829836802793406600. The node keeps such ids as digit strings, marks them with jsonInteger(), and
 * serializeJsonBody() writes them as bare JSON integers with every digit. The transport sends the
 * resulting string unchanged, so Kling receives exactly these bytes.
 */
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { randomUUID } from 'node:crypto';
const LONG_MAX = 9223372036854775807n;

/** A non-negative integer id kept as its decimal digits; serialised as a bare JSON integer. */
export class JsonInteger {
  readonly digits: string;
  constructor(digits: string) {
    if (stryMutAct_9fa48("0")) {
      {}
    } else {
      stryCov_9fa48("0");
      if (stryMutAct_9fa48("3") ? false : stryMutAct_9fa48("2") ? true : stryMutAct_9fa48("1") ? isLongId(digits) : (stryCov_9fa48("1", "2", "3"), !isLongId(digits))) throw new RangeError(stryMutAct_9fa48("4") ? `` : (stryCov_9fa48("4"), `not a 64-bit integer id: ${JSON.stringify(digits)}`));
      this.digits = digits.replace(stryMutAct_9fa48("8") ? /^0+(?=\D)/ : stryMutAct_9fa48("7") ? /^0+(?!\d)/ : stryMutAct_9fa48("6") ? /^0(?=\d)/ : stryMutAct_9fa48("5") ? /0+(?=\d)/ : (stryCov_9fa48("5", "6", "7", "8"), /^0+(?=\d)/), stryMutAct_9fa48("9") ? "Stryker was here!" : (stryCov_9fa48("9"), ''));
    }
  }
  toJSON(): string {
    if (stryMutAct_9fa48("10")) {
      {}
    } else {
      stryCov_9fa48("10");
      // Only reached when a JsonInteger is stringified outside serializeJsonBody (e.g. in an item): keep the digits.
      return this.digits;
    }
  }
}

/** Whether `value` is the decimal form of an integer Kling's `long` can hold (0 … 2^63-1). */
export function isLongId(value: string): boolean {
  if (stryMutAct_9fa48("11")) {
    {}
  } else {
    stryCov_9fa48("11");
    return stryMutAct_9fa48("14") ? /^\d{1,19}$/.test(value) || BigInt(value) <= LONG_MAX : stryMutAct_9fa48("13") ? false : stryMutAct_9fa48("12") ? true : (stryCov_9fa48("12", "13", "14"), (stryMutAct_9fa48("18") ? /^\D{1,19}$/ : stryMutAct_9fa48("17") ? /^\d$/ : stryMutAct_9fa48("16") ? /^\d{1,19}/ : stryMutAct_9fa48("15") ? /\d{1,19}$/ : (stryCov_9fa48("15", "16", "17", "18"), /^\d{1,19}$/)).test(value) && (stryMutAct_9fa48("21") ? BigInt(value) > LONG_MAX : stryMutAct_9fa48("20") ? BigInt(value) < LONG_MAX : stryMutAct_9fa48("19") ? true : (stryCov_9fa48("19", "20", "21"), BigInt(value) <= LONG_MAX)));
  }
}
export function jsonInteger(digits: string): JsonInteger {
  if (stryMutAct_9fa48("22")) {
    {}
  } else {
    stryCov_9fa48("22");
    return new JsonInteger(stryMutAct_9fa48("23") ? digits : (stryCov_9fa48("23"), digits.trim()));
  }
}

/**
 * JSON.stringify, except that every JsonInteger becomes a bare integer token with all its digits.
 * A per-call random marker stands in for the ids during stringify, so no user text can collide with it.
 */
export function serializeJsonBody(body: unknown): string {
  if (stryMutAct_9fa48("24")) {
    {}
  } else {
    stryCov_9fa48("24");
    const marker = stryMutAct_9fa48("25") ? `` : (stryCov_9fa48("25"), `__kling_int_${randomUUID()}__`);
    const json = JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
      if (stryMutAct_9fa48("26")) {
        {}
      } else {
        stryCov_9fa48("26");
        const original = stryMutAct_9fa48("27") ? (this as Record<string, unknown> | undefined)[key] : (stryCov_9fa48("27"), (this as Record<string, unknown> | undefined)?.[key]);
        return original instanceof JsonInteger ? stryMutAct_9fa48("28") ? `` : (stryCov_9fa48("28"), `${marker}${original.digits}`) : value;
      }
    });
    if (stryMutAct_9fa48("31") ? json !== undefined : stryMutAct_9fa48("30") ? false : stryMutAct_9fa48("29") ? true : (stryCov_9fa48("29", "30", "31"), json === undefined)) return stryMutAct_9fa48("32") ? "" : (stryCov_9fa48("32"), 'null');
    return json.replace(new RegExp(stryMutAct_9fa48("33") ? `` : (stryCov_9fa48("33"), `"${marker}(\\d+)"`), stryMutAct_9fa48("34") ? "" : (stryCov_9fa48("34"), 'g')), stryMutAct_9fa48("35") ? "" : (stryCov_9fa48("35"), '$1'));
  }
}

/**
 * JSON.parse for Kling's answers, except that an integer too large for a JavaScript number (> 2^53, e.g. an
 * element_id such as 829836802793406551) becomes its digit string instead of a rounded number. Only bare
 * integer tokens outside strings are touched; everything else parses exactly as JSON.parse does (and throws
 * where it throws).
 */
export function parseJsonLossless(text: string): unknown {
  if (stryMutAct_9fa48("36")) {
    {}
  } else {
    stryCov_9fa48("36");
    return JSON.parse(quoteLongIntegers(text));
  }
}

/** The JSON text with every integer token beyond Number.MAX_SAFE_INTEGER turned into a JSON string. */
export function quoteLongIntegers(text: string): string {
  if (stryMutAct_9fa48("37")) {
    {}
  } else {
    stryCov_9fa48("37");
    // Fast path: no run of 16+ digits at all, so nothing can be unsafe.
    if (stryMutAct_9fa48("40") ? false : stryMutAct_9fa48("39") ? true : stryMutAct_9fa48("38") ? /\d{16}/.test(text) : (stryCov_9fa48("38", "39", "40"), !(stryMutAct_9fa48("42") ? /\D{16}/ : stryMutAct_9fa48("41") ? /\d/ : (stryCov_9fa48("41", "42"), /\d{16}/)).test(text))) return text;
    let out = stryMutAct_9fa48("43") ? "Stryker was here!" : (stryCov_9fa48("43"), '');
    let last = 0;
    let inString = stryMutAct_9fa48("44") ? true : (stryCov_9fa48("44"), false);
    for (let i = 0; stryMutAct_9fa48("47") ? i >= text.length : stryMutAct_9fa48("46") ? i <= text.length : stryMutAct_9fa48("45") ? false : (stryCov_9fa48("45", "46", "47"), i < text.length); stryMutAct_9fa48("48") ? i-- : (stryCov_9fa48("48"), i++)) {
      if (stryMutAct_9fa48("49")) {
        {}
      } else {
        stryCov_9fa48("49");
        const c = text.charCodeAt(i);
        if (stryMutAct_9fa48("51") ? false : stryMutAct_9fa48("50") ? true : (stryCov_9fa48("50", "51"), inString)) {
          if (stryMutAct_9fa48("52")) {
            {}
          } else {
            stryCov_9fa48("52");
            if (stryMutAct_9fa48("55") ? c !== 0x5c : stryMutAct_9fa48("54") ? false : stryMutAct_9fa48("53") ? true : (stryCov_9fa48("53", "54", "55"), c === 0x5c)) stryMutAct_9fa48("56") ? i-- : (stryCov_9fa48("56"), i++); // backslash: skip the escaped character
            else if (stryMutAct_9fa48("59") ? c !== 0x22 : stryMutAct_9fa48("58") ? false : stryMutAct_9fa48("57") ? true : (stryCov_9fa48("57", "58", "59"), c === 0x22)) inString = stryMutAct_9fa48("60") ? true : (stryCov_9fa48("60"), false);
            continue;
          }
        }
        if (stryMutAct_9fa48("63") ? c !== 0x22 : stryMutAct_9fa48("62") ? false : stryMutAct_9fa48("61") ? true : (stryCov_9fa48("61", "62", "63"), c === 0x22)) {
          if (stryMutAct_9fa48("64")) {
            {}
          } else {
            stryCov_9fa48("64");
            inString = stryMutAct_9fa48("65") ? false : (stryCov_9fa48("65"), true);
            continue;
          }
        }
        const isDigit = stryMutAct_9fa48("68") ? c >= 0x30 || c <= 0x39 : stryMutAct_9fa48("67") ? false : stryMutAct_9fa48("66") ? true : (stryCov_9fa48("66", "67", "68"), (stryMutAct_9fa48("71") ? c < 0x30 : stryMutAct_9fa48("70") ? c > 0x30 : stryMutAct_9fa48("69") ? true : (stryCov_9fa48("69", "70", "71"), c >= 0x30)) && (stryMutAct_9fa48("74") ? c > 0x39 : stryMutAct_9fa48("73") ? c < 0x39 : stryMutAct_9fa48("72") ? true : (stryCov_9fa48("72", "73", "74"), c <= 0x39)));
        if (stryMutAct_9fa48("77") ? !isDigit || c !== 0x2d : stryMutAct_9fa48("76") ? false : stryMutAct_9fa48("75") ? true : (stryCov_9fa48("75", "76", "77"), (stryMutAct_9fa48("78") ? isDigit : (stryCov_9fa48("78"), !isDigit)) && (stryMutAct_9fa48("80") ? c === 0x2d : stryMutAct_9fa48("79") ? true : (stryCov_9fa48("79", "80"), c !== 0x2d)))) continue;
        // A number token: [-]digits[.digits][e[+-]digits]
        let j = stryMutAct_9fa48("81") ? i - (c === 0x2d ? 1 : 0) : (stryCov_9fa48("81"), i + ((stryMutAct_9fa48("84") ? c !== 0x2d : stryMutAct_9fa48("83") ? false : stryMutAct_9fa48("82") ? true : (stryCov_9fa48("82", "83", "84"), c === 0x2d)) ? 1 : 0));
        while (stryMutAct_9fa48("86") ? j < text.length && text.charCodeAt(j) >= 0x30 || text.charCodeAt(j) <= 0x39 : stryMutAct_9fa48("85") ? false : (stryCov_9fa48("85", "86"), (stryMutAct_9fa48("88") ? j < text.length || text.charCodeAt(j) >= 0x30 : stryMutAct_9fa48("87") ? true : (stryCov_9fa48("87", "88"), (stryMutAct_9fa48("91") ? j >= text.length : stryMutAct_9fa48("90") ? j <= text.length : stryMutAct_9fa48("89") ? true : (stryCov_9fa48("89", "90", "91"), j < text.length)) && (stryMutAct_9fa48("94") ? text.charCodeAt(j) < 0x30 : stryMutAct_9fa48("93") ? text.charCodeAt(j) > 0x30 : stryMutAct_9fa48("92") ? true : (stryCov_9fa48("92", "93", "94"), text.charCodeAt(j) >= 0x30)))) && (stryMutAct_9fa48("97") ? text.charCodeAt(j) > 0x39 : stryMutAct_9fa48("96") ? text.charCodeAt(j) < 0x39 : stryMutAct_9fa48("95") ? true : (stryCov_9fa48("95", "96", "97"), text.charCodeAt(j) <= 0x39)))) stryMutAct_9fa48("98") ? j-- : (stryCov_9fa48("98"), j++);
        const next = text[j];
        const integer = stryMutAct_9fa48("101") ? next !== '.' && next !== 'e' || next !== 'E' : stryMutAct_9fa48("100") ? false : stryMutAct_9fa48("99") ? true : (stryCov_9fa48("99", "100", "101"), (stryMutAct_9fa48("103") ? next !== '.' || next !== 'e' : stryMutAct_9fa48("102") ? true : (stryCov_9fa48("102", "103"), (stryMutAct_9fa48("105") ? next === '.' : stryMutAct_9fa48("104") ? true : (stryCov_9fa48("104", "105"), next !== (stryMutAct_9fa48("106") ? "" : (stryCov_9fa48("106"), '.')))) && (stryMutAct_9fa48("108") ? next === 'e' : stryMutAct_9fa48("107") ? true : (stryCov_9fa48("107", "108"), next !== (stryMutAct_9fa48("109") ? "" : (stryCov_9fa48("109"), 'e')))))) && (stryMutAct_9fa48("111") ? next === 'E' : stryMutAct_9fa48("110") ? true : (stryCov_9fa48("110", "111"), next !== (stryMutAct_9fa48("112") ? "" : (stryCov_9fa48("112"), 'E')))));
        const token = stryMutAct_9fa48("113") ? text : (stryCov_9fa48("113"), text.slice(i, j));
        if (stryMutAct_9fa48("116") ? integer && token.replace('-', '').length >= 16 || !Number.isSafeInteger(Number(token)) : stryMutAct_9fa48("115") ? false : stryMutAct_9fa48("114") ? true : (stryCov_9fa48("114", "115", "116"), (stryMutAct_9fa48("118") ? integer || token.replace('-', '').length >= 16 : stryMutAct_9fa48("117") ? true : (stryCov_9fa48("117", "118"), integer && (stryMutAct_9fa48("121") ? token.replace('-', '').length < 16 : stryMutAct_9fa48("120") ? token.replace('-', '').length > 16 : stryMutAct_9fa48("119") ? true : (stryCov_9fa48("119", "120", "121"), token.replace(stryMutAct_9fa48("122") ? "" : (stryCov_9fa48("122"), '-'), stryMutAct_9fa48("123") ? "Stryker was here!" : (stryCov_9fa48("123"), '')).length >= 16)))) && (stryMutAct_9fa48("124") ? Number.isSafeInteger(Number(token)) : (stryCov_9fa48("124"), !Number.isSafeInteger(Number(token)))))) {
          if (stryMutAct_9fa48("125")) {
            {}
          } else {
            stryCov_9fa48("125");
            out += stryMutAct_9fa48("126") ? `` : (stryCov_9fa48("126"), `${stryMutAct_9fa48("127") ? text : (stryCov_9fa48("127"), text.slice(last, i))}"${token}"`);
            last = j;
          }
        }
        // Skip the rest of a non-integer number so its fraction/exponent digits are not read as a token.
        while (stryMutAct_9fa48("129") ? j < text.length || /[0-9.eE+-]/.test(text[j]) : stryMutAct_9fa48("128") ? false : (stryCov_9fa48("128", "129"), (stryMutAct_9fa48("132") ? j >= text.length : stryMutAct_9fa48("131") ? j <= text.length : stryMutAct_9fa48("130") ? true : (stryCov_9fa48("130", "131", "132"), j < text.length)) && (stryMutAct_9fa48("133") ? /[^0-9.eE+-]/ : (stryCov_9fa48("133"), /[0-9.eE+-]/)).test(text[j]))) stryMutAct_9fa48("134") ? j-- : (stryCov_9fa48("134"), j++);
        i = stryMutAct_9fa48("135") ? j + 1 : (stryCov_9fa48("135"), j - 1);
      }
    }
    return (stryMutAct_9fa48("138") ? last !== 0 : stryMutAct_9fa48("137") ? false : stryMutAct_9fa48("136") ? true : (stryCov_9fa48("136", "137", "138"), last === 0)) ? text : stryMutAct_9fa48("139") ? out - text.slice(last) : (stryCov_9fa48("139"), out + (stryMutAct_9fa48("140") ? text : (stryCov_9fa48("140"), text.slice(last))));
  }
}

/** A Kling field as text: null for missing, null or empty values; numbers as their decimal text. */
export function textOrNull(v: unknown): string | null {
  if (stryMutAct_9fa48("141")) {
    {}
  } else {
    stryCov_9fa48("141");
    return (stryMutAct_9fa48("144") ? (v === null || v === undefined) && v === '' : stryMutAct_9fa48("143") ? false : stryMutAct_9fa48("142") ? true : (stryCov_9fa48("142", "143", "144"), (stryMutAct_9fa48("146") ? v === null && v === undefined : stryMutAct_9fa48("145") ? false : (stryCov_9fa48("145", "146"), (stryMutAct_9fa48("148") ? v !== null : stryMutAct_9fa48("147") ? false : (stryCov_9fa48("147", "148"), v === null)) || (stryMutAct_9fa48("150") ? v !== undefined : stryMutAct_9fa48("149") ? false : (stryCov_9fa48("149", "150"), v === undefined)))) || (stryMutAct_9fa48("152") ? v !== '' : stryMutAct_9fa48("151") ? false : (stryCov_9fa48("151", "152"), v === (stryMutAct_9fa48("153") ? "Stryker was here!" : (stryCov_9fa48("153"), '')))))) ? null : String(v);
  }
}