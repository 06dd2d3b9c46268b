// The sync engine: sends the outbox to the server and refreshes cached surveys and places.
// Never touches the DOM; it reports through "willay:sync" events and the stores in db.js.
//
// Promise kept here: an item leaves the outbox only when the server said stored, duplicate
// or conflict AND holds all its files; a rejected item waits under "needs attention" with
// the server's reasons. Every send is idempotent (the UUID is the submission's identity and
// the server recognises a replay by its content), so after a lost answer the item is simply
// sent again; an item whose answer arrived but whose files did not is only asked about.
import * as db from "./db.js";
import { takeEarly } from "./early.js";
import { _ } from "./i18n.js";
import { registerServiceWorker } from "./update.js";
import { VERSION } from "./version.js";

const API = "/api/v1";
const MAX_ITEMS = 100;
const MAX_BYTES = 1_500_000;
const STATUS_CHUNK = 500;
const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;
const LOCK = "willay-outbox";
const SURVEYS_EVERY_MS = 10 * 60_000;
export const SYNC_TAG = "willay-outbox";

class NetworkError extends Error {}

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "http";
    this.details = error.details || {};
  }

  get retryable() {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

let status = { state: "idle", lastSyncAt: null, nextAttemptAt: null, message: null };
let failures = 0;
let timer = null;
let running = null;
let again = false;
let started = false;
let surveysCheckedAt = 0;

function emit(patch) {
  status = { ...status, ...patch };
  if (typeof CustomEvent === "function" && typeof globalThis.dispatchEvent === "function") {
    globalThis.dispatchEvent(new CustomEvent("willay:sync", { detail: { ...status } }));
  }
}

export function syncStatus() {
  return { ...status };
}

// ---- HTTP ----

async function baseHeaders() {
  const language = (await db.getSetting("language")) || "es_PE";
  return { "Accept-Language": language.replace("_", "-"), "X-Willay-App": VERSION.slice(0, 40) };
}

async function deviceAuth() {
  const token = await db.getSetting("token");
  return token ? { Authorization: `Bearer ${token}` } : null;
}

// `early`: the answer of the same request the page already made (pwa/boot.js), if any
async function call(path, { method = "GET", json, body, headers = {}, early = null } = {}) {
  const init = { method, headers: { ...(await baseHeaders()), ...headers }, cache: "no-store" };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  let response = early ? await early : null;
  try {
    response = response || (await fetch(`${API}${path}`, init));
  } catch (error) {
    throw new NetworkError(error.message);
  }
  if (response.headers.get("X-Willay-Offline")) throw new NetworkError("served by the service worker");
  const data = response.status === 304 ? null : await response.json().catch(() => null);
  if (!response.ok && response.status !== 304) {
    if (data === null && response.status >= 500) throw new NetworkError(`HTTP ${response.status}`);
    const error = new ApiError(response.status, data);
    error.retryAfter = Number(response.headers.get("Retry-After")) || null;
    throw error;
  }
  return { status: response.status, data, headers: response.headers };
}

// ---- pairing and downloads ----

// The pairing answer also carries the survey list and the definitions (the first day's
// downloads, docs/api.md): the next refreshSurveys() uses them instead of asking again.
let firstDay = null;

export async function pair(code) {
  const { data } = await call("/devices/pair", { method: "POST", json: { code }, early: takeEarly("pair", code) });
  // before the token is stored: a sync run that sees the token must find these too
  firstDay = Array.isArray(data.surveys)
    ? { surveys: data.surveys, definitions: data.definitions || [], places: data.places || [] } : null;
  if (firstDay) surveysCheckedAt = Date.now(); // the sync run starting now needs no new list
  await db.setSetting("token", data.token);
  await db.setSetting("device", data.device);
  await db.setSetting("mode", "promoter");
  return data.device;
}

function placeDepartments(definition) {
  const found = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      if (node.type === "place" && node.department) found.add(String(node.department));
      Object.values(node).forEach(walk);
    }
  };
  walk(definition);
  return found;
}

