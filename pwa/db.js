// The phone's storage: one IndexedDB database "willay" holding settings, cached surveys and
// places, attachments (as ArrayBuffers), drafts, the outbox and the sent records.
// This module is the only place that opens the database. It never touches the DOM: it
// announces changes with a "willay:changed" event (relayed to other tabs and to the
// service worker over the BroadcastChannel "willay").

const DB_NAME = "willay";
const DB_VERSION = 1;
const LEGACY_TOKEN_KEY = "willay.token";

let opening = null;
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("willay") : null;

function announce(detail, relay = true) {
  if (typeof CustomEvent === "function" && typeof globalThis.dispatchEvent === "function") {
    globalThis.dispatchEvent(new CustomEvent("willay:changed", { detail }));
  }
  if (relay && channel) channel.postMessage({ type: "changed", detail });
}

if (channel) {
  channel.addEventListener("message", (event) => {
    if (event.data && event.data.type === "changed") announce(event.data.detail, false);
  });
}

function upgrade(db) {
  // version 1: every store; later versions add to this function, never remove data
  db.createObjectStore("settings");
  db.createObjectStore("surveys", { keyPath: ["code", "version"] });
  db.createObjectStore("places");
  db.createObjectStore("attachments", { keyPath: "sha256" });
  db.createObjectStore("drafts", { keyPath: "uuid" });
  db.createObjectStore("outbox", { keyPath: "uuid" });
  db.createObjectStore("sent", { keyPath: "uuid" }).createIndex("sentAt", "sentAt");
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => upgrade(req.result);
    req.onsuccess = () => {
      const db = req.result;
      // another tab (a newer app version) wants to upgrade: step aside, reopen on next use
      db.onversionchange = () => { db.close(); opening = null; };
      db.onclose = () => { opening = null; };
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("The storage is busy in another tab."));
  });
}

