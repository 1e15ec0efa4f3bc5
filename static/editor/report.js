// report.js — "Report…" on a take, an element or the project: a small disclosure with the
// category, an optional reason and Send. The server folds repeated reports into one case and
// limits how many a person sends; its answer (thanks, already reported, wait) is shown in place.
import { request } from "./api.js";
import { announce, h } from "./dom.js";

// The categories offered (value, label), from the page's boot data.
let categories = [];
export function setCategories(list) {
  categories = list || [];
}

export function reportForm(kind, id, what) {
  const message = h("p", { class: "report-message", role: "status" });
  const category = h("select", { name: "category", "aria-label": `Why report ${what}` }, categories.map(([value, label]) => h("option", { value }, label)));
  const reason = h("textarea", { name: "reason", rows: 2, maxlength: 1000, placeholder: "What is wrong (optional)", "aria-label": "Reason" });
  const send = h("button", { type: "submit" }, "Send the report");
  const form = h(
    "form",
    {
      class: "report-form",
      onsubmit: async (event) => {
        event.preventDefault();
        send.disabled = true;
        try {
          const answer = await request("POST", "/api/reports/", { [kind]: id, category: category.value, reason: reason.value });
          message.textContent = answer.detail;
          reason.value = "";
          announce(answer.detail);
        } catch (error) {
          message.textContent = error.message;
        }
        send.disabled = false;
      },
    },
    category,
    reason,
    send,
    message,
  );
  return h("details", { class: "report", "data-report": `${kind}-${id}` }, h("summary", {}, "Report…"), form);
}
