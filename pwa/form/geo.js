// Location: asks the phone for a position, shows its accuracy, and can be skipped.
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

export function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error("no geolocation")); return; }
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        const point = { lat: round(coords.latitude, 6), lon: round(coords.longitude, 6) };
        if (Number.isFinite(coords.accuracy)) point.accuracy = round(coords.accuracy, 1);
        if (Number.isFinite(coords.altitude) && coords.altitude !== null) point.alt = round(coords.altitude, 1);
        resolve(point);
      },
      reject,
      // maximumAge 0: a remembered position would give this household the last one's place
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 });
  });
}

export function describePoint(point) {
  const where = `${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}`;
  return point.accuracy === undefined ? where
    : [where, _("accuracy about %(metres)s m", { metres: Math.round(point.accuracy) })].join(" · ");
}

// ctx: {value, set(point|undefined), describedBy, required}; also used for the interview's location.
export function locationControl(ctx) {
  const box = el("div", { class: "media" });
  const status = el("p", { class: "media-status", role: "status" });
  const show = () => {
    box.replaceChildren();
    if (ctx.value) box.append(el("p", { class: "place-shown" }, describePoint(ctx.value)));
    box.append(el("button", { type: "button", class: "secondary", onclick: find, "aria-describedby": ctx.describedBy },
      ctx.value ? _("Take the location again") : _("Add the location")));
    if (!ctx.required) {
      box.append(el("button", { type: "button", class: "link", onclick: skip },
        ctx.value ? _("Remove the location") : _("Without location")));
    }
    box.append(status);
  };
  const find = async () => {
    status.textContent = _("Looking for the location… this can take a minute outdoors.");
    try {
      ctx.value = await locate();
      ctx.set(ctx.value);
      show();
      status.textContent = _("Location saved.");
    } catch {
      show();
      status.textContent = _("The location could not be found. Try again outdoors, or skip it.");
    }
  };
  const skip = () => {
    ctx.value = undefined;
    ctx.set(undefined);
    show();
    status.textContent = _("No location will be sent.");
  };
  show();
  return box;
}

export const GEO_WIDGETS = { geopoint: [(ctx) => locationControl({ ...ctx, required: ctx.q.required }), true] };