// Whether an interview of this survey may name a district of any department: the review
// step asks for the interview's district when no place question outside a repeat names it,
// and a place question without a fixed department offers every department.
function choosesAnyDistrict(definition) {
  let free = false;
  let named = false;
  const walk = (items, inRepeat) => {
    for (const q of items || []) {
      if (q.type === "place") {
        if (!q.department) free = true;
        if (!inRepeat) named = true;
      }
      if (Array.isArray(q.questions)) walk(q.questions, inRepeat || q.type === "repeat");
    }
  };
  for (const page of definition.pages || []) walk(page.questions, false);
  return free || !named;
}

// The departments and, added to `departments`, those whose places are not on the phone yet
// (all of Peru is about 150 kB: fetched once while in town, then kept for days offline).
async function missingDepartments(departments) {
  let list = await db.getSetting("departments");
  if (!list || !list.length) {
    const { data } = await call("/places");
    list = (data.places || data).map((p) => ({ ubigeo: p.ubigeo, name: p.name, level: 1 }));
    await db.setSetting("departments", list);
  }
  for (const { ubigeo } of list) if (!(await db.getPlaces(ubigeo))) departments.add(ubigeo);
}

export async function refreshPlaces(department) {
  const cached = await db.getPlaces(department);
  const headers = cached && cached.etag ? { "If-None-Match": cached.etag } : {};
  const { status: code, data, headers: answer } = await call(`/places/bulk/${department}`, { headers });
  if (code === 304) return cached;
  const payload = { ...data, etag: answer.get("ETag") };
  await db.putPlaces(department, payload);
  return payload;
}

async function keepSurvey(data, etag, link) {
  const record = {
    code: data.id, version: data.version, etag,
    title: data.title, languages: data.languages, definition: data.definition,
    public: data.public, link,
  };
  await db.putSurvey(record);
  return record;
}

// Fetch one published version of a survey (a draft begun on it must be finishable).
export async function fetchSurveyVersion(code, version, { link = null, summary = null } = {}) {
  const auth = link ? { "X-Willay-Link": link } : await deviceAuth();
  const { data, headers } = await call(`/surveys/${encodeURIComponent(code)}/versions/${version}`,
    { headers: auth || {} });
  return keepSurvey(data, (summary && summary.etag) || data.etag || headers.get("ETag"), link);
}

// The lists and audio prompts of these versions, kept on the phone before it goes offline
// (pwa/form/files.js: cache first, so files already there cost one cache look-up each).
// In the background: a big list must not hold back the interviews waiting to be sent.
// Pages only: a service worker may not import() modules, and the next page sync does it.
let prefetching = Promise.resolve();

function prefetchFiles(records) {
  const withFiles = records.filter((r) => r.definition && (r.definition.files || []).length);
  if (!withFiles.length || typeof document === "undefined") return prefetching;
  prefetching = prefetching.then(async () => {
    try {
      const { prefetchSurveyFiles } = await import("./form/files.js");
      for (const record of withFiles) await prefetchSurveyFiles(record);
    } catch { /* tried again at the next sync */ }
  });
  return prefetching;
}

// Resolves when the survey files asked for so far are on the phone (or failed).
export function filesPrefetched() {
  return prefetching;
}

function belongs(survey, link) {
  return link ? survey.link === link : !survey.link;
}

// Download new survey versions (one small list request; a definition only when its ETag
// changed) and the place lists their questions need. Offline, answers from the cache.
// An answer of the server that refuses (401 unpaired/revoked, 410 link closed) is thrown.
// Definitions come in parallel, and each survey's place lists start as soon as its
// definition is there: on a 400 ms link every request waited for is visible.
// The phone's own refresh runs once at a time: right after pairing, the pairing screen and
// the first sync run both ask for it, and the second shares the first one's downloads.
let deviceRefresh = null;

export function refreshSurveys({ link = null } = {}) {
  if (link) return refreshSurveysOnce(link);
  if (!deviceRefresh) deviceRefresh = refreshSurveysOnce(null).finally(() => { deviceRefresh = null; });
  return deviceRefresh;
}

