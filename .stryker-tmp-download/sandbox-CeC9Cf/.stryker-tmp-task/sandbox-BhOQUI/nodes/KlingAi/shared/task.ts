/**
 * The Kling task object in all its documented forms, and the one normalised item every
 * node emits (Get Task, List Tasks, callback trigger, poll trigger, create-and-wait).
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
import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { ENDPOINTS, isTaskType, type KlingTaskType, type ResultKind } from './endpoints';
import { parseJsonLossless, textOrNull } from './json';
import { libraryFromLegacyResult, libraryOutput, type KlingElement, type KlingVoice } from './library';
const NEW_STANDARD_TYPE: KlingTaskType = stryMutAct_9fa48("0") ? "" : (stryCov_9fa48("0"), 'newStandard');
const numeric = z.union(stryMutAct_9fa48("1") ? [] : (stryCov_9fa48("1"), [z.number(), z.string()])).nullish();
const str = z.union(stryMutAct_9fa48("2") ? [] : (stryCov_9fa48("2"), [z.string(), z.number()])).nullish();
const videoSchema = z.object(stryMutAct_9fa48("3") ? {} : (stryCov_9fa48("3"), {
  id: str,
  url: z.string().nullish(),
  watermark_url: z.string().nullish(),
  duration: numeric
})).passthrough();
const imageSchema = z.object(stryMutAct_9fa48("4") ? {} : (stryCov_9fa48("4"), {
  index: numeric,
  url: z.string().nullish(),
  watermark_url: z.string().nullish()
})).passthrough();
/** Audio in both legacy spellings: TTS `{id,url,duration}`, text/video to audio `{id,url_mp3,url_wav,duration_mp3,duration_wav}`. */
const audioSchema = z.object(stryMutAct_9fa48("5") ? {} : (stryCov_9fa48("5"), {
  id: str
})).passthrough();

/** Legacy-standard task object (query responses and callback bodies). */
export const legacyTaskSchema = z.object(stryMutAct_9fa48("6") ? {} : (stryCov_9fa48("6"), {
  task_id: z.union(stryMutAct_9fa48("7") ? [] : (stryCov_9fa48("7"), [stryMutAct_9fa48("8") ? z.string().max(1) : (stryCov_9fa48("8"), z.string().min(1)), z.number()])),
  task_status: stryMutAct_9fa48("9") ? z.string().max(1) : (stryCov_9fa48("9"), z.string().min(1)),
  task_status_msg: z.string().nullish(),
  task_info: z.object(stryMutAct_9fa48("10") ? {} : (stryCov_9fa48("10"), {
    external_task_id: z.string().nullish(),
    parent_video: z.object(stryMutAct_9fa48("11") ? {} : (stryCov_9fa48("11"), {
      id: str,
      url: z.string().nullish(),
      duration: numeric
    })).passthrough().nullish()
  })).passthrough().nullish(),
  task_result: z.object(stryMutAct_9fa48("12") ? {} : (stryCov_9fa48("12"), {
    videos: z.array(videoSchema).nullish(),
    images: z.array(imageSchema).nullish(),
    audios: z.array(audioSchema).nullish(),
    series_images: z.array(imageSchema).nullish(),
    result_type: z.string().nullish()
  })).passthrough().nullish(),
  final_unit_deduction: numeric,
  created_at: numeric,
  updated_at: numeric
})).passthrough();

/** New-standard task object (2026 endpoints): `{id, status, outputs}`. */
export const newStandardTaskSchema = z.object(stryMutAct_9fa48("13") ? {} : (stryCov_9fa48("13"), {
  id: z.union(stryMutAct_9fa48("14") ? [] : (stryCov_9fa48("14"), [stryMutAct_9fa48("15") ? z.string().max(1) : (stryCov_9fa48("15"), z.string().min(1)), z.number()])),
  status: stryMutAct_9fa48("16") ? z.string().max(1) : (stryCov_9fa48("16"), z.string().min(1)),
  message: z.string().nullish(),
  external_id: z.string().nullish(),
  create_time: numeric,
  update_time: numeric,
  outputs: z.array(z.object(stryMutAct_9fa48("17") ? {} : (stryCov_9fa48("17"), {
    type: z.string().nullish()
  })).passthrough()).nullish(),
  billing: z.array(z.object({}).passthrough()).nullish()
})).passthrough();

/** `{code, message, data}` envelope that some guides show around callback bodies. */
export const envelopeSchema = z.object(stryMutAct_9fa48("18") ? {} : (stryCov_9fa48("18"), {
  code: z.number(),
  message: z.string().nullish(),
  request_id: z.string().nullish(),
  data: z.unknown()
})).passthrough();
export type LegacyTask = z.infer<typeof legacyTaskSchema>;
export type NewStandardTask = z.infer<typeof newStandardTaskSchema>;
export type TaskStatus = 'submitted' | 'processing' | 'succeeded' | 'failed';
export const TERMINAL_STATUSES: readonly TaskStatus[] = stryMutAct_9fa48("19") ? [] : (stryCov_9fa48("19"), [stryMutAct_9fa48("20") ? "" : (stryCov_9fa48("20"), 'succeeded'), stryMutAct_9fa48("21") ? "" : (stryCov_9fa48("21"), 'failed')]);
const STATUS_ALIASES: Record<string, TaskStatus> = stryMutAct_9fa48("22") ? {} : (stryCov_9fa48("22"), {
  submitted: stryMutAct_9fa48("23") ? "" : (stryCov_9fa48("23"), 'submitted'),
  pending: stryMutAct_9fa48("24") ? "" : (stryCov_9fa48("24"), 'submitted'),
  queued: stryMutAct_9fa48("25") ? "" : (stryCov_9fa48("25"), 'submitted'),
  processing: stryMutAct_9fa48("26") ? "" : (stryCov_9fa48("26"), 'processing'),
  running: stryMutAct_9fa48("27") ? "" : (stryCov_9fa48("27"), 'processing'),
  succeed: stryMutAct_9fa48("28") ? "" : (stryCov_9fa48("28"), 'succeeded'),
  succeeded: stryMutAct_9fa48("29") ? "" : (stryCov_9fa48("29"), 'succeeded'),
  success: stryMutAct_9fa48("30") ? "" : (stryCov_9fa48("30"), 'succeeded'),
  failed: stryMutAct_9fa48("31") ? "" : (stryCov_9fa48("31"), 'failed'),
  fail: stryMutAct_9fa48("32") ? "" : (stryCov_9fa48("32"), 'failed')
});
export function normaliseStatus(raw: unknown): TaskStatus | undefined {
  if (stryMutAct_9fa48("33")) {
    {}
  } else {
    stryCov_9fa48("33");
    return (stryMutAct_9fa48("36") ? typeof raw !== 'string' : stryMutAct_9fa48("35") ? false : stryMutAct_9fa48("34") ? true : (stryCov_9fa48("34", "35", "36"), typeof raw === (stryMutAct_9fa48("37") ? "" : (stryCov_9fa48("37"), 'string')))) ? STATUS_ALIASES[stryMutAct_9fa48("39") ? raw.toLowerCase() : stryMutAct_9fa48("38") ? raw.trim().toUpperCase() : (stryCov_9fa48("38", "39"), raw.trim().toLowerCase())] : undefined;
  }
}
export function isTerminal(status: TaskStatus): boolean {
  if (stryMutAct_9fa48("40")) {
    {}
  } else {
    stryCov_9fa48("40");
    return stryMutAct_9fa48("43") ? status === 'succeeded' && status === 'failed' : stryMutAct_9fa48("42") ? false : stryMutAct_9fa48("41") ? true : (stryCov_9fa48("41", "42", "43"), (stryMutAct_9fa48("45") ? status !== 'succeeded' : stryMutAct_9fa48("44") ? false : (stryCov_9fa48("44", "45"), status === (stryMutAct_9fa48("46") ? "" : (stryCov_9fa48("46"), 'succeeded')))) || (stryMutAct_9fa48("48") ? status !== 'failed' : stryMutAct_9fa48("47") ? false : (stryCov_9fa48("47", "48"), status === (stryMutAct_9fa48("49") ? "" : (stryCov_9fa48("49"), 'failed')))));
  }
}
const STATUS_RANK: Record<TaskStatus, number> = stryMutAct_9fa48("50") ? {} : (stryCov_9fa48("50"), {
  submitted: 0,
  processing: 1,
  succeeded: 2,
  failed: 2
});
export interface KlingVideo {
  id: string | null;
  url: string | null;
  watermarkUrl: string | null;
  durationSeconds: number | null;
  /** Multi-element editing only: the selection session the video was made from. */
  sessionId?: string;
}

