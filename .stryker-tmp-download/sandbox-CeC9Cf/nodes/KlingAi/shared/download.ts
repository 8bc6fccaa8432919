/**
 * Streamed download of task results into n8n binary data. Goes through httpRequestWithAuthentication
 * (proxy, logging); the credential adds its token only for the Kling API origin, never for CDN hosts.
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
import { NodeOperationError, type IBinaryKeyData, type IExecuteFunctions, type IHttpRequestOptions, type INode } from 'n8n-workflow';
type PrepareBinaryData = IExecuteFunctions['helpers']['prepareBinaryData'];
/** The response stream, typed through n8n's own signature (node:stream may not be imported here). */
type BinaryStream = Parameters<PrepareBinaryData>[0] & {
  destroy?: () => void;
};
import { FILE_TYPES, type FileType } from './endpoints';
import { CREDENTIAL_NAME } from './transport';
import type { KlingTaskItem } from './task';
export interface DownloadContext {
  getNode(): INode;
  helpers: {
    httpRequestWithAuthentication(this: unknown, credentialsType: string, requestOptions: IHttpRequestOptions): Promise<unknown>;
    prepareBinaryData: PrepareBinaryData;
  };
  getExecutionCancelSignal?: () => AbortSignal | undefined;
}
export interface DownloadOptions {
  /** Binary property of the first file; further files get `_1`, `_2`, ... */
  binaryProperty: string;
  /** Download the watermarked variant when Kling provides one. */
  watermarked?: boolean;
  itemIndex?: number;
}
interface Target {
  url: string;
  /** File name without extension (named after the task). */
  baseName: string;
  extension: string;
  mimeType: string;
  /** The extension was not given by Kling's field name: the response's content type may correct it. */
  guessed: boolean;
}
const EXTENSION_ALIASES: Record<string, FileType> = stryMutAct_9fa48("0") ? {} : (stryCov_9fa48("0"), {
  jpeg: stryMutAct_9fa48("1") ? "" : (stryCov_9fa48("1"), 'jpg')
});

/** The file type a URL's path names (".../output.jpeg?x" → jpg), if it is one results come in. */
export function fileTypeOfUrl(url: string): FileType | undefined {
  if (stryMutAct_9fa48("2")) {
    {}
  } else {
    stryCov_9fa48("2");
    let path = url;
    try {
      if (stryMutAct_9fa48("3")) {
        {}
      } else {
        stryCov_9fa48("3");
        path = new URL(url).pathname;
      }
    } catch {
      // not absolute: look at the string itself
    }
    const ext = stryMutAct_9fa48("5") ? /\.([A-Za-z0-9]{2,4})$/.exec(path)[1].toLowerCase() : stryMutAct_9fa48("4") ? /\.([A-Za-z0-9]{2,4})$/.exec(path)?.[1].toUpperCase() : (stryCov_9fa48("4", "5"), (stryMutAct_9fa48("8") ? /\.([^A-Za-z0-9]{2,4})$/ : stryMutAct_9fa48("7") ? /\.([A-Za-z0-9])$/ : stryMutAct_9fa48("6") ? /\.([A-Za-z0-9]{2,4})/ : (stryCov_9fa48("6", "7", "8"), /\.([A-Za-z0-9]{2,4})$/)).exec(path)?.[1].toLowerCase());
    if (stryMutAct_9fa48("11") ? false : stryMutAct_9fa48("10") ? true : stryMutAct_9fa48("9") ? ext : (stryCov_9fa48("9", "10", "11"), !ext)) return undefined;
    const type = stryMutAct_9fa48("12") ? EXTENSION_ALIASES[ext] && ext : (stryCov_9fa48("12"), EXTENSION_ALIASES[ext] ?? ext);
    return type in FILE_TYPES ? type as FileType : undefined;
  }
}

