// Voice notes in the console: a MediaRecorder file (WebM, Ogg) has no duration in its header,
// so the player shows 0:00 until it has read the file to its end. Seek far past the end once,
// then back to the start, and write the length beside the player.

const clock = (seconds) => {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
};

function settle(player) {
  const label = player.nextElementSibling?.matches("[data-template]") ? player.nextElementSibling : null;
  const show = () => {
    if (label) label.textContent = label.dataset.template.replace("{time}", clock(player.duration));
  };
  const known = () => Number.isFinite(player.duration) && player.duration > 0;
  const onMetadata = () => {
    if (known()) { show(); return; }
    const onChange = () => {
      if (!known()) return;
      player.removeEventListener("durationchange", onChange);
      player.currentTime = 0;
      show();
    };
    player.addEventListener("durationchange", onChange);
    player.currentTime = Number.MAX_SAFE_INTEGER;
  };
  if (player.readyState >= 1) onMetadata();
  else player.addEventListener("loadedmetadata", onMetadata, { once: true });
}

document.querySelectorAll("audio[data-settle-duration]").forEach(settle);
