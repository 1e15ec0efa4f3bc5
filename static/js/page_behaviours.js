// page_behaviours.js — the pages' small behaviours, asked for in the markup by data-* attributes
// rather than inline handlers (onsubmit=, onchange=, onclick=), which the Content-Security-Policy
// (script-src 'self', config/settings.py) does not run. Loaded once by base.html; the listeners
// sit on the document, so forms and fields added later behave the same.
//
//   <form data-confirm="Delete this project?">  asks first; Cancel sends nothing.
//   <select data-autosubmit>                    sends its form when the choice changes.
//   <input data-select-on-click>                selects its whole text on a click (to copy it).

// Capture phase: the question comes before any other submit listener, and a Cancel stops them
// too (a script that sends the form itself must not send it anyway).
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

document.addEventListener("change", (event) => {
  const field = event.target;
  if (!(field instanceof HTMLSelectElement) || !field.hasAttribute("data-autosubmit")) return;
  // requestSubmit, not submit: the submit event fires (so data-confirm and validation apply).
  field.form?.requestSubmit();
});

document.addEventListener("click", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-click")) {
    field.select();
  }
});
