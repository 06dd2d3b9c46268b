// Last resort when a phone cannot reach the server: save the outbox to a file (with its
// photos and recordings) to carry to another device or hand to a coordinator, and load
// such a file. Items keep their UUIDs, so a file imported twice, or on two phones, still
// gives one submission each on the server (the second send is answered "duplicate").
import * as db from "./db.js";
import { _ } from "./i18n.js";
import { VERSION } from "./version.js";

const FORMAT = "willay-outbox";
const FORMAT_VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;

function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function portable(item) {
  const { uuid, survey, version, channel, link, answers, attachments, meta, title } = item;
  return { uuid, survey, version, channel: channel || "device", link: link || null, answers,
    attachments: attachments || [], meta, title: title || null };
}

// Everything not yet confirmed by the server (waiting and needing attention), or one item.
export async function exportOutbox({ uuids = null } = {}) {
  let items = await db.listOutbox();
  if (uuids) items = items.filter((item) => uuids.includes(item.uuid));
  const files = {};
  for (const item of items) {
    for (const sha of item.attachments || []) {
      if (files[sha]) continue;
      const record = await db.getAttachment(sha);
      if (record) files[sha] = { type: record.type, size: record.size, data: toBase64(record.bytes) };
    }
  }
  const content = {
    format: FORMAT, version: FORMAT_VERSION, exportedAt: new Date().toISOString(), app: VERSION,
    device: (await db.getSetting("device")) || null, items: items.map(portable), attachments: files,
  };
  const stamp = content.exportedAt.slice(0, 16).replace(/[:T]/g, "-");
  return {
    blob: new Blob([JSON.stringify(content)], { type: "application/json" }),
    filename: items.length === 1 ? `willay-${items[0].uuid}.json` : `willay-outbox-${stamp}.json`,
    count: items.length,
  };
}

function download({ blob, filename }) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function downloadOutbox() {
  const exported = await exportOutbox();
  download(exported);
  return exported.count;
}

// "Keep a local copy" of one item (for example one that needs attention).
export async function keepLocalCopy(uuid) {
  const exported = await exportOutbox({ uuids: [uuid] });
  if (exported.count) download(exported);
  return exported.count;
}

function notOurs() {
  return new Error(_("This file is not a Willay outbox export."));
}

function validItem(item) {
  return item && typeof item === "object" && UUID.test(item.uuid || "")
    && typeof item.survey === "string" && Number.isInteger(item.version)
    && item.answers && typeof item.answers === "object" && !Array.isArray(item.answers)
    && item.meta && typeof item.meta === "object"
    && Array.isArray(item.attachments || []) && (item.attachments || []).every((sha) => SHA256.test(sha))
    && (item.channel !== "public" || typeof item.link === "string");
}

// Load an export file (a File/Blob or its text). Returns {added, known, invalid}: items new
// to this phone are queued for sending; ones it already has are left as they are.
export async function importOutbox(file) {
  let content;
  try {
    content = JSON.parse(typeof file === "string" ? file : await file.text());
  } catch {
    throw notOurs();
  }
  if (!content || content.format !== FORMAT || !Array.isArray(content.items)) throw notOurs();
  if (content.version > FORMAT_VERSION) {
    throw new Error(_("This file was made by a newer version of Willay. Update the app and try again."));
  }
  const files = content.attachments && typeof content.attachments === "object" ? content.attachments : {};
  const records = [];
  for (const [sha, file] of Object.entries(files)) {
    if (!SHA256.test(sha) || !file || typeof file.data !== "string") continue;
    let bytes;
    try {
      bytes = fromBase64(file.data);
    } catch {
      continue;
    }
    if ((await db.sha256Hex(bytes)) !== sha) continue; // damaged: never store wrong bytes
    records.push({ sha256: sha, type: String(file.type || "application/octet-stream"), size: bytes.byteLength, bytes });
  }
  await db.putAttachmentRecords(records);
  const queuedAt = new Date().toISOString();
  const items = [];
  let invalid = 0;
  for (const raw of content.items) {
    if (!validItem(raw)) { invalid += 1; continue; }
    // an item whose file is missing is still queued: the server may hold the file already,
    // otherwise the sync puts it under "needs attention" saying so
    const item = portable(raw);
    items.push({ ...item, state: "queued", queuedAt, attempts: 0, imported: true });
  }
  const added = await db.importItems(items);
  return { added: added.length, known: items.length - added.length, invalid };
}
