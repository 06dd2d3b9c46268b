// Voice notes in the console: the player's real length, found as the phone app finds it
// (pwa/form/duration.js), written beside the player.
import { formatClock, settleDuration } from "/app/form/duration.js";

for (const player of document.querySelectorAll("audio[data-settle-duration]")) {
  const label = player.nextElementSibling?.matches("[data-template]") ? player.nextElementSibling : null;
  settleDuration(player, (seconds) => {
    if (label) label.textContent = label.dataset.template.replace("{time}", formatClock(seconds));
  });
}