/** One new-standard billing line (`billing[]`, kling-api-2026.md §3.2); absent fields are null. */
export interface KlingBillingLine {
  /** `cash` (balance) or `unit` (resource package). */
  chargeType: string | null;
  /** `balance` or `test_balance` (cash only). */
  cashType: string | null;
  /** Kling's decimal string, kept as sent: a discounted price (cash) or units (unit). */
  amount: string | null;
  /** Cash only. */
  currency: string | null;
  /** `video`, `image` or `audio` (unit only). */
  packageType: string | null;
  /** Cash only. */
  listPrice: string | null;
}
export interface KlingImage {
  index: number;
  /** AI multi-shot angle sets have no `url`: this is their first angle (`url_1`). */
  url: string | null;
  watermarkUrl: string | null;
  /** AI multi-shot only: the three angle images of the set (`url_1`, `url_2`, `url_3`). */
  angleUrls?: string[];
  /** Image recognize only: the segment (`object_seg`, `head_seg`, `face_seg`, `cloth_seg`). */
  type?: string;
  /** Image recognize only: whether the image contains that segment (`is_contain`). */
  isContain?: boolean;
  /** New-standard grouped images only (`group_id`). */
  groupId?: string;
}

/**
 * One audio result, whichever naming Kling used: legacy TTS `{id,url,duration}`, legacy
 * `{id,url_mp3,url_wav,duration_mp3,duration_wav}`, new-standard `{id,mp3_url,wav_url,mp3_duration,wav_duration}`.
 */
export interface KlingAudio {
  id: string | null;
  /** The MP3 when there is one, else the only URL Kling gave. */
  url: string | null;
  mp3Url: string | null;
  wavUrl: string | null;
  /** Duration of `url` (the MP3 when there is one), seconds. */
  durationSeconds: number | null;
  wavDurationSeconds: number | null;
}