/** The file type of a response content type ("audio/mpeg; x" → mp3), if it is one results come in. */
export function fileTypeOfContentType(contentType: string): FileType | undefined {
  if (stryMutAct_9fa48("13")) {
    {}
  } else {
    stryCov_9fa48("13");
    const mime = stryMutAct_9fa48("15") ? contentType.split(';')[0].toLowerCase() : stryMutAct_9fa48("14") ? contentType.split(';')[0].trim().toUpperCase() : (stryCov_9fa48("14", "15"), contentType.split(stryMutAct_9fa48("16") ? "" : (stryCov_9fa48("16"), ';'))[0].trim().toLowerCase());
    const aliases: Record<string, FileType> = stryMutAct_9fa48("17") ? {} : (stryCov_9fa48("17"), {
      'audio/mp3': stryMutAct_9fa48("18") ? "" : (stryCov_9fa48("18"), 'mp3'),
      'audio/x-wav': stryMutAct_9fa48("19") ? "" : (stryCov_9fa48("19"), 'wav'),
      'audio/wave': stryMutAct_9fa48("20") ? "" : (stryCov_9fa48("20"), 'wav'),
      'image/jpg': stryMutAct_9fa48("21") ? "" : (stryCov_9fa48("21"), 'jpg')
    });
    if (stryMutAct_9fa48("23") ? false : stryMutAct_9fa48("22") ? true : (stryCov_9fa48("22", "23"), aliases[mime])) return aliases[mime];
    return (Object.keys(FILE_TYPES) as FileType[]).find(stryMutAct_9fa48("24") ? () => undefined : (stryCov_9fa48("24"), t => stryMutAct_9fa48("27") ? FILE_TYPES[t] !== mime : stryMutAct_9fa48("26") ? false : stryMutAct_9fa48("25") ? true : (stryCov_9fa48("25", "26", "27"), FILE_TYPES[t] === mime)));
  }
}

/**
 * A target whose type Kling states (`url_mp3`, a video) keeps it; otherwise the URL's extension decides,
 * then `fallback` (refined by the response's content type when the URL says nothing).
 */
function target(url: string | null, baseName: string, stated: FileType | undefined, fallback: FileType): Target | undefined {
  if (stryMutAct_9fa48("28")) {
    {}
  } else {
    stryCov_9fa48("28");
    if (stryMutAct_9fa48("31") ? false : stryMutAct_9fa48("30") ? true : stryMutAct_9fa48("29") ? url : (stryCov_9fa48("29", "30", "31"), !url)) return undefined;
    const fromUrl = stated ? undefined : fileTypeOfUrl(url);
    const type = stryMutAct_9fa48("32") ? (stated ?? fromUrl) && fallback : (stryCov_9fa48("32"), (stryMutAct_9fa48("33") ? stated && fromUrl : (stryCov_9fa48("33"), stated ?? fromUrl)) ?? fallback);
    return stryMutAct_9fa48("34") ? {} : (stryCov_9fa48("34"), {
      url,
      baseName,
      extension: type,
      mimeType: FILE_TYPES[type],
      guessed: stryMutAct_9fa48("37") ? !stated || !fromUrl : stryMutAct_9fa48("36") ? false : stryMutAct_9fa48("35") ? true : (stryCov_9fa48("35", "36", "37"), (stryMutAct_9fa48("38") ? stated : (stryCov_9fa48("38"), !stated)) && (stryMutAct_9fa48("39") ? fromUrl : (stryCov_9fa48("39"), !fromUrl)))
    });
  }
}