async function refreshSurveysOnce(link) {
  const cachedList = async () => (await db.latestSurveys()).filter((s) => belongs(s, link));
  const auth = link ? { "X-Willay-Link": link } : await deviceAuth();
  if (!auth) return cachedList();
  const given = link ? null : firstDay;
  if (!link) firstDay = null;
  let list;
  if (given) {
    list = given.surveys;
  } else {
    try {
      list = (await call("/surveys", { headers: auth })).data.surveys;
    } catch (error) {
      if (error instanceof NetworkError || (error instanceof ApiError && error.retryable)) return cachedList();
      throw error;
    }
  }
  const included = new Map(((given && given.definitions) || []).map((d) => [`${d.id}/${d.version}`, d]));
  const departments = new Set();
  const placeLoads = [];
  for (const { etag, ...payload } of (given && given.places) || []) {
    departments.add(payload.department); // came with the pairing answer
    placeLoads.push(db.putPlaces(payload.department, { ...payload, etag }));
  }
  const wantPlaces = (department) => {
    if (departments.has(department)) return;
    departments.add(department);
    placeLoads.push(refreshPlaces(department).catch(() => null)); // refreshed next time
  };
  const records = await Promise.all(list.map(async (summary) => {
    let record = await db.getSurvey(summary.id, summary.version);
    try {
      if (!record || record.etag !== summary.etag || !belongs(record, link)) {
        const known = included.get(`${summary.id}/${summary.version}`);
        record = known ? await keepSurvey(known, summary.etag || known.etag, link)
          : await fetchSurveyVersion(summary.id, summary.version, { link, summary });
      }
    } catch (error) {
      if (!record) return null; // keep going offline; the list is refreshed next time
    }
    placeDepartments(record.definition).forEach(wantPlaces);
    return record;
  }));
  const fresh = records.filter(Boolean);
  if (fresh.some((record) => choosesAnyDistrict(record.definition))) {
    try {
      const missing = new Set();
      await missingDepartments(missing);
      missing.forEach(wantPlaces);
    } catch { /* fetched next time; with signal the picker asks the server */ }
  }
  await Promise.all(placeLoads);
  prefetchFiles(fresh);
  await db.setSetting("lastSyncAt", new Date().toISOString());
  emit({ lastSyncAt: await db.getSetting("lastSyncAt") });
  return fresh;
}

// ---- sending the outbox ----

function payload(item) {
  return {
    uuid: item.uuid, survey: item.survey, version: item.version, answers: item.answers || {},
    meta: { ...item.meta, app_version: VERSION.slice(0, 40) }, attachments: item.attachments || [],
  };
}

function groupKey(item) {
  return item.channel === "public" ? `link:${item.link}` : "device";
}

function attention(errors) {
  return (item) => ({ ...item, state: "attention", errors, uncertain: false, attentionAt: new Date().toISOString() });
}

function messageErrors(message) {
  return { "": [message] };
}

const HASH_ATTEMPTS = 3;

function transient(error) {
  return error instanceof NetworkError || (error instanceof ApiError && error.retryable);
}

async function putAttachment(sha, record, auth) {
  // a 422 hash_mismatch for bytes that do hash right here was damaged on the way: try again
  for (let attempt = 1; ; attempt += 1) {
    try {
      await call(`/attachments/${sha}`, {
        method: "PUT", body: record.bytes, headers: { ...auth, "Content-Type": record.type },
      });
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "hash_mismatch") throw error;
      if ((await db.sha256Hex(record.bytes)) !== sha) {
        throw new ApiError(422, { error: { code: "damaged",
          message: _("A photo or recording of this interview is damaged on this phone.") } });
      }
      if (attempt >= HASH_ATTEMPTS) throw error;
    }
  }
}