/** The one item shape all nodes emit. */
export interface KlingTaskItem extends IDataObject {
  taskId: string;
  externalTaskId: string | null;
  status: TaskStatus;
  /** Kling's own status word, unchanged (`succeed`, `succeeded`, ...). */
  klingStatus: string;
  statusMessage: string;
  finished: boolean;
  taskType: KlingTaskType | null;
  resultKind: ResultKind | null;
  createdAt: string | null;
  createdAtMs: number | null;
  updatedAt: string | null;
  updatedAtMs: number | null;
  videos: KlingVideo[];
  images: KlingImage[];
  /** Audio results (text to speech, text to audio, video to audio); [] for other kinds. */
  audios: KlingAudio[];
  /** Omni image `series_images` (result type "series"); [] otherwise. */
  seriesImages: KlingImage[];
  /** Omni image `result_type` ("single" | "series"); null for other kinds. */
  resultType: string | null;
  parentVideo: KlingVideo | null;
  /** Custom voices a voice-clone task made (legacy task_result.voices, new-standard `voice` outputs). */
  voices: KlingVoice[];
  /** Elements an element task made (legacy task_result.elements, new-standard `element` outputs). */
  elements: KlingElement[];
  unitsDeducted: number | null;
  /** New-standard billing lines (empty for legacy tasks). */
  billing: KlingBillingLine[];
  /** When Kling deletes the results (30 days after creation), ISO. */
  resultsExpireAt: string | null;
  raw: IDataObject;
}
export class KlingPayloadError extends Error {
  constructor(message: string, readonly reason: 'not_json' | 'no_task_id' | 'unknown_status' | 'not_a_task') {
    super(message);
    this.name = stryMutAct_9fa48("51") ? "" : (stryCov_9fa48("51"), 'KlingPayloadError');
  }
}
const RESULT_RETENTION_MS = stryMutAct_9fa48("52") ? 30 * 24 * 3600 / 1000 : (stryCov_9fa48("52"), (stryMutAct_9fa48("53") ? 30 * 24 / 3600 : (stryCov_9fa48("53"), (stryMutAct_9fa48("54") ? 30 / 24 : (stryCov_9fa48("54"), 30 * 24)) * 3600)) * 1000);
function toNumber(v: unknown): number | null {
  if (stryMutAct_9fa48("55")) {
    {}
  } else {
    stryCov_9fa48("55");
    if (stryMutAct_9fa48("58") ? (v === null || v === undefined) && v === '' : stryMutAct_9fa48("57") ? false : stryMutAct_9fa48("56") ? true : (stryCov_9fa48("56", "57", "58"), (stryMutAct_9fa48("60") ? v === null && v === undefined : stryMutAct_9fa48("59") ? false : (stryCov_9fa48("59", "60"), (stryMutAct_9fa48("62") ? v !== null : stryMutAct_9fa48("61") ? false : (stryCov_9fa48("61", "62"), v === null)) || (stryMutAct_9fa48("64") ? v !== undefined : stryMutAct_9fa48("63") ? false : (stryCov_9fa48("63", "64"), v === undefined)))) || (stryMutAct_9fa48("66") ? v !== '' : stryMutAct_9fa48("65") ? false : (stryCov_9fa48("65", "66"), v === (stryMutAct_9fa48("67") ? "Stryker was here!" : (stryCov_9fa48("67"), '')))))) return null;
    const n = (stryMutAct_9fa48("70") ? typeof v !== 'number' : stryMutAct_9fa48("69") ? false : stryMutAct_9fa48("68") ? true : (stryCov_9fa48("68", "69", "70"), typeof v === (stryMutAct_9fa48("71") ? "" : (stryCov_9fa48("71"), 'number')))) ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  }
}
function toMs(v: unknown): number | null {
  if (stryMutAct_9fa48("72")) {
    {}
  } else {
    stryCov_9fa48("72");
    const n = toNumber(v);
    if (stryMutAct_9fa48("75") ? n !== null : stryMutAct_9fa48("74") ? false : stryMutAct_9fa48("73") ? true : (stryCov_9fa48("73", "74", "75"), n === null)) return null;
    // Kling timestamps are ms; tolerate seconds from older docs or third parties.
    return (stryMutAct_9fa48("79") ? n >= 1e11 : stryMutAct_9fa48("78") ? n <= 1e11 : stryMutAct_9fa48("77") ? false : stryMutAct_9fa48("76") ? true : (stryCov_9fa48("76", "77", "78", "79"), n < 1e11)) ? Math.round(stryMutAct_9fa48("80") ? n / 1000 : (stryCov_9fa48("80"), n * 1000)) : Math.round(n);
  }
}
const iso = stryMutAct_9fa48("81") ? () => undefined : (stryCov_9fa48("81"), (() => {
  const iso = (ms: number | null) => (stryMutAct_9fa48("84") ? ms !== null : stryMutAct_9fa48("83") ? false : stryMutAct_9fa48("82") ? true : (stryCov_9fa48("82", "83", "84"), ms === null)) ? null : new Date(ms).toISOString();
  return iso;
})());
const s = textOrNull;
function mapVideo(v: z.infer<typeof videoSchema>): KlingVideo {
  if (stryMutAct_9fa48("85")) {
    {}
  } else {
    stryCov_9fa48("85");
    const video: KlingVideo = stryMutAct_9fa48("86") ? {} : (stryCov_9fa48("86"), {
      id: s(v.id),
      url: s(v.url),
      watermarkUrl: s(v.watermark_url),
      durationSeconds: toNumber(v.duration)
    });
    // Multi-element editing results name their selection session (DOC-26 L4479); only then is it present.
    const sessionId = s((v as {
      session_id?: unknown;
    }).session_id);
    if (stryMutAct_9fa48("88") ? false : stryMutAct_9fa48("87") ? true : (stryCov_9fa48("87", "88"), sessionId)) video.sessionId = sessionId;
    return video;
  }
}
function mapImage(im: IDataObject, i: number): KlingImage {
  if (stryMutAct_9fa48("89")) {
    {}
  } else {
    stryCov_9fa48("89");
    const image: KlingImage = stryMutAct_9fa48("90") ? {} : (stryCov_9fa48("90"), {
      index: stryMutAct_9fa48("91") ? toNumber(im.index) && i : (stryCov_9fa48("91"), toNumber(im.index) ?? i),
      url: s(im.url),
      watermarkUrl: s(im.watermark_url)
    });
    // AI multi-shot: three angles per set and no `url` key (DOC-NEW subject-completion).
    const angles = stryMutAct_9fa48("92") ? [im.url_1, im.url_2, im.url_3].map(s) : (stryCov_9fa48("92"), (stryMutAct_9fa48("93") ? [] : (stryCov_9fa48("93"), [im.url_1, im.url_2, im.url_3])).map(s).filter(stryMutAct_9fa48("94") ? () => undefined : (stryCov_9fa48("94"), (u): u is string => stryMutAct_9fa48("97") ? u === null : stryMutAct_9fa48("96") ? false : stryMutAct_9fa48("95") ? true : (stryCov_9fa48("95", "96", "97"), u !== null))));
    if (stryMutAct_9fa48("99") ? false : stryMutAct_9fa48("98") ? true : (stryCov_9fa48("98", "99"), angles.length)) {
      if (stryMutAct_9fa48("100")) {
        {}
      } else {
        stryCov_9fa48("100");
        image.angleUrls = angles;
        if (stryMutAct_9fa48("103") ? image.url !== null : stryMutAct_9fa48("102") ? false : stryMutAct_9fa48("101") ? true : (stryCov_9fa48("101", "102", "103"), image.url === null)) image.url = angles[0];
      }
    }
    // Image recognize segments (DOC-26 L6420).
    if (stryMutAct_9fa48("106") ? im.type !== undefined || im.type !== null : stryMutAct_9fa48("105") ? false : stryMutAct_9fa48("104") ? true : (stryCov_9fa48("104", "105", "106"), (stryMutAct_9fa48("108") ? im.type === undefined : stryMutAct_9fa48("107") ? true : (stryCov_9fa48("107", "108"), im.type !== undefined)) && (stryMutAct_9fa48("110") ? im.type === null : stryMutAct_9fa48("109") ? true : (stryCov_9fa48("109", "110"), im.type !== null)))) image.type = String(im.type);
    if (stryMutAct_9fa48("113") ? typeof im.is_contain !== 'boolean' : stryMutAct_9fa48("112") ? false : stryMutAct_9fa48("111") ? true : (stryCov_9fa48("111", "112", "113"), typeof im.is_contain === (stryMutAct_9fa48("114") ? "" : (stryCov_9fa48("114"), 'boolean')))) image.isContain = im.is_contain;else if (stryMutAct_9fa48("117") ? im.is_contain === 'true' && im.is_contain === 'false' : stryMutAct_9fa48("116") ? false : stryMutAct_9fa48("115") ? true : (stryCov_9fa48("115", "116", "117"), (stryMutAct_9fa48("119") ? im.is_contain !== 'true' : stryMutAct_9fa48("118") ? false : (stryCov_9fa48("118", "119"), im.is_contain === (stryMutAct_9fa48("120") ? "" : (stryCov_9fa48("120"), 'true')))) || (stryMutAct_9fa48("122") ? im.is_contain !== 'false' : stryMutAct_9fa48("121") ? false : (stryCov_9fa48("121", "122"), im.is_contain === (stryMutAct_9fa48("123") ? "" : (stryCov_9fa48("123"), 'false')))))) image.isContain = stryMutAct_9fa48("126") ? im.is_contain !== 'true' : stryMutAct_9fa48("125") ? false : stryMutAct_9fa48("124") ? true : (stryCov_9fa48("124", "125", "126"), im.is_contain === (stryMutAct_9fa48("127") ? "" : (stryCov_9fa48("127"), 'true')));
    const groupId = s(im.group_id);
    if (stryMutAct_9fa48("129") ? false : stryMutAct_9fa48("128") ? true : (stryCov_9fa48("128", "129"), groupId)) image.groupId = groupId;
    return image;
  }
}
function mapAudio(a: IDataObject): KlingAudio {
  if (stryMutAct_9fa48("130")) {
    {}
  } else {
    stryCov_9fa48("130");
    const mp3 = s(stryMutAct_9fa48("131") ? a.url_mp3 && a.mp3_url : (stryCov_9fa48("131"), a.url_mp3 ?? a.mp3_url));
    const wav = s(stryMutAct_9fa48("132") ? a.url_wav && a.wav_url : (stryCov_9fa48("132"), a.url_wav ?? a.wav_url));
    const plain = s(a.url);
    const url = stryMutAct_9fa48("133") ? (mp3 ?? plain) && wav : (stryCov_9fa48("133"), (stryMutAct_9fa48("134") ? mp3 && plain : (stryCov_9fa48("134"), mp3 ?? plain)) ?? wav);
    return stryMutAct_9fa48("135") ? {} : (stryCov_9fa48("135"), {
      id: s(a.id),
      url,
      mp3Url: mp3,
      wavUrl: wav,
      durationSeconds: toNumber(stryMutAct_9fa48("136") ? (a.duration_mp3 ?? a.mp3_duration ?? a.duration) && (url !== null && url === wav ? a.duration_wav ?? a.wav_duration : null) : (stryCov_9fa48("136"), (stryMutAct_9fa48("137") ? (a.duration_mp3 ?? a.mp3_duration) && a.duration : (stryCov_9fa48("137"), (stryMutAct_9fa48("138") ? a.duration_mp3 && a.mp3_duration : (stryCov_9fa48("138"), a.duration_mp3 ?? a.mp3_duration)) ?? a.duration)) ?? ((stryMutAct_9fa48("141") ? url !== null || url === wav : stryMutAct_9fa48("140") ? false : stryMutAct_9fa48("139") ? true : (stryCov_9fa48("139", "140", "141"), (stryMutAct_9fa48("143") ? url === null : stryMutAct_9fa48("142") ? true : (stryCov_9fa48("142", "143"), url !== null)) && (stryMutAct_9fa48("145") ? url !== wav : stryMutAct_9fa48("144") ? true : (stryCov_9fa48("144", "145"), url === wav)))) ? stryMutAct_9fa48("146") ? a.duration_wav && a.wav_duration : (stryCov_9fa48("146"), a.duration_wav ?? a.wav_duration) : null))),
      wavDurationSeconds: toNumber(stryMutAct_9fa48("147") ? a.duration_wav && a.wav_duration : (stryCov_9fa48("147"), a.duration_wav ?? a.wav_duration))
    });
  }
}
const NOT_JSON = Symbol('not-json');
function parseJson(text: string): unknown {
  if (stryMutAct_9fa48("148")) {
    {}
  } else {
    stryCov_9fa48("148");
    try {
      if (stryMutAct_9fa48("149")) {
        {}
      } else {
        stryCov_9fa48("149");
        // Lossless: a callback's 64-bit element_id keeps every digit (as a string).
        return parseJsonLossless(text);
      }
    } catch {
      if (stryMutAct_9fa48("150")) {
        {}
      } else {
        stryCov_9fa48("150");
        return NOT_JSON;
      }
    }
  }
}