/** Every file of a task item, in binary-property order: videos, images (each angle of a set), series images, audios (MP3 then WAV). */
function targetsOf(item: KlingTaskItem, watermarked: boolean): Target[] {
  if (stryMutAct_9fa48("40")) {
    {}
  } else {
    stryCov_9fa48("40");
    const pick = stryMutAct_9fa48("41") ? () => undefined : (stryCov_9fa48("41"), (() => {
      const pick = (u: string | null, w: string | null) => (stryMutAct_9fa48("44") ? watermarked || w : stryMutAct_9fa48("43") ? false : stryMutAct_9fa48("42") ? true : (stryCov_9fa48("42", "43", "44"), watermarked && w)) ? w : u;
      return pick;
    })());
    const id = item.taskId;
    const list: Array<Target | undefined> = stryMutAct_9fa48("45") ? ["Stryker was here"] : (stryCov_9fa48("45"), []);
    item.videos.forEach(stryMutAct_9fa48("46") ? () => undefined : (stryCov_9fa48("46"), (v, i) => list.push(target(pick(v.url, v.watermarkUrl), stryMutAct_9fa48("47") ? `` : (stryCov_9fa48("47"), `${id}${i ? stryMutAct_9fa48("48") ? `` : (stryCov_9fa48("48"), `_${i}`) : stryMutAct_9fa48("49") ? "Stryker was here!" : (stryCov_9fa48("49"), '')}`), undefined, stryMutAct_9fa48("50") ? "" : (stryCov_9fa48("50"), 'mp4')))));
    item.images.forEach((im, i) => {
      if (stryMutAct_9fa48("51")) {
        {}
      } else {
        stryCov_9fa48("51");
        const base = stryMutAct_9fa48("52") ? `` : (stryCov_9fa48("52"), `${id}_${stryMutAct_9fa48("53") ? im.index && i : (stryCov_9fa48("53"), im.index ?? i)}`);
        if (stryMutAct_9fa48("56") ? im.angleUrls.length : stryMutAct_9fa48("55") ? false : stryMutAct_9fa48("54") ? true : (stryCov_9fa48("54", "55", "56"), im.angleUrls?.length)) im.angleUrls.forEach(stryMutAct_9fa48("57") ? () => undefined : (stryCov_9fa48("57"), (u, k) => list.push(target(u, stryMutAct_9fa48("58") ? `` : (stryCov_9fa48("58"), `${base}_${stryMutAct_9fa48("59") ? k - 1 : (stryCov_9fa48("59"), k + 1)}`), undefined, stryMutAct_9fa48("60") ? "" : (stryCov_9fa48("60"), 'png')))));else list.push(target(pick(im.url, im.watermarkUrl), im.type ? stryMutAct_9fa48("61") ? `` : (stryCov_9fa48("61"), `${base}_${im.type}`) : base, undefined, stryMutAct_9fa48("62") ? "" : (stryCov_9fa48("62"), 'png')));
      }
    });
    item.seriesImages.forEach(stryMutAct_9fa48("63") ? () => undefined : (stryCov_9fa48("63"), (im, i) => list.push(target(pick(im.url, im.watermarkUrl), stryMutAct_9fa48("64") ? `` : (stryCov_9fa48("64"), `${id}_series_${stryMutAct_9fa48("65") ? im.index && i : (stryCov_9fa48("65"), im.index ?? i)}`), undefined, stryMutAct_9fa48("66") ? "" : (stryCov_9fa48("66"), 'png')))));
    item.audios.forEach((a, i) => {
      if (stryMutAct_9fa48("67")) {
        {}
      } else {
        stryCov_9fa48("67");
        const base = stryMutAct_9fa48("68") ? `` : (stryCov_9fa48("68"), `${id}_audio${i ? stryMutAct_9fa48("69") ? `` : (stryCov_9fa48("69"), `_${i}`) : stryMutAct_9fa48("70") ? "Stryker was here!" : (stryCov_9fa48("70"), '')}`);
        if (stryMutAct_9fa48("73") ? a.mp3Url && a.wavUrl : stryMutAct_9fa48("72") ? false : stryMutAct_9fa48("71") ? true : (stryCov_9fa48("71", "72", "73"), a.mp3Url || a.wavUrl)) {
          if (stryMutAct_9fa48("74")) {
            {}
          } else {
            stryCov_9fa48("74");
            list.push(target(a.mp3Url, base, stryMutAct_9fa48("75") ? "" : (stryCov_9fa48("75"), 'mp3'), stryMutAct_9fa48("76") ? "" : (stryCov_9fa48("76"), 'mp3')), target(a.wavUrl, base, stryMutAct_9fa48("77") ? "" : (stryCov_9fa48("77"), 'wav'), stryMutAct_9fa48("78") ? "" : (stryCov_9fa48("78"), 'wav')));
          }
        } else list.push(target(a.url, base, undefined, stryMutAct_9fa48("79") ? "" : (stryCov_9fa48("79"), 'mp3')));
      }
    });
    return stryMutAct_9fa48("80") ? list : (stryCov_9fa48("80"), list.filter(stryMutAct_9fa48("81") ? () => undefined : (stryCov_9fa48("81"), (t): t is Target => stryMutAct_9fa48("84") ? t === undefined : stryMutAct_9fa48("83") ? false : stryMutAct_9fa48("82") ? true : (stryCov_9fa48("82", "83", "84"), t !== undefined))));
  }
}