async function uploadAttachments(hashes, auth, uploaded) {
  // returns Map(sha → message) of files the server refuses; 401 and transient failures throw
  const broken = new Map();
  for (const sha of hashes) {
    if (uploaded.has(sha)) continue;
    const record = await db.getAttachment(sha);
    if (!record) {
      broken.set(sha, _("A photo or recording of this interview is missing on this phone."));
      continue;
    }
    try {
      await putAttachment(sha, record, auth);
      uploaded.add(sha);
    } catch (error) {
      if (error instanceof ApiError && !error.retryable && error.status !== 401) broken.set(sha, error.message);
      else throw error;
    }
  }
  return broken;
}

// What the sent list shows of an interview (its readable name and times), not its answers.
function sentMeta(meta = {}) {
  const kept = {};
  for (const key of ["instance_name", "started_at", "completed_at"]) if (meta[key]) kept[key] = meta[key];
  return kept;
}

// Finish items the server holds: upload their missing files, then mark them sent. A file
// that cannot be uploaded now leaves only its own item waiting; the others go on.
async function complete(entries, auth, uploaded, report) {
  const done = [];
  const stuck = new Map();
  let trouble = null;
  for (const { item, missing, receipt, outcome } of entries) {
    let broken;
    try {
      broken = await uploadAttachments(missing, auth, uploaded);
    } catch (error) {
      if (!transient(error)) {
        trouble = error; // 401: the whole group waits
        break;
      }
      trouble = trouble || error;
      continue; // stays queued with its serverOutcome: the next run uploads it
    }
    if (broken.size) {
      stuck.set(item.uuid, messageErrors([...broken.values()][0]));
      continue;
    }
    done.push({
      uuid: item.uuid, survey: item.survey, version: item.version, receipt, outcome,
      title: item.title || null, channel: item.channel, link: item.link || null,
      meta: sentMeta(item.meta),
    });
  }
  if (stuck.size) {
    await db.updateOutbox([...stuck.keys()], (item) => attention(stuck.get(item.uuid))(item));
    report.attention += stuck.size;
  }
  await db.markSent(done);
  report.sent += done.length;
  if (trouble) throw trouble;
}

// Items the server answered stored/duplicate whose files were not all uploaded yet: ask
// which files it still lacks. Returns the entries to complete; those it does not hold
// (anymore) are put back in `queue` to be sent again.
async function reconcile(items, auth, queue) {
  const entries = [];
  for (let i = 0; i < items.length; i += STATUS_CHUNK) {
    const chunk = items.slice(i, i + STATUS_CHUNK);
    const { data } = await call("/submissions/status", {
      method: "POST", json: { uuids: chunk.map((item) => item.uuid) }, headers: auth,
    });
    const byUuid = new Map(data.submissions.map((s) => [s.uuid, s]));
    for (const item of chunk) {
      const found = byUuid.get(item.uuid);
      if (found && found.held) {
        entries.push({ item, missing: found.missing_attachments || [], receipt: item.receipt || found.receipt,
          outcome: item.serverOutcome });
      } else {
        queue.push({ ...item, serverOutcome: null });
      }
    }
  }
  return entries;
}

function takeBatch(queue, maxItems) {
  const batch = [];
  let bytes = 20;
  while (queue.length && batch.length < maxItems) {
    const size = JSON.stringify(payload(queue[0])).length + 1;
    if (batch.length && bytes + size > MAX_BYTES) break;
    batch.push(queue.shift());
    bytes += size;
  }
  return batch;
}