/**
 * Unwrap any accepted form into the task object: bare legacy task, `{code,message,data}`-wrapped,
 * or new-standard `{id,status,outputs}`. Throws KlingPayloadError with a precise reason.
 */
export function parseTaskPayload(body: unknown, taskType: KlingTaskType | null = null): KlingTaskItem {
  if (stryMutAct_9fa48("151")) {
    {}
  } else {
    stryCov_9fa48("151");
    let payload = body;
    if (stryMutAct_9fa48("154") ? typeof payload !== 'string' : stryMutAct_9fa48("153") ? false : stryMutAct_9fa48("152") ? true : (stryCov_9fa48("152", "153", "154"), typeof payload === (stryMutAct_9fa48("155") ? "" : (stryCov_9fa48("155"), 'string')))) {
      if (stryMutAct_9fa48("156")) {
        {}
      } else {
        stryCov_9fa48("156");
        payload = parseJson(payload);
        if (stryMutAct_9fa48("159") ? payload !== NOT_JSON : stryMutAct_9fa48("158") ? false : stryMutAct_9fa48("157") ? true : (stryCov_9fa48("157", "158", "159"), payload === NOT_JSON)) throw new KlingPayloadError(stryMutAct_9fa48("160") ? "" : (stryCov_9fa48("160"), 'Body is not JSON'), stryMutAct_9fa48("161") ? "" : (stryCov_9fa48("161"), 'not_json'));
      }
    }
    if (stryMutAct_9fa48("164") ? (payload === null || typeof payload !== 'object') && Array.isArray(payload) : stryMutAct_9fa48("163") ? false : stryMutAct_9fa48("162") ? true : (stryCov_9fa48("162", "163", "164"), (stryMutAct_9fa48("166") ? payload === null && typeof payload !== 'object' : stryMutAct_9fa48("165") ? false : (stryCov_9fa48("165", "166"), (stryMutAct_9fa48("168") ? payload !== null : stryMutAct_9fa48("167") ? false : (stryCov_9fa48("167", "168"), payload === null)) || (stryMutAct_9fa48("170") ? typeof payload === 'object' : stryMutAct_9fa48("169") ? false : (stryCov_9fa48("169", "170"), typeof payload !== (stryMutAct_9fa48("171") ? "" : (stryCov_9fa48("171"), 'object')))))) || Array.isArray(payload))) {
      if (stryMutAct_9fa48("172")) {
        {}
      } else {
        stryCov_9fa48("172");
        throw new KlingPayloadError(stryMutAct_9fa48("173") ? "" : (stryCov_9fa48("173"), 'Body is not a Kling task object'), stryMutAct_9fa48("174") ? "" : (stryCov_9fa48("174"), 'not_a_task'));
      }
    }
    const wrapped = envelopeSchema.safeParse(payload);
    if (stryMutAct_9fa48("177") ? wrapped.success && wrapped.data.data || typeof wrapped.data.data === 'object' : stryMutAct_9fa48("176") ? false : stryMutAct_9fa48("175") ? true : (stryCov_9fa48("175", "176", "177"), (stryMutAct_9fa48("179") ? wrapped.success || wrapped.data.data : stryMutAct_9fa48("178") ? true : (stryCov_9fa48("178", "179"), wrapped.success && wrapped.data.data)) && (stryMutAct_9fa48("181") ? typeof wrapped.data.data !== 'object' : stryMutAct_9fa48("180") ? true : (stryCov_9fa48("180", "181"), typeof wrapped.data.data === (stryMutAct_9fa48("182") ? "" : (stryCov_9fa48("182"), 'object')))))) {
      if (stryMutAct_9fa48("183")) {
        {}
      } else {
        stryCov_9fa48("183");
        payload = wrapped.data.data;
      }
    }
    const obj = payload as IDataObject;
    if (stryMutAct_9fa48("186") ? 'task_id' in obj && 'task_status' in obj : stryMutAct_9fa48("185") ? false : stryMutAct_9fa48("184") ? true : (stryCov_9fa48("184", "185", "186"), (stryMutAct_9fa48("187") ? "" : (stryCov_9fa48("187"), 'task_id')) in obj || (stryMutAct_9fa48("188") ? "" : (stryCov_9fa48("188"), 'task_status')) in obj)) return normaliseLegacy(obj, taskType);
    if (stryMutAct_9fa48("191") ? 'id' in obj || 'status' in obj : stryMutAct_9fa48("190") ? false : stryMutAct_9fa48("189") ? true : (stryCov_9fa48("189", "190", "191"), (stryMutAct_9fa48("192") ? "" : (stryCov_9fa48("192"), 'id')) in obj && (stryMutAct_9fa48("193") ? "" : (stryCov_9fa48("193"), 'status')) in obj)) return normaliseNewStandard(obj, taskType);
    throw new KlingPayloadError(stryMutAct_9fa48("194") ? "" : (stryCov_9fa48("194"), 'Body has no task_id (or id)'), stryMutAct_9fa48("195") ? "" : (stryCov_9fa48("195"), 'no_task_id'));
  }
}
export function normaliseLegacy(obj: IDataObject, taskType: KlingTaskType | null = null): KlingTaskItem {
  if (stryMutAct_9fa48("196")) {
    {}
  } else {
    stryCov_9fa48("196");
    const parsed = legacyTaskSchema.safeParse(obj);
    if (stryMutAct_9fa48("199") ? false : stryMutAct_9fa48("198") ? true : stryMutAct_9fa48("197") ? parsed.success : (stryCov_9fa48("197", "198", "199"), !parsed.success)) {
      if (stryMutAct_9fa48("200")) {
        {}
      } else {
        stryCov_9fa48("200");
        const missingId = stryMutAct_9fa48("201") ? parsed.error.issues.every(i => i.path[0] === 'task_id') : (stryCov_9fa48("201"), parsed.error.issues.some(stryMutAct_9fa48("202") ? () => undefined : (stryCov_9fa48("202"), i => stryMutAct_9fa48("205") ? i.path[0] !== 'task_id' : stryMutAct_9fa48("204") ? false : stryMutAct_9fa48("203") ? true : (stryCov_9fa48("203", "204", "205"), i.path[0] === (stryMutAct_9fa48("206") ? "" : (stryCov_9fa48("206"), 'task_id'))))));
        throw new KlingPayloadError(missingId ? stryMutAct_9fa48("207") ? "" : (stryCov_9fa48("207"), 'Body has no task_id') : stryMutAct_9fa48("208") ? `` : (stryCov_9fa48("208"), `Body is not a Kling task: ${parsed.error.issues[0].path.join(stryMutAct_9fa48("209") ? "" : (stryCov_9fa48("209"), '.'))} ${parsed.error.issues[0].message}`), missingId ? stryMutAct_9fa48("210") ? "" : (stryCov_9fa48("210"), 'no_task_id') : stryMutAct_9fa48("211") ? "" : (stryCov_9fa48("211"), 'not_a_task'));
      }
    }
    const t = parsed.data;
    const status = normaliseStatus(t.task_status);
    if (stryMutAct_9fa48("214") ? false : stryMutAct_9fa48("213") ? true : stryMutAct_9fa48("212") ? status : (stryCov_9fa48("212", "213", "214"), !status)) throw new KlingPayloadError(stryMutAct_9fa48("215") ? `` : (stryCov_9fa48("215"), `Unknown task_status "${t.task_status}"`), stryMutAct_9fa48("216") ? "" : (stryCov_9fa48("216"), 'unknown_status'));
    const createdAtMs = toMs(t.created_at);
    const updatedAtMs = toMs(t.updated_at);
    const pv = stryMutAct_9fa48("217") ? t.task_info.parent_video : (stryCov_9fa48("217"), t.task_info?.parent_video);
    return buildItem(stryMutAct_9fa48("218") ? {} : (stryCov_9fa48("218"), {
      taskId: String(t.task_id),
      externalTaskId: s(stryMutAct_9fa48("219") ? t.task_info.external_task_id : (stryCov_9fa48("219"), t.task_info?.external_task_id)),
      status,
      klingStatus: t.task_status,
      statusMessage: stryMutAct_9fa48("220") ? t.task_status_msg && '' : (stryCov_9fa48("220"), t.task_status_msg ?? (stryMutAct_9fa48("221") ? "Stryker was here!" : (stryCov_9fa48("221"), ''))),
      taskType,
      createdAtMs,
      updatedAtMs,
      videos: (stryMutAct_9fa48("222") ? t.task_result?.videos && [] : (stryCov_9fa48("222"), (stryMutAct_9fa48("223") ? t.task_result.videos : (stryCov_9fa48("223"), t.task_result?.videos)) ?? (stryMutAct_9fa48("224") ? ["Stryker was here"] : (stryCov_9fa48("224"), [])))).map(mapVideo),
      images: (stryMutAct_9fa48("225") ? t.task_result?.images && [] : (stryCov_9fa48("225"), (stryMutAct_9fa48("226") ? t.task_result.images : (stryCov_9fa48("226"), t.task_result?.images)) ?? (stryMutAct_9fa48("227") ? ["Stryker was here"] : (stryCov_9fa48("227"), [])))).map(stryMutAct_9fa48("228") ? () => undefined : (stryCov_9fa48("228"), (im, i) => mapImage(im as IDataObject, i))),
      audios: (stryMutAct_9fa48("229") ? t.task_result?.audios && [] : (stryCov_9fa48("229"), (stryMutAct_9fa48("230") ? t.task_result.audios : (stryCov_9fa48("230"), t.task_result?.audios)) ?? (stryMutAct_9fa48("231") ? ["Stryker was here"] : (stryCov_9fa48("231"), [])))).map(stryMutAct_9fa48("232") ? () => undefined : (stryCov_9fa48("232"), a => mapAudio(a as IDataObject))),
      seriesImages: (stryMutAct_9fa48("233") ? t.task_result?.series_images && [] : (stryCov_9fa48("233"), (stryMutAct_9fa48("234") ? t.task_result.series_images : (stryCov_9fa48("234"), t.task_result?.series_images)) ?? (stryMutAct_9fa48("235") ? ["Stryker was here"] : (stryCov_9fa48("235"), [])))).map(stryMutAct_9fa48("236") ? () => undefined : (stryCov_9fa48("236"), (im, i) => mapImage(im as IDataObject, i))),
      resultType: s(stryMutAct_9fa48("237") ? t.task_result.result_type : (stryCov_9fa48("237"), t.task_result?.result_type)),
      parentVideo: pv ? mapVideo(pv) : null,
      ...libraryFromLegacyResult(t.task_result),
      unitsDeducted: toNumber(t.final_unit_deduction),
      billing: stryMutAct_9fa48("238") ? ["Stryker was here"] : (stryCov_9fa48("238"), []),
      raw: obj
    }));
  }
}
export function normaliseNewStandard(obj: IDataObject, taskType: KlingTaskType | null = null): KlingTaskItem {
  if (stryMutAct_9fa48("239")) {
    {}
  } else {
    stryCov_9fa48("239");
    const parsed = newStandardTaskSchema.safeParse(obj);
    if (stryMutAct_9fa48("242") ? false : stryMutAct_9fa48("241") ? true : stryMutAct_9fa48("240") ? parsed.success : (stryCov_9fa48("240", "241", "242"), !parsed.success)) throw new KlingPayloadError(stryMutAct_9fa48("243") ? "" : (stryCov_9fa48("243"), 'Body has no id'), stryMutAct_9fa48("244") ? "" : (stryCov_9fa48("244"), 'no_task_id'));
    const t = parsed.data;
    const status = normaliseStatus(t.status);
    if (stryMutAct_9fa48("247") ? false : stryMutAct_9fa48("246") ? true : stryMutAct_9fa48("245") ? status : (stryCov_9fa48("245", "246", "247"), !status)) throw new KlingPayloadError(stryMutAct_9fa48("248") ? `` : (stryCov_9fa48("248"), `Unknown status "${t.status}"`), stryMutAct_9fa48("249") ? "" : (stryCov_9fa48("249"), 'unknown_status'));
    const videos: KlingVideo[] = stryMutAct_9fa48("250") ? ["Stryker was here"] : (stryCov_9fa48("250"), []);
    const images: KlingImage[] = stryMutAct_9fa48("251") ? ["Stryker was here"] : (stryCov_9fa48("251"), []);
    const audios: KlingAudio[] = stryMutAct_9fa48("252") ? ["Stryker was here"] : (stryCov_9fa48("252"), []);
    const voices: KlingVoice[] = stryMutAct_9fa48("253") ? ["Stryker was here"] : (stryCov_9fa48("253"), []);
    const elements: KlingElement[] = stryMutAct_9fa48("254") ? ["Stryker was here"] : (stryCov_9fa48("254"), []);
    for (const out of stryMutAct_9fa48("255") ? t.outputs && [] : (stryCov_9fa48("255"), t.outputs ?? (stryMutAct_9fa48("256") ? ["Stryker was here"] : (stryCov_9fa48("256"), [])))) {
      if (stryMutAct_9fa48("257")) {
        {}
      } else {
        stryCov_9fa48("257");
        const o = out as IDataObject;
        const lib = libraryOutput(o);
        if (stryMutAct_9fa48("259") ? false : stryMutAct_9fa48("258") ? true : (stryCov_9fa48("258", "259"), lib)) {
          if (stryMutAct_9fa48("260")) {
            {}
          } else {
            stryCov_9fa48("260");
            if (stryMutAct_9fa48("262") ? false : stryMutAct_9fa48("261") ? true : (stryCov_9fa48("261", "262"), (stryMutAct_9fa48("263") ? "" : (stryCov_9fa48("263"), 'voice')) in lib)) voices.push(lib.voice);else elements.push(lib.element);
          }
        } else if (stryMutAct_9fa48("266") ? o.type !== 'video' : stryMutAct_9fa48("265") ? false : stryMutAct_9fa48("264") ? true : (stryCov_9fa48("264", "265", "266"), o.type === (stryMutAct_9fa48("267") ? "" : (stryCov_9fa48("267"), 'video')))) {
          if (stryMutAct_9fa48("268")) {
            {}
          } else {
            stryCov_9fa48("268");
            videos.push(stryMutAct_9fa48("269") ? {} : (stryCov_9fa48("269"), {
              id: s(o.id),
              url: s(o.url),
              watermarkUrl: s(o.watermark_url),
              durationSeconds: toNumber(o.duration)
            }));
          }
        } else if (stryMutAct_9fa48("272") ? o.type !== 'image' : stryMutAct_9fa48("271") ? false : stryMutAct_9fa48("270") ? true : (stryCov_9fa48("270", "271", "272"), o.type === (stryMutAct_9fa48("273") ? "" : (stryCov_9fa48("273"), 'image')))) {
          if (stryMutAct_9fa48("274")) {
            {}
          } else {
            stryCov_9fa48("274");
            // The output's `type` says "image"; the item's image `type` is an image-recognize segment only.
            images.push(mapImage(stryMutAct_9fa48("275") ? {} : (stryCov_9fa48("275"), {
              ...o,
              type: undefined
            }), images.length));
          }
        } else if (stryMutAct_9fa48("278") ? o.type !== 'audio' : stryMutAct_9fa48("277") ? false : stryMutAct_9fa48("276") ? true : (stryCov_9fa48("276", "277", "278"), o.type === (stryMutAct_9fa48("279") ? "" : (stryCov_9fa48("279"), 'audio')))) {
          if (stryMutAct_9fa48("280")) {
            {}
          } else {
            stryCov_9fa48("280");
            audios.push(mapAudio(o));
          }
        }
      }
    }
    const billing: KlingBillingLine[] = (stryMutAct_9fa48("281") ? t.billing && [] : (stryCov_9fa48("281"), t.billing ?? (stryMutAct_9fa48("282") ? ["Stryker was here"] : (stryCov_9fa48("282"), [])))).map(b => {
      if (stryMutAct_9fa48("283")) {
        {}
      } else {
        stryCov_9fa48("283");
        const line = b as IDataObject;
        return stryMutAct_9fa48("284") ? {} : (stryCov_9fa48("284"), {
          chargeType: s(line.charge_type),
          cashType: s(line.cash_type),
          amount: s(line.amount),
          currency: s(line.currency),
          packageType: s(line.package_type),
          listPrice: s(line.list_price)
        });
      }
    });
    // Units only: a cash line's amount is money, not units (lines without charge_type count as units, as before).
    const billed = (stryMutAct_9fa48("285") ? t.billing && [] : (stryCov_9fa48("285"), t.billing ?? (stryMutAct_9fa48("286") ? ["Stryker was here"] : (stryCov_9fa48("286"), [])))).reduce<number | null>((sum, b) => {
      if (stryMutAct_9fa48("287")) {
        {}
      } else {
        stryCov_9fa48("287");
        const line = b as IDataObject;
        if (stryMutAct_9fa48("290") ? line.charge_type !== undefined && line.charge_type !== null || line.charge_type !== 'unit' : stryMutAct_9fa48("289") ? false : stryMutAct_9fa48("288") ? true : (stryCov_9fa48("288", "289", "290"), (stryMutAct_9fa48("292") ? line.charge_type !== undefined || line.charge_type !== null : stryMutAct_9fa48("291") ? true : (stryCov_9fa48("291", "292"), (stryMutAct_9fa48("294") ? line.charge_type === undefined : stryMutAct_9fa48("293") ? true : (stryCov_9fa48("293", "294"), line.charge_type !== undefined)) && (stryMutAct_9fa48("296") ? line.charge_type === null : stryMutAct_9fa48("295") ? true : (stryCov_9fa48("295", "296"), line.charge_type !== null)))) && (stryMutAct_9fa48("298") ? line.charge_type === 'unit' : stryMutAct_9fa48("297") ? true : (stryCov_9fa48("297", "298"), line.charge_type !== (stryMutAct_9fa48("299") ? "" : (stryCov_9fa48("299"), 'unit')))))) return sum;
        const n = toNumber(stryMutAct_9fa48("300") ? line.amount && line.units : (stryCov_9fa48("300"), line.amount ?? line.units));
        return (stryMutAct_9fa48("303") ? n !== null : stryMutAct_9fa48("302") ? false : stryMutAct_9fa48("301") ? true : (stryCov_9fa48("301", "302", "303"), n === null)) ? sum : stryMutAct_9fa48("304") ? (sum ?? 0) - n : (stryCov_9fa48("304"), (stryMutAct_9fa48("305") ? sum && 0 : (stryCov_9fa48("305"), sum ?? 0)) + n);
      }
    }, null);
    return buildItem(stryMutAct_9fa48("306") ? {} : (stryCov_9fa48("306"), {
      taskId: String(t.id),
      externalTaskId: s(t.external_id),
      status,
      klingStatus: t.status,
      statusMessage: stryMutAct_9fa48("307") ? t.message && '' : (stryCov_9fa48("307"), t.message ?? (stryMutAct_9fa48("308") ? "Stryker was here!" : (stryCov_9fa48("308"), ''))),
      // Every new-standard task is one type: POST /tasks lists them together without naming the path.
      taskType: NEW_STANDARD_TYPE,
      createdAtMs: toMs(t.create_time),
      updatedAtMs: toMs(t.update_time),
      videos,
      images,
      audios,
      seriesImages: stryMutAct_9fa48("309") ? ["Stryker was here"] : (stryCov_9fa48("309"), []),
      resultType: null,
      parentVideo: null,
      voices,
      elements,
      unitsDeducted: billed,
      billing,
      raw: obj
    }));
  }
}
interface ItemParts {
  taskId: string;
  externalTaskId: string | null;
  status: TaskStatus;
  klingStatus: string;
  statusMessage: string;
  taskType: KlingTaskType | null;
  createdAtMs: number | null;
  updatedAtMs: number | null;
  videos: KlingVideo[];
  images: KlingImage[];
  audios: KlingAudio[];
  seriesImages: KlingImage[];
  resultType: string | null;
  parentVideo: KlingVideo | null;
  voices: KlingVoice[];
  elements: KlingElement[];
  unitsDeducted: number | null;
  billing: KlingBillingLine[];
  raw: IDataObject;
}

