// The footer's language switcher submits as soon as a language is picked; its button is only for
// browsers without JavaScript. No inline handler: the CSP allows scripts from 'self' only.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.form.classList.add("is-live");
  select.addEventListener("change", () => select.form.submit());
});
