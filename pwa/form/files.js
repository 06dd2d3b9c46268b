// Files attached to a survey version (choice lists, images, audio and video prompts):
// downloaded with the same credentials as the definition (GET /api/v1/surveys/<code>/
// versions/<n>/files/<name>), checked against their SHA-256, and kept in a Cache of their
// own keyed by that hash — a file's bytes never change, so the cache never goes stale and
// a file shared by two versions is kept once. Cache first, network when missing.
import { getSetting, sha256Hex } from "../db.js";
import { registerFileList, fileEntry, fileListLoaded, listFromText } from "./choices.js";

export const FILES_CACHE = "willay-survey-files";

const urls = new Map(); // sha256 → object URL (for the life of the page)
const loading = new Map(); // sha256 → Promise of a prepared list

const cacheKey = (sha256) => new Request(new URL(`/survey-files/${sha256}`, location.origin));

async function credentials(survey) {
  if (survey.link) return { "X-Willay-Link": survey.link };
  const token = await getSetting("token");
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// the console's preview names its own address for a version's files (drafts included)
function fileUrl(survey, name) {
  if (survey.files_url) return `${survey.files_url}${encodeURIComponent(name)}`;
  return `/api/v1/surveys/${encodeURIComponent(survey.code)}/versions/${survey.version}/files/${encodeURIComponent(name)}`;
}

async function cached(entry) {
  if (typeof caches === "undefined") return null;
  const cache = await caches.open(FILES_CACHE);
  return cache.match(cacheKey(entry.sha256));
}

async function download(survey, entry) {
  const headers = survey.files_url ? {} : await credentials(survey);
  const response = await fetch(fileUrl(survey, entry.name), { headers, cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw new Error(`file ${entry.name}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  if (entry.sha256 && (await sha256Hex(bytes)) !== entry.sha256) throw new Error(`file ${entry.name}: damaged on the way`);
  const type = entry.content_type || response.headers.get("Content-Type") || "application/octet-stream";
  const blob = new Blob([bytes], { type });
  if (typeof caches !== "undefined") {
    const cache = await caches.open(FILES_CACHE);
    await cache.put(cacheKey(entry.sha256), new Response(blob, { headers: { "Content-Type": type } }));
  }
  return blob;
}

// The file's bytes as a Blob: from the phone's cache, else downloaded (and kept).
export async function surveyFile(survey, name) {
  const entry = fileEntry(survey.definition, name);
  if (!entry) throw new Error(`file ${name} is not part of this survey`);
  const hit = await cached(entry);
  if (hit) return hit.blob();
  return download(survey, entry);
}

// An object URL for an image / audio / video file (made once per page).
export async function surveyFileUrl(survey, name) {
  const entry = fileEntry(survey.definition, name);
  if (!entry) return null;
  if (!urls.has(entry.sha256)) {
    urls.set(entry.sha256, surveyFile(survey, name).then((blob) => URL.createObjectURL(blob)).catch((error) => {
      urls.delete(entry.sha256);
      throw error;
    }));
  }
  return urls.get(entry.sha256);
}

// The prepared choice list of a `choices_from` file, parsed once per page.
export function loadChoiceList(survey, spec) {
  const entry = fileEntry(survey.definition, spec.file);
  if (!entry) return Promise.reject(new Error(`file ${spec.file} is not part of this survey`));
  const ready = fileListLoaded(entry.sha256);
  if (ready) return Promise.resolve(ready);
  if (!loading.has(entry.sha256)) {
    const geojson = /\.(geo)?json$/i.test(entry.name) || /json/.test(entry.content_type || "");
    const defaultLanguage = survey.definition.default_language || (survey.definition.languages || ["es"])[0];
    loading.set(entry.sha256, surveyFile(survey, spec.file)
      .then((blob) => blob.text())
      .then((text) => {
        const list = listFromText(text, spec, { geojson, defaultLanguage });
        registerFileList(entry.sha256, list);
        return list;
      })
      .finally(() => loading.delete(entry.sha256)));
  }
  return loading.get(entry.sha256);
}

// Download every file of a survey version that the phone does not have yet (called by
// the sync after a definition arrives, so the survey works offline). Never throws:
// {stored: [names], kept: [names], failed: [names]}.
export async function prefetchSurveyFiles(survey) {
  const report = { stored: [], kept: [], failed: [] };
  const files = (survey && survey.definition && survey.definition.files) || [];
  for (const entry of files) {
    try {
      if (await cached(entry)) report.kept.push(entry.name);
      else {
        await download(survey, entry);
        report.stored.push(entry.name);
      }
    } catch {
      report.failed.push(entry.name);
    }
  }
  return report;
}