/** The result kind a task without a known type shows: what its result lists hold. */
function resultKindOf(p: Pick<ItemParts, 'videos' | 'images' | 'audios' | 'seriesImages' | 'voices' | 'elements'>): ResultKind | null {
  if (stryMutAct_9fa48("310")) {
    {}
  } else {
    stryCov_9fa48("310");
    if (stryMutAct_9fa48("312") ? false : stryMutAct_9fa48("311") ? true : (stryCov_9fa48("311", "312"), p.videos.length)) return p.audios.length ? stryMutAct_9fa48("313") ? "" : (stryCov_9fa48("313"), 'videos+audios') : stryMutAct_9fa48("314") ? "" : (stryCov_9fa48("314"), 'videos');
    if (stryMutAct_9fa48("317") ? p.images.length && p.seriesImages.length : stryMutAct_9fa48("316") ? false : stryMutAct_9fa48("315") ? true : (stryCov_9fa48("315", "316", "317"), p.images.length || p.seriesImages.length)) return stryMutAct_9fa48("318") ? "" : (stryCov_9fa48("318"), 'images');
    if (stryMutAct_9fa48("320") ? false : stryMutAct_9fa48("319") ? true : (stryCov_9fa48("319", "320"), p.audios.length)) return stryMutAct_9fa48("321") ? "" : (stryCov_9fa48("321"), 'audios');
    if (stryMutAct_9fa48("323") ? false : stryMutAct_9fa48("322") ? true : (stryCov_9fa48("322", "323"), p.voices.length)) return stryMutAct_9fa48("324") ? "" : (stryCov_9fa48("324"), 'voices');
    return p.elements.length ? stryMutAct_9fa48("325") ? "" : (stryCov_9fa48("325"), 'elements') : null;
  }
}
function buildItem(p: ItemParts): KlingTaskItem {
  if (stryMutAct_9fa48("326")) {
    {}
  } else {
    stryCov_9fa48("326");
    // A new-standard task's kind is what its outputs hold (one type covers every model path); before it has
    // outputs, its table row's (video: every documented new-standard create makes a video).
    const resultKind = (stryMutAct_9fa48("329") ? p.taskType || p.taskType !== NEW_STANDARD_TYPE : stryMutAct_9fa48("328") ? false : stryMutAct_9fa48("327") ? true : (stryCov_9fa48("327", "328", "329"), p.taskType && (stryMutAct_9fa48("331") ? p.taskType === NEW_STANDARD_TYPE : stryMutAct_9fa48("330") ? true : (stryCov_9fa48("330", "331"), p.taskType !== NEW_STANDARD_TYPE)))) ? ENDPOINTS[p.taskType].resultKind : stryMutAct_9fa48("332") ? resultKindOf(p) && (p.taskType ? ENDPOINTS[p.taskType].resultKind : null) : (stryCov_9fa48("332"), resultKindOf(p) ?? (p.taskType ? ENDPOINTS[p.taskType].resultKind : null));
    return stryMutAct_9fa48("333") ? {} : (stryCov_9fa48("333"), {
      taskId: p.taskId,
      externalTaskId: p.externalTaskId,
      status: p.status,
      klingStatus: p.klingStatus,
      statusMessage: p.statusMessage,
      finished: isTerminal(p.status),
      taskType: p.taskType,
      resultKind,
      createdAt: iso(p.createdAtMs),
      createdAtMs: p.createdAtMs,
      updatedAt: iso(p.updatedAtMs),
      updatedAtMs: p.updatedAtMs,
      videos: p.videos,
      images: p.images,
      audios: p.audios,
      seriesImages: p.seriesImages,
      resultType: p.resultType,
      parentVideo: p.parentVideo,
      voices: p.voices,
      elements: p.elements,
      unitsDeducted: p.unitsDeducted,
      billing: p.billing,
      resultsExpireAt: (stryMutAct_9fa48("336") ? p.createdAtMs !== null : stryMutAct_9fa48("335") ? false : stryMutAct_9fa48("334") ? true : (stryCov_9fa48("334", "335", "336"), p.createdAtMs === null)) ? null : iso(stryMutAct_9fa48("337") ? p.createdAtMs - RESULT_RETENTION_MS : (stryCov_9fa48("337"), p.createdAtMs + RESULT_RETENTION_MS)),
      raw: p.raw
    });
  }
}

