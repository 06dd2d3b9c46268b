// District picker: department → province → district, from the place list cached on the
// phone (GET /api/v1/places/bulk/<department>, kept by db.js). The answer is the district's ubigeo.
import { getPlaces, getSetting, putPlaces, setSetting } from "../db.js";
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";

const DEPARTMENT = 1;
const PROVINCE = 2;
const DISTRICT = 3;
const byName = (a, b) => a.name.localeCompare(b.name, "es");

// The department's rows from the phone, fetched (and kept) once when there is signal.
export async function placeList(department) {
  let payload = await getPlaces(department);
  if (!payload) {
    const response = await fetch(`/api/v1/places/bulk/${department}`);
    if (!response.ok) throw new Error(`places ${response.status}`);
    payload = await response.json();
    await putPlaces(department, payload);
  }
  const column = Object.fromEntries(payload.columns.map((name, index) => [name, index]));
  return payload.rows.map((row) => ({
    ubigeo: row[column.ubigeo], level: row[column.level], parent: row[column.parent], name: row[column.name],
  }));
}

// "Carumas (Mariscal Nieto)" for a district's ubigeo, from the list kept on the phone; the
// ubigeo itself when the list is not there.
export async function placeName(ubigeo) {
  const code = String(ubigeo);
  try {
    const rows = await placeList(`${code.slice(0, 2)}0000`);
    const own = rows.find((r) => r.ubigeo === code);
    const province = rows.find((r) => r.ubigeo === `${code.slice(0, 4)}00` && r.level === PROVINCE);
    if (own) return province && province.ubigeo !== code ? `${own.name} (${province.name})` : own.name;
  } catch { /* offline without the list: the code is all there is */ }
  return code;
}

// The departments, kept on the phone after the first time so the picker works offline.
async function departments() {
  try {
    const response = await fetch("/api/v1/places");
    if (!response.ok) throw new Error(`places ${response.status}`);
    const body = await response.json();
    const list = (body.places || body).map((p) => ({ ubigeo: p.ubigeo, name: p.name, level: DEPARTMENT }));
    setSetting("departments", list).catch(() => {});
    return list;
  } catch (error) {
    const kept = await getSetting("departments");
    if (kept && kept.length) return kept;
    throw error;
  }
}

function picker(id, label, items, chosen, onChange, describedBy) {
  return el("div", { class: "field" },
    el("label", { for: id }, label),
    el("select", { id, "aria-describedby": describedBy, onchange: (event) => onChange(event.target.value) },
      el("option", { value: "" }, _("Choose…")),
      ...items.map((item) => el("option", { value: item.ubigeo, selected: item.ubigeo === chosen }, item.name))));
}

function place(ctx) {
  const box = el("div", { class: "place" });
  const status = el("p", { class: "media-status", role: "status" });
  const fixed = ctx.q.department || null;
  let rows = [];
  let department = fixed || (ctx.value ? `${ctx.value.slice(0, 2)}0000` : "");
  let province = ctx.value ? `${ctx.value.slice(0, 4)}00` : "";
  let allDepartments = [];

  const show = () => {
    const parts = [];
    if (!fixed) {
      parts.push(picker(`${ctx.id}-dep`, _("Department"), allDepartments, department, async (value) => {
        department = value;
        province = "";
        ctx.value = undefined;
        ctx.set(undefined);
        await load();
      }, ctx.describedBy));
    } else {
      const own = rows.find((r) => r.level === DEPARTMENT);
      if (own) parts.push(el("p", { class: "place-shown" }, _("Department"), ": ", own.name));
    }
    if (department && rows.length) {
      parts.push(picker(`${ctx.id}-prov`, _("Province"),
        rows.filter((r) => r.level === PROVINCE).sort(byName), province, (value) => {
          province = value;
          ctx.value = undefined;
          ctx.set(undefined);
          show();
        }, ctx.describedBy));
    }
    if (province) {
      parts.push(picker(ctx.id, _("District"),
        rows.filter((r) => r.level === DISTRICT && r.parent === province).sort(byName), ctx.value,
        (value) => { ctx.value = value || undefined; ctx.set(ctx.value); }, ctx.describedBy));
    }
    box.replaceChildren(...parts, status);
  };

  const load = async () => {
    rows = [];
    status.textContent = "";
    try {
      if (!fixed && !allDepartments.length) allDepartments = (await departments()).sort(byName);
      if (department) rows = await placeList(department);
    } catch {
      status.textContent = _("The list of places is not on this phone yet. Open the app once with signal.");
    }
    show();
  };
  load();
  return box;
}

export const PLACE_WIDGETS = { place: [place, true] };