// POST the submissions (all batches), collecting what the server holds into `accepted`.
async function postAll(queue, auth, accepted, report) {
  let maxItems = MAX_ITEMS;
  while (queue.length) {
    const batch = takeBatch(queue, maxItems);
    const uuids = batch.map((item) => item.uuid);
    const attemptAt = new Date().toISOString();
    // marked before sending: if the answer is lost the item is sent again (the server
    // recognises a replay of the same content and answers duplicate)
    await db.updateOutbox(uuids, (item) => ({
      ...item, uncertain: true, attempts: (item.attempts || 0) + 1, lastAttemptAt: attemptAt,
    }));
    let results;
    try {
      ({ data: { results } } = await call("/submissions", {
        method: "POST", json: { submissions: batch.map(payload) }, headers: auth,
      }));
    } catch (error) {
      if (!(error instanceof ApiError) || error.retryable) throw error;
      await db.updateOutbox(uuids, (item) => ({ ...item, uncertain: false }));
      if (error.status === 401) throw error; // unpaired or revoked: the whole group waits
      if (error.status === 413 && error.details.max_items && error.details.max_items < batch.length) {
        maxItems = error.details.max_items;
      } else if (batch.length > 1) {
        maxItems = Math.max(1, Math.floor(batch.length / 2));
      } else {
        await db.updateOutbox(uuids, attention(messageErrors(error.message)));
        report.attention += 1;
        continue;
      }
      queue.unshift(...batch);
      continue;
    }
    const byUuid = new Map(results.map((r) => [r.uuid, r]));
    const rejected = new Map();
    const outcomes = new Map();
    for (const item of batch) {
      const result = byUuid.get(item.uuid);
      if (!result) continue; // stays uncertain: sent again next time
      if (result.outcome === "rejected") rejected.set(item.uuid, result.errors || {});
      else {
        const entry = { item, missing: result.missing_attachments || [], receipt: result.receipt, outcome: result.outcome };
        outcomes.set(item.uuid, entry);
        accepted.push(entry);
      }
    }
    await db.updateOutbox(uuids, (item) => {
      if (rejected.has(item.uuid)) return attention(rejected.get(item.uuid))(item);
      const entry = outcomes.get(item.uuid);
      if (!entry) return null;
      return { ...item, uncertain: false, serverOutcome: entry.outcome, receipt: entry.receipt };
    });
    report.attention += rejected.size;
  }
}

// Submissions first (every batch), files afterwards: a file that keeps failing never
// holds back the interviews behind it.
async function sendGroup(items, auth, report) {
  // only an answer to this phone's own payload says what became of it: items in flight
  // when an answer was lost (uncertain) and conflicts are POSTed again; items answered
  // stored/duplicate only lack files, so the server is just asked which
  const settled = (item) => !item.uncertain && ["stored", "duplicate"].includes(item.serverOutcome);
  const queue = items.filter((item) => !settled(item));
  const answered = items.filter(settled);
  const accepted = answered.length ? await reconcile(answered, auth, queue) : [];
  let trouble = null;
  try {
    await postAll(queue, auth, accepted, report);
  } catch (error) {
    if (!transient(error) || error instanceof NetworkError) throw error;
    trouble = error; // a 5xx or 429 for a later batch: still upload what the earlier ones need
  }
  await complete(accepted, auth, new Set(), report);
  if (trouble) throw trouble;
}

// New survey versions reach a paired phone with its uploads (at most every 10 minutes,
// except on Send now); ETags make an unchanged list cheap. Returns a device refusal (401).
async function refreshDefinitions(force) {
  if (!force && Date.now() - surveysCheckedAt < SURVEYS_EVERY_MS) return null;
  if (globalThis.navigator && navigator.onLine === false) return null;
  surveysCheckedAt = Date.now();
  let refusal = null;
  if (await db.getSetting("token")) {
    try {
      await refreshSurveys();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) refusal = error;
    }
  }
  const links = new Set((await db.allSurveys()).map((survey) => survey.link).filter(Boolean));
  for (const link of links) {
    try {
      await refreshSurveys({ link });
    } catch { /* a closed link is shown by the resident screens */ }
  }
  return refusal;
}