/** Parse a task from a Kling API response `data` (query, create or list entry). */
export function taskFromApi(data: unknown, taskType: KlingTaskType | null): KlingTaskItem {
  if (stryMutAct_9fa48("338")) {
    {}
  } else {
    stryCov_9fa48("338");
    return parseTaskPayload(data, taskType);
  }
}

/**
 * The item of a synchronous call that answers its result at once (text to speech, image recognize), in the
 * shape of a finished task. Text to speech answers a task object (`task_id`, `task_status`, `task_result`);
 * image recognize answers only `task_result` and deductions: its item takes the request id as task id and
 * `succeed` as status (Kling answered code 0 with the result). `raw` is Kling's `data` unchanged.
 */
export function syncResultItem(data: IDataObject, fallbackId: string): KlingTaskItem {
  if (stryMutAct_9fa48("339")) {
    {}
  } else {
    stryCov_9fa48("339");
    const obj: IDataObject = stryMutAct_9fa48("340") ? {} : (stryCov_9fa48("340"), {
      ...data
    });
    if (stryMutAct_9fa48("343") ? (obj.task_id === undefined || obj.task_id === null) && obj.task_id === '' : stryMutAct_9fa48("342") ? false : stryMutAct_9fa48("341") ? true : (stryCov_9fa48("341", "342", "343"), (stryMutAct_9fa48("345") ? obj.task_id === undefined && obj.task_id === null : stryMutAct_9fa48("344") ? false : (stryCov_9fa48("344", "345"), (stryMutAct_9fa48("347") ? obj.task_id !== undefined : stryMutAct_9fa48("346") ? false : (stryCov_9fa48("346", "347"), obj.task_id === undefined)) || (stryMutAct_9fa48("349") ? obj.task_id !== null : stryMutAct_9fa48("348") ? false : (stryCov_9fa48("348", "349"), obj.task_id === null)))) || (stryMutAct_9fa48("351") ? obj.task_id !== '' : stryMutAct_9fa48("350") ? false : (stryCov_9fa48("350", "351"), obj.task_id === (stryMutAct_9fa48("352") ? "Stryker was here!" : (stryCov_9fa48("352"), '')))))) obj.task_id = fallbackId;
    if (stryMutAct_9fa48("355") ? (obj.task_status === undefined || obj.task_status === null) && obj.task_status === '' : stryMutAct_9fa48("354") ? false : stryMutAct_9fa48("353") ? true : (stryCov_9fa48("353", "354", "355"), (stryMutAct_9fa48("357") ? obj.task_status === undefined && obj.task_status === null : stryMutAct_9fa48("356") ? false : (stryCov_9fa48("356", "357"), (stryMutAct_9fa48("359") ? obj.task_status !== undefined : stryMutAct_9fa48("358") ? false : (stryCov_9fa48("358", "359"), obj.task_status === undefined)) || (stryMutAct_9fa48("361") ? obj.task_status !== null : stryMutAct_9fa48("360") ? false : (stryCov_9fa48("360", "361"), obj.task_status === null)))) || (stryMutAct_9fa48("363") ? obj.task_status !== '' : stryMutAct_9fa48("362") ? false : (stryCov_9fa48("362", "363"), obj.task_status === (stryMutAct_9fa48("364") ? "Stryker was here!" : (stryCov_9fa48("364"), '')))))) obj.task_status = stryMutAct_9fa48("365") ? "" : (stryCov_9fa48("365"), 'succeed');
    return stryMutAct_9fa48("366") ? {} : (stryCov_9fa48("366"), {
      ...normaliseLegacy(obj, null),
      raw: data
    });
  }
}
export function withTaskType(item: KlingTaskItem, taskType: string | null | undefined): KlingTaskItem {
  if (stryMutAct_9fa48("367")) {
    {}
  } else {
    stryCov_9fa48("367");
    if (stryMutAct_9fa48("370") ? !isTaskType(taskType) && item.taskType === taskType : stryMutAct_9fa48("369") ? false : stryMutAct_9fa48("368") ? true : (stryCov_9fa48("368", "369", "370"), (stryMutAct_9fa48("371") ? isTaskType(taskType) : (stryCov_9fa48("371"), !isTaskType(taskType))) || (stryMutAct_9fa48("373") ? item.taskType !== taskType : stryMutAct_9fa48("372") ? false : (stryCov_9fa48("372", "373"), item.taskType === taskType)))) return item;
    // A new-standard task stays one: the URL's kling_type names the operation's family, not where to read it.
    if (stryMutAct_9fa48("376") ? item.taskType !== NEW_STANDARD_TYPE : stryMutAct_9fa48("375") ? false : stryMutAct_9fa48("374") ? true : (stryCov_9fa48("374", "375", "376"), item.taskType === NEW_STANDARD_TYPE)) return item;
    return stryMutAct_9fa48("377") ? {} : (stryCov_9fa48("377"), {
      ...item,
      taskType,
      resultKind: ENDPOINTS[taskType].resultKind
    });
  }
}

