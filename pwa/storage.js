// Persistent storage: ask the browser not to evict our data, and report how much is used.
// Without persistence a browser may clear IndexedDB when the phone runs short of space.

const LOW_FREE_BYTES = 50 * 1024 * 1024; // below this, photos and recordings may not fit
const LOW_SHARE = 0.9;

export async function requestPersistence() {
  if (!navigator.storage || !navigator.storage.persist) return false;
  try {
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

// {persisted, usage, quota, low}: usage and quota in bytes (null when the browser won't say)
export async function storageStatus() {
  const status = { persisted: false, usage: null, quota: null, low: false };
  if (!navigator.storage) return status;
  try {
    if (navigator.storage.persisted) status.persisted = await navigator.storage.persisted();
    if (navigator.storage.estimate) {
      const { usage, quota } = await navigator.storage.estimate();
      status.usage = usage ?? null;
      status.quota = quota ?? null;
      if (usage != null && quota) status.low = quota - usage < LOW_FREE_BYTES || usage / quota > LOW_SHARE;
    }
  } catch { /* unknown: leave the defaults */ }
  return status;
}
