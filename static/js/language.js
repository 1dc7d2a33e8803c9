// The footer's language switcher submits as soon as a language is picked (the button stays for
// visitors without JavaScript). No inline handler: the CSP allows scripts from 'self' only.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