/**
 * Ordering rule: is `next` a newer state of the task than `prev`?
 * Terminal states never go back; a higher rank wins; equal rank is newer only with a later updated_at.
 */
export function isNewerState(prev: {
  status: TaskStatus;
  updatedAtMs: number | null;
} | undefined, next: {
  status: TaskStatus;
  updatedAtMs: number | null;
}): boolean {
  if (stryMutAct_9fa48("378")) {
    {}
  } else {
    stryCov_9fa48("378");
    if (stryMutAct_9fa48("381") ? false : stryMutAct_9fa48("380") ? true : stryMutAct_9fa48("379") ? prev : (stryCov_9fa48("379", "380", "381"), !prev)) return stryMutAct_9fa48("382") ? false : (stryCov_9fa48("382"), true);
    if (stryMutAct_9fa48("384") ? false : stryMutAct_9fa48("383") ? true : (stryCov_9fa48("383", "384"), isTerminal(prev.status))) return stryMutAct_9fa48("385") ? true : (stryCov_9fa48("385"), false);
    const dr = stryMutAct_9fa48("386") ? STATUS_RANK[next.status] + STATUS_RANK[prev.status] : (stryCov_9fa48("386"), STATUS_RANK[next.status] - STATUS_RANK[prev.status]);
    if (stryMutAct_9fa48("389") ? dr === 0 : stryMutAct_9fa48("388") ? false : stryMutAct_9fa48("387") ? true : (stryCov_9fa48("387", "388", "389"), dr !== 0)) return stryMutAct_9fa48("393") ? dr <= 0 : stryMutAct_9fa48("392") ? dr >= 0 : stryMutAct_9fa48("391") ? false : stryMutAct_9fa48("390") ? true : (stryCov_9fa48("390", "391", "392", "393"), dr > 0);
    return stryMutAct_9fa48("397") ? (next.updatedAtMs ?? 0) <= (prev.updatedAtMs ?? 0) : stryMutAct_9fa48("396") ? (next.updatedAtMs ?? 0) >= (prev.updatedAtMs ?? 0) : stryMutAct_9fa48("395") ? false : stryMutAct_9fa48("394") ? true : (stryCov_9fa48("394", "395", "396", "397"), (stryMutAct_9fa48("398") ? next.updatedAtMs && 0 : (stryCov_9fa48("398"), next.updatedAtMs ?? 0)) > (stryMutAct_9fa48("399") ? prev.updatedAtMs && 0 : (stryCov_9fa48("399"), prev.updatedAtMs ?? 0)));
  }
}

/** Output index for the two/three-output nodes: 0 Succeeded, 1 Failed, 2 Progress. */
export function outputIndexOf(status: TaskStatus): 0 | 1 | 2 {
  if (stryMutAct_9fa48("400")) {
    {}
  } else {
    stryCov_9fa48("400");
    return (stryMutAct_9fa48("403") ? status !== 'succeeded' : stryMutAct_9fa48("402") ? false : stryMutAct_9fa48("401") ? true : (stryCov_9fa48("401", "402", "403"), status === (stryMutAct_9fa48("404") ? "" : (stryCov_9fa48("404"), 'succeeded')))) ? 0 : (stryMutAct_9fa48("407") ? status !== 'failed' : stryMutAct_9fa48("406") ? false : stryMutAct_9fa48("405") ? true : (stryCov_9fa48("405", "406", "407"), status === (stryMutAct_9fa48("408") ? "" : (stryCov_9fa48("408"), 'failed')))) ? 1 : 2;
  }
}