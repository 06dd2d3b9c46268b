// A search box over each <select data-searchable>: typing hides the options that do not
// match, ignoring accents and case ("sanchez" finds "General Sánchez Cerro"). Chosen options
// and the empty "All" option always stay visible. No library: the select stays a select.
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

function attach(select) {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "option-filter";
  box.placeholder = select.dataset.searchLabel || "";
  box.setAttribute("aria-label", select.dataset.searchLabel || "");
  box.setAttribute("aria-controls", select.id);
  const count = document.createElement("span");
  count.className = "option-count";
  count.setAttribute("aria-live", "polite");
  const words = [...select.options].map((option) => fold(option.textContent));
  box.addEventListener("input", () => {
    const wanted = fold(box.value);
    let shown = 0;
    [...select.options].forEach((option, index) => {
      const keep = !wanted || !option.value || option.selected || words[index].includes(wanted);
      option.hidden = !keep;
      if (keep && option.value) shown += 1;
    });
    count.textContent = wanted ? `${shown}` : "";
  });
  const label = select.closest("label");
  if (label) {
    // the box comes first inside the label; the select keeps the label's words as its name
    label.id ||= `${select.id}-label`;
    select.setAttribute("aria-labelledby", label.id);
  }
  select.before(box, count);
}

document.querySelectorAll("select[data-searchable]").forEach(attach);