async function database() {
  if (!opening) {
    opening = openDatabase().then(async (db) => {
      await migrateLegacyToken(db);
      return db;
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

// Run `work(stores)` in one transaction and resolve once it is committed (durable).
async function transact(names, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode, mode === "readwrite" ? { durability: "strict" } : {});
    const stores = Object.fromEntries([].concat(names).map((name) => [name, tx.objectStore(name)]));
    let result;
    Promise.resolve(work(stores, tx)).then((value) => { result = value; }, (error) => {
      try { tx.abort(); } catch { /* already finished */ }
      reject(error);
    });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

async function migrateLegacyToken(db) {
  let token = null;
  try {
    token = globalThis.localStorage ? localStorage.getItem(LEGACY_TOKEN_KEY) : null;
  } catch { /* no localStorage in workers */ }
  if (!token) return;
  await new Promise((resolve, reject) => {
    const tx = db.transaction("settings", "readwrite");
    const store = tx.objectStore("settings");
    const existing = store.get("token");
    existing.onsuccess = () => { if (!existing.result) store.put(token, "token"); };
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  localStorage.removeItem(LEGACY_TOKEN_KEY);
}

const now = () => new Date().toISOString();

// ---- settings ----

export async function getSetting(key) {
  return transact("settings", "readonly", ({ settings }) => request(settings.get(key)));
}

export async function setSetting(key, value) {
  await transact("settings", "readwrite", ({ settings }) => {
    if (value === undefined || value === null) settings.delete(key);
    else settings.put(value, key);
  });
  announce({ store: "settings", key });
}

// ---- surveys ----

export async function putSurvey(survey) {
  await transact("surveys", "readwrite", ({ surveys }) => { surveys.put(survey); });
  announce({ store: "surveys", code: survey.code });
}

export async function getSurvey(code, version) {
  return transact("surveys", "readonly", ({ surveys }) => request(surveys.get([code, Number(version)])));
}

export async function allSurveys() {
  return transact("surveys", "readonly", ({ surveys }) => request(surveys.getAll()));
}

export async function latestSurveys() {
  const newest = new Map();
  for (const survey of await allSurveys()) {
    const seen = newest.get(survey.code);
    if (!seen || seen.version < survey.version) newest.set(survey.code, survey);
  }
  return [...newest.values()];
}

// ---- places ----

export async function putPlaces(department, payload) {
  await transact("places", "readwrite", ({ places }) => { places.put(payload, department); });
  announce({ store: "places", department });
}

export async function getPlaces(department) {
  return transact("places", "readonly", ({ places }) => request(places.get(department)));
}

// ---- attachments ----

export async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function putAttachment(blob) {
  const bytes = blob instanceof ArrayBuffer ? blob : await blob.arrayBuffer();
  const type = blob.type || "application/octet-stream";
  const sha256 = await sha256Hex(bytes);
  await transact("attachments", "readwrite", ({ attachments }) => {
    attachments.put({ sha256, type, size: bytes.byteLength, bytes });
  });
  return { sha256, type, size: bytes.byteLength };
}

export async function getAttachment(sha256) {
  return transact("attachments", "readonly", ({ attachments }) => request(attachments.get(sha256)));
}

// Store attachment records {sha256, type, size, bytes} as they are (import of an export file).
export async function putAttachmentRecords(records) {
  if (!records.length) return;
  await transact("attachments", "readwrite", ({ attachments }) => {
    for (const record of records) attachments.put(record);
  });
}

// ---- drafts ----

// Returns the saved record, or null when this interview was already finalized (in another
// tab): an autosave arriving late must not bring a sent interview back as a draft.
export async function saveDraft(draft) {
  const saved = await transact(["drafts", "outbox", "sent"], "readwrite", async ({ drafts, outbox, sent }) => {
    if ((await request(outbox.count(draft.uuid))) || (await request(sent.count(draft.uuid)))) return null;
    const existing = await request(drafts.get(draft.uuid));
    const record = { ...draft, rev: ((existing && existing.rev) || draft.rev || 0) + 1, updatedAt: now() };
    drafts.put(record);
    return record;
  });
  if (saved) announce({ store: "drafts", uuid: draft.uuid });
  return saved;
}

export async function getDraft(uuid) {
  return transact("drafts", "readonly", ({ drafts }) => request(drafts.get(uuid)));
}

export async function listDrafts() {
  const all = await transact("drafts", "readonly", ({ drafts }) => request(drafts.getAll()));
  return all.sort((a, b) => (b.updatedAt || "").localeCompare(a.updatedAt || ""));
}

export async function deleteDraft(uuid) {
  await transact("drafts", "readwrite", ({ drafts }) => { drafts.delete(uuid); });
  announce({ store: "drafts", uuid });
}

// ---- outbox ----

let syncRequester = null;
// sync.js registers itself here, so finalize() can ask for an upload without an import cycle
export function onQueued(callback) {
  syncRequester = callback;
}

function queueRequested() {
  if (syncRequester) syncRequester();
  else if (channel) channel.postMessage({ type: "queued" });
}

// What the sync engine learned about one send of an item: never part of a draft, so a
// corrected interview is always sent again (and never completed from an old answer).
const SEND_STATE = ["state", "queuedAt", "attempts", "errors", "lastError", "lastAttemptAt", "uncertain",
  "serverOutcome", "receipt", "attentionAt", "imported"];

function withoutSendState(record) {
  const clean = { ...record };
  for (const key of SEND_STATE) delete clean[key];
  return clean;
}

// Move a draft to the outbox in one transaction; a second tab finalizing the same draft
// finds it gone and gets the existing outbox item back, so one interview is one item.
export async function finalize(uuid, { completed_at = now() } = {}) {
  const item = await transact(["drafts", "outbox", "sent"], "readwrite", async ({ drafts, outbox, sent }) => {
    const draft = await request(drafts.get(uuid));
    if (!draft) {
      return (await request(outbox.get(uuid))) || (await request(sent.get(uuid))) || null;
    }
    const queued = {
      ...withoutSendState(draft), meta: { ...draft.meta, completed_at }, state: "queued", queuedAt: now(), attempts: 0,
    };
    outbox.put(queued);
    drafts.delete(uuid);
    return queued;
  });
  announce({ store: "outbox", uuid });
  queueRequested();
  return item;
}

export async function listOutbox() {
  const all = await transact("outbox", "readonly", ({ outbox }) => request(outbox.getAll()));
  return all.sort((a, b) => (a.queuedAt || "").localeCompare(b.queuedAt || ""));
}

export async function getOutboxItem(uuid) {
  return transact("outbox", "readonly", ({ outbox }) => request(outbox.get(uuid)));
}

// Change outbox items in place; `change(item)` returns the new record (or null to leave it).
export async function updateOutbox(uuids, change) {
  await transact("outbox", "readwrite", async ({ outbox }) => {
    for (const uuid of uuids) {
      const item = await request(outbox.get(uuid));
      if (!item) continue;
      const updated = change(item);
      if (updated) outbox.put(updated);
    }
  });
  announce({ store: "outbox" });
}

// The server confirmed these items (and holds all their files): outbox → sent, atomically.
export async function markSent(records) {
  if (!records.length) return;
  await transact(["outbox", "sent"], "readwrite", ({ outbox, sent }) => {
    for (const record of records) {
      sent.put({ ...record, sentAt: record.sentAt || now() });
      outbox.delete(record.uuid);
    }
  });
  announce({ store: "sent" });
}

export async function getSent(uuid) {
  return transact("sent", "readonly", ({ sent }) => request(sent.get(uuid)));
}

export async function listSent(limit = 50) {
  return transact("sent", "readonly", ({ sent }) => new Promise((resolve, reject) => {
    const found = [];
    const cursor = sent.index("sentAt").openCursor(null, "prev");
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at || found.length >= limit) { resolve(found); return; }
      found.push(at.value);
      at.continue();
    };
    cursor.onerror = () => reject(cursor.error);
  }));
}

export async function counts() {
  return transact(["drafts", "outbox", "sent"], "readonly", async ({ drafts, outbox, sent }) => {
    const items = await request(outbox.getAll());
    return {
      drafts: await request(drafts.count()),
      waiting: items.filter((item) => item.state !== "attention").length,
      attention: items.filter((item) => item.state === "attention").length,
      sent: await request(sent.count()),
    };
  });
}

// A rejected item goes back to the drafts (same UUID) so the promoter can fix it.
export async function reopenRejected(uuid) {
  const draft = await transact(["drafts", "outbox"], "readwrite", async ({ drafts, outbox }) => {
    const item = await request(outbox.get(uuid));
    if (!item || item.state !== "attention") return null;
    const rest = withoutSendState(item);
    const meta = { ...rest.meta };
    delete meta.completed_at;
    const reopened = { ...rest, meta, updatedAt: now(), rev: (rest.rev || 0) + 1, rejected: item.errors || {} };
    drafts.put(reopened);
    outbox.delete(uuid);
    return reopened;
  });
  announce({ store: "drafts", uuid });
  return draft;
}

// Add items coming from an export file; items this phone already has are left alone.
export async function importItems(items) {
  const added = await transact(["drafts", "outbox", "sent"], "readwrite", async ({ drafts, outbox, sent }) => {
    const fresh = [];
    for (const item of items) {
      const known = (await request(outbox.get(item.uuid))) || (await request(sent.get(item.uuid)))
        || (await request(drafts.get(item.uuid)));
      if (known) continue;
      outbox.put(item);
      fresh.push(item.uuid);
    }
    return fresh;
  });
  if (added.length) {
    announce({ store: "outbox" });
    queueRequested();
  }
  return added;
}