async function runOnce(force = false) {
  const report = { sent: 0, attention: 0, failed: 0 };
  const refusal = await refreshDefinitions(force);
  const items = (await db.listOutbox()).filter((item) => item.state === "queued");
  if (!items.length) {
    failures = 0;
    emit({ state: refusal ? "error" : "idle", nextAttemptAt: null, message: refusal ? refusal.message : null });
    return report;
  }
  emit({ state: "syncing", message: null });
  const groups = new Map();
  for (const item of items) {
    const key = groupKey(item);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(item);
  }
  let trouble = null;
  for (const [key, group] of groups) {
    const auth = key === "device" ? await deviceAuth() : { "X-Willay-Link": group[0].link };
    if (!auth) {
      trouble = trouble || { state: "error", message: _("This phone is not paired yet. Scan the QR code your coordinator gives you.") };
      continue;
    }
    try {
      await sendGroup(group, auth, report);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && key !== "device") {
        // a revoked public link never comes back: show these to the user instead of retrying forever
        await db.updateOutbox(group.map((item) => item.uuid),
          (item) => (item.state === "queued" ? attention(messageErrors(error.message))(item) : null));
        continue;
      }
      const offline = error instanceof NetworkError;
      trouble = { state: offline ? "offline" : "error",
        message: offline ? _("The server could not be reached. Try again later.") : error.message,
        retryAfter: error instanceof ApiError ? error.retryAfter : null };
      if (offline) break; // the others would fail the same way
    }
  }
  const left = (await db.listOutbox()).filter((item) => item.state === "queued").length;
  report.failed = left;
  if (trouble) {
    failures += 1;
    schedule(trouble.retryAfter);
    emit({ state: trouble.state, message: trouble.message });
    registerBackgroundSync();
  } else {
    failures = 0;
    const at = new Date().toISOString();
    await db.setSetting("lastSyncAt", at);
    if (left) schedule(); else clearSchedule();
    emit({ state: "idle", lastSyncAt: at, message: null, nextAttemptAt: left ? status.nextAttemptAt : null });
  }
  return report;
}

function clearSchedule() {
  if (timer) clearTimeout(timer);
  timer = null;
}

function schedule(retryAfterSeconds = null) {
  clearSchedule();
  if (!started) return; // the service worker relies on Background Sync instead
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failures - 1));
  // jitter: phones that lost the same server do not all come back at the same moment
  const delay = Math.max(Math.round(ceiling * (0.5 + Math.random() * 0.5)), (retryAfterSeconds || 0) * 1000);
  timer = setTimeout(() => { timer = null; trigger(); }, delay);
  status = { ...status, nextAttemptAt: new Date(Date.now() + delay).toISOString() };
}

async function registerBackgroundSync() {
  try {
    const registration = globalThis.registration
      || (navigator.serviceWorker && navigator.serviceWorker.controller && await navigator.serviceWorker.ready);
    if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
  } catch { /* not available here: the timer does the work */ }
}

async function locked(wait, work) {
  if (!navigator.locks) return work();
  return navigator.locks.request(LOCK, wait ? {} : { ifAvailable: true }, (lock) => (lock ? work() : null));
}

function run(wait) {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let report = null;
    try {
      do {
        again = false;
        const result = await locked(wait, () => runOnce(wait));
        report = result || report || { sent: 0, attention: 0, failed: 0 };
      } while (again);
    } finally {
      running = null;
    }
    return report;
  })();
  return running;
}

// Send now (the button, Background Sync): waits for another tab's upload to finish first.
// The report adds up what an upload already under way in this tab did meanwhile.
export async function syncNow() {
  const earlier = running ? await running.catch(() => null) : null;
  try {
    const report = await run(true);
    if (!earlier) return report;
    return { sent: earlier.sent + report.sent, attention: earlier.attention + report.attention, failed: report.failed };
  } catch (error) {
    emit({ state: "error", message: error.message });
    return { sent: 0, attention: 0, failed: (await db.counts()).waiting };
  }
}

// Automatic attempts: skipped when another tab is already uploading.
export function trigger() {
  run(false).catch((error) => {
    failures += 1;
    schedule();
    emit({ state: "error", message: error.message });
  });
}

export async function startSync() {
  if (started) return;
  started = true;
  db.onQueued(trigger);
  emit({ lastSyncAt: (await db.getSetting("lastSyncAt")) || null });
  globalThis.addEventListener("online", trigger);
  if (typeof document !== "undefined") {
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") trigger();
    });
  }
  if (typeof BroadcastChannel === "function") {
    new BroadcastChannel("willay").addEventListener("message", (event) => {
      if (event.data && event.data.type === "queued") trigger();
    });
  }
  registerServiceWorker();
  trigger();
}