/** Whether the item has any file to download (videos, images, angle sets, series images, audios). */
export function hasResultFiles(item: KlingTaskItem): boolean {
  if (stryMutAct_9fa48("85")) {
    {}
  } else {
    stryCov_9fa48("85");
    return stryMutAct_9fa48("89") ? targetsOf(item, false).length <= 0 : stryMutAct_9fa48("88") ? targetsOf(item, false).length >= 0 : stryMutAct_9fa48("87") ? false : stryMutAct_9fa48("86") ? true : (stryCov_9fa48("86", "87", "88", "89"), targetsOf(item, stryMutAct_9fa48("90") ? true : (stryCov_9fa48("90"), false)).length > 0);
  }
}
export function binaryPropertyName(base: string, index: number): string {
  if (stryMutAct_9fa48("91")) {
    {}
  } else {
    stryCov_9fa48("91");
    return (stryMutAct_9fa48("94") ? index !== 0 : stryMutAct_9fa48("93") ? false : stryMutAct_9fa48("92") ? true : (stryCov_9fa48("92", "93", "94"), index === 0)) ? base : stryMutAct_9fa48("95") ? `` : (stryCov_9fa48("95"), `${base}_${index}`);
  }
}
export async function downloadResults(ctx: DownloadContext, item: KlingTaskItem, options: DownloadOptions): Promise<IBinaryKeyData> {
  if (stryMutAct_9fa48("96")) {
    {}
  } else {
    stryCov_9fa48("96");
    const binary: IBinaryKeyData = {};
    const targets = targetsOf(item, stryMutAct_9fa48("97") ? !options.watermarked : (stryCov_9fa48("97"), !(stryMutAct_9fa48("98") ? options.watermarked : (stryCov_9fa48("98"), !options.watermarked))));
    for (const [i, target] of targets.entries()) {
      if (stryMutAct_9fa48("99")) {
        {}
      } else {
        stryCov_9fa48("99");
        const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_NAME, {
          method: 'GET',
          url: target.url,
          encoding: 'stream',
          returnFullResponse: true,
          ignoreHttpStatusErrors: true,
          timeout: 10 * 60_000,
          abortSignal: ctx.getExecutionCancelSignal?.()
        })) as {
          statusCode: number;
          headers: Record<string, unknown>;
          body: BinaryStream;
        };
        if (stryMutAct_9fa48("103") ? res.statusCode < 400 : stryMutAct_9fa48("102") ? res.statusCode > 400 : stryMutAct_9fa48("101") ? false : stryMutAct_9fa48("100") ? true : (stryCov_9fa48("100", "101", "102", "103"), res.statusCode >= 400)) {
          if (stryMutAct_9fa48("104")) {
            {}
          } else {
            stryCov_9fa48("104");
            stryMutAct_9fa48("106") ? res.body.destroy?.() : stryMutAct_9fa48("105") ? res.body?.destroy() : (stryCov_9fa48("105", "106"), res.body?.destroy?.());
            const expired = stryMutAct_9fa48("109") ? (res.statusCode === 403 || res.statusCode === 404) && res.statusCode === 410 : stryMutAct_9fa48("108") ? false : stryMutAct_9fa48("107") ? true : (stryCov_9fa48("107", "108", "109"), (stryMutAct_9fa48("111") ? res.statusCode === 403 && res.statusCode === 404 : stryMutAct_9fa48("110") ? false : (stryCov_9fa48("110", "111"), (stryMutAct_9fa48("113") ? res.statusCode !== 403 : stryMutAct_9fa48("112") ? false : (stryCov_9fa48("112", "113"), res.statusCode === 403)) || (stryMutAct_9fa48("115") ? res.statusCode !== 404 : stryMutAct_9fa48("114") ? false : (stryCov_9fa48("114", "115"), res.statusCode === 404)))) || (stryMutAct_9fa48("117") ? res.statusCode !== 410 : stryMutAct_9fa48("116") ? false : (stryCov_9fa48("116", "117"), res.statusCode === 410)));
            throw new NodeOperationError(ctx.getNode(), stryMutAct_9fa48("118") ? `` : (stryCov_9fa48("118"), `Could not download result ${stryMutAct_9fa48("119") ? i - 1 : (stryCov_9fa48("119"), i + 1)} of task ${item.taskId}: HTTP ${res.statusCode}`), stryMutAct_9fa48("120") ? {} : (stryCov_9fa48("120"), {
              itemIndex: options.itemIndex,
              description: expired ? stryMutAct_9fa48("121") ? "" : (stryCov_9fa48("121"), 'Kling deletes results 30 days after the task was created. Download results promptly (see "resultsExpireAt").') : stryMutAct_9fa48("122") ? "" : (stryCov_9fa48("122"), 'The result URL did not answer. Try again later.')
            }));
          }
        }
        const contentType = stryMutAct_9fa48("123") ? String(res.headers?.['content-type'] ?? '').split(';')[0] : (stryCov_9fa48("123"), String(stryMutAct_9fa48("124") ? res.headers?.['content-type'] && '' : (stryCov_9fa48("124"), (stryMutAct_9fa48("125") ? res.headers['content-type'] : (stryCov_9fa48("125"), res.headers?.[stryMutAct_9fa48("126") ? "" : (stryCov_9fa48("126"), 'content-type')])) ?? (stryMutAct_9fa48("127") ? "Stryker was here!" : (stryCov_9fa48("127"), '')))).split(stryMutAct_9fa48("128") ? "" : (stryCov_9fa48("128"), ';'))[0].trim());
        const served = target.guessed ? fileTypeOfContentType(contentType) : undefined;
        const extension = stryMutAct_9fa48("129") ? served && target.extension : (stryCov_9fa48("129"), served ?? target.extension);
        const mimeType = (stryMutAct_9fa48("132") ? contentType || contentType !== 'application/octet-stream' : stryMutAct_9fa48("131") ? false : stryMutAct_9fa48("130") ? true : (stryCov_9fa48("130", "131", "132"), contentType && (stryMutAct_9fa48("134") ? contentType === 'application/octet-stream' : stryMutAct_9fa48("133") ? true : (stryCov_9fa48("133", "134"), contentType !== (stryMutAct_9fa48("135") ? "" : (stryCov_9fa48("135"), 'application/octet-stream')))))) ? contentType : target.mimeType;
        binary[binaryPropertyName(options.binaryProperty, i)] = await ctx.helpers.prepareBinaryData(res.body, stryMutAct_9fa48("136") ? `` : (stryCov_9fa48("136"), `${target.baseName}.${extension}`), mimeType);
      }
    }
    return binary;
  }
}