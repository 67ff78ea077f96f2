// wagtail-localize's "Translate this page" form: when only one other language can be
// chosen, choose it, as nearly everyone translating here means to.
document.addEventListener("DOMContentLoaded", () => {
  const choices = document.querySelectorAll('form input[type="checkbox"][name="locales"]');
  if (choices.length === 1) {
    choices[0].checked = true;
  }
});
