// How long a voice note is. A recording made with MediaRecorder (WebM, Ogg) has no duration in
// its header, so the player reports Infinity (and shows 0:00) until it has read the whole file.
// Asking it to seek far past the end makes it read to the end; then it goes back to the start.

const known = (media) => Number.isFinite(media.duration) && media.duration > 0;

export function formatClock(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// Calls onKnown(seconds) once the real duration is known.
export function settleDuration(media, onKnown) {
  const finish = () => onKnown(media.duration);
  const onMetadata = () => {
    if (known(media)) { finish(); return; }
    const onChange = () => {
      if (!known(media)) return;
      media.removeEventListener("durationchange", onChange);
      media.currentTime = 0;
      finish();
    };
    media.addEventListener("durationchange", onChange);
    media.currentTime = Number.MAX_SAFE_INTEGER;
  };
  if (media.readyState >= 1) onMetadata();
  else media.addEventListener("loadedmetadata", onMetadata, { once: true });
}
